//! Data contracts (ODCS) on their own: list, read, publish, documents and versions.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use store::Expect;
use views::{ContractView, ErrorBody, PublishResult, VersionView};
use workbench::{Actor, Mode, Submission};

use crate::api::documents::{DocumentQuery, document_response, negotiate};
use crate::error::{ApiResult, HttpError};
use crate::extract::{ApiQuery, DocumentBody, Preconditions, etag};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts", responses((status = 200, body = Vec<ContractView>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<ContractView>>> {
    Ok(Json(s.workbench.list_contracts(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = String, Path, description = "Contract id (may contain ':')")),
    responses((status = 200, body = ContractView, headers(("ETag" = String))), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let view = s.workbench.get_contract(&actor, &id).await?;
    let revision = view.revision;
    let mut response = Json(view).into_response();
    response.headers_mut().insert(header::ETAG, etag(revision));
    Ok(response)
}

/// Publishes an ODCS contract (JSON or YAML). `If-Match` guards an existing contract; without it
/// an existing contract needs `If-Match` (428).
#[utoipa::path(put, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = String, Path, description = "Contract id")),
    request_body(content((Object = "application/json"), (String = "application/yaml")), description = "An ODCS v3 document as JSON or YAML"),
    responses((status = 200, body = PublishResult), (status = 201, body = PublishResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn put(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    pre: Preconditions,
    DocumentBody(doc): DocumentBody,
) -> ApiResult<Response> {
    let doc_id = doc
        .value
        .get("id")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if doc_id != id {
        return Err(HttpError::bad_request(format!(
            "the document's id '{doc_id}' differs from the id in the path '{id}'"
        )));
    }
    let exists = s
        .workbench
        .store()
        .get_contract(&id)
        .await
        .map_err(workbench::WorkbenchError::from)?
        .is_some();
    let expect = match (pre.if_match, pre.create_only, exists) {
        (Some(r), _, _) => Expect::Revision(r),
        (None, _, false) | (None, true, true) => Expect::New,
        (None, false, true) => {
            return Err(HttpError::new(
                "precondition_required",
                format!(
                    "'{id}' exists: send If-Match with its ETag (GET /api/v1/contracts/{id}) so that no one else's change is overwritten"
                ),
            ));
        }
    };
    let result = s
        .workbench
        .publish(
            &actor,
            Submission {
                product: None,
                contracts: vec![doc],
                expect,
                mode: Mode::Checked,
                team: None,
            },
        )
        .await?;
    let status = if exists {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut response = (status, Json(&result)).into_response();
    if let Some(c) = result.contracts.first() {
        response
            .headers_mut()
            .insert(header::ETAG, etag(c.revision));
    }
    Ok(response)
}

/// The ODCS document as published, or converted with `format` / `Accept`.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/document", tag = "contracts", params(("id" = String, Path, description = "Contract id"), DocumentQuery),
    responses((status = 200, description = "The ODCS document", content((String = "application/yaml"), (String = "application/json"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn document(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> ApiResult<Response> {
    let format = negotiate(&headers, q.format.as_deref())?;
    let (text, format) = s
        .workbench
        .contract_document(&actor, &id, q.selector()?, format)
        .await?;
    Ok(document_response(text, format))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}/versions", tag = "contracts", params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, body = Vec<VersionView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn versions(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<VersionView>>> {
    Ok(Json(s.workbench.contract_versions(&actor, &id).await?))
}
