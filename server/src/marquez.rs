//! The Marquez-compatible read API: what `marquez-python` (and the Marquez UI's calls) read.
//! Namespaces contain `://` and ports, so clients percent-encode them in paths; axum decodes.

use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use views::ErrorBody;
use views::marquez::{
    MzDataset, MzDatasets, MzJob, MzJobs, MzLineage, MzNamespace, MzNamespaces, MzRun, MzRuns,
};
use workbench::Actor;

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

#[derive(Clone, Copy, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct LineageParams {
    /// `dataset:<namespace>:<name>` or `job:<namespace>:<name>`, as Marquez writes them.
    pub node_id: String,
    /// How many jobs away to go, in both directions (default 20).
    pub depth: Option<u32>,
}

#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ColumnLineageParams {
    /// `datasetField:<namespace>:<dataset>:<field>`, `dataset:<namespace>:<name>` or
    /// `job:<namespace>:<name>`.
    pub node_id: String,
    pub depth: Option<u32>,
    /// Also the columns derived from it (`true` or `false`, in any case; default false).
    pub with_downstream: Option<String>,
}

/// Marquez: the lineage graph around a dataset or job, in Marquez's shape.
#[utoipa::path(get, path = "/api/v1/lineage", tag = "marquez", params(LineageParams),
    responses((status = 200, body = MzLineage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn lineage(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(p): ApiQuery<LineageParams>,
) -> ApiResult<Json<MzLineage>> {
    Ok(Json(
        s.workbench.mz_lineage(&actor, &p.node_id, p.depth).await?,
    ))
}

/// Marquez: column-level lineage of a field, a dataset's fields, or a job's outputs.
#[utoipa::path(get, path = "/api/v1/column-lineage", tag = "marquez", params(ColumnLineageParams),
    responses((status = 200, body = MzLineage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn column_lineage(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(p): ApiQuery<ColumnLineageParams>,
) -> ApiResult<Json<MzLineage>> {
    // marquez-python sends Python's `True` and `False`.
    let with_downstream = match p
        .with_downstream
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("false" | "0" | "") => false,
        Some("true" | "1") => true,
        Some(other) => {
            return Err(crate::error::HttpError::bad_request(format!(
                "withDownstream must be true or false, not '{other}'"
            )));
        }
    };
    Ok(Json(
        s.workbench
            .mz_column_lineage(&actor, &p.node_id, p.depth, with_downstream)
            .await?,
    ))
}

/// Marquez: every namespace of observed datasets and jobs.
#[utoipa::path(get, path = "/api/v1/namespaces", tag = "marquez", params(Paging),
    responses((status = 200, body = MzNamespaces), (status = 401, body = ErrorBody)))]
pub async fn namespaces(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<MzNamespaces>> {
    Ok(Json(s.workbench.mz_namespaces(&actor).await?))
}

/// Marquez: one namespace.
#[utoipa::path(get, path = "/api/v1/namespaces/{namespace}", tag = "marquez", params(("namespace" = String, Path, description = "Namespace, percent-encoded")),
    responses((status = 200, body = MzNamespace), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn namespace(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(namespace): Path<String>,
) -> ApiResult<Json<MzNamespace>> {
    Ok(Json(s.workbench.mz_namespace(&actor, &namespace).await?))
}

/// Marquez: the datasets of a namespace.
#[utoipa::path(get, path = "/api/v1/namespaces/{namespace}/datasets", tag = "marquez",
    params(("namespace" = String, Path, description = "Namespace, percent-encoded"), Paging),
    responses((status = 200, body = MzDatasets), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn datasets(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(namespace): Path<String>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<MzDatasets>> {
    Ok(Json(
        s.workbench
            .mz_datasets(&actor, &namespace, p.limit, p.offset)
            .await?,
    ))
}

/// Marquez: one dataset.
#[utoipa::path(get, path = "/api/v1/namespaces/{namespace}/datasets/{dataset}", tag = "marquez",
    params(("namespace" = String, Path, description = "Namespace, percent-encoded"), ("dataset" = String, Path, description = "Dataset name, percent-encoded")),
    responses((status = 200, body = MzDataset), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn dataset(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path((namespace, name)): Path<(String, String)>,
) -> ApiResult<Json<MzDataset>> {
    Ok(Json(
        s.workbench.mz_dataset(&actor, &namespace, &name).await?,
    ))
}

/// Marquez: the jobs of a namespace.
#[utoipa::path(get, path = "/api/v1/namespaces/{namespace}/jobs", tag = "marquez",
    params(("namespace" = String, Path, description = "Namespace, percent-encoded"), Paging),
    responses((status = 200, body = MzJobs), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn jobs(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(namespace): Path<String>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<MzJobs>> {
    Ok(Json(
        s.workbench
            .mz_jobs(&actor, &namespace, p.limit, p.offset)
            .await?,
    ))
}

/// Marquez: one job, with its latest run.
#[utoipa::path(get, path = "/api/v1/namespaces/{namespace}/jobs/{job}", tag = "marquez",
    params(("namespace" = String, Path, description = "Namespace, percent-encoded"), ("job" = String, Path, description = "Job name, percent-encoded")),
    responses((status = 200, body = MzJob), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn job(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path((namespace, name)): Path<(String, String)>,
) -> ApiResult<Json<MzJob>> {
    Ok(Json(s.workbench.mz_job(&actor, &namespace, &name).await?))
}

/// Marquez: a job's runs, newest first.
#[utoipa::path(get, path = "/api/v1/namespaces/{namespace}/jobs/{job}/runs", tag = "marquez",
    params(("namespace" = String, Path, description = "Namespace, percent-encoded"), ("job" = String, Path, description = "Job name, percent-encoded"), Paging),
    responses((status = 200, body = MzRuns), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn runs(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path((namespace, name)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<MzRuns>> {
    Ok(Json(
        s.workbench
            .mz_runs(&actor, &namespace, &name, p.limit, p.offset)
            .await?,
    ))
}

/// Marquez: one run.
#[utoipa::path(get, path = "/api/v1/jobs/runs/{id}", tag = "marquez", params(("id" = String, Path, description = "Run id (a UUID)")),
    responses((status = 200, body = MzRun), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn run(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<MzRun>> {
    Ok(Json(s.workbench.mz_run(&actor, &id).await?))
}
