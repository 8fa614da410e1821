//! Destructive actions asked twice. The first press opens a confirmation in place that says what
//! the action affects and whether it can be undone; only its own button submits the surrounding
//! form, and Cancel (or Escape) closes it again.

use leptos::prelude::*;

/// A submit button for a destructive action, inside a form (an `ActionForm` or a plain one).
#[component]
pub fn ConfirmSubmit(
    /// The action, as the button says it ("Retire").
    #[prop(into)]
    label: String,
    /// What it affects, in a sentence or two.
    #[prop(into)]
    consequence: String,
    /// A name for tests and styling.
    #[prop(optional, into)]
    testid: String,
    /// Extra classes of the first button.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    let open = RwSignal::new(false);
    // The confirming button takes the focus when it appears, so Enter confirms and Tab reaches
    // Cancel; `autofocus` works only on page load.
    let yes = NodeRef::<leptos::html::Button>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        if open.get()
            && let Some(button) = yes.get()
        {
            let _ = button.focus();
        }
    });
    let confirm = format!("Yes, {}", label.to_lowercase());
    let first_class = format!("{class} danger");
    let (first_label, testid_first, testid_box) =
        (label.clone(), testid.clone(), format!("{testid}-confirm"));
    view! {
        <span class="confirm">
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class=first_class.clone() data-testid=testid_first.clone()
                        aria-haspopup="dialog" on:click=move |_| open.set(true)>{first_label.clone()}</button>
                }
            >
                <span class="confirm-box" role="alertdialog" aria-label=label.clone() data-testid=testid_box.clone()
                    on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }>
                    <span class="confirm-text">{consequence.clone()}</span>
                    <button type="submit" class="button small danger" node_ref=yes>{confirm.clone()}</button>
                    <button type="button" class="button small" on:click=move |_| open.set(false)>"Cancel"</button>
                </span>
            </Show>
        </span>
    }
}
