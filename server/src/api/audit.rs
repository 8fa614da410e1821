//! The audit trail.

use axum::extract::State;
use axum::{Extension, Json};
use views::{AuditView, ErrorBody};
use workbench::Actor;

use crate::api::Limit;
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// The newest changes across the registry (platform admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(Limit),
    responses((status = 200, body = Vec<AuditView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn recent(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(limit): ApiQuery<Limit>,
) -> ApiResult<Json<Vec<AuditView>>> {
    Ok(Json(
        s.workbench
            .recent_audit(&actor, limit.limit.unwrap_or(100))
            .await?,
    ))
}
