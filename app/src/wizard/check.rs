//! Findings shown at the field they are about: a field's problems appear under it (with
//! `aria-invalid` and `aria-describedby`) once the user has left the field, or once they pressed
//! Next on its step, never on an untouched form. The browser's own checks run as the user types,
//! so a problem shows the moment the field is left. Findings that no field on the step claims
//! (a schema-level problem, say) are listed under the step instead.

use std::collections::HashSet;
use std::sync::Arc;

use domain::Finding;
use leptos::prelude::*;

use super::ctx::WizardCtx;
use super::state::step_of;

/// Which document a field edits: the product, or the contract of the output port at an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Doc {
    Product,
    Contract(usize),
}

/// The step whose form holds the field at `path` in `doc`.
fn step_at(doc: Doc, path: &str) -> u8 {
    let probe = Finding {
        document: match doc {
            Doc::Product => String::from("product"),
            Doc::Contract(_) => String::from("contract:"),
        },
        path: path.to_owned(),
        ..Finding::error("", "", "")
    };
    step_of(&probe)
}

/// The key of the field at `path` in `doc`.
pub fn key_of(doc: Doc, path: &str) -> String {
    key(doc, path)
}

fn key(doc: Doc, path: &str) -> String {
    match doc {
        Doc::Product => format!("p:{path}"),
        Doc::Contract(i) => format!("c{i}:{path}"),
    }
}

/// A finding's key, the same as that of the field it is about.
pub fn finding_key(contract_ids: &[String], f: &Finding) -> Option<String> {
    if f.document == "product" {
        return Some(key(Doc::Product, &f.path));
    }
    let id = f.document.strip_prefix("contract:")?;
    let i = contract_ids.iter().position(|c| c == id)?;
    Some(key(Doc::Contract(i), &f.path))
}

/// `finding` belongs to the field `field` (the same pointer, or one inside it: `/tags` holds
/// `/tags/2`).
fn belongs(finding: &str, field: &str) -> bool {
    finding == field
        || (finding.starts_with(field) && finding.as_bytes().get(field.len()) == Some(&b'/'))
}

/// The state that decides what is shown: fields left, steps the user tried to leave with Next,
/// and the fields on screen (so that the step can list the findings none of them shows).
#[derive(Clone, Copy)]
pub struct Checks {
    touched: RwSignal<HashSet<String>>,
    attempted: RwSignal<HashSet<u8>>,
    on_screen: RwSignal<Vec<(u64, KeyFn)>>,
    next_id: StoredValue<u64>,
}

/// A field's key, worked out from the current state (an SLA property's index can change).
type KeyFn = Arc<dyn Fn() -> String + Send + Sync>;

impl Checks {
    pub fn new() -> Checks {
        Checks {
            touched: RwSignal::new(HashSet::new()),
            attempted: RwSignal::new(HashSet::new()),
            on_screen: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    /// The user pressed Next (or jumped away) on `step`: show all its problems from now on.
    pub fn attempt(&self, step: u8) {
        if !self.attempted.with_untracked(|a| a.contains(&step)) {
            self.attempted.update(|a| {
                a.insert(step);
            });
        }
    }

    pub fn attempted(&self, step: u8) -> bool {
        self.attempted.with(|a| a.contains(&step))
    }
}

/// The findings of `step` that no field on screen shows, once the step was attempted.
pub fn unclaimed(ctx: &WizardCtx, step: u8) -> Vec<Finding> {
    if !ctx.checks.attempted(step) {
        return Vec::new();
    }
    let ids: Vec<String> = ctx
        .state
        .with(|s| s.contracts.iter().map(|c| c.id.clone()).collect());
    let on_screen: Vec<String> = ctx
        .checks
        .on_screen
        .with(|fields| fields.iter().map(|(_, key)| key()).collect());
    ctx.findings()
        .into_iter()
        .filter(|f| step_of(f) == step)
        .filter(|f| {
            let Some(k) = finding_key(&ids, f) else {
                return true;
            };
            !on_screen.iter().any(|field| belongs(&k, field))
        })
        .collect()
}

/// One field's checks: give the input `aria-invalid`, `aria-describedby` and `on:blur` from
/// here, and put a [`FieldMessage`] under it.
#[derive(Clone)]
pub struct FieldCheck {
    ctx: WizardCtx,
    /// The input's id; the message is `<id>-error`.
    id: Arc<str>,
    help: Option<Arc<str>>,
    key: KeyFn,
    step: u8,
}

impl FieldCheck {
    /// The field at `path` (a JSON Pointer) in `doc`.
    pub fn new(ctx: WizardCtx, id: impl Into<String>, doc: Doc, path: impl Into<String>) -> Self {
        let path = path.into();
        let step = step_at(doc, &path);
        let key = key(doc, &path);
        FieldCheck::dynamic(ctx, id, step, move || key.clone())
    }

    /// A field whose key is worked out from the state each time (see [`key_of`]).
    pub fn dynamic(
        ctx: WizardCtx,
        id: impl Into<String>,
        step: u8,
        key: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        let key: KeyFn = Arc::new(key);
        let checks = ctx.checks;
        let serial = checks.next_id.get_value();
        checks.next_id.set_value(serial + 1);
        checks.on_screen.update(|v| v.push((serial, key.clone())));
        on_cleanup(move || {
            checks
                .on_screen
                .try_update(|v| v.retain(|(s, _)| *s != serial));
        });
        FieldCheck {
            ctx,
            id: id.into().into(),
            help: None,
            key,
            step,
        }
    }

    /// The id of a help text the input is also described by.
    pub fn help(mut self, id: &str) -> Self {
        self.help = Some(id.into());
        self
    }

    fn messages(&self) -> Vec<Finding> {
        let key = (self.key)();
        let shown = self.ctx.checks.attempted(self.step)
            || self
                .ctx
                .checks
                .touched
                .with(|t| t.contains(&self.id.to_string()));
        if !shown {
            return Vec::new();
        }
        let ids: Vec<String> = self
            .ctx
            .state
            .with(|s| s.contracts.iter().map(|c| c.id.clone()).collect());
        self.ctx
            .findings()
            .into_iter()
            .filter(|f| finding_key(&ids, f).is_some_and(|k| belongs(&k, &key)))
            .collect()
    }

    /// `aria-invalid`: "true" while an error is shown.
    pub fn invalid(&self) -> impl Fn() -> Option<&'static str> + Send + Sync + Clone + use<> {
        let this = self.clone();
        move || {
            this.messages()
                .iter()
                .any(Finding::is_error)
                .then_some("true")
        }
    }

    /// `aria-describedby`: the help text, and the message once there is one.
    pub fn described_by(&self) -> impl Fn() -> Option<String> + Send + Sync + Clone + use<> {
        let this = self.clone();
        move || {
            let error = (!this.messages().is_empty()).then(|| format!("{}-error", this.id));
            match (this.help.as_deref(), error) {
                (Some(h), Some(e)) => Some(format!("{h} {e}")),
                (Some(h), None) => Some(h.to_owned()),
                (None, e) => e,
            }
        }
    }

    /// `on:blur`: the field was left.
    pub fn blur(&self) -> impl Fn(leptos::ev::FocusEvent) + Clone + use<> {
        // Touched is remembered by the input's id, which stays put while a key may move.
        let (touched, id) = (self.ctx.checks.touched, self.id.clone());
        move |_| {
            if !touched.with_untracked(|t| t.contains(&*id)) {
                touched.update(|t| {
                    t.insert(id.to_string());
                });
            }
        }
    }
}

/// The problems of one field, under it.
#[component]
pub fn FieldMessage(check: FieldCheck) -> impl IntoView {
    let id = format!("{}-error", check.id);
    move || {
        let list = check.messages();
        (!list.is_empty()).then(|| {
            let error = list.iter().any(Finding::is_error);
            view! {
                <small id=id.clone() class=if error { "field-error" } else { "field-warning" } role="alert">
                    {list.into_iter().map(|f| view! {
                        <span>{f.message}{f.fix.map(|fix| view! { <span class="fix">{format!(" — {fix}")}</span> })}</span>
                    }).collect_view()}
                </small>
            }
        })
    }
}

/// Puts the keyboard focus on the element with `id` once the view has caught up with a change
/// (a row just added), so that what the user types next lands in it.
pub fn focus_soon(id: String) {
    #[cfg(feature = "hydrate")]
    {
        let focus = move || {
            use wasm_bindgen::JsCast;
            if let Some(el) = document()
                .get_element_by_id(&id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
                // A new port or field comes with a suggested name: selected, so typing replaces it.
                if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                    input.select();
                }
            }
        };
        request_animation_frame(focus);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_belong_to_their_field_and_fields_inside_it() {
        assert!(belongs("p:/tags/2", "p:/tags"));
        assert!(belongs("p:/name", "p:/name"));
        assert!(!belongs("p:/names", "p:/name"));
        assert!(!belongs("p:/name", "p:/tags"));
    }

    #[test]
    fn contract_findings_are_keyed_by_the_port_they_belong_to() {
        let ids = vec![String::from("urn:a"), String::from("urn:b")];
        let mut f = Finding::error("name", "/schema/0/name", "x");
        f.document = String::from("contract:urn:b");
        assert_eq!(finding_key(&ids, &f).as_deref(), Some("c1:/schema/0/name"));
        f.document = String::from("contract:urn:gone");
        assert_eq!(finding_key(&ids, &f), None);
    }
}
