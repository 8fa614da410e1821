//! The Governance section (`/governance`): the compliance report with its trend, the policies
//! (list, detail, dry-run, lifecycle), the waivers (requested, active, expiring) and the waiver
//! request form — the platform team's and leadership's view of federated governance.
//!
//! One lazy route serves every page of the section. Pages are read-mostly, so they are drawn on
//! the server ([`render`], never built into the WASM) and reach the browser as markup; the
//! chunk holds only this component: the page's markup, and the forms in it, which post to
//! [`GovernanceAct`] (as plain forms before the WASM has loaded, through the action after).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;
use serde::{Deserialize, Serialize};

use crate::components::states::{ErrorPanel, Skeleton};
use crate::error::UiError;

#[cfg(feature = "ssr")]
mod render;

/// A governance page as the browser receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GovernancePageView {
    pub title: String,
    /// The header, tabs and actions; an action's answer is shown right below.
    pub head_html: String,
    pub body_html: String,
}

/// What an action answers: a page to go to, markup to show (a dry-run's result), or a message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActOutcome {
    pub go: Option<String>,
    pub html: Option<String>,
    pub message: Option<String>,
}

/// A page of the section, by its path and query string.
#[server(prefix = "/rpc", endpoint = "governance-page")]
pub async fn governance_page(path: String, search: String) -> Result<GovernancePageView, UiError> {
    let (wb, actor) = crate::api::ssr::actor().await?;
    render::page(&wb, &actor, &path, &search).await
}

/// What the section's forms do: `act` is `dry-run` (id), `set-state` (id, state, grace),
/// `waiver-request` (product, policy, reason, expires), `waiver-decide` (id, decision, note) or
/// `policy-save` (id, version when editing, title, rationale, severity, owner, domains, types,
/// kind, and the kind's parameters by name).
/// Permissions are the use cases' own.
#[server(prefix = "/rpc", endpoint = "governance-act")]
pub async fn governance_act(
    act: String,
    id: Option<String>,
    state: Option<String>,
    grace: Option<String>,
    product: Option<String>,
    policy: Option<String>,
    reason: Option<String>,
    expires: Option<String>,
    decision: Option<String>,
    note: Option<String>,
    title: Option<String>,
    rationale: Option<String>,
    severity: Option<String>,
    owner: Option<String>,
    domains: Option<String>,
    types: Option<String>,
    kind: Option<String>,
    version: Option<String>,
    pattern: Option<String>,
    field: Option<String>,
    min: Option<String>,
    max: Option<String>,
    allowed: Option<String>,
    min_percent: Option<String>,
    names: Option<String>,
    property: Option<String>,
    max_seconds: Option<String>,
    source: Option<String>,
) -> Result<ActOutcome, UiError> {
    let (wb, actor) = crate::api::ssr::actor().await?;
    let form = render::ActForm {
        act,
        id,
        state,
        grace,
        product,
        policy,
        reason,
        expires,
        decision,
        note,
        policy_form: render::PolicyForm {
            title,
            rationale,
            severity,
            owner,
            domains,
            types,
            kind,
            version,
            pattern,
            field,
            min,
            max,
            allowed,
            min_percent,
            names,
            property,
            max_seconds,
            source,
        },
    };
    render::act(&wb, &actor, form).await
}

/// The form that was submitted, read as the action's arguments (forms marked `data-act`).
#[cfg(feature = "hydrate")]
fn read_form(ev: &leptos::ev::SubmitEvent) -> Option<GovernanceAct> {
    use wasm_bindgen::JsCast;
    let form = ev.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()?;
    if !form.has_attribute("data-act") {
        return None;
    }
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let get = |k: &str| data.get(k).as_string().filter(|v| !v.trim().is_empty());
    Some(GovernanceAct {
        act: get("act")?,
        id: get("id"),
        state: get("state"),
        grace: get("grace"),
        product: get("product"),
        policy: get("policy"),
        reason: get("reason"),
        expires: get("expires"),
        decision: get("decision"),
        note: get("note"),
        title: get("title"),
        rationale: get("rationale"),
        severity: get("severity"),
        owner: get("owner"),
        domains: get("domains"),
        types: get("types"),
        kind: get("kind"),
        version: get("version"),
        pattern: get("pattern"),
        field: get("field"),
        min: get("min"),
        max: get("max"),
        allowed: get("allowed"),
        min_percent: get("min_percent"),
        names: get("names"),
        property: get("property"),
        max_seconds: get("max_seconds"),
        source: get("source"),
    })
}

#[component]
pub fn GovernancePage() -> impl IntoView {
    let location = use_location();
    let act = ServerAction::<GovernanceAct>::new();
    // The path an action was sent from: its answer is shown on that page only.
    let acted_on = RwSignal::new(String::new());
    let page = Resource::new(
        move || {
            (
                location.pathname.get(),
                location.search.get(),
                act.version().get(),
            )
        },
        |(path, search, _)| governance_page(path, search),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(args) = read_form(&ev) {
            ev.prevent_default();
            acted_on.set(location.pathname.get_untracked());
            act.dispatch(args);
        }
        let _ = ev;
    };
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        Effect::new(move |_| {
            if let Some(Ok(ActOutcome { go: Some(go), .. })) = act.value().get() {
                navigate(&go, Default::default());
            }
        });
    }
    let outcome = move || {
        if acted_on.get() != location.pathname.get() {
            return None;
        }
        if act.pending().get() {
            return Some(
                view! { <p class="notice" role="status" aria-busy="true">"Working…"</p> }
                    .into_any(),
            );
        }
        match act.value().get()? {
            Ok(ActOutcome { html: Some(html), .. }) => Some(
                view! { <div class="server-rendered act-result" inner_html=html on:submit=submit></div> }
                    .into_any(),
            ),
            Ok(ActOutcome { message: Some(m), .. }) => {
                Some(view! { <p class="notice success" role="status" data-testid="act-message">{m}</p> }.into_any())
            }
            Ok(_) => None,
            Err(e) => {
                // A refusal names its fields in findings: say each.
                let details: Vec<String> = e.0.findings.iter().map(|f| f.message.clone()).collect();
                Some(
                    view! {
                        <div class="inline-error" role="alert" data-testid="act-error">
                            <p>{e.message().to_owned()}</p>
                            {(!details.is_empty()).then(|| view! { <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul> })}
                        </div>
                    }
                    .into_any(),
                )
            }
        }
    };
    view! {
        <Transition fallback=|| view! { <Skeleton rows=10/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! {
                        <Title text=p.title/>
                        <div class="server-rendered" inner_html=p.head_html on:submit=submit></div>
                        {outcome}
                        <div class="server-rendered" inner_html=p.body_html on:submit=submit></div>
                    }
                    .into_any(),
                    Err(e) => view! { <Title text="Governance"/><ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
