//! Signing in and out: JSON for API clients, and plain HTML form posts for the sign-in page, which
//! therefore works before (and without) the WASM.

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use views::{ErrorBody, SessionView, SignInInput};
use workbench::Actor;

use crate::auth::{SESSION_COOKIE, cookie, session_cookie};
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Who is calling.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses((status = 200, body = SessionView)))]
pub async fn me(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<SessionView>> {
    Ok(Json(state.workbench.session_view(&actor).await?))
}

/// Signs in with a username and password; the answer sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignInInput,
    responses((status = 200, body = SessionView), (status = 403, description = "wrong username or password", body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<SignInInput>,
) -> ApiResult<Response> {
    let (secret, actor) = state
        .workbench
        .sign_in(&input.username, &input.password)
        .await?;
    let view = state.workbench.session_view(&actor).await?;
    let cookie = session_cookie(Some(&secret), state.settings.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Json(view)).into_response())
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        state.workbench.sign_out(&secret).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            session_cookie(None, state.settings.secure_cookies),
        )],
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// Only same-site paths are followed after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => String::from("/"),
    }
}

/// The sign-in page's form post.
pub async fn sign_in_form(State(state): State<AppState>, Form(form): Form<SignInForm>) -> Response {
    let next = safe_next(form.next.as_deref());
    match state
        .workbench
        .sign_in(&form.username, &form.password)
        .await
    {
        Ok((secret, _)) => {
            let cookie = session_cookie(Some(&secret), state.settings.secure_cookies);
            ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
        }
        Err(e) => {
            let message: views::ApiError = e.into();
            let target = format!(
                "/signin?error={}&next={}&username={}",
                encode(&message.message),
                encode(&next),
                encode(&form.username)
            );
            Redirect::to(&target).into_response()
        }
    }
}

/// The sign-out button's form post.
pub async fn sign_out_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        let _ = state.workbench.sign_out(&secret).await;
    }
    (
        [(
            header::SET_COOKIE,
            session_cookie(None, state.settings.secure_cookies),
        )],
        Redirect::to("/signin?signed_out=1"),
    )
        .into_response()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/products/x")), "/products/x");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(encode("a b/é"), "a%20b/%C3%A9");
    }
}
