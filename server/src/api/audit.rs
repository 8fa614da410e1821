//! The audit trail.

use axum::extract::State;
use axum::{Extension, Json};
use views::{AuditView, ErrorBody, SettingsView};
use workbench::Actor;

use crate::api::Limit;
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Installation-wide settings (platform admins).
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings", responses((status = 200, body = SettingsView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn settings(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<SettingsView>> {
    Ok(Json(s.workbench.settings(&actor).await?))
}

/// Changes the settings, such as whether anonymous people may read the catalog (platform admins).
#[utoipa::path(put, path = "/api/v1/settings", tag = "settings", request_body = SettingsView,
    responses((status = 200, body = SettingsView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_settings(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    crate::extract::ApiJson(input): crate::extract::ApiJson<SettingsView>,
) -> ApiResult<Json<SettingsView>> {
    Ok(Json(s.workbench.update_settings(&actor, &input).await?))
}

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
