//! The registration wizard: six steps from a name to a published data product with contracts,
//! validated as the user types (in the browser, with the same rules as the server) and again on
//! the server, saved as a draft while they work, usable with the keyboard alone. Editing a product
//! opens the same wizard, filled in.

mod basics;
mod check;
mod ctx;
mod inputs;
mod ports;
mod review;
mod schema;
mod sla;
pub mod state;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::wizard::{WizardSetup, wizard_start};
use crate::components::states::{EmptyState, ErrorPanel, Skeleton};
use ctx::{SaveStatus, WizardCtx};
use state::STEPS;

/// `/register` (and `/register?draft=…`).
#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map();
    let start = Resource::new(
        move || query.with(|q| q.get("draft")),
        |draft| wizard_start(draft, None),
    );
    let fresh = move || query.with(|q| q.get("draft").is_none());
    view! {
        <Title text="Register a data product"/>
        {move || fresh().then(|| view! { <Drafts/> })}
        <WizardLoader start=start/>
    }
}

/// The user's unfinished registrations, to pick up where they left off.
#[component]
fn Drafts() -> impl IntoView {
    let discard = ServerAction::<crate::api::wizard::DeleteDraft>::new();
    let drafts = Resource::new(
        move || discard.version().get(),
        |_| crate::api::wizard::list_drafts(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = drafts.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="panel drafts" aria-label="Unfinished registrations">
                        <h2>"Continue where you left off"</h2>
                        <ul class="link-list">
                            {list.into_iter().map(|d| {
                                let href = match &d.product_id {
                                    Some(id) => format!("/products/{id}/edit?draft={}", d.id),
                                    None => format!("/register?draft={}", d.id),
                                };
                                view! {
                                    <li>
                                        <a href=href rel="external">{d.title.clone()}</a>
                                        <small class="muted">" · saved "<crate::time::RelTime ts=d.updated_at.clone()/></small>
                                        <ActionForm action=discard attr:class="inline-form">
                                            <input type="hidden" name="id" value=d.id.clone()/>
                                            <crate::components::confirm::ConfirmSubmit label="Discard" class="link-button small" testid="discard-draft"
                                                consequence=format!("Discard the draft \u{201c}{}\u{201d}? What it holds is deleted and cannot be brought back.", d.title)/>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Transition>
    }
}

/// `/products/:id/edit`.
#[component]
pub fn EditProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let start = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                query.with(|q| q.get("draft")),
            )
        },
        |(id, draft)| wizard_start(draft, Some(id)),
    );
    view! {
        <Title text="Edit data product"/>
        <WizardLoader start=start/>
    }
}

#[component]
fn WizardLoader(start: Resource<Result<WizardSetup, crate::error::UiError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <Skeleton rows=8/> }>
            {move || Suspend::new(async move {
                match start.await {
                    Ok(s) if !s.signed_in => view! {
                        <EmptyState title="Sign in to register data products">
                            <p>"Data products belong to teams. "<a href="/signin?next=/register">"Sign in"</a>" to register one for your team."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(s) if s.teams.is_empty() => view! {
                        <EmptyState title="You are not in a team yet">
                            <p>"Data products are owned by teams. Ask a team owner or a platform admin to add you to your team, then come back."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(s) => view! { <Wizard start=s/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Wizard(start: WizardSetup) -> impl IntoView {
    let ctx = WizardCtx::new(&start);
    provide_context(ctx);
    ctx.start_autosave();
    let editing = start.state.editing.clone();
    let heading = match &editing {
        Some(id) => format!("Edit {id}"),
        None => String::from("Register a data product"),
    };
    let step = Memo::new(move |_| ctx.state.with(|s| s.step.clamp(1, 6)));
    let go = move |n: u8| ctx.go_to(n);
    view! {
        <div class="wizard" data-testid="wizard">
            <div class="page-header">
                <div>
                    <h1>{heading}</h1>
                    <p class="lead">"Describe the product, its output ports and their contracts, its service levels and where its data comes from."</p>
                </div>
                <SaveIndicator/>
            </div>
            <nav class="stepper" aria-label="Wizard steps">
                <ol>
                    {STEPS.iter().map(|(n, title)| {
                        let n = *n;
                        let errors = move || ctx.findings().iter().filter(|f| f.is_error() && state::step_of(f) == n).count();
                        view! {
                            <li class:current=move || step.get() == n class:done=move || { step.get() > n && errors() == 0 }>
                                <button type="button" on:click=move |_| go(n) aria-current=move || if step.get() == n { Some("step") } else { None }
                                    data-step=n>
                                    <span class="step-number" aria-hidden="true">{n}</span>
                                    <span class="step-title">{*title}</span>
                                    {move || (errors() > 0).then(|| view! { <span class="step-errors" title="Problems to fix">{errors()}</span> })}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </nav>
            <section class="wizard-body panel" aria-live="polite">
                {move || match step.get() {
                    1 => view! { <basics::Basics/> }.into_any(),
                    2 => view! { <ports::Ports/> }.into_any(),
                    3 => view! { <schema::Contracts/> }.into_any(),
                    4 => view! { <sla::SlaAndQuality/> }.into_any(),
                    5 => view! { <inputs::Inputs/> }.into_any(),
                    _ => view! { <review::Review/> }.into_any(),
                }}
                {move || (step.get() < 6).then(|| view! { <StepFindings step=step.get()/> })}
            </section>
            <footer class="wizard-nav">
                <button type="button" class="button" disabled=move || step.get() == 1 on:click=move |_| go(step.get().saturating_sub(1))>"← Back"</button>
                <span class="muted">{move || format!("Step {} of 6", step.get())}</span>
                {move || (step.get() < 6).then(|| view! {
                    <button type="button" class="button primary" data-testid="wizard-next" on:click=move |_| go(step.get() + 1)>"Next →"</button>
                })}
            </footer>
        </div>
    }
}

/// The problems of one step that no field on it shows (each field shows its own), once the user
/// has tried to leave the step.
#[component]
fn StepFindings(step: u8) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    view! {
        {move || {
            let list = check::unclaimed(&ctx, step);
            (!list.is_empty()).then(|| view! {
                <div class="findings" role="status" data-testid="step-findings">
                    <h3>{if list.len() == 1 { String::from("1 more thing to check on this step") } else { format!("{} more things to check on this step", list.len()) }}</h3>
                    <ul>
                        {list.into_iter().map(|f| view! {
                            <li class=format!("finding {}", f.severity.as_str())>
                                <span class="sev">{f.severity.as_str()}</span>
                                <span>{f.message.clone()}</span>
                                {f.fix.clone().map(|fix| view! { <small class="fix">{fix}</small> })}
                                <code class="where">{format!("{} {}", if f.document == "product" { "product" } else { "contract" }, if f.path.is_empty() { "/" } else { f.path.as_str() })}</code>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            })
        }}
    }
}

#[component]
fn SaveIndicator() -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    view! {
        <div class="save-indicator" role="status" data-testid="save-status">
            {move || match ctx.save.get() {
                SaveStatus::Idle => view! { <span class="muted">"Changes are saved as a draft while you work"</span> }.into_any(),
                SaveStatus::Pending | SaveStatus::Saving => view! { <span class="muted">"Saving draft…"</span> }.into_any(),
                SaveStatus::Saved => view! { <span class="ok">"✓ Draft saved"</span> }.into_any(),
                SaveStatus::Failed(message) => view! { <span class="inline-error">{format!("Draft not saved: {message}")}</span> }.into_any(),
            }}
            <button type="button" class="button small" on:click=move |_| ctx.save_now()>"Save draft"</button>
        </div>
    }
}
