//! The error type of every server function: the API's error shape, so the UI can show the same
//! message and findings as the REST API.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use views::ApiError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UiError(pub ApiError);

impl FromServerFnError for UiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let code = match value {
            ServerFnErrorErr::Request(_) => "unavailable",
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => "bad_request",
            _ => "internal",
        };
        UiError(ApiError::new(code, value.to_string()))
    }
}

impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for UiError {}

impl UiError {
    pub fn message(&self) -> &str {
        &self.0.message
    }
    pub fn code(&self) -> &str {
        &self.0.code
    }
}

#[cfg(feature = "ssr")]
impl From<workbench::WorkbenchError> for UiError {
    fn from(e: workbench::WorkbenchError) -> UiError {
        UiError(e.into())
    }
}

pub type UiResult<T> = Result<T, UiError>;
