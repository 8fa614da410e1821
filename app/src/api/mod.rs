//! Server functions: the UI's calls to the server. Each one reads the caller from the request
//! (resolved once by the server's authentication middleware) and calls a `workbench` use case.

pub mod catalog;
pub mod directory;
pub mod lineage;
pub mod session;
pub mod wizard;

/// Server-side helpers shared by the server functions.
#[cfg(feature = "ssr")]
pub mod ssr {
    use leptos::prelude::*;
    use workbench::{Actor, Workbench};

    use crate::error::UiError;

    /// The use cases, provided by the server for every request.
    pub fn workbench() -> Result<Workbench, UiError> {
        use_context::<Workbench>().ok_or_else(|| {
            UiError(views::ApiError::new(
                "internal",
                "the workbench is not available",
            ))
        })
    }

    /// The caller, as the authentication middleware resolved it.
    pub async fn actor() -> Result<(Workbench, Actor), UiError> {
        let wb = workbench()?;
        let from_request = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Actor>().cloned());
        let actor = match from_request {
            Some(a) => a,
            None => wb.anonymous().await,
        };
        Ok((wb, actor))
    }
}
