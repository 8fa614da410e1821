//! Data products: search, registration, the product page's data, documents, versions, status
//! changes and the upstream-port picker.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use store::Expect;
use views::{
    AuditView, ErrorBody, IdCheck, PortRef, ProductBundle, ProductDetail, PublishResult,
    SearchParams, SearchResults, StatusChange, VersionView,
};
use workbench::{Actor, Mode, Submission};

use crate::api::documents::{DocumentQuery, document_response, negotiate, split_bundle};
use crate::error::{ApiResult, HttpError};
use crate::extract::{ApiJson, ApiQuery, DocumentBody, Preconditions, etag};
use crate::state::AppState;

/// Searches the catalog: words match names, descriptions, tags and field names; facet values
/// within one facet are alternatives. Same as `GET /api/v1/products`.
#[utoipa::path(get, path = "/api/v1/search", tag = "products", params(SearchQueryDoc),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn search(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    Ok(Json(s.workbench.search(&actor, &params).await?))
}

/// Lists data products, with the same query as `/api/v1/search`.
#[utoipa::path(get, path = "/api/v1/products", tag = "products", params(SearchQueryDoc),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    state: State<AppState>,
    actor: Extension<Actor>,
    query: ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    search(state, actor, query).await
}

/// Registers a new data product: an ODPS document (JSON or YAML), or a bundle of the product and
/// the ODCS contracts of its output ports. Everything is validated and stored in one
/// transaction; on failure every finding is returned and nothing is stored.
#[utoipa::path(post, path = "/api/v1/products", tag = "products",
    request_body(content((ProductBundle = "application/json"), (String = "application/yaml")), description = "An ODPS document, or {product, contracts}, as JSON or YAML"),
    responses((status = 201, body = PublishResult, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "the id is taken", body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, description = "validation findings", body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    DocumentBody(body): DocumentBody,
) -> ApiResult<Response> {
    let (product, contracts) = split_bundle(body)?;
    let result = s
        .workbench
        .publish(
            &actor,
            Submission {
                product: Some(product),
                contracts,
                expect: Expect::New,
                mode: Mode::Checked,
                team: None,
            },
        )
        .await?;
    Ok(published(StatusCode::CREATED, result))
}

/// Publishes a new revision of a data product. Send `If-Match` with the ETag you read (a stale
/// one gets 409 with the current revision), or `If-None-Match: *` to create only.
#[utoipa::path(put, path = "/api/v1/products/{id}", tag = "products", params(("id" = String, Path, description = "Data product id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the revision the change is based on")),
    request_body(content((ProductBundle = "application/json"), (String = "application/yaml")), description = "An ODPS document, or {product, contracts}, as JSON or YAML"),
    responses((status = 200, body = PublishResult), (status = 201, body = PublishResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, description = "If-Match is required to change an existing product", body = ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    pre: Preconditions,
    DocumentBody(body): DocumentBody,
) -> ApiResult<Response> {
    let (product, contracts) = split_bundle(body)?;
    let doc_id = product
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
        .product_exists(&id)
        .await
        .map_err(workbench::WorkbenchError::from)?;
    let expect = match (pre.if_match, pre.create_only, exists) {
        (Some(r), _, _) => Expect::Revision(r),
        (None, true, _) => Expect::New,
        (None, false, false) => Expect::New,
        (None, false, true) => {
            return Err(HttpError::new(
                "precondition_required",
                format!(
                    "'{id}' exists: send If-Match with its ETag (GET /api/v1/products/{id}) so that no one else's change is overwritten"
                ),
            ));
        }
    };
    let result = s
        .workbench
        .publish(
            &actor,
            Submission {
                product: Some(product),
                contracts,
                expect,
                mode: Mode::Checked,
                team: None,
            },
        )
        .await?;
    Ok(published(
        if exists {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        },
        result,
    ))
}

fn published(status: StatusCode, result: PublishResult) -> Response {
    let mut response = (status, Json(&result)).into_response();
    if let Some(r) = result.revision {
        response.headers_mut().insert(header::ETAG, etag(r));
    }
    if let Some(id) = &result.product_id
        && let Ok(location) = format!("/api/v1/products/{id}").parse()
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Everything the product page shows. The ETag is the revision to send back in `If-Match`.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products", params(("id" = String, Path, description = "Data product id")),
    responses((status = 200, body = ProductDetail, headers(("ETag" = String))), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let detail = s.workbench.product_detail(&actor, &id).await?;
    let revision = detail.revision;
    let mut response = Json(detail).into_response();
    response.headers_mut().insert(header::ETAG, etag(revision));
    Ok(response)
}

/// The ODPS document exactly as published (or converted with `format`), for the current
/// revision, a revision, or a version.
#[utoipa::path(get, path = "/api/v1/products/{id}/document", tag = "products", params(("id" = String, Path, description = "Data product id"), DocumentQuery),
    responses((status = 200, description = "The ODPS document", content((String = "application/yaml"), (String = "application/json"))),
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
        .product_document(&actor, &id, q.selector()?, format)
        .await?;
    Ok(document_response(text, format))
}

/// The versions of a product, newest first.
#[utoipa::path(get, path = "/api/v1/products/{id}/versions", tag = "products", params(("id" = String, Path, description = "Data product id")),
    responses((status = 200, body = Vec<VersionView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn versions(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<VersionView>>> {
    Ok(Json(s.workbench.product_versions(&actor, &id).await?))
}

/// Who changed the product, when, and how (with diffs).
#[utoipa::path(get, path = "/api/v1/products/{id}/history", tag = "products", params(("id" = String, Path, description = "Data product id")),
    responses((status = 200, body = Vec<AuditView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AuditView>>> {
    Ok(Json(s.workbench.product_history(&actor, &id).await?))
}

/// Deprecates, retires or reactivates a product (owners). Send `If-Match` or `revision`.
#[utoipa::path(post, path = "/api/v1/products/{id}/status", tag = "products", params(("id" = String, Path, description = "Data product id")), request_body = StatusChange,
    responses((status = 200, body = PublishResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn change_status(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    pre: Preconditions,
    ApiJson(change): ApiJson<StatusChange>,
) -> ApiResult<Response> {
    let revision = pre.if_match.or(change.revision);
    let result = s
        .workbench
        .change_status(&actor, &id, &change.status, revision)
        .await?;
    Ok(published(StatusCode::OK, result))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PortQuery {
    /// Words in the product name or id, the port name or the contract id.
    pub q: Option<String>,
    /// At most this many ports (default 50).
    pub limit: Option<i64>,
}

/// Output ports across the mesh, for picking upstream input ports.
#[utoipa::path(get, path = "/api/v1/ports", tag = "products", params(PortQuery),
    responses((status = 200, body = Vec<PortRef>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn ports(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<PortQuery>,
) -> ApiResult<Json<Vec<PortRef>>> {
    Ok(Json(
        s.workbench
            .port_options(
                &actor,
                q.q.as_deref().unwrap_or_default(),
                q.limit.unwrap_or(50),
            )
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct IdQuery {
    /// The id to check.
    pub id: String,
}

/// Whether a new product may take this id (valid and not taken).
#[utoipa::path(get, path = "/api/v1/id-check", tag = "products", params(IdQuery),
    responses((status = 200, body = IdCheck), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn id_check(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<IdQuery>,
) -> ApiResult<Json<IdCheck>> {
    Ok(Json(s.workbench.check_product_id(&actor, &q.id).await?))
}

/// The search query, documented for OpenAPI (the handler reads it as `SearchParams`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQueryDoc {
    /// Words that must all match (as prefixes).
    pub q: Option<String>,
    /// Domain ids (repeat the parameter for several).
    pub domain: Option<Vec<String>>,
    /// Team ids.
    pub team: Option<Vec<String>>,
    /// proposed, draft, active, deprecated or retired.
    pub status: Option<Vec<String>>,
    /// sourceAligned, aggregate or consumerAligned.
    #[param(rename = "type")]
    #[serde(rename = "type")]
    pub product_type: Option<Vec<String>>,
    pub tag: Option<Vec<String>>,
    /// public, internal, confidential or restricted.
    pub classification: Option<Vec<String>>,
    /// Governance state: passing, warnings, failing or unevaluated.
    pub governance: Option<Vec<String>>,
    /// relevance (default), name or updated.
    pub sort: Option<String>,
    /// 1 to 200 (default 24).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}
