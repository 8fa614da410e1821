//! What every handler can reach: the use cases, the Leptos options and the server settings.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use workbench::Workbench;

#[derive(Clone, Debug)]
pub struct AppState {
    pub workbench: Workbench,
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
}

/// Server settings that are not use-case settings.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Mark cookies `Secure`.
    pub secure_cookies: bool,
    /// Serve no answer from the response cache.
    pub no_read_cache: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}
