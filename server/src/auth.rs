//! Who is calling: a middleware resolves the session cookie or API token once per request into a
//! `workbench::Actor`, which handlers and server functions read from the request extensions.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::HeaderMap;
use workbench::{Actor, WorkbenchError};

use crate::error::HttpError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = app::SESSION_COOKIE;

/// Resolves the caller and stores the `Actor` in the request. A token that is presented but not
/// valid is refused with 401 (so CI pipelines notice); a stale session cookie just means
/// anonymous.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    match resolve(&state, req.headers()).await {
        Ok(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        Err(e) => HttpError::from(e).into_response(),
    }
}

async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Actor, WorkbenchError> {
    let wb = &state.workbench;
    if let Some(secret) = presented_token(headers) {
        return match wb.authenticate_token(&secret).await? {
            Some(actor) => Ok(actor),
            None => Err(WorkbenchError::Unauthenticated),
        };
    }
    if let Some(secret) = cookie(headers, SESSION_COOKIE)
        && let Some(actor) = wb.authenticate_session(&secret).await?
    {
        return Ok(actor);
    }
    Ok(wb.anonymous().await)
}

/// The token from `Authorization: Bearer …` or `x-api-key: …`.
pub fn presented_token(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let value = value.trim();
        if let Some(token) = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
        {
            return Some(token.trim().to_owned());
        }
    }
    headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The `Set-Cookie` value that opens (or, with `None`, ends) a session.
pub fn session_cookie(secret: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match secret {
        Some(s) => format!(
            "{SESSION_COOKIE}={s}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            workbench::SESSION_DAYS * 24 * 3600
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_from_either_header() {
        let mut h = HeaderMap::new();
        h.insert("x-api-key", "abc".parse().unwrap());
        assert_eq!(presented_token(&h).as_deref(), Some("abc"));
        h.insert(http::header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(presented_token(&h).as_deref(), Some("xyz"));
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; meshwork_session=s3cret; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("s3cret"));
        assert!(session_cookie(Some("x"), false).contains("HttpOnly; SameSite=Lax"));
    }
}
