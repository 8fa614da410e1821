//! Empty states, loading skeletons and error panels: every list says what to do when it is empty,
//! every wait shows a skeleton, every error says what happened and what to do.

use leptos::prelude::*;

use crate::error::UiError;

#[component]
pub fn EmptyState(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <h3>{title}</h3>
            <div class="empty-body">{children()}</div>
        </div>
    }
}

/// Grey placeholder rows while data loads.
#[component]
pub fn Skeleton(#[prop(default = 3)] rows: usize) -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading">
            {(0..rows).map(|_| view! { <div class="skeleton-row"></div> }).collect_view()}
        </div>
    }
}

/// What went wrong, with a way forward for the common cases.
#[component]
pub fn ErrorPanel(error: UiError) -> impl IntoView {
    // A page that cannot be shown says so in its status too (pages render in `SsrMode::Async`,
    // so the status is set before the head of the response is sent).
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let status = match error.code() {
            "not_found" => Some(http::StatusCode::NOT_FOUND),
            "forbidden" => Some(http::StatusCode::FORBIDDEN),
            "unauthenticated" => Some(http::StatusCode::UNAUTHORIZED),
            "unavailable" => Some(http::StatusCode::SERVICE_UNAVAILABLE),
            _ => None,
        };
        if let Some(status) = status {
            response.set_status(status);
        }
    }
    let hint = match error.code() {
        "unauthenticated" => {
            Some(view! { <p><a href="/signin">"Sign in"</a>" to see this page."</p> }.into_any())
        }
        "not_found" => Some(view! { <p><a href="/">"Back to the catalog"</a></p> }.into_any()),
        "forbidden" => {
            Some(view! { <p>"Ask an owner of the team, or a platform admin."</p> }.into_any())
        }
        _ => None,
    };
    let title = match error.code() {
        "unauthenticated" => "Please sign in",
        "not_found" => "Not found",
        "forbidden" => "Not allowed",
        _ => "Something went wrong",
    };
    view! {
        <div class="error-panel" role="alert">
            <h2>{title}</h2>
            <p>{error.message().to_owned()}</p>
            {hint}
        </div>
    }
}
