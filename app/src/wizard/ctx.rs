//! The wizard's shared state, handed to every step through context: the state itself, draft
//! bookkeeping, and findings from the browser's checks and the server's.

use domain::Finding;
use leptos::prelude::*;
use views::{IdCheck, WizardState};

use super::check::Checks;
use crate::api::wizard::WizardSetup;
use crate::wizard::state::local_findings;

// The browser build sets every state; the server only renders the first.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
pub enum SaveStatus {
    Idle,
    Pending,
    Saving,
    Saved,
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct WizardCtx {
    pub state: RwSignal<WizardState>,
    /// Bumped when rows are added, removed or reordered, so lists re-render; typing does not,
    /// so the focused input keeps its focus.
    pub layout: RwSignal<u32>,
    pub draft_id: RwSignal<Option<String>>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub draft_revision: RwSignal<Option<i64>>,
    pub save: RwSignal<SaveStatus>,
    /// The server's findings for the current state (`None` until it has answered).
    pub server_findings: RwSignal<Option<Vec<Finding>>>,
    pub local: Memo<Vec<Finding>>,
    pub teams: StoredValue<Vec<(String, String, String)>>,
    pub domains: StoredValue<Vec<(String, String, String)>>,
    pub published: RwSignal<bool>,
    pub id_check: RwSignal<Option<IdCheck>>,
    /// Which fields' problems are shown (see `check`).
    pub checks: Checks,
}

impl WizardCtx {
    pub fn new(start: &WizardSetup) -> WizardCtx {
        let state = RwSignal::new(start.state.clone());
        WizardCtx {
            state,
            layout: RwSignal::new(0),
            draft_id: RwSignal::new(start.draft_id.clone()),
            draft_revision: RwSignal::new(start.draft_revision),
            save: RwSignal::new(SaveStatus::Idle),
            server_findings: RwSignal::new(None),
            local: Memo::new(move |_| state.with(local_findings)),
            teams: StoredValue::new(start.teams.clone()),
            domains: StoredValue::new(start.domains.clone()),
            published: RwSignal::new(false),
            id_check: RwSignal::new(None),
            checks: Checks::new(),
        }
    }

    /// Changes the state.
    pub fn update(&self, f: impl FnOnce(&mut WizardState)) {
        self.state.update(f);
    }

    /// Changes the state's structure (rows added, removed, moved).
    pub fn restructure(&self, f: impl FnOnce(&mut WizardState)) {
        self.state.update(f);
        self.layout.update(|n| *n += 1);
    }

    /// Every finding: the server's where it has answered, plus the browser's own.
    pub fn findings(&self) -> Vec<Finding> {
        let mut all = self.local.get();
        if let Some(server) = self.server_findings.get() {
            for f in server {
                if !all
                    .iter()
                    .any(|a| a.document == f.document && a.path == f.path && a.message == f.message)
                {
                    all.push(f);
                }
            }
        }
        all
    }

    pub fn go_to(&self, step: u8) {
        // Leaving a step shows all of its problems from then on.
        self.checks
            .attempt(self.state.with_untracked(|s| s.step.clamp(1, 6)));
        let step = step.clamp(1, 6);
        self.update(|s| s.step = step);
        #[cfg(feature = "hydrate")]
        if let Some(main) = document().get_element_by_id("main") {
            main.scroll_into_view();
        }
    }

    /// Saves at once (the "Save draft" button).
    pub fn save_now(&self) {
        #[cfg(feature = "hydrate")]
        self.persist(self.state.get_untracked());
    }

    /// Autosave and server validation, one second after the last change.
    pub fn start_autosave(&self) {
        #[cfg(feature = "hydrate")]
        {
            let ctx = *self;
            let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
            // What the wizard opened with. Moving between steps changes only `step`; a new
            // registration becomes a draft with its first real edit, not with the first visit.
            let opened = StoredValue::new(content(&ctx.state.get_untracked()));
            Effect::watch(
                move || ctx.state.get(),
                move |current, _, _| {
                    if ctx.published.get_untracked() {
                        return;
                    }
                    if ctx.draft_id.get_untracked().is_none()
                        && opened.with_value(|o| *o == content(current))
                    {
                        return;
                    }
                    if let Some(handle) = timer.get_value() {
                        handle.clear();
                    }
                    ctx.save.set(SaveStatus::Pending);
                    let current = current.clone();
                    let handle = set_timeout_with_handle(
                        move || ctx.persist(current),
                        std::time::Duration::from_millis(900),
                    )
                    .ok();
                    timer.set_value(handle);
                },
                false,
            );
            // Check with the server once at the start, so an edit shows its findings at once.
            ctx.validate(ctx.state.get_untracked());
        }
    }

    #[cfg(feature = "hydrate")]
    fn validate(&self, state: WizardState) {
        let ctx = *self;
        leptos::task::spawn_local(async move {
            if let Ok(findings) = crate::api::wizard::validate_wizard(state).await {
                ctx.server_findings.set(Some(findings));
            }
        });
    }

    #[cfg(feature = "hydrate")]
    fn persist(&self, state: WizardState) {
        let ctx = *self;
        if ctx.published.get_untracked() {
            return;
        }
        ctx.validate(state.clone());
        leptos::task::spawn_local(async move {
            ctx.save.set(SaveStatus::Saving);
            let mut revision = ctx.draft_revision.get_untracked();
            // One retry: another save of this same draft (say, a second tab) may have got in first.
            for _ in 0..2 {
                match crate::api::wizard::save_draft(
                    ctx.draft_id.get_untracked(),
                    revision,
                    state.clone(),
                )
                .await
                {
                    Ok(draft) => {
                        let first = ctx.draft_id.get_untracked().is_none();
                        ctx.draft_id.set(Some(draft.id.clone()));
                        ctx.draft_revision.set(Some(draft.revision));
                        ctx.save.set(SaveStatus::Saved);
                        if first {
                            remember_draft_in_url(&draft.id);
                        }
                        return;
                    }
                    Err(e) if e.code() == "conflict" && e.0.current_revision.is_some() => {
                        revision = e.0.current_revision
                    }
                    Err(e) => {
                        ctx.save.set(SaveStatus::Failed(e.message().to_owned()));
                        return;
                    }
                }
            }
            ctx.save.set(SaveStatus::Failed(String::from(
                "the draft was changed in another window; reload to continue there",
            )));
        });
    }
}

/// The state without the step shown: what a draft is worth saving for.
#[cfg(feature = "hydrate")]
fn content(state: &WizardState) -> WizardState {
    WizardState {
        step: 0,
        ..state.clone()
    }
}

/// Puts `?draft=<id>` into the address without navigating, so a reload reopens the draft.
#[cfg(feature = "hydrate")]
fn remember_draft_in_url(id: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}?draft={id}")),
        );
    }
}

/// An `<option>` that is selected while `current()` equals its value. Selects need this rather
/// than `prop:value` alone: an element's properties are set before its children exist, so a
/// select built on the client would otherwise show its first option.
pub fn choice(
    value: impl Into<String>,
    label: impl Into<String>,
    current: impl Fn() -> String + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let value = value.into();
    let (a, b) = (value.clone(), value.clone());
    let again = current.clone();
    view! { <option value=value selected=move || current() == a prop:selected=move || again() == b>{label.into()}</option> }
}
