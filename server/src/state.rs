//! What every handler can reach: the use cases, the Leptos options and the server settings.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use workbench::Workbench;

/// Shared by every handler and middleware; extracting it (`State<AppState>`) on every request
/// costs one reference count, not a copy of the options and the use cases.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    pub workbench: Workbench,
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
}

impl AppState {
    pub fn new(
        workbench: Workbench,
        leptos_options: LeptosOptions,
        settings: Arc<Settings>,
    ) -> AppState {
        AppState(Arc::new(Shared {
            workbench,
            leptos_options,
            settings,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
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
