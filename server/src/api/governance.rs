//! Governance: policies (platform admins write them), waivers, evaluation without writing,
//! re-evaluation runs, the compliance report, a product's standing and contract diffs.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::Value;
use views::{
    ErrorBody, Evaluation, GovernanceState, PolicyDetail, PolicyView, RunView, WaiverDecision,
    WaiverRequest, WaiverView,
};
use workbench::{Actor, SourceDoc};

use crate::api::Limit;
use crate::error::{ApiResult, HttpError};
use crate::extract::{ApiJson, ApiQuery, DocumentBody, Preconditions, etag};
use crate::state::AppState;

fn csv(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                String::from("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Every policy at its newest version, with how many products pass, are waived and fail.
#[utoipa::path(get, path = "/api/v1/governance/policies", tag = "governance",
    responses((status = 200, body = Vec<PolicyView>), (status = 401, body = ErrorBody)))]
pub async fn list_policies(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<PolicyView>>> {
    Ok(Json(s.workbench.list_policies(&actor).await?))
}

/// Creates a policy (platform admins) from JSON or YAML: id, title, rationale, severity, state,
/// graceUntil, successor, scope, owner, kind, parameters. Every product is re-evaluated.
#[utoipa::path(post, path = "/api/v1/governance/policies", tag = "governance",
    request_body(content((Object = "application/json"), (String = "application/yaml")), description = "A policy"),
    responses((status = 201, body = PolicyView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_policy(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    DocumentBody(doc): DocumentBody,
) -> ApiResult<Response> {
    let view = s.workbench.save_policy(&actor, &doc.value, None).await?;
    let version = view.policy["version"].as_i64().unwrap_or(1);
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    Ok(response)
}

/// A policy with its versions, the products failing it, and its newest dry-run.
#[utoipa::path(get, path = "/api/v1/governance/policies/{id}", tag = "governance", params(("id" = String, Path, description = "Policy id")),
    responses((status = 200, body = PolicyDetail, headers(("ETag" = String))), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_policy(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let detail = s.workbench.policy_detail(&actor, &id).await?;
    let version = detail.versions.first().map_or(1, |v| v.version);
    let mut response = Json(detail).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    Ok(response)
}

/// Changes a policy (platform admins). `If-Match` carries the version read; a policy that has
/// been in effect gets a new version, a draft is changed in place.
#[utoipa::path(put, path = "/api/v1/governance/policies/{id}", tag = "governance", params(("id" = String, Path, description = "Policy id")),
    request_body(content((Object = "application/json"), (String = "application/yaml")), description = "The policy"),
    responses((status = 200, body = PolicyView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_policy(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    pre: Preconditions,
    DocumentBody(doc): DocumentBody,
) -> ApiResult<Response> {
    let mut value = doc.value;
    match value.get("id").and_then(Value::as_str) {
        Some(given) if given != id => {
            return Err(HttpError::bad_request(format!(
                "the policy's id '{given}' differs from the id in the path '{id}'"
            )));
        }
        Some(_) => {}
        None => {
            if let Some(o) = value.as_object_mut() {
                o.insert(String::from("id"), Value::from(id.clone()));
            }
        }
    }
    let Some(expect) = pre.if_match else {
        return Err(HttpError::new(
            "precondition_required",
            format!(
                "send If-Match with the ETag of GET /api/v1/governance/policies/{id}, so that no one else's change is overwritten"
            ),
        ));
    };
    let view = s
        .workbench
        .save_policy(&actor, &value, Some(expect))
        .await?;
    let version = view.policy["version"].as_i64().unwrap_or(1);
    let mut response = Json(view).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    Ok(response)
}

/// Deletes a policy that was only ever a draft (platform admins); others are retired instead.
#[utoipa::path(delete, path = "/api/v1/governance/policies/{id}", tag = "governance", params(("id" = String, Path, description = "Policy id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_policy(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.workbench.delete_policy(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct FormatQuery {
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

fn wants_csv(format: Option<&str>) -> Result<bool, HttpError> {
    match format {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(HttpError::bad_request(format!(
            "format must be json or csv, not '{other}'"
        ))),
    }
}

/// A dry-run (platform admins): how every product would stand if this version of the policy
/// were enforced — newly failing and newly passing products with their owners, per domain.
/// The body is the proposed policy; an empty body runs the policy as stored. Recorded, so that
/// the draft may then be enforced.
#[utoipa::path(post, path = "/api/v1/governance/policies/{id}/dry-run", tag = "governance", params(("id" = String, Path, description = "Policy id"), FormatQuery),
    request_body(content((Object = "application/json"), (String = "application/yaml")), description = "The proposed policy (optional)"),
    responses((status = 200, description = "The dry-run", body = Object), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dry_run(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FormatQuery>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let as_csv = wants_csv(q.format.as_deref())?;
    let mut value = if body.iter().all(u8::is_ascii_whitespace) {
        let detail = s.workbench.policy_detail(&actor, &id).await?;
        detail.current.policy
    } else {
        let text = std::str::from_utf8(&body)
            .map_err(|e| HttpError::bad_request(format!("the body is not UTF-8 text ({e})")))?;
        SourceDoc::parse(text)?.value
    };
    if let Some(o) = value.as_object_mut() {
        o.entry("id").or_insert(Value::from(id.clone()));
    }
    if value.get("id").and_then(Value::as_str) != Some(id.as_str()) {
        return Err(HttpError::bad_request(format!(
            "the policy's id differs from the id in the path '{id}'"
        )));
    }
    let result = s.workbench.dry_run_policy(&actor, &value).await?;
    if as_csv {
        return Ok(csv(
            workbench::dry_run_csv(&result),
            &format!("dry-run-{id}"),
        ));
    }
    Ok(Json(result).into_response())
}

/// Every waiver, newest request first; approved waivers past their day are `expired`.
#[utoipa::path(get, path = "/api/v1/governance/waivers", tag = "governance",
    responses((status = 200, body = Vec<WaiverView>), (status = 401, body = ErrorBody)))]
pub async fn list_waivers(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<Vec<WaiverView>>> {
    Ok(Json(s.workbench.list_waivers(&actor).await?))
}

/// Requests a waiver (owners of the product's team): policy, product, reason, expiry.
#[utoipa::path(post, path = "/api/v1/governance/waivers", tag = "governance", request_body = WaiverRequest,
    responses((status = 201, body = WaiverView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_waiver(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(request): ApiJson<WaiverRequest>,
) -> ApiResult<(StatusCode, Json<WaiverView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.workbench.request_waiver(&actor, &request).await?),
    ))
}

/// Approves, rejects or revokes a waiver (platform admins or the policy's owner; never the
/// requester, who may only revoke their own).
#[utoipa::path(post, path = "/api/v1/governance/waivers/{id}/decision", tag = "governance", params(("id" = String, Path, description = "Waiver id")),
    request_body = WaiverDecision,
    responses((status = 200, body = WaiverView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_waiver(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    ApiJson(decision): ApiJson<WaiverDecision>,
) -> ApiResult<Json<WaiverView>> {
    Ok(Json(
        s.workbench.decide_waiver(&actor, &id, &decision).await?,
    ))
}

/// Documents to evaluate: a product and/or contracts, each JSON or a string of YAML.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EvaluateRequest {
    #[serde(default)]
    pub product: Option<Value>,
    #[serde(default)]
    pub contracts: Vec<Value>,
    /// Treat grace as enforced ("will this pass after the deadline?").
    #[serde(default)]
    pub strict: bool,
    /// Earlier versions of the contracts, compared with instead of the published ones.
    #[serde(default)]
    pub base: Vec<Value>,
}

/// Evaluates documents against the policies in force without writing anything: the findings a
/// publication would get, and whether it would be refused.
#[utoipa::path(post, path = "/api/v1/governance/evaluate", tag = "governance", request_body = EvaluateRequest,
    responses((status = 200, body = Evaluation), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn evaluate(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(request): ApiJson<EvaluateRequest>,
) -> ApiResult<Json<Evaluation>> {
    let product = request.product.map(SourceDoc::from_value).transpose()?;
    let contracts = request
        .contracts
        .into_iter()
        .map(SourceDoc::from_value)
        .collect::<Result<Vec<_>, _>>()?;
    let base = request
        .base
        .into_iter()
        .map(SourceDoc::from_value)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(
        s.workbench
            .evaluate_sources(&actor, product.as_ref(), &contracts, &base, request.strict)
            .await?,
    ))
}

/// The policy bundle for offline checks (`meshwork check --bundle`): the policies, the active
/// waivers, and what they need to know of the registry (domains, contract ids, producers).
#[utoipa::path(get, path = "/api/v1/governance/bundle", tag = "governance",
    responses((status = 200, description = "The bundle", body = Object), (status = 401, body = ErrorBody)))]
pub async fn bundle(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Response> {
    Ok(Json(s.workbench.policy_bundle(&actor).await?).into_response())
}

/// The newest evaluation runs.
#[utoipa::path(get, path = "/api/v1/governance/runs", tag = "governance", params(Limit),
    responses((status = 200, body = Vec<RunView>), (status = 401, body = ErrorBody)))]
pub async fn runs(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(limit): ApiQuery<Limit>,
) -> ApiResult<Json<Vec<RunView>>> {
    Ok(Json(
        s.workbench
            .governance_runs(&actor, limit.limit.unwrap_or(20))
            .await?,
    ))
}

/// Re-evaluates every product now (platform admins); it also runs after every policy or
/// waiver change and nightly.
#[utoipa::path(post, path = "/api/v1/governance/runs", tag = "governance",
    responses((status = 201, body = RunView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn run_now(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<(StatusCode, Json<RunView>)> {
    actor
        .require_admin("start an evaluation run")
        .map_err(HttpError::from)?;
    Ok((
        StatusCode::CREATED,
        Json(s.workbench.reevaluate("requested").await?),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct ReportQuery {
    /// `domain` (default) or `team`; `domain,policy` is accepted as domain.
    pub group_by: Option<String>,
    /// First day of the trend (YYYY-MM-DD; default 90 days ago).
    pub from: Option<String>,
    /// Last day of the trend (YYYY-MM-DD; default today).
    pub to: Option<String>,
    /// `json` (default) or `csv` (the matrix, one line per cell, then totals).
    pub format: Option<String>,
}

/// The compliance report: the group × policy matrix (passing ÷ applicable, waived apart, totals)
/// and the daily trend per group, with the days policies were enabled or changed.
#[utoipa::path(get, path = "/api/v1/governance/report", tag = "governance", params(ReportQuery),
    responses((status = 200, description = "The report", body = Object), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn report(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    let as_csv = wants_csv(q.format.as_deref())?;
    let group = workbench::group_by(q.group_by.as_deref())?;
    let report = s
        .workbench
        .governance_report(&actor, group, q.from.as_deref(), q.to.as_deref())
        .await?;
    if as_csv {
        return Ok(csv(
            workbench::matrix_csv(&report),
            &format!("governance-{}-{}", report.from, report.to),
        ));
    }
    Ok(Json(report).into_response())
}

/// A product's governance standing: passing, warnings or failing, with every finding.
#[utoipa::path(get, path = "/api/v1/products/{id}/governance", tag = "governance", params(("id" = String, Path, description = "Data product id")),
    responses((status = 200, body = GovernanceState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn product_state(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<GovernanceState>> {
    Ok(Json(s.workbench.product_governance(&actor, &id).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DiffQuery {
    /// The older revision (default: the one before `to`).
    pub from: Option<i64>,
    /// The newer revision (default: the newest).
    pub to: Option<i64>,
    /// `consumer` (default) or `producer`.
    pub perspective: Option<String>,
}

/// What changed between two revisions of a contract, graded as `datacontract breaking` grades
/// it: `{"breaking", "perspective", "entries": [{"level", "change", "path", "rule", "old", "new"}]}`.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/diff", tag = "contracts", params(("id" = String, Path, description = "Contract id"), DiffQuery),
    responses((status = 200, description = "The diff", body = Object), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn contract_diff(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> ApiResult<Response> {
    let perspective = workbench::perspective(q.perspective.as_deref())?;
    let diff = s
        .workbench
        .contract_diff(&actor, &id, q.from, q.to, perspective)
        .await?;
    Ok(Json(diff).into_response())
}
