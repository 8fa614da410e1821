//! API tokens: personal tokens and team tokens for CI. The secret is returned once, on creation.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use views::{CreatedToken, ErrorBody, TokenInput, TokenView};
use workbench::Actor;

use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Your tokens and those of the teams you own (all, for admins). Secrets are never listed.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", responses((status = 200, body = Vec<TokenView>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<TokenView>>> {
    Ok(Json(s.workbench.list_tokens(&actor).await?))
}

/// Creates a token for yourself, or with `team_id` for a team you own. The answer holds the
/// secret; it is not stored and cannot be shown again.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = TokenInput,
    responses((status = 201, body = CreatedToken), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.workbench.create_token(&actor, &input).await?),
    ))
}

/// Revokes a token at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.workbench.revoke_token(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
