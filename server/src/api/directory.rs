//! Domains, teams (and their members) and users.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use views::{
    DomainDetail, DomainInput, DomainView, ErrorBody, MemberInput, MemberView, TeamDetail,
    TeamInput, TeamView, UserInput, UserView,
};
use workbench::Actor;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Preconditions};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/domains", tag = "domains", responses((status = 200, body = Vec<DomainView>), (status = 401, body = ErrorBody)))]
pub async fn list_domains(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<DomainView>>> {
    Ok(Json(s.workbench.list_domains(&actor).await?))
}

/// Creates a domain (platform admins).
#[utoipa::path(post, path = "/api/v1/domains", tag = "domains", request_body = DomainInput,
    responses((status = 201, body = DomainView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_domain(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<DomainInput>,
) -> ApiResult<(StatusCode, Json<DomainView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.workbench.create_domain(&actor, &input).await?),
    ))
}

/// A domain with its sub-domains, teams and products.
#[utoipa::path(get, path = "/api/v1/domains/{id}", tag = "domains", params(("id" = String, Path, description = "Domain id")),
    responses((status = 200, body = DomainDetail), (status = 404, body = ErrorBody)))]
pub async fn get_domain(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<DomainDetail>> {
    Ok(Json(s.workbench.domain_detail(&actor, &id).await?))
}

/// Changes a domain (platform admins). `If-Match` guards against concurrent edits.
#[utoipa::path(put, path = "/api/v1/domains/{id}", tag = "domains", params(("id" = String, Path, description = "Domain id")), request_body = DomainInput,
    responses((status = 200, body = DomainView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_domain(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    pre: Preconditions,
    ApiJson(input): ApiJson<DomainInput>,
) -> ApiResult<Json<DomainView>> {
    Ok(Json(
        s.workbench
            .update_domain(&actor, &id, &input, pre.if_match)
            .await?,
    ))
}

/// Deletes a domain without teams, products or sub-domains (platform admins).
#[utoipa::path(delete, path = "/api/v1/domains/{id}", tag = "domains", params(("id" = String, Path, description = "Domain id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_domain(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.workbench.delete_domain(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", responses((status = 200, body = Vec<TeamView>), (status = 401, body = ErrorBody)))]
pub async fn list_teams(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<TeamView>>> {
    Ok(Json(s.workbench.list_teams(&actor).await?))
}

/// Creates a team (platform admins).
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", request_body = TeamInput,
    responses((status = 201, body = TeamView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_team(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<(StatusCode, Json<TeamView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.workbench.create_team(&actor, &input).await?),
    ))
}

/// A team with its members and products.
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = String, Path, description = "Team id")),
    responses((status = 200, body = TeamDetail), (status = 404, body = ErrorBody)))]
pub async fn get_team(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<TeamDetail>> {
    Ok(Json(s.workbench.team_detail(&actor, &id).await?))
}

/// Changes a team (its owners; moving it to another domain needs an admin).
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = String, Path, description = "Team id")), request_body = TeamInput,
    responses((status = 200, body = TeamView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_team(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    pre: Preconditions,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(
        s.workbench
            .update_team(&actor, &id, &input, pre.if_match)
            .await?,
    ))
}

/// Deletes a team that owns nothing (platform admins).
#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = String, Path, description = "Team id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_team(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.workbench.delete_team(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a user to a team or changes their role (team owners and admins).
#[utoipa::path(put, path = "/api/v1/teams/{id}/members/{username}", tag = "teams",
    params(("id" = String, Path, description = "Team id"), ("username" = String, Path, description = "Username")), request_body = MemberInput,
    responses((status = 200, body = Vec<MemberView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_member(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path((id, username)): Path<(String, String)>,
    ApiJson(input): ApiJson<MemberInput>,
) -> ApiResult<Json<Vec<MemberView>>> {
    Ok(Json(
        s.workbench
            .set_member(&actor, &id, &username, &input)
            .await?,
    ))
}

/// Removes a user from a team (team owners and admins).
#[utoipa::path(delete, path = "/api/v1/teams/{id}/members/{username}", tag = "teams",
    params(("id" = String, Path, description = "Team id"), ("username" = String, Path, description = "Username")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_member(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path((id, username)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    s.workbench.remove_member(&actor, &id, &username).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody)))]
pub async fn list_users(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<UserView>>> {
    Ok(Json(s.workbench.list_users(&actor).await?))
}

/// Creates a local account (platform admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserInput,
    responses((status = 201, body = UserView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.workbench.create_user(&actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{username}", tag = "users", params(("username" = String, Path, description = "Username")),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(username): Path<String>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(s.workbench.get_user(&actor, &username).await?))
}

/// Changes a user (admins; people may change their own name, e-mail and password).
#[utoipa::path(put, path = "/api/v1/users/{username}", tag = "users", params(("username" = String, Path, description = "Username")), request_body = UserInput,
    responses((status = 200, body = UserView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_user(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(username): Path<String>,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(
        s.workbench.update_user(&actor, &username, &input).await?,
    ))
}
