//! Step 6: the complete ODPS and ODCS documents, every finding with a link to the step that fixes
//! it, and publication (or a saved draft).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::ctx::{WizardCtx, choice};
use super::state::{STEPS, documents_yaml, step_of};
use crate::api::wizard::publish_wizard;
use crate::error::UiError;

#[component]
pub fn Review() -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let publishing = RwSignal::new(false);
    let error: RwSignal<Option<UiError>> = RwSignal::new(None);
    let navigate = use_navigate();
    let publish = move |_| {
        let navigate = navigate.clone();
        publishing.set(true);
        error.set(None);
        let state = s.get_untracked();
        let draft = ctx.draft_id.get_untracked();
        leptos::task::spawn_local(async move {
            match publish_wizard(state, draft).await {
                Ok(result) => {
                    ctx.published.set(true);
                    let id = result.product_id.unwrap_or_default();
                    navigate(&format!("/products/{id}"), Default::default());
                }
                Err(e) => {
                    if !e.0.findings.is_empty() {
                        ctx.server_findings.set(Some(e.0.findings.clone()));
                    }
                    error.set(Some(e));
                    publishing.set(false);
                }
            }
        });
    };
    let yaml = Memo::new(move |_| s.with(documents_yaml));
    let status = move || s.with(|s| s.product.status.clone().unwrap_or_default());
    let findings = move || ctx.findings();
    let blocking = move || findings().iter().filter(|f| f.is_error()).count();
    view! {
        <h2>"Review"</h2>
        <div class="review-status">
            {move || {
                let n = blocking();
                if n == 0 {
                    view! { <p class="notice success" data-testid="ready">"✓ Everything checks out. Publish when you are ready."</p> }.into_any()
                } else {
                    view! { <p class="notice warning" data-testid="not-ready">{format!("{n} problem{} to fix before publishing.", if n == 1 { "" } else { "s" })}</p> }.into_any()
                }
            }}
            {move || ctx.server_findings.get().is_none().then(|| view! { <p class="muted small">"Checking with the server…"</p> })}
        </div>
        {move || {
            let list = findings();
            (!list.is_empty()).then(|| view! {
                <ul class="findings all" data-testid="review-findings">
                    {list.into_iter().map(|f| {
                        let step = step_of(&f);
                        let title = STEPS.iter().find(|(n, _)| *n == step).map(|(_, t)| *t).unwrap_or("");
                        view! {
                            <li class=format!("finding {}", f.severity.as_str())>
                                <span class="sev">{f.severity.as_str()}</span>
                                <span>{f.message.clone()}</span>
                                {f.fix.clone().map(|fix| view! { <small class="fix">{fix}</small> })}
                                <button type="button" class="link-button" on:click=move |_| ctx.go_to(step)>{format!("Fix in step {step}: {title}")}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })
        }}
        <div class="form-grid">
            <div class="field">
                <label for="publish-status">"Publish as"</label>
                <select id="publish-status" prop:value=move || s.with(|s| s.product.status.clone().unwrap_or_default())
                    on:change=move |ev| { let v = event_target_value(&ev); ctx.update(|st| st.product.status = Some(v)); }>
                    {[("active", "Active: ready for consumers"), ("draft", "Draft: visible, not ready yet"), ("proposed", "Proposed: an idea to discuss"), ("deprecated", "Deprecated")]
                        .into_iter().map(|(v, l)| choice(v, l, status)).collect_view()}
                </select>
            </div>
        </div>
        <div class="publish-bar">
            <button type="button" class="button primary" data-testid="publish" disabled=move || { publishing.get() || blocking() > 0 } on:click=publish>
                {move || if publishing.get() { "Publishing…" } else { "Publish" }}
            </button>
            <button type="button" class="button" on:click=move |_| ctx.save_now()>"Save as draft"</button>
            {move || error.get().map(|e| view! { <p class="inline-error" role="alert" data-testid="publish-error">{e.message().to_owned()}</p> })}
        </div>
        <h3>"ODPS data product"</h3>
        <pre class="yaml" data-testid="odps-yaml"><code>{move || yaml.with(|y| y.0.clone())}</code></pre>
        {move || yaml.with(|y| y.1.clone()).into_iter().map(|(id, text)| view! {
            <h3>{format!("ODCS contract {id}")}</h3>
            <pre class="yaml"><code>{text}</code></pre>
        }).collect_view()}
    }
}
