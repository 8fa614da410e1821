//! The Entropy Data API as the unmodified Data Contract CLI and Data Product CLI speak it
//! (`ENTROPY_DATA_HOST`, `ENTROPY_DATA_API_KEY`): `PUT`/`GET /api/datacontracts/{id}` (ODCS) and
//! `PUT`/`GET /api/dataproducts/{id}` (ODPS). Success is exactly 200; `GET` answers YAML or JSON
//! by `Accept`; ids may contain `:`, raw or percent-encoded. A push from CI overwrites.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::DocumentFormat;
use store::Expect;
use views::ErrorBody;
use workbench::{Actor, DocSelector, Mode, Submission, WorkbenchError};

use crate::api::documents::{document_response, negotiate};
use crate::error::{ApiResult, HttpError};
use crate::extract::DocumentBody;
use crate::state::AppState;

fn same_id(path: &str, doc: &workbench::SourceDoc) -> Result<(), HttpError> {
    let doc_id = doc
        .value
        .get("id")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if doc_id == path {
        Ok(())
    } else {
        Err(HttpError::bad_request(format!(
            "the document's id '{doc_id}' differs from the id in the path '{path}'"
        )))
    }
}

/// A publication refused by policies, for the two CLIs: they print the body of any answer that
/// is not 200 as it is (`dataproduct` through a markup renderer that drops anything in square
/// brackets and wraps at 80 columns), so unless JSON is asked for, the answer is a short plain
/// text: one line per blocking finding, its fix, and where to read more. Everything else stays
/// the JSON error.
fn refusal(e: WorkbenchError, headers: &HeaderMap) -> Response {
    let wants_json = headers
        .get(http::header::ACCEPT)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|a| a.contains("json") || a.contains("yaml"));
    match e {
        WorkbenchError::Invalid {
            policy_findings, ..
        } if !policy_findings.is_empty() && !wants_json => {
            let host = headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let first = policy_findings
                .iter()
                .find(|f| f.blocking)
                .map(|f| f.policy.clone())
                .unwrap_or_default();
            let details = format!("http://{host}/governance/policies/{first}");
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                workbench::refusal_text(&policy_findings, &details),
            )
                .into_response()
        }
        other => HttpError::from(other).into_response(),
    }
}

/// `GET` answers JSON unless YAML is asked for, as the Entropy Data API does.
fn format(headers: &HeaderMap) -> Result<DocumentFormat, HttpError> {
    Ok(negotiate(headers, None)?.unwrap_or(DocumentFormat::Json))
}

/// Publishes an ODCS data contract (Data Contract CLI `publish`).
#[utoipa::path(put, path = "/api/datacontracts/{id}", tag = "compatibility", params(("id" = String, Path, description = "Contract id; ':' raw or percent-encoded")),
    request_body(content((Object = "application/json"), (String = "application/yaml")), description = "An ODCS v3 document as JSON or YAML"),
    responses((status = 200, description = "Published"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_contract(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    DocumentBody(doc): DocumentBody,
) -> ApiResult<Response> {
    same_id(&id, &doc)?;
    let result = match s
        .workbench
        .publish(
            &actor,
            Submission {
                product: None,
                contracts: vec![doc],
                expect: Expect::Any,
                mode: Mode::Overwrite,
                team: None,
            },
        )
        .await
    {
        Ok(r) => r,
        Err(e) => return Ok(refusal(e, &headers)),
    };
    Ok((StatusCode::OK, Json(result)).into_response())
}

/// Reads an ODCS data contract as YAML or JSON (Data Contract CLI, Data Product CLI `lint`).
#[utoipa::path(get, path = "/api/datacontracts/{id}", tag = "compatibility", params(("id" = String, Path, description = "Contract id")),
    responses((status = 200, description = "The ODCS document", content((String = "application/json"), (String = "application/yaml"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_contract(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (text, format) = s
        .workbench
        .contract_document(&actor, &id, DocSelector::Current, Some(format(&headers)?))
        .await?;
    Ok(document_response(text, format))
}

/// Publishes an ODPS data product (Data Product CLI `publish`).
#[utoipa::path(put, path = "/api/dataproducts/{id}", tag = "compatibility", params(("id" = String, Path, description = "Data product id")),
    request_body(content((Object = "application/json"), (String = "application/yaml")), description = "An ODPS v1 document as JSON or YAML"),
    responses((status = 200, description = "Published"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_product(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    DocumentBody(doc): DocumentBody,
) -> ApiResult<Response> {
    same_id(&id, &doc)?;
    let result = match s
        .workbench
        .publish(
            &actor,
            Submission {
                product: Some(doc),
                contracts: Vec::new(),
                expect: Expect::Any,
                mode: Mode::Overwrite,
                team: None,
            },
        )
        .await
    {
        Ok(r) => r,
        Err(e) => return Ok(refusal(e, &headers)),
    };
    let mut response = (StatusCode::OK, Json(result)).into_response();
    // The CLIs print this header, so people can click through to the product page.
    if let Some(host) = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        && let Ok(value) = HeaderValue::from_str(&format!("http://{host}/products/{id}"))
    {
        response.headers_mut().insert("location-html", value);
    }
    Ok(response)
}

/// Reads an ODPS data product as YAML or JSON.
#[utoipa::path(get, path = "/api/dataproducts/{id}", tag = "compatibility", params(("id" = String, Path, description = "Data product id")),
    responses((status = 200, description = "The ODPS document", content((String = "application/json"), (String = "application/yaml"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_product(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (text, format) = s
        .workbench
        .product_document(&actor, &id, DocSelector::Current, Some(format(&headers)?))
        .await?;
    Ok(document_response(text, format))
}
