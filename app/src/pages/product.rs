//! The product page: who owns it, what it promises (the contract of each output port: schema,
//! SLA, quality), where its data comes from, who reads it, its versions, and the owners' actions.
//!
//! Everything but the owners' actions is read-only, so it is rendered on the server only
//! ([`render`], built into the server and never into the WASM) and reaches the browser as
//! markup: the page's chunk holds the actions and not the views, deserialisers and lineage
//! drawing of a product with its contracts. Links in that markup are ordinary links, which the
//! router follows (and the lineage picture's SVG links are handed to it, see `svg_link`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::api::catalog::{ChangeStatus, product_page};
use crate::components::confirm::ConfirmSubmit;
use crate::components::icons::Icon;
use crate::components::states::{ErrorPanel, Skeleton};
use crate::markup::encode;

/// Where the status forms post before the WASM has loaded.
const STATUS_URL: &str = <ChangeStatus as server_fn::ServerFn>::PATH;

/// A product page as the browser receives it: markup for what only needs reading, data for the
/// owners' actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductPageView {
    pub id: String,
    pub name: String,
    /// `--domain:<colour>` for the header.
    pub style: String,
    pub revision: i64,
    pub can_edit: bool,
    /// Statuses the signed-in user may move the product to.
    pub transitions: Vec<String>,
    /// Products that declare it as an input (retiring it affects them).
    pub consumers: usize,
    /// The breadcrumbs.
    pub crumbs_html: String,
    /// The header's title, id, facts and tags.
    pub head_html: String,
    /// About, ports and contracts, lineage, consumers, owners and versions.
    pub body_html: String,
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let change = ServerAction::<ChangeStatus>::new();
    let page = Resource::new(
        move || (id.get(), change.version().get()),
        |(id, _)| product_page(id),
    );
    view! {
        <Transition fallback=|| view! { <Skeleton rows=10/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Product p=p change=change/> }.into_any(),
                    Err(e) => view! { <Title text="Not found"/><ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The link of a click on an SVG link (the lineage picture's nodes), taken from the browser so
/// that the router can follow it: the router follows only HTML links by itself.
#[cfg(feature = "hydrate")]
fn svg_link(ev: &leptos::ev::MouseEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
    {
        return None;
    }
    let link = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())
        .filter(|a| a.namespace_uri().as_deref() == Some("http://www.w3.org/2000/svg"))?;
    ev.prevent_default();
    link.get_attribute("href")
}

#[component]
fn Product(p: ProductPageView, change: ServerAction<ChangeStatus>) -> impl IntoView {
    let edit_href = format!("/products/{}/edit", p.id);
    let download = format!("/api/v1/products/{}/document?format=yaml", encode(&p.id));
    let error = move || change.value().get().and_then(|r| r.err());
    #[cfg(feature = "hydrate")]
    let navigate = leptos_router::hooks::use_navigate();
    let follow_svg_link = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(href) = svg_link(&ev) {
            navigate(&href, Default::default());
        }
        let _ = ev;
    };
    let ProductPageView {
        id: product_id,
        name,
        style,
        revision,
        can_edit,
        transitions,
        consumers,
        crumbs_html,
        head_html,
        body_html,
    } = p;
    view! {
        <Title text=name.clone()/>
        <div class="server-rendered" inner_html=crumbs_html></div>
        <header class="product-header" style=style>
            <div class="server-rendered" inner_html=head_html></div>
            <div class="actions">
                {can_edit.then(|| view! { <a class="button primary" href=edit_href data-testid="edit-product"><Icon name="edit"/>"Edit"</a> })}
                <a class="button" href=download download=format!("{}.odps.yaml", product_id)><Icon name="download"/>"ODPS YAML"</a>
                {transitions.into_iter().map(|t| {
                    let label = match t.as_str() {
                        "deprecated" => "Deprecate",
                        "retired" => "Retire",
                        "active" => "Activate",
                        _ => "Change status",
                    };
                    let danger = t == "retired";
                    let (id, status) = (product_id.clone(), t.clone());
                    let consequence = format!(
                        "Retire {}? It leaves the catalog's listings and can never be activated again. {}",
                        name,
                        match consumers {
                            0 => String::from("No one declares it as an input."),
                            1 => String::from("1 consumer declares it as an input and should move off it first."),
                            n => format!("{n} consumers declare it as an input and should move off it first."),
                        }
                    );
                    // A plain form (it works before the WASM, posting to the server function),
                    // submitted through the action once hydrated: `ActionForm` would bring its
                    // form-data deserialiser into this page's chunk for three fields.
                    let submit = {
                        let (id, status) = (id.clone(), status.clone());
                        move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            change.dispatch(ChangeStatus {
                                id: id.clone(),
                                status: status.clone(),
                                revision,
                            });
                        }
                    };
                    view! {
                        <form method="post" action=STATUS_URL class="inline-form" on:submit=submit>
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="status" value=status.clone()/>
                            <input type="hidden" name="revision" value=revision/>
                            {if danger {
                                view! { <ConfirmSubmit label=label class="button" testid="retire" consequence=consequence/> }.into_any()
                            } else {
                                view! { <button type="submit" class="button" data-status=status>{label}</button> }.into_any()
                            }}
                        </form>
                    }
                }).collect_view()}
            </div>
            {move || error().map(|e| view! { <p class="inline-error" role="alert">{e.message().to_owned()}</p> })}
        </header>
        <div class="server-rendered" inner_html=body_html on:click=follow_svg_link></div>
    }
}

/// The server's half: the read-only parts of a product page, as markup.
#[cfg(feature = "ssr")]
pub fn render(
    p: views::ProductDetail,
    lineage: crate::lineage::product::LineageParts,
    governance: views::GovernanceState,
) -> ProductPageView {
    use crate::components::badges::{DomainChip, Tags, TypeLabel};
    use crate::time::RelTime;
    use leptos::tachys::view::RenderHtml;
    let c = p.card.clone();
    let html = |view: AnyView| Owner::new().with(|| view.to_html());
    let crumbs_html = html(
        view! {
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"Catalog"</a>
                <span aria-hidden="true">"/"</span>
                <a href=format!("/domains/{}", c.domain_id)>{c.domain_name.clone()}</a>
                <span aria-hidden="true">"/"</span>
                <span aria-current="page">{c.name.clone()}</span>
            </nav>
        }
        .into_any(),
    );
    let head_html = html(view! {
        <div class="title-row">
            <h1>{c.name.clone()}</h1>
            <crate::components::badges::StatusBadge status=c.status.clone()/>
            <span class="version-pill" title="Current version">{format!("v{}", c.version)}</span>
        </div>
        <p class="product-id"><code>{c.id.clone()}</code></p>
        <div class="facts">
            <DomainChip id=c.domain_id.clone() name=c.domain_name.clone() color=c.domain_color.clone()/>
            <span>"Owned by "<a href=format!("/teams/{}", c.team_id)>{c.team_name.clone()}</a></span>
            <TypeLabel product_type=c.product_type.clone()/>
            <span>"Updated "<RelTime ts=c.updated_at.clone()/>" by "{p.updated_by.clone()}</span>
        </div>
        {(!c.tags.is_empty()).then(|| view! { <Tags tags=c.tags.clone()/> })}
    }.into_any());
    let (revision, can_edit, transitions, consumers) = (
        p.revision,
        p.can_edit,
        p.transitions.clone(),
        p.consumers.len(),
    );
    let body_html = html(
        body::Body(body::BodyProps {
            p,
            lineage,
            governance,
        })
        .into_any(),
    );
    ProductPageView {
        style: format!("--domain:{}", c.domain_color),
        id: c.id,
        name: c.name,
        revision,
        can_edit,
        transitions,
        consumers,
        crumbs_html,
        head_html,
        body_html,
    }
}

#[cfg(feature = "ssr")]
mod body {
    use leptos::prelude::*;
    use views::{ContractView, GovernanceState, InputPortView, OutputPortView, ProductDetail};

    use super::encode;
    use crate::components::badges::{ClassificationBadge, PiiBadge};
    use crate::components::icons::Icon;
    use crate::lineage::product::{LineageParts, ProductLineage};
    use crate::time::RelTime;

    #[component]
    pub fn Body(
        p: ProductDetail,
        lineage: LineageParts,
        governance: GovernanceState,
    ) -> impl IntoView {
        let c = p.card.clone();
        let has_description = !(p.description.purpose.is_empty()
            && p.description.usage.is_empty()
            && p.description.limitations.is_empty());
        view! {
            <div class="product-layout">
                <div class="product-main">
                    <section class="panel">
                        <h2>"About"</h2>
                        {if has_description {
                            view! {
                                <div class="description">
                                    <Markdown title="Purpose" html=p.description.purpose_html.clone() present=!p.description.purpose.is_empty()/>
                                    <Markdown title="Usage" html=p.description.usage_html.clone() present=!p.description.usage.is_empty()/>
                                    <Markdown title="Limitations" html=p.description.limitations_html.clone() present=!p.description.limitations.is_empty()/>
                                </div>
                            }.into_any()
                        } else {
                            view! { <p class="muted">"No description yet."</p> }.into_any()
                        }}
                    </section>
                    <section class="panel">
                        <h2>"Output ports"<span class="count-pill">{p.output_ports.len()}</span></h2>
                        {p.output_ports.into_iter().map(|port| view! { <OutputPort port=port/> }).collect_view()}
                    </section>
                    <section class="panel">
                        <h2>"Input ports"<span class="count-pill">{p.input_ports.len()}</span></h2>
                        {if p.input_ports.is_empty() {
                            view! { <p class="muted">"This product declares no inputs."</p> }.into_any()
                        } else {
                            view! { <ul class="port-list">{p.input_ports.into_iter().map(|i| view! { <InputPort port=i/> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                    <ProductLineage id=c.id.clone() parts=lineage/>
                </div>
                <aside class="product-side">
                    <Governance state=governance product=c.id.clone() can_request=p.can_edit/>
                    <section class="panel">
                        <h2>"Consumers"<span class="count-pill">{p.consumers.len()}</span></h2>
                        {if p.consumers.is_empty() {
                            view! { <p class="muted">"No data product reads this one yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="link-list" data-testid="consumers">
                                    {p.consumers.into_iter().map(|c| {
                                        let style = format!("--domain:{}", c.domain_color);
                                        view! {
                                            <li style=style>
                                                <span class="dot" aria-hidden="true"></span>
                                                <a href=format!("/products/{}", c.product_id)>{c.product_name}</a>
                                                <small class="muted">{format!(" reads {}", c.output_port)}</small>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                    <section class="panel">
                        <h2>"Owners"</h2>
                        {if p.owners.is_empty() {
                            view! { <p class="muted">"The team has no members yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="people">
                                    {p.owners.into_iter().map(|m| view! {
                                        <li><span class="avatar small" aria-hidden="true">{m.display_name.chars().next().unwrap_or('?').to_string()}</span>
                                        {m.display_name}<small class="muted">{format!(" {}", m.role)}</small></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {(!p.support.is_empty()).then(|| view! {
                            <h3>"Support"</h3>
                            <ul class="link-list">
                                {p.support.into_iter().map(|s| match s.url.as_deref().and_then(crate::markup::safe_href) {
                                    Some(url) => view! { <li><a href=url rel="noopener noreferrer">{s.channel}</a></li> }.into_any(),
                                    None => view! { <li>{s.channel}</li> }.into_any(),
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                    <section class="panel">
                        <h2>"Versions"</h2>
                        <table class="versions">
                            <thead><tr><th scope="col">"Version"</th><th scope="col">"Published"</th><th scope="col"><span class="visually-hidden">"Document"</span></th></tr></thead>
                            <tbody>
                                {p.versions.into_iter().map(|v| {
                                    let doc = format!("/api/v1/products/{}/document?version={}&format=yaml", encode(&c.id), encode(&v.version));
                                    view! {
                                        <tr>
                                            <td><strong>{v.version.clone()}</strong>{(v.revisions > 1).then(|| view! { <small class="muted" title="Revisions stored under this version">{format!(" ({} rev.)", v.revisions)}</small> })}</td>
                                            <td><RelTime ts=v.published_at.clone()/><small class="muted">{format!(" by {}", v.published_by)}</small></td>
                                            <td><a href=doc title=format!("ODPS document of version {}", v.version)>"YAML"</a></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                </aside>
            </div>
        }
    }

    /// How the product stands with the organisation's policies (its newest evaluation).
    #[component]
    fn Governance(state: GovernanceState, product: String, can_request: bool) -> impl IntoView {
        let (class, icon, headline) = match state.state.as_str() {
            "failing" => (
                "governance-state failing",
                "warning",
                format!(
                    "{} blocking finding{}: the next publication is refused",
                    state.blocking,
                    if state.blocking == 1 { "" } else { "s" }
                ),
            ),
            "warnings" => (
                "governance-state warnings",
                "warning",
                format!(
                    "{} finding{} to fix",
                    state.warnings,
                    if state.warnings == 1 { "" } else { "s" }
                ),
            ),
            "passing" => (
                "governance-state passing",
                "check",
                String::from("Meets every policy that applies"),
            ),
            _ => (
                "governance-state",
                "docs",
                String::from("Not evaluated yet"),
            ),
        };
        // Findings of one policy together, the policy said once; at most six policies shown.
        let mut groups: Vec<Vec<views::PolicyFinding>> = Vec::new();
        for f in state.findings {
            match groups
                .iter_mut()
                .find(|g| g[0].policy == f.policy && g[0].waived_by == f.waived_by)
            {
                Some(g) => g.push(f),
                None => groups.push(vec![f]),
            }
        }
        let total = groups.len();
        groups.truncate(6);
        view! {
            <section class="panel" data-testid="governance">
                <h2>"Governance"</h2>
                <p class=class data-state=state.state.clone()><Icon name=icon/>{headline}</p>
                {state.maturity.map(|m| {
                    let reached = m.level;
                    view! {
                        <div class="maturity" data-testid="maturity">
                            <h5>{format!("Maturity: {}", m.name)}</h5>
                            <ol class="ladder" aria-label="Maturity levels">
                                {m.levels.into_iter().enumerate().map(|(i, l)| view! {
                                    <li class:reached=i <= reached aria-current=(i == reached).then_some("step")>{l}</li>
                                }).collect_view()}
                            </ol>
                            {m.next.map(|next| view! {
                                <p class="muted small">{format!("For {next}: {}", if m.missing.is_empty() { String::from("nothing missing") } else { m.missing.join(", ") })}</p>
                            })}
                        </div>
                    }
                })}
                {(state.waived > 0).then(|| view! {
                    <p class="muted small">{format!("{} finding{} waived", state.waived, if state.waived == 1 { "" } else { "s" })}</p>
                })}
                {(!groups.is_empty()).then(|| view! {
                    <ul class="policy-findings">
                        {groups.into_iter().map(|group| {
                            let first = &group[0];
                            let tone = if first.waived_by.is_some() {
                                "waived"
                            } else if first.blocking {
                                "blocking"
                            } else {
                                first.severity.as_str()
                            };
                            let meta = format!(
                                "{} v{} · applies to {}",
                                first.policy,
                                first.policy_version,
                                first.applied_because.join(", ")
                            );
                            let waived = first.waived_by.clone();
                            let policy_href = format!("/governance/policies/{}", encode(&first.policy));
                            let request = (can_request && waived.is_none()).then(|| format!(
                                "/governance/waivers/new?product={}&policy={}",
                                encode(&product),
                                encode(&first.policy)
                            ));
                            view! {
                                <li class=format!("policy-finding {tone}")>
                                    <strong><a href=policy_href>{first.title.clone()}</a></strong>
                                    {group.into_iter().map(|f| view! {
                                        <span class="message">{f.message.clone()}</span>
                                        {(!f.path.is_empty()).then(|| view! {
                                            <code class="where">{if f.document == "product" { f.path.clone() } else { format!("{} {}", f.document, f.path) }}</code>
                                        })}
                                        {f.fix.clone().map(|fix| view! { <span class="fix">{format!("Fix: {fix}")}</span> })}
                                    }).collect_view()}
                                    {waived.map(|w| view! { <span class="muted small">{format!("Waived ({w})")}</span> })}
                                    <small class="muted">{meta}</small>
                                    {request.map(|href| view! { <a class="small" href=href>"Request a waiver"</a> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
                {(total > 6).then(|| view! { <p class="muted small">{format!("and {} more policies", total - 6)}</p> })}
                {state.evaluated_at.map(|at| view! { <p class="muted small">"Evaluated "<RelTime ts=at/></p> })}
            </section>
        }
    }

    #[component]
    fn Markdown(title: &'static str, html: String, present: bool) -> impl IntoView {
        present.then(|| {
            view! {
                <h3>{title}</h3>
                // Rendered and sanitised on the server (pulldown-cmark + ammonia).
                <div class="markdown" inner_html=html></div>
            }
        })
    }

    #[component]
    fn OutputPort(port: OutputPortView) -> impl IntoView {
        let kind = port
            .port_type
            .clone()
            .unwrap_or_else(|| String::from("port"));
        view! {
            <article class="port" data-port=port.name.clone()>
                <header>
                    <h3><span class="port-type">{kind}</span>{port.name.clone()}</h3>
                    <span class="version-pill">{format!("v{}", port.version)}</span>
                </header>
                {port.description.clone().map(|d| view! { <p>{d}</p> })}
                {match (port.contract, port.contract_id) {
                    (Some(contract), _) => view! { <Contract contract=contract/> }.into_any(),
                    (None, Some(id)) => view! { <p class="notice"><Icon name="warning"/>{format!("Contract {id} has not been published yet.")}</p> }.into_any(),
                    (None, None) => view! { <p class="muted">"No contract: this port makes no promises about its schema."</p> }.into_any(),
                }}
            </article>
        }
    }

    #[component]
    fn Contract(contract: ContractView) -> impl IntoView {
        let download = format!(
            "/api/v1/contracts/{}/document?format=yaml",
            encode(&contract.id)
        );
        view! {
            <div class="contract">
                <div class="contract-head">
                    <span>"Contract "<code>{contract.id.clone()}</code>{format!(" v{}", contract.version)}</span>
                    <a class="button small" href=download download=format!("{}.odcs.yaml", contract.id.replace(':', "_"))><Icon name="download"/>"ODCS YAML"</a>
                </div>
                {(!contract.servers.is_empty()).then(|| view! {
                    <dl class="servers">
                        {contract.servers.iter().map(|s| view! {
                            <dt>{format!("{} ({})", s.server, s.server_type)}</dt>
                            <dd><code>{s.location.clone()}</code></dd>
                        }).collect_view()}
                    </dl>
                })}
                {contract.objects.into_iter().map(|o| {
                    let quality = o.quality.clone();
                    view! {
                        <div class="schema-object">
                            <h4>{o.name.clone()}{o.physical_type.clone().map(|t| view! { <small class="muted">{format!(" {t}")}</small> })}</h4>
                            {o.description.clone().map(|d| view! { <p class="muted">{d}</p> })}
                            <div class="table-wrap">
                                <table class="schema">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Field"</th><th scope="col">"Type"</th><th scope="col">"Required"</th>
                                            <th scope="col">"Classification"</th><th scope="col">"Description"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {o.fields.into_iter().map(|f| {
                                            let indent = format!("padding-left:{}rem", 0.6 + f.depth as f32);
                                            let physical = f.physical_type.clone().unwrap_or_default();
                                            view! {
                                                <tr>
                                                    <td style=indent>
                                                        <code>{f.name.clone()}</code>
                                                        {f.primary_key.then(|| view! { <span class="badge key" title="Primary key">"PK"</span> })}
                                                        {f.unique.then(|| view! { <span class="badge key" title="Unique">"UQ"</span> })}
                                                    </td>
                                                    <td><span title=physical>{f.logical_type.clone().unwrap_or_default()}</span></td>
                                                    <td>{if f.required { "yes" } else { "no" }}</td>
                                                    <td>
                                                        {f.classification.clone().map(|c| view! { <ClassificationBadge classification=c/> })}
                                                        {f.pii.then(|| view! { <PiiBadge/> })}
                                                    </td>
                                                    <td class="description-cell" title=f.description.clone().unwrap_or_default()>{f.description.clone().unwrap_or_default()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {(!quality.is_empty()).then(|| view! {
                                <h5>"Quality rules"</h5>
                                <ul class="quality">
                                    {quality.into_iter().map(|q| view! {
                                        <li>
                                            <span class="rule-status not-run" title="No check has reported a result for this rule yet">"not run"</span>
                                            {q.field.map(|f| view! { <code>{f}</code>" " })}
                                            {q.rule}
                                            {q.dimension.map(|d| view! { <span class="muted">{format!(" · {d}")}</span> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                        </div>
                    }
                }).collect_view()}
                {(!contract.sla.is_empty()).then(|| view! {
                    <h5>"Service levels"</h5>
                    <dl class="sla">
                        {contract.sla.into_iter().map(|s| view! { <div><dt>{s.label}</dt><dd>{s.value}</dd></div> }).collect_view()}
                    </dl>
                })}
            </div>
        }
    }

    #[component]
    fn InputPort(port: InputPortView) -> impl IntoView {
        view! {
            <li class="input-port">
                <strong>{port.name.clone()}</strong>
                {match (port.upstream, port.external_source, port.contract_id) {
                    (Some(up), _, _) => {
                        let style = format!("--domain:{}", up.domain_color);
                        view! {
                            <span style=style class="upstream">
                                <Icon name="upstream"/>
                                <a href=format!("/products/{}", up.product_id)>{up.product_name}</a>
                                <small class="muted">{format!(" · {} v{}", up.port_name, up.version)}</small>
                            </span>
                        }.into_any()
                    }
                    (None, Some(source), _) => view! { <span class="external">"External source "<code>{source}</code></span> }.into_any(),
                    (None, None, Some(contract)) => view! { <span>"Contract "<code>{contract}</code><small class="muted">" (no product offers it)"</small></span> }.into_any(),
                    (None, None, None) => view! { <span class="muted">"Unknown source"</span> }.into_any(),
                }}
            </li>
        }
    }
}
