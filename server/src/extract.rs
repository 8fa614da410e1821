//! Request extractors that answer bad input in the API's error shape: JSON bodies, ODPS/ODCS
//! document bodies (YAML or JSON), query strings and `If-Match`.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use workbench::SourceDoc;

use crate::error::HttpError;

/// Largest request body accepted anywhere, in bytes.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A JSON body; malformed or mistyped JSON is a 400 (or 415, 413) naming the problem.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> HttpError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => HttpError::new(
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        ),
        JsonRejection::JsonSyntaxError(e) => {
            HttpError::bad_request(format!("malformed JSON: {}", inner(&e)))
        }
        JsonRejection::JsonDataError(e) => HttpError::new(
            "bad_request",
            format!("the JSON does not have the expected shape: {}", inner(&e)),
        ),
        JsonRejection::BytesRejection(e) => bytes_rejection(e),
        other => HttpError::bad_request(other.body_text()),
    }
}

fn inner(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    text
}

fn bytes_rejection(e: BytesRejection) -> HttpError {
    if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
        HttpError::new(
            "payload_too_large",
            format!("the body is larger than {} MiB", BODY_LIMIT / 1024 / 1024),
        )
    } else {
        HttpError::bad_request(format!("the body could not be read: {}", e.body_text()))
    }
}

/// A query string; repeated keys (`tag=a&tag=b`) fill lists; wrong types are a 400.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_html_form::from_str(query)
            .map(ApiQuery)
            .map_err(|e| HttpError::bad_request(format!("query string: {e}")))
    }
}

/// An ODPS or ODCS document in the body, as YAML or JSON (by content, whatever the
/// Content-Type says, since CLIs differ). Kept verbatim for lossless export.
#[derive(Debug)]
pub struct DocumentBody(pub SourceDoc);

impl<S: Send + Sync> FromRequest<S> for DocumentBody {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(bytes_rejection)?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| HttpError::bad_request(format!("the body is not UTF-8 text ({e})")))?;
        Ok(DocumentBody(SourceDoc::parse(text)?))
    }
}

/// The revision in `If-Match: "7"` (also `W/"7"`, `7` and a read's `"7.3fa…"`), or whether `If-None-Match: *` asks
/// for creation only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Preconditions {
    pub if_match: Option<i64>,
    pub create_only: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Preconditions {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let if_match = match parts.headers.get(http::header::IF_MATCH) {
            None => None,
            Some(value) => {
                let text = value.to_str().unwrap_or_default().trim();
                let text = text.trim_start_matches("W/").trim_matches('"');
                // A read's ETag is the revision followed by a digest of what was read ("7.3fa…").
                let revision = text.split_once('.').map_or(text, |(r, _)| r);
                Some(revision.parse::<i64>().map_err(|_| HttpError::bad_request(format!("If-Match must be the ETag of the current revision, such as \"3\" (got {text:?})")))?)
            }
        };
        let create_only = parts
            .headers
            .get(http::header::IF_NONE_MATCH)
            .is_some_and(|v| v.as_bytes() == b"*");
        Ok(Preconditions {
            if_match,
            create_only,
        })
    }
}

/// An ETag for a revision.
pub fn etag(revision: i64) -> http::HeaderValue {
    http::HeaderValue::from_str(&format!("\"{revision}\""))
        .unwrap_or(http::HeaderValue::from_static("\"0\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_strings_repeat_keys_into_lists() {
        let p: views::SearchParams =
            serde_html_form::from_str("q=customer+id&tag=a&tag=b%20c&domain=sales&limit=5")
                .unwrap();
        assert_eq!(p.q.as_deref(), Some("customer id"));
        assert_eq!(p.tag, ["a", "b c"]);
        assert_eq!(p.domain, ["sales"]);
        assert_eq!(p.limit, Some(5));
    }
}
