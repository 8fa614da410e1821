//! Registration wizard drafts, private to the person who wrote them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use views::{DraftInput, DraftView, ErrorBody};
use workbench::Actor;

use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/drafts", tag = "drafts", responses((status = 200, body = Vec<DraftView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<DraftView>>> {
    Ok(Json(s.workbench.list_drafts(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/drafts", tag = "drafts", request_body = DraftInput,
    responses((status = 201, body = DraftView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<DraftInput>,
) -> ApiResult<(StatusCode, Json<DraftView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.workbench.save_draft(&actor, None, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/drafts/{id}", tag = "drafts", params(("id" = String, Path, description = "Draft id")),
    responses((status = 200, body = DraftView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<DraftView>> {
    Ok(Json(s.workbench.get_draft(&actor, &id).await?))
}

/// Replaces a draft; send the `revision` you read to avoid overwriting another tab's save.
#[utoipa::path(put, path = "/api/v1/drafts/{id}", tag = "drafts", params(("id" = String, Path, description = "Draft id")), request_body = DraftInput,
    responses((status = 200, body = DraftView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn save(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DraftInput>,
) -> ApiResult<Json<DraftView>> {
    if uuid_like(&id).is_err() {
        return Err(crate::error::HttpError::bad_request(
            "draft ids are UUIDs; create drafts with POST /api/v1/drafts",
        ));
    }
    Ok(Json(
        s.workbench.save_draft(&actor, Some(&id), &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/drafts/{id}", tag = "drafts", params(("id" = String, Path, description = "Draft id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.workbench.delete_draft(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn uuid_like(id: &str) -> Result<(), ()> {
    let ok = id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if ok { Ok(()) } else { Err(()) }
}
