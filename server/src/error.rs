//! The one error response of the HTTP API: a status and `{"error": {code, message, findings,
//! current_revision}}`. Internal details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use views::{ApiError, ErrorBody};
use workbench::WorkbenchError;

/// An error on its way to the client.
#[derive(Debug)]
pub struct HttpError(pub ApiError);

impl HttpError {
    pub fn new(code: &str, message: impl Into<String>) -> HttpError {
        HttpError(ApiError::new(code, message))
    }
    pub fn bad_request(message: impl Into<String>) -> HttpError {
        HttpError::new("bad_request", message)
    }
    pub fn not_found(message: impl Into<String>) -> HttpError {
        HttpError::new("not_found", message)
    }
}

impl From<WorkbenchError> for HttpError {
    fn from(e: WorkbenchError) -> HttpError {
        HttpError(e.into())
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(ErrorBody { error: self.0 })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                http::HeaderValue::from_static("Bearer realm=\"meshwork\""),
            );
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            // The database watchdog pings every half second: asking again soon is worth it.
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, HttpError>;

/// Unknown paths under `/api`.
pub async fn api_not_found(uri: http::Uri) -> HttpError {
    HttpError::not_found(format!(
        "no API endpoint at {}; see /api/openapi.json",
        uri.path()
    ))
}

/// A known path with a method it does not support.
pub async fn method_not_allowed(method: http::Method, uri: http::Uri) -> HttpError {
    HttpError::new(
        "method_not_allowed",
        format!(
            "{method} is not supported on {}; see /api/openapi.json",
            uri.path()
        ),
    )
}
