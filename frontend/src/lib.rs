//! The browser entry point: hydrates the server-rendered page with the `app` components.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Reached only when hydration succeeded: end-to-end tests wait for this marker before
    // interacting, and a hydration error leaves it unset.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
