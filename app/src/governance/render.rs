//! The server's half of the Governance section: each page drawn as markup from the use cases,
//! and the section's actions. Never built into the WASM.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use serde_json::Value;
use views::{FailingProduct, PolicyDetail, PolicyFinding, PolicyView, WaiverView};
use workbench::{Actor, Workbench};

use super::{ActOutcome, GovernancePageView};
use crate::error::UiError;
use crate::markup::encode;
use crate::time::RelTime;

/// The arguments of [`super::GovernanceAct`].
pub struct ActForm {
    pub act: String,
    pub id: Option<String>,
    pub state: Option<String>,
    pub grace: Option<String>,
    pub product: Option<String>,
    pub policy: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<String>,
    pub decision: Option<String>,
    pub note: Option<String>,
    pub policy_form: PolicyForm,
}

/// The policy form's fields (parameters by their names in the kind catalogue).
pub struct PolicyForm {
    pub title: Option<String>,
    pub rationale: Option<String>,
    pub severity: Option<String>,
    pub owner: Option<String>,
    pub domains: Option<String>,
    pub types: Option<String>,
    pub kind: Option<String>,
    pub version: Option<String>,
    pub pattern: Option<String>,
    pub field: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub allowed: Option<String>,
    pub min_percent: Option<String>,
    pub names: Option<String>,
    pub property: Option<String>,
    pub max_seconds: Option<String>,
    pub source: Option<String>,
}

impl PolicyForm {
    /// A parameter's field, by its name in the policy document.
    fn parameter(&self, name: &str) -> Option<String> {
        match name {
            "pattern" => self.pattern.clone(),
            "field" => self.field.clone(),
            "min" => self.min.clone(),
            "max" => self.max.clone(),
            "allowed" => self.allowed.clone(),
            "minPercent" => self.min_percent.clone(),
            "names" => self.names.clone(),
            "property" => self.property.clone(),
            "maxSeconds" => self.max_seconds.clone(),
            "source" => self.source.clone(),
            _ => None,
        }
    }
}

/// A parameter's name in the policy document → its form field's name.
fn field_name(param: &str) -> &str {
    match param {
        "minPercent" => "min_percent",
        "maxSeconds" => "max_seconds",
        other => other,
    }
}

fn html(view: AnyView) -> String {
    Owner::new().with(|| view.to_html())
}

fn bad(message: impl Into<String>) -> UiError {
    UiError(views::ApiError::new("bad_request", message))
}

/// Reads `a=b&c=d` (with `+` and percent escapes).
fn query(search: &str) -> HashMap<String, String> {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && i + 2 < bytes.len()
                && let Ok(b) = u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                )
            {
                out.push(b);
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The section's tabs.
fn tabs(current: &'static str) -> AnyView {
    let tab = move |key: &'static str, href: &'static str, label: &'static str| {
        let here = key == current;
        view! { <a href=href class:current=here aria-current=here.then_some("page")>{label}</a> }
    };
    view! {
        <nav class="segmented governance-tabs" aria-label="Governance">
            {tab("report", "/governance", "Report")}
            {tab("policies", "/governance/policies", "Policies")}
            {tab("waivers", "/governance/waivers", "Waivers")}
        </nav>
    }
    .into_any()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A policy's state as a badge; grace says until when.
fn state_badge(policy: &Value) -> AnyView {
    let state = str_of(policy, "state").to_owned();
    let text = match (
        state.as_str(),
        policy.get("graceUntil").and_then(Value::as_str),
    ) {
        ("grace", Some(day)) => format!("Grace · blocks from {day}"),
        ("grace", None) => String::from("Grace"),
        (s, _) => {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    };
    let class = format!("badge policy-state state-{state}");
    view! { <span class=class title="Policy state">{text}</span> }.into_any()
}

/// What a policy applies to, in words.
fn scope_text(policy: &Value) -> String {
    let Some(scope) = policy.get("scope").and_then(Value::as_object) else {
        return String::from("all products");
    };
    let mut parts = Vec::new();
    for (key, label) in [
        ("domains", "domains"),
        ("excludeDomains", "not domains"),
        ("productTypes", "types"),
        ("tags", "tags"),
        ("statuses", "statuses"),
        ("portTypes", "port types"),
    ] {
        if let Some(list) = scope.get(key).and_then(Value::as_array)
            && !list.is_empty()
        {
            let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            parts.push(format!("{label}: {}", names.join(", ")));
        }
    }
    if parts.is_empty() {
        String::from("all products")
    } else {
        parts.join(" · ")
    }
}

fn percent(passing: usize, applicable: usize) -> Option<f64> {
    (applicable > 0).then(|| passing as f64 * 100.0 / applicable as f64)
}

/// A compliance figure as text (`97 %`, `—` when nothing applies).
fn pct_text(p: Option<f64>) -> String {
    match p {
        Some(v) if v > 99.5 && v < 100.0 => String::from(">99 %"),
        Some(v) => format!("{} %", v.floor() as i64),
        None => String::from("—"),
    }
}

fn tone(p: Option<f64>) -> &'static str {
    match p {
        None => "na",
        Some(v) if v >= 100.0 => "good",
        Some(v) if v >= 80.0 => "fair",
        Some(_) => "poor",
    }
}

/// Dispatches a path of the section to its page.
pub async fn page(
    wb: &Workbench,
    actor: &Actor,
    path: &str,
    search: &str,
) -> Result<GovernancePageView, UiError> {
    let q = query(search);
    let rest = path.trim_end_matches('/');
    let segments: Vec<&str> = rest
        .strip_prefix("/governance")
        .unwrap_or(rest)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match segments.as_slice() {
        [] => report(wb, actor, &q).await,
        ["policies"] => policies(wb, actor).await,
        ["policies", "new"] => policy_form(wb, actor, None, &q).await,
        ["policies", id] => policy(wb, actor, id, &q).await,
        ["policies", id, "edit"] => policy_form(wb, actor, Some(id), &q).await,
        ["waivers"] => waivers(wb, actor).await,
        ["waivers", "new"] => waiver_form(wb, actor, &q).await,
        _ => Err(UiError(views::ApiError::new(
            "not_found",
            format!("there is no page at {path}"),
        ))),
    }
}

// ----- The report -----

async fn report(
    wb: &Workbench,
    actor: &Actor,
    q: &HashMap<String, String>,
) -> Result<GovernancePageView, UiError> {
    let by = match q.get("by").map(String::as_str) {
        Some("team") => "team",
        _ => "domain",
    };
    let group = workbench::group_by(Some(by))?;
    let report = wb
        .governance_report(
            actor,
            group,
            q.get("from").map(String::as_str),
            q.get("to").map(String::as_str),
        )
        .await?;
    let policies = wb.list_policies(actor).await?;
    let titles: HashMap<String, String> = policies
        .iter()
        .map(|p| {
            (
                str_of(&p.policy, "id").to_owned(),
                str_of(&p.policy, "title").to_owned(),
            )
        })
        .collect();
    // Names and colours of the rows' groups.
    let mut names: HashMap<String, (String, String)> = HashMap::new();
    for d in wb.list_domains(actor).await? {
        if by == "domain" {
            names.insert(d.id, (d.name, d.color));
        }
    }
    if by == "team" {
        for t in wb.list_teams(actor).await? {
            names.insert(t.id, (t.name, t.domain_color));
        }
    }
    let name_of = |id: &str| {
        names
            .get(id)
            .map(|n| n.0.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let m = &report.matrix;
    let total = &m.total;
    let overall = percent(total.passing, total.applicable);
    let waivers = wb.list_waivers(actor).await?;
    let active_waivers = waivers.iter().filter(|w| w.status == "approved").count();
    let requested = waivers.iter().filter(|w| w.status == "requested").count();

    // The trend: one line per group, compliance per day.
    let mut days: Vec<String> = report.trend.iter().map(|p| p.day.clone()).collect();
    days.sort();
    days.dedup();
    let mut groups: Vec<String> = report.trend.iter().map(|p| p.group.clone()).collect();
    groups.sort();
    groups.dedup();
    let series: Vec<charts::Series> = groups
        .iter()
        .map(|g| charts::Series {
            label: name_of(g),
            color: names
                .get(g)
                .map(|n| n.1.clone())
                .unwrap_or_else(|| String::from("#6b7280")),
            points: report
                .trend
                .iter()
                .filter(|p| &p.group == g && p.applicable > 0)
                .filter_map(|p| {
                    let x = days.binary_search(&p.day).ok()?;
                    Some((x, p.passing as f64 * 100.0 / p.applicable as f64))
                })
                .collect(),
        })
        .collect();
    // Annotations: the days policies were enabled or changed, several on one day as one mark.
    let mut marks: Vec<(String, Vec<String>)> = Vec::new();
    for e in &report.events {
        let text = format!("{} v{} {}", e.policy, e.version, e.state);
        match marks.iter_mut().find(|(d, _)| d == &e.day) {
            Some((_, list)) => list.push(text),
            None => marks.push((e.day.clone(), vec![text])),
        }
    }
    let markers: Vec<charts::Marker> = marks
        .iter()
        .filter_map(|(day, list)| {
            let x = days.partition_point(|d| d < day);
            (x < days.len()).then(|| charts::Marker {
                x,
                label: mark_label(day, list),
            })
        })
        .collect();
    let chart = (!days.is_empty()).then(|| {
        charts::line_chart(&charts::LineChart {
            title: format!(
                "Compliance by {by}, {} to {}: passing products ÷ applicable, over the policies in force",
                report.from, report.to
            ),
            days: days.clone(),
            series,
            markers: markers.clone(),
            y_max: 100.0,
            unit: String::from("%"),
        })
    });

    let csv = format!(
        "/api/v1/governance/report?groupBy={by}&from={}&to={}&format=csv",
        report.from, report.to
    );
    let json = format!(
        "/api/v1/governance/report?groupBy={by}&from={}&to={}",
        report.from, report.to
    );
    let head = view! {
        <div class="page-header">
            <div>
                <h1>"Governance"</h1>
                <p class="lead">"How the mesh stands against the organisation's policies, evaluated on every change and every day."</p>
            </div>
            <div class="actions">
                <a class="button" href=csv download=format!("governance-{by}.csv")>"CSV"</a>
                <a class="button" href=json>"JSON"</a>
            </div>
        </div>
        {tabs("report")}
    }
    .into_any();
    let group_link = move |key: &'static str, label: &'static str| {
        let here = key == by;
        view! { <a href=format!("/governance?by={key}") class:current=here aria-current=here.then_some("page")>{label}</a> }
    };
    let column_link = |policy: &str, group: &str| {
        format!(
            "/governance/policies/{}?{by}={}",
            encode(policy),
            encode(group)
        )
    };
    let body = view! {
        <ul class="stat-tiles" data-testid="governance-summary">
            <li><span class="stat">{pct_text(overall)}</span><span class="stat-label">"compliance"</span><small class="muted">{format!("{} of {} checks pass", total.passing, total.applicable)}</small></li>
            <li><span class="stat">{total.failing}</span><span class="stat-label">"failing checks"</span><small class="muted">{format!("product × policy, over {} policies", m.columns.len())}</small></li>
            <li><span class="stat">{total.waived}</span><span class="stat-label">"waived"</span><small class="muted"><a href="/governance/waivers">{format!("{active_waivers} approved waivers")}</a></small></li>
            <li><span class="stat">{requested}</span><span class="stat-label">"waiting for a decision"</span><small class="muted"><a href="/governance/waivers">"waiver requests"</a></small></li>
        </ul>
        <section class="panel">
            <h2>"Trend"</h2>
            <p class="muted">{format!("Compliance by {by} from the daily snapshots, {} to {}: history as it was evaluated then, not recomputed with today's rules. Numbered marks are the days policies were enabled or changed.", report.from, report.to)}</p>
            {match chart {
                Some(svg) => view! {
                    <div class="chart-wrap" inner_html=svg></div>
                    <ol class="chart-notes">
                        {marks.iter().filter(|(d, _)| days.iter().any(|x| x >= d)).map(|(day, list)| view! {
                            <li><time datetime=day.clone()>{day.clone()}</time>": "{list.join(", ")}</li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
                None => view! { <p class="muted">"No daily snapshot in this period yet: the first is taken by the next daily run."</p> }.into_any(),
            }}
        </section>
        <section class="panel">
            <div class="panel-head">
                <h2>{format!("Compliance by policy and {by}")}</h2>
                <nav class="segmented" aria-label="Group by">
                    {group_link("domain", "By domain")}
                    {group_link("team", "By team")}
                </nav>
            </div>
            <p class="muted">"Each cell: passing products ÷ products the policy applies to. Waived products are counted apart and not as passing. Follow a cell to its failing products."</p>
            {if m.columns.is_empty() {
                view! { <p class="muted">"No policy is in force yet. "<a href="/governance/policies">"Policies"</a></p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table matrix" data-testid="matrix">
                            <thead><tr>
                                <th scope="col">"Policy"</th>
                                {m.rows.iter().map(|g| {
                                    let href = if by == "domain" { format!("/domains/{}", encode(g)) } else { format!("/teams/{}", encode(g)) };
                                    view! { <th scope="col"><a href=href>{name_of(g)}</a></th> }
                                }).collect_view()}
                                <th scope="col">"All"</th>
                            </tr></thead>
                            <tbody>
                                {m.columns.iter().enumerate().map(|(c, policy)| {
                                    let title = titles.get(policy).cloned().unwrap_or_else(|| policy.clone());
                                    view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/governance/policies/{}", encode(policy))>{title}</a><small class="muted">{policy.clone()}</small></th>
                                            {m.rows.iter().enumerate().map(|(r, group)| {
                                                let t = &m.cells[r][c];
                                                cell(t.applicable, t.passing, t.waived, t.failing, (t.failing > 0).then(|| column_link(policy, group)))
                                            }).collect_view()}
                                            {let t = &m.column_totals[c]; cell(t.applicable, t.passing, t.waived, t.failing, (t.failing > 0).then(|| format!("/governance/policies/{}", encode(policy))))}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                            <tfoot><tr>
                                <th scope="row">"All policies"</th>
                                {m.row_totals.iter().map(|t| cell(t.applicable, t.passing, t.waived, t.failing, None)).collect_view()}
                                {cell(total.applicable, total.passing, total.waived, total.failing, None)}
                            </tr></tfoot>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
    .into_any();
    Ok(GovernancePageView {
        title: String::from("Governance"),
        head_html: html(head),
        body_html: html(body),
    })
}

fn mark_label(day: &str, list: &[String]) -> String {
    if list.len() <= 3 {
        format!("{day}: {}", list.join(", "))
    } else {
        format!("{day}: {} policy changes", list.len())
    }
}

/// One cell of the matrix: the figure, the counts, and a link to the failing products.
fn cell(
    applicable: usize,
    passing: usize,
    waived: usize,
    failing: usize,
    link: Option<String>,
) -> AnyView {
    if applicable == 0 {
        return view! { <td class="cell na" title="Does not apply">"—"</td> }.into_any();
    }
    let p = percent(passing, applicable);
    let class = format!("cell {}", tone(p));
    let counts = format!(
        "{passing}/{applicable}{}",
        if waived > 0 {
            format!(" · {waived} waived")
        } else {
            String::new()
        }
    );
    let label = format!("{failing} failing");
    view! {
        <td class=class>
            <span class="figure">{pct_text(p)}</span>
            <small>{counts}</small>
            {link.map(|href| view! { <a class="cell-link" href=href>{label}</a> })}
        </td>
    }
    .into_any()
}

// ----- Policies -----

fn state_rank(state: &str) -> u8 {
    match state {
        "enforced" => 0,
        "grace" => 1,
        "draft" => 2,
        "deprecated" => 3,
        _ => 4,
    }
}

async fn policies(wb: &Workbench, actor: &Actor) -> Result<GovernancePageView, UiError> {
    let admin = actor.is_admin();
    let mut list = wb.list_policies(actor).await?;
    list.sort_by(|a, b| {
        (
            state_rank(str_of(&a.policy, "state")),
            str_of(&a.policy, "id"),
        )
            .cmp(&(
                state_rank(str_of(&b.policy, "state")),
                str_of(&b.policy, "id"),
            ))
    });
    let head = view! {
        <div class="page-header">
            <div>
                <h1>"Policies"</h1>
                <p class="lead">"The organisation's rules for data products and contracts. Drafts only dry-run; in grace, errors warn until their date; enforced errors refuse the write."</p>
            </div>
            {admin.then(|| view! { <div class="actions"><a class="button primary" href="/governance/policies/new" data-testid="new-policy">"New policy"</a></div> })}
        </div>
        {tabs("policies")}
    }
    .into_any();
    let body = if list.is_empty() {
        view! {
            <div class="empty-state" role="status"><h3>"No policies yet"</h3>
                <div class="empty-body"><p>"A platform admin installs the starter pack with "<code>"meshwork policy starter"</code>" or writes policies with "<code>"meshwork policy apply"</code>"."</p></div>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table policies" data-testid="policies">
                    <thead><tr>
                        <th scope="col">"Policy"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"Applies to"</th>
                        <th scope="col">"Compliance"</th>
                    </tr></thead>
                    <tbody>{list.into_iter().map(policy_row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    Ok(GovernancePageView {
        title: String::from("Policies"),
        head_html: html(head),
        body_html: html(body),
    })
}

fn policy_row(p: PolicyView) -> AnyView {
    let id = str_of(&p.policy, "id").to_owned();
    let compliance = percent(p.passing, p.applicable);
    let meter = compliance.unwrap_or(0.0);
    view! {
        <tr>
            <td>
                <a href=format!("/governance/policies/{}", encode(&id))>{str_of(&p.policy, "title").to_owned()}</a>
                <br/><small class="muted"><code>{id.clone()}</code>" · "{str_of(&p.policy, "kind").to_owned()}{format!(" · v{}", p.policy.get("version").and_then(Value::as_u64).unwrap_or(1))}</small>
            </td>
            <td>{state_badge(&p.policy)}</td>
            <td>{str_of(&p.policy, "severity").to_owned()}</td>
            <td class="scope">{scope_text(&p.policy)}</td>
            <td class="compliance">
                {(p.applicable > 0).then(|| view! { <meter min="0" max="100" value=meter title=pct_text(compliance)></meter> })}
                <span>{pct_text(compliance)}</span>
                <small class="muted">{format!(" {}/{}", p.passing, p.applicable)}{(p.failing > 0).then(|| format!(" · {} failing", p.failing))}{(p.waived > 0).then(|| format!(" · {} waived", p.waived))}</small>
            </td>
        </tr>
    }
    .into_any()
}

/// A hidden field.
fn hidden(name: &'static str, value: String) -> AnyView {
    view! { <input type="hidden" name=name value=value/> }.into_any()
}

async fn policy(
    wb: &Workbench,
    actor: &Actor,
    id: &str,
    q: &HashMap<String, String>,
) -> Result<GovernancePageView, UiError> {
    let PolicyDetail {
        current,
        versions,
        mut failing,
        last_dry_run,
    } = wb.policy_detail(actor, id).await?;
    let p = &current.policy;
    let title = str_of(p, "title").to_owned();
    let state = str_of(p, "state").to_owned();
    let version = p.get("version").and_then(Value::as_u64).unwrap_or(1);
    // A matrix cell's link narrows the failing products to one domain or team.
    let filter = q
        .get("domain")
        .map(|d| ("domain", d.clone()))
        .or_else(|| q.get("team").map(|t| ("team", t.clone())));
    if let Some((kind, value)) = &filter {
        failing.retain(|f| {
            if *kind == "domain" {
                &f.domain == value
            } else {
                &f.team == value
            }
        });
    }
    let admin = actor.is_admin();
    let signed_in = actor.is_signed_in();
    let recent_dry_run = last_dry_run
        .as_deref()
        .is_some_and(|at| workbench::days_since(at) <= 7);
    let grace_default = workbench::day_from_today(30);
    let head = view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/governance">"Governance"</a><span aria-hidden="true">"/"</span>
            <a href="/governance/policies">"Policies"</a><span aria-hidden="true">"/"</span>
            <span aria-current="page">{title.clone()}</span>
        </nav>
        <header class="product-header policy-header">
            <div class="title-row">
                <h1>{title.clone()}</h1>
                {state_badge(p)}
                <span class="version-pill" title="Current version">{format!("v{version}")}</span>
            </div>
            <p class="product-id"><code>{id.to_owned()}</code></p>
            <div class="facts">
                <span>{format!("{} · {}", str_of(p, "severity"), str_of(p, "kind"))}</span>
                <span>{format!("Applies to {}", scope_text(p))}</span>
                {p.get("owner").and_then(Value::as_str).map(|o| view! { <span>{format!("Owner {o}")}</span> })}
                <span>"Changed "<RelTime ts=current.created_at.clone()/>" by "{current.created_by.clone()}</span>
            </div>
            {admin.then(|| view! {
                <div class="actions policy-actions" data-testid="policy-actions">
                    <form method="post" action=ACT_URL class="inline-form" data-act="">
                        {hidden("act", String::from("dry-run"))}{hidden("id", id.to_owned())}
                        <button type="submit" class="button">"Dry-run"</button>
                    </form>
                    {(state != "retired").then(|| state_forms(id, &state, &grace_default, recent_dry_run))}
                    {(state != "retired").then(|| view! { <a class="button" href=format!("/governance/policies/{}/edit", encode(id))>"Edit"</a> })}
                </div>
                <p class="muted small">{match &last_dry_run {
                    Some(at) => format!("Last dry-run of version {version}: {}.", at.get(..16).unwrap_or(at).replace('T', " ")),
                    None => format!("Version {version} has not been dry-run yet; enforcing a draft needs a dry-run in the last 7 days."),
                }}</p>
            })}
        </header>
    }
    .into_any();
    let parameters = p
        .get("parameters")
        .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
        .or_else(|| p.get("source").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    let shown = failing.len();
    let body = view! {
        <div class="product-layout">
            <div class="product-main">
                <section class="panel">
                    <h2>"Why"</h2>
                    <p>{str_of(p, "rationale").to_owned()}</p>
                    <h5>"Rule"</h5>
                    {if parameters.is_empty() || parameters == "null" {
                        view! { <p class="muted">{format!("The built-in check {}, without parameters.", str_of(p, "kind"))}</p> }.into_any()
                    } else {
                        view! { <p class="muted">{if str_of(p, "kind") == "rego" { String::from("Policy as code (Rego):") } else { format!("The built-in check {} with:", str_of(p, "kind")) }}</p><pre class="policy-source"><code>{parameters}</code></pre> }.into_any()
                    }}
                </section>
                <section class="panel" data-testid="failing-products">
                    <h2>
                        {match &filter {
                            Some((kind, v)) => format!("Failing in {kind} {v}"),
                            None => String::from("Failing products"),
                        }}
                        <span class="count-pill">{shown}</span>
                    </h2>
                    {filter.is_some().then(|| view! { <p><a href=format!("/governance/policies/{}", encode(id))>"Show every failing product"</a></p> })}
                    {if failing.is_empty() {
                        view! { <p class="muted">"Every product it applies to passes (or is waived)."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="data-table failing">
                                    <thead><tr>
                                        <th scope="col">"Product"</th>
                                        <th scope="col">"What is wrong, where, and the fix"</th>
                                        <th scope="col">"Failing for"</th>
                                    </tr></thead>
                                    <tbody>{failing.into_iter().map(|f| failing_row(f, id, signed_in)).collect_view()}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                </section>
            </div>
            <aside class="product-side">
                <section class="panel">
                    <h2>"Standing"</h2>
                    <p class="governance-figures">
                        <strong>{pct_text(percent(current.passing, current.applicable))}</strong>
                        {format!(" of {} products pass · {} failing · {} waived", current.applicable, current.failing, current.waived)}
                    </p>
                </section>
                <section class="panel">
                    <h2>"Versions"<span class="count-pill">{versions.len()}</span></h2>
                    <ol class="versions policy-versions">
                        {versions.into_iter().map(|v| view! {
                            <li>
                                <strong>{format!("v{}", v.version)}</strong>" "{state_badge(&v.policy)}
                                <br/><small class="muted"><RelTime ts=v.created_at.clone()/>" by "{v.created_by}</small>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            </aside>
        </div>
    }
    .into_any();
    Ok(GovernancePageView {
        title,
        head_html: html(head),
        body_html: html(body),
    })
}

/// Where the section's forms post before the WASM has loaded.
const ACT_URL: &str = <super::GovernanceAct as server_fn::ServerFn>::PATH;

/// The lifecycle moves open from a state.
fn state_forms(id: &str, state: &str, grace_default: &str, recent_dry_run: bool) -> AnyView {
    let grace_label = if state == "grace" {
        "Move the grace date"
    } else {
        "Start in grace until"
    };
    let grace = (state == "draft" || state == "grace" || state == "enforced").then(|| {
        view! {
            <form method="post" action=ACT_URL class="inline-form" data-act="">
                {hidden("act", String::from("set-state"))}{hidden("id", id.to_owned())}{hidden("state", String::from("grace"))}
                <label class="inline-inputs">{grace_label}" "
                    <input type="date" name="grace" value=grace_default.to_owned() required=true aria-label="Grace until"/>
                </label>
                <button type="submit" class="button">{if state == "enforced" { "Back to grace" } else { "Save" }}</button>
            </form>
        }
    });
    let enforce = (state == "draft" || state == "grace").then(|| {
        let hint = (state == "draft" && !recent_dry_run)
            .then_some("Run a dry-run first: enforcing a draft needs one from the last 7 days.");
        view! {
            <form method="post" action=ACT_URL class="inline-form" data-act="">
                {hidden("act", String::from("set-state"))}{hidden("id", id.to_owned())}{hidden("state", String::from("enforced"))}
                <button type="submit" class="button primary" title=hint>"Enforce now"</button>
            </form>
        }
    });
    let retire = (state != "draft").then(|| {
        view! {
            <form method="post" action=ACT_URL class="inline-form" data-act="">
                {hidden("act", String::from("set-state"))}{hidden("id", id.to_owned())}{hidden("state", String::from("retired"))}
                <button type="submit" class="button danger">"Retire"</button>
            </form>
        }
    });
    view! { {grace}{enforce}{retire} }.into_any()
}

fn finding_item(f: &PolicyFinding) -> AnyView {
    let class = format!(
        "policy-finding {}{}",
        if f.blocking {
            "blocking"
        } else {
            f.severity.as_str()
        },
        if f.waived_by.is_some() { " waived" } else { "" }
    );
    let place = if f.document == "product" {
        f.path.clone()
    } else {
        format!("{} {}", f.document, f.path)
    };
    view! {
        <li class=class>
            <span>{f.message.clone()}</span>
            {(!place.trim().is_empty()).then(|| view! { <code class="where">{place}</code> })}
            {f.fix.clone().map(|fix| view! { <span class="muted">"Fix: "{fix}</span> })}
            {f.blocks_from.clone().map(|d| view! { <span class="muted">{format!("Blocks from {d}")}</span> })}
        </li>
    }
    .into_any()
}

fn failing_row(f: FailingProduct, policy: &str, signed_in: bool) -> AnyView {
    let request = format!(
        "/governance/waivers/new?product={}&policy={}",
        encode(&f.product),
        encode(policy)
    );
    view! {
        <tr>
            <td>
                <a href=format!("/products/{}", encode(&f.product))>{if f.name.is_empty() { f.product.clone() } else { f.name.clone() }}</a>
                <br/><small class="muted">{format!("{} · {}", f.domain, f.team)}</small>
            </td>
            <td><ul class="policy-findings">{f.findings.iter().map(finding_item).collect_view()}</ul></td>
            <td class="days">
                {format!("{} days", f.days_failing)}
                {signed_in.then(|| view! { <br/><a href=request>"Request a waiver"</a> })}
            </td>
        </tr>
    }
    .into_any()
}

/// A dry-run's answer: what would newly fail and pass, per domain, and the next step.
fn dry_run_panel(
    id: &str,
    d: &governance::report::DryRun,
    csv: &str,
    state: &str,
    grace_default: &str,
) -> AnyView {
    let data = format!("data:text/csv;charset=utf-8,{}", encode(csv));
    let blocking = d.newly_failing.iter().filter(|c| c.would_block).count();
    view! {
        <section class="panel dry-run" data-testid="dry-run-result">
            <h2>"Dry-run"</h2>
            <p>
                {format!("Over {} products, run as if enforced: ", d.evaluated)}
                <strong>{format!("{} would newly fail", d.newly_failing.len())}</strong>
                {format!(" ({blocking} of them would have their next publication refused), {} would newly pass.", d.newly_passing.len())}
            </p>
            {(!d.per_domain.is_empty()).then(|| view! {
                <div class="table-wrap"><table class="data-table compact">
                    <thead><tr><th scope="col">"Domain"</th><th scope="col">"Newly failing"</th><th scope="col">"Newly passing"</th></tr></thead>
                    <tbody>{d.per_domain.iter().map(|(dom, (f, p))| view! { <tr><td>{dom.clone()}</td><td>{*f}</td><td>{*p}</td></tr> }).collect_view()}</tbody>
                </table></div>
            })}
            {(!d.newly_failing.is_empty()).then(|| view! {
                <h5>"Would newly fail"</h5>
                <ul class="link-list">
                    {d.newly_failing.iter().map(|c| view! {
                        <li><a href=format!("/products/{}", encode(&c.product))>{c.product.clone()}</a><small class="muted">{format!(" · {} · owned by {}{}", c.domain, c.team, if c.would_block { " · would block" } else { "" })}</small></li>
                    }).collect_view()}
                </ul>
            })}
            <div class="actions">
                <a class="button" href=data download=format!("dry-run-{id}.csv")>"Download CSV"</a>
                {(state != "retired").then(|| state_forms(id, state, grace_default, true))}
            </div>
        </section>
    }
    .into_any()
}

// ----- The policy form -----

/// `/governance/policies/new` and `/governance/policies/{id}/edit`: the policy's text, scope and
/// the chosen kind's parameters, typed per parameter (`?kind=` picks the kind).
async fn policy_form(
    wb: &Workbench,
    actor: &Actor,
    id: Option<&str>,
    q: &HashMap<String, String>,
) -> Result<GovernancePageView, UiError> {
    actor
        .require_admin("manage policies")
        .map_err(UiError::from)?;
    let current: Value = match id {
        Some(id) => wb.policy_detail(actor, id).await?.current.policy,
        None => Value::Null,
    };
    let kinds = governance::catalogue::kinds();
    let kind_name = q
        .get("kind")
        .cloned()
        .or_else(|| {
            current
                .get("kind")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| String::from("required-field"));
    let Some(kind) = governance::catalogue::kind(&kind_name) else {
        return Err(bad(format!("kind: '{kind_name}' is not a built-in kind")));
    };
    // The stored parameters apply only to the kind they were written for.
    let same_kind = current.get("kind").and_then(Value::as_str) == Some(kind.name);
    let params = same_kind
        .then(|| current.get("parameters").cloned())
        .flatten();
    let list_text = |key: &str| {
        current
            .get("scope")
            .and_then(|s| s.get(key))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let editing = id.is_some();
    let title = match id {
        Some(id) => format!("Edit {id}"),
        None => String::from("New policy"),
    };
    let here = match id {
        Some(id) => format!("/governance/policies/{}/edit", encode(id)),
        None => String::from("/governance/policies/new"),
    };
    let severity = str_of(&current, "severity").to_owned();
    let state = str_of(&current, "state").to_owned();
    let head = view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/governance">"Governance"</a><span aria-hidden="true">"/"</span>
            <a href="/governance/policies">"Policies"</a><span aria-hidden="true">"/"</span>
            <span aria-current="page">{title.clone()}</span>
        </nav>
        <div class="page-header"><div>
            <h1>{title.clone()}</h1>
            <p class="lead">{if editing && state != "draft" {
                "A policy that has left draft is never changed in place: saving writes the next version, and every finding records the version it came from."
            } else {
                "A new policy starts as a draft: dry-run it from its page, then start it in grace or enforce it."
            }}</p>
        </div></div>
    }
    .into_any();
    let kind_field = |p: &governance::catalogue::Param| {
        let name = field_name(p.name).to_owned();
        let value = governance::catalogue::field_text(params.as_ref().and_then(|v| v.get(p.name)));
        let label = format!("{}{}", p.label, if p.required { "" } else { " (optional)" });
        let control = match p.kind {
            governance::catalogue::ParamType::Source => view! { <textarea name=name rows="12" class="mono" required=p.required>{value}</textarea> }.into_any(),
            governance::catalogue::ParamType::List => view! { <textarea name=name rows="4" required=p.required>{value}</textarea> }.into_any(),
            governance::catalogue::ParamType::Number => view! { <input type="number" step="any" name=name value=value required=p.required/> }.into_any(),
            governance::catalogue::ParamType::Text => view! { <input type="text" name=name value=value required=p.required/> }.into_any(),
        };
        let wide = matches!(
            p.kind,
            governance::catalogue::ParamType::Source | governance::catalogue::ParamType::List
        );
        view! {
            <label class={if wide { "field span-4" } else { "field span-2" }}>{label}{control}<small class="muted">{p.help}</small></label>
        }
    };
    let body = view! {
        <section class="panel">
            <h2>"Kind"</h2>
            <form method="get" action=here.clone() class="kind-picker">
                <label class="field">"What the policy checks"
                    <select name="kind" aria-label="Kind">
                        {kinds.iter().map(|k| view! { <option value=k.name selected={k.name == kind.name}>{format!("{} — {}", k.summary, k.name)}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="button">"Choose"</button>
            </form>
            <p class="muted">{kind.summary}{if kind.params.is_empty() { ". No parameters." } else { "." }}</p>
        </section>
        <section class="panel">
            <form method="post" action=ACT_URL class="form-grid policy-form" data-act="" data-testid="policy-form">
                {hidden("act", String::from("policy-save"))}
                {hidden("kind", kind.name.to_owned())}
                {current.get("version").and_then(Value::as_i64).map(|v| hidden("version", v.to_string()))}
                {if editing {
                    hidden("id", id.unwrap_or_default().to_owned())
                } else {
                    view! { <label class="field span-2">"Id"<input type="text" name="id" required=true placeholder="usage-described" pattern="[a-z][a-z0-9.-]*"/><small class="muted">"Lowercase words joined by hyphens"</small></label> }.into_any()
                }}
                <label class="field span-2">"Severity"
                    <select name="severity">
                        {["error", "warning", "info"].into_iter().map(|v| view! { <option value=v selected={severity == v}>{v}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field span-4">"Title"<input type="text" name="title" required=true value=str_of(&current, "title").to_owned()/></label>
                <label class="field span-4">"Rationale"<textarea name="rationale" rows="3" required=true placeholder="Why it exists, and what complying costs a team">{str_of(&current, "rationale").to_owned()}</textarea></label>
                <label class="field span-2">"Owner (optional)"<input type="text" name="owner" value=str_of(&current, "owner").to_owned() placeholder="platform"/><small class="muted">"May approve its waivers"</small></label>
                <label class="field span-2">"Only in domains (optional)"<input type="text" name="domains" value=list_text("domains") placeholder="sales, finance"/><small class="muted">"Empty: every domain"</small></label>
                <label class="field span-2">"Only product types (optional)"<input type="text" name="types" value=list_text("productTypes") placeholder="sourceAligned"/></label>
                {kind.params.iter().map(kind_field).collect_view()}
                <div class="field span-4 align-end"><button type="submit" class="button primary">{if editing { "Save" } else { "Create the draft" }}</button></div>
            </form>
        </section>
    }
    .into_any();
    Ok(GovernancePageView {
        title,
        head_html: html(head),
        body_html: html(body),
    })
}

// ----- Waivers -----

async fn waivers(wb: &Workbench, actor: &Actor) -> Result<GovernancePageView, UiError> {
    let list = wb.list_waivers(actor).await?;
    let me = actor.name();
    let signed_in = actor.is_signed_in();
    let (mut requested, mut active, mut ended) = (Vec::new(), Vec::new(), Vec::new());
    for w in list {
        match w.status.as_str() {
            "requested" => requested.push(w),
            "approved" => active.push(w),
            _ => ended.push(w),
        }
    }
    active.sort_by(|a, b| a.expires.cmp(&b.expires));
    let head = view! {
        <div class="page-header">
            <div>
                <h1>"Waivers"</h1>
                <p class="lead">"Time-boxed exceptions: a product's team asks with a reason and an end date; a platform admin or the policy's owner decides, never the one who asked."</p>
            </div>
            {signed_in.then(|| view! { <div class="actions"><a class="button primary" href="/governance/waivers/new">"Request a waiver"</a></div> })}
        </div>
        {tabs("waivers")}
    }
    .into_any();
    let section = |title: &'static str,
                   testid: &'static str,
                   list: Vec<WaiverView>,
                   empty: &'static str| {
        let me = me.clone();
        view! {
            <section class="panel" data-testid=testid>
                <h2>{title}<span class="count-pill">{list.len()}</span></h2>
                {if list.is_empty() {
                    view! { <p class="muted">{empty}</p> }.into_any()
                } else {
                    view! { <ul class="waivers">{list.into_iter().map(|w| waiver_item(w, &me, signed_in)).collect_view()}</ul> }.into_any()
                }}
            </section>
        }
    };
    let body = view! {
        {section("Waiting for a decision", "waivers-requested", requested, "No request is waiting.")}
        {section("Active", "waivers-active", active, "No waiver applies today.")}
        {section("Ended", "waivers-ended", ended, "None yet: expired, rejected and revoked waivers are kept here.")}
    }
    .into_any();
    Ok(GovernancePageView {
        title: String::from("Waivers"),
        head_html: html(head),
        body_html: html(body),
    })
}

fn waiver_item(w: WaiverView, me: &str, signed_in: bool) -> AnyView {
    let left = workbench::days_until(&w.expires);
    let expiring = w.status == "approved" && left <= 14;
    let when = match w.status.as_str() {
        "approved" if left == 0 => String::from("last day today"),
        "approved" => format!("expires {} (in {left} days)", w.expires),
        "requested" => format!("asks until {}", w.expires),
        "expired" => format!("expired {}", w.expires),
        other => format!("{other}, was until {}", w.expires),
    };
    let decide = (w.status == "requested" && signed_in && w.requested_by != me).then(|| {
        let id = w.id.clone();
        view! {
            <div class="actions">
                <form method="post" action=ACT_URL class="inline-form" data-act="">
                    {hidden("act", String::from("waiver-decide"))}{hidden("id", id.clone())}{hidden("decision", String::from("approve"))}
                    <button type="submit" class="button primary">"Approve"</button>
                </form>
                <form method="post" action=ACT_URL class="inline-form" data-act="">
                    {hidden("act", String::from("waiver-decide"))}{hidden("id", id.clone())}{hidden("decision", String::from("reject"))}
                    <input type="text" name="note" placeholder="Why not (optional)" aria-label="Note"/>
                    <button type="submit" class="button">"Reject"</button>
                </form>
            </div>
        }
    });
    let revoke = (w.status == "approved" && signed_in).then(|| {
        let id = w.id.clone();
        view! {
            <form method="post" action=ACT_URL class="inline-form" data-act="">
                {hidden("act", String::from("waiver-decide"))}{hidden("id", id)}{hidden("decision", String::from("revoke"))}
                <button type="submit" class="button small">"Revoke"</button>
            </form>
        }
    });
    let class = format!(
        "waiver status-{}{}",
        w.status,
        if expiring { " expiring" } else { "" }
    );
    view! {
        <li class=class data-waiver=w.id.clone()>
            <div class="waiver-head">
                <a href=format!("/products/{}", encode(&w.product))>{w.product.clone()}</a>
                <span class="muted">" from "</span>
                <a href=format!("/governance/policies/{}", encode(&w.policy))>{w.policy.clone()}</a>
                <span class={if expiring { "badge waiver-when expiring" } else { "badge waiver-when" }}>{when}</span>
            </div>
            <p>{w.reason.clone()}</p>
            <small class="muted">
                {format!("Asked by {} ", w.requested_by)}<RelTime ts=w.requested_at.clone()/>
                {w.decided_by.clone().map(|by| format!(" · {} by {by}", if w.status == "expired" { "approved" } else { w.status.as_str() }))}
                {w.note.clone().map(|n| format!(" · “{n}”"))}
            </small>
            {decide}
            {revoke}
        </li>
    }
    .into_any()
}

async fn waiver_form(
    wb: &Workbench,
    actor: &Actor,
    q: &HashMap<String, String>,
) -> Result<GovernancePageView, UiError> {
    actor.require_signed_in().map_err(UiError::from)?;
    let policies = wb.list_policies(actor).await?;
    let product = q.get("product").cloned().unwrap_or_default();
    let chosen = q.get("policy").cloned().unwrap_or_default();
    let default_expiry = workbench::day_from_today(90);
    let max_expiry = workbench::day_from_today(366);
    let head = view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/governance">"Governance"</a><span aria-hidden="true">"/"</span>
            <a href="/governance/waivers">"Waivers"</a><span aria-hidden="true">"/"</span>
            <span aria-current="page">"Request"</span>
        </nav>
        <div class="page-header"><div>
            <h1>"Request a waiver"</h1>
            <p class="lead">"For a product of a team you own. Say why the policy cannot be met yet and until when; a platform admin or the policy's owner decides."</p>
        </div></div>
    }
    .into_any();
    let body = view! {
        <section class="panel">
            <form method="post" action=ACT_URL class="form-grid waiver-form" data-act="" data-testid="waiver-form">
                {hidden("act", String::from("waiver-request"))}
                <label class="field span-2">"Product id"
                    <input type="text" name="product" value=product required=true placeholder="sales.orders"/>
                </label>
                <label class="field span-2">"Policy"
                    <select name="policy" required=true>
                        {policies.iter().map(|p| {
                            let id = str_of(&p.policy, "id").to_owned();
                            let selected = id == chosen;
                            view! { <option value=id.clone() selected=selected>{format!("{} ({id})", str_of(&p.policy, "title"))}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field span-4">"Reason"
                    <textarea name="reason" required=true rows="3" placeholder="What stands in the way, and what the team does about it"></textarea>
                </label>
                <label class="field span-2">"Last day it applies"
                    <input type="date" name="expires" value=default_expiry required=true max=max_expiry/>
                </label>
                <div class="field span-2 align-end"><button type="submit" class="button primary">"Request the waiver"</button></div>
            </form>
        </section>
    }
    .into_any();
    Ok(GovernancePageView {
        title: String::from("Request a waiver"),
        head_html: html(head),
        body_html: html(body),
    })
}

// ----- Actions -----

fn need(value: Option<String>, name: &str) -> Result<String, UiError> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| bad(format!("{name}: required")))
}

pub async fn act(wb: &Workbench, actor: &Actor, f: ActForm) -> Result<ActOutcome, UiError> {
    match f.act.as_str() {
        "dry-run" => {
            let id = need(f.id, "id")?;
            let detail = wb.policy_detail(actor, &id).await?;
            let result = wb.dry_run_policy(actor, &detail.current.policy).await?;
            let csv = workbench::dry_run_csv(&result);
            let state = str_of(&detail.current.policy, "state").to_owned();
            let panel = dry_run_panel(&id, &result, &csv, &state, &workbench::day_from_today(30));
            Ok(ActOutcome {
                html: Some(html(panel)),
                ..ActOutcome::default()
            })
        }
        "set-state" => {
            let id = need(f.id, "id")?;
            let state = need(f.state, "state")?;
            let detail = wb.policy_detail(actor, &id).await?;
            let mut doc = detail.current.policy.clone();
            let version = doc.get("version").and_then(Value::as_i64).unwrap_or(1);
            let Some(o) = doc.as_object_mut() else {
                return Err(bad("the stored policy is not an object"));
            };
            o.insert(String::from("state"), Value::String(state.clone()));
            match state.as_str() {
                "grace" => {
                    let grace = need(f.grace, "grace")?;
                    o.insert(String::from("graceUntil"), Value::String(grace));
                }
                _ => {
                    o.remove("graceUntil");
                }
            }
            let saved = wb.save_policy(actor, &doc, Some(version)).await?;
            let message = match state.as_str() {
                "grace" => format!(
                    "'{id}' is in grace until {}: its errors warn until then.",
                    str_of(&saved.policy, "graceUntil")
                ),
                "enforced" => format!("'{id}' is enforced: its errors now refuse writes."),
                other => format!("'{id}' is now {other}."),
            };
            Ok(ActOutcome {
                message: Some(message),
                ..ActOutcome::default()
            })
        }
        "waiver-request" => {
            let request = views::WaiverRequest {
                product: need(f.product, "product")?,
                policy: need(f.policy, "policy")?,
                reason: f.reason.unwrap_or_default(),
                expires: f.expires,
            };
            let w = wb.request_waiver(actor, &request).await?;
            Ok(ActOutcome {
                go: Some(format!("/governance/waivers#{}", w.id)),
                ..ActOutcome::default()
            })
        }
        "waiver-decide" => {
            let id = need(f.id, "id")?;
            let decision = views::WaiverDecision {
                decision: need(f.decision, "decision")?,
                note: f.note,
            };
            let w = wb.decide_waiver(actor, &id, &decision).await?;
            Ok(ActOutcome {
                message: Some(format!(
                    "Waiver for {} from {} is {}.",
                    w.product, w.policy, w.status
                )),
                ..ActOutcome::default()
            })
        }
        "policy-save" => {
            let form = f.policy_form;
            let id = need(f.id, "id")?;
            let kind_name = need(form.kind.clone(), "kind")?;
            let kind = governance::catalogue::kind(&kind_name)
                .ok_or_else(|| bad(format!("kind: '{kind_name}' is not a built-in kind")))?;
            let parameters =
                governance::catalogue::parameters_from(&kind, |name| form.parameter(name))
                    .map_err(|(name, message)| bad(format!("parameters/{name}: {message}")))?;
            let list = |text: &Option<String>| -> Vec<Value> {
                text.as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect()
            };
            let expect = form.version.as_deref().and_then(|v| v.parse::<i64>().ok());
            // Editing keeps what the form does not show (state, grace, successor, other scope).
            let mut doc = match expect {
                Some(_) => wb.policy_detail(actor, &id).await?.current.policy,
                None => serde_json::json!({ "id": id, "state": "draft" }),
            };
            let Some(o) = doc.as_object_mut() else {
                return Err(bad("the stored policy is not an object"));
            };
            for (key, value) in [
                ("title", form.title.clone()),
                ("rationale", form.rationale.clone()),
                ("severity", form.severity.clone()),
            ] {
                o.insert(key.to_owned(), Value::String(value.unwrap_or_default()));
            }
            match form
                .owner
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                Some(owner) => o.insert(String::from("owner"), Value::String(owner.to_owned())),
                None => o.remove("owner"),
            };
            let scope = o
                .entry("scope")
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if let Some(scope) = scope.as_object_mut() {
                for (key, values) in [
                    ("domains", list(&form.domains)),
                    ("productTypes", list(&form.types)),
                ] {
                    if values.is_empty() {
                        scope.remove(key);
                    } else {
                        scope.insert(key.to_owned(), Value::Array(values));
                    }
                }
            }
            o.insert(String::from("kind"), Value::String(kind.name.to_owned()));
            if parameters.is_null() {
                o.remove("parameters");
            } else {
                o.insert(String::from("parameters"), parameters);
            }
            wb.save_policy(actor, &doc, expect).await?;
            Ok(ActOutcome {
                go: Some(format!("/governance/policies/{}", encode(&id))),
                ..ActOutcome::default()
            })
        }
        other => Err(bad(format!(
            "act: '{other}' is not one of dry-run, set-state, waiver-request, waiver-decide, policy-save"
        ))),
    }
}
