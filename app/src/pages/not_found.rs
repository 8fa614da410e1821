//! The page for addresses that lead nowhere.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <div class="error-panel">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. "<a href="/">"Go to the catalog"</a>" or use the search above."</p>
        </div>
    }
}
