//! Lineage: OpenLineage ingestion, and Meshwork's own graph API (neighbourhoods laid out or as
//! DOT, impact as JSON or CSV, paths, the mesh map, cycles, search, drift and freshness).

use std::io::Read;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use views::{
    CycleView, DomainMapView, DriftView, ErrorBody, ImpactView, LineageGraphView, LineageReceipt,
    NodeMatch, PathView, PortFreshnessView,
};
use workbench::{Actor, ExploreQuery};

use crate::error::{ApiResult, HttpError};
use crate::extract::ApiQuery;
use crate::state::AppState;

/// A gzip body may not inflate past this.
const INFLATED_LIMIT: usize = 16 * 1024 * 1024;

/// Receives an OpenLineage RunEvent, DatasetEvent or JobEvent (spec 2-0-2, told apart by
/// `schemaURL`), plain or gzip-compressed. Sending the same event again changes nothing.
#[utoipa::path(post, path = "/api/v1/lineage", tag = "lineage",
    request_body(content = Object, description = "An OpenLineage event", content_type = "application/json"),
    responses((status = 201, body = LineageReceipt), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, description = "the event breaks the OpenLineage spec", body = ErrorBody)))]
pub async fn receive(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase();
    let gzipped = encoding == "gzip" || (encoding == "identity" && body.starts_with(&[0x1f, 0x8b]));
    let text = match encoding.as_str() {
        _ if gzipped => inflate(&body)?,
        "identity" => body.to_vec(),
        other => {
            return Err(HttpError::new(
                "unsupported_media_type",
                format!(
                    "Content-Encoding '{other}' is not supported; send the event plain or gzip-compressed"
                ),
            ));
        }
    };
    let received = s.workbench.receive_lineage(&actor, &text).await?;
    let receipt = LineageReceipt {
        status: String::from(if received.duplicate {
            "duplicate"
        } else {
            "stored"
        }),
        kind: received.kind,
    };
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

fn inflate(body: &[u8]) -> ApiResult<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .take(INFLATED_LIMIT as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| HttpError::bad_request(format!("the body is not valid gzip: {e}")))?;
    if out.len() > INFLATED_LIMIT {
        return Err(HttpError::new(
            "payload_too_large",
            format!(
                "the event inflates past {} MiB",
                INFLATED_LIMIT / 1024 / 1024
            ),
        ));
    }
    Ok(out)
}

/// The explorer's query.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraphParams {
    /// The node to centre on: `product:<id>`, `port:<product>:<port>`, `dataset:<ns>:<name>`,
    /// `job:<ns>:<name>` or `datasetField:<ns>:<dataset>:<field>`.
    pub focus: String,
    /// `products` (default), `observed`, `all` or `columns`.
    pub scope: Option<String>,
    /// Levels upstream (default 1, at most 25).
    pub upstream: Option<u32>,
    /// Levels downstream (default 1, at most 25).
    pub downstream: Option<u32>,
    /// Nodes whose neighbours to show as well (repeat the parameter).
    #[serde(default)]
    pub expand: Vec<String>,
    /// Nodes whose neighbours to show however many there are.
    #[serde(default)]
    pub unlimited: Vec<String>,
    /// Neighbours of a node shown before "and N more" (default 25).
    pub fan_out: Option<usize>,
    /// The most nodes to return (default 2000, at most 5000).
    pub max_nodes: Option<usize>,
    /// One lane per domain.
    #[serde(default)]
    pub group: bool,
    /// Output ports as nodes of their own instead of folded into their product.
    #[serde(default)]
    pub ports: bool,
    /// Highlight the path from this node…
    pub path_from: Option<String>,
    /// …to this one (either direction), showing its nodes.
    pub path_to: Option<String>,
    /// `json` (positioned nodes and edges, default) or `dot` (Graphviz).
    pub format: Option<String>,
}

impl GraphParams {
    fn query(self) -> ExploreQuery {
        ExploreQuery {
            focus: self.focus,
            scope: self.scope,
            upstream: self.upstream,
            downstream: self.downstream,
            expand: self.expand,
            unlimited: self.unlimited,
            fan_out: self.fan_out,
            max_nodes: self.max_nodes,
            group: self.group,
            ports: self.ports,
            path_from: self.path_from,
            path_to: self.path_to,
        }
    }
}

/// A neighbourhood of the lineage graph, laid out on the server (layered, left to right), or as
/// Graphviz DOT with `format=dot`.
#[utoipa::path(get, path = "/api/v1/graph", tag = "lineage", params(GraphParams),
    responses((status = 200, body = LineageGraphView, content_type = "application/json"), (status = 200, body = String, content_type = "text/vnd.graphviz"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn graph(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(params): ApiQuery<GraphParams>,
) -> ApiResult<Response> {
    match params.format.as_deref() {
        None | Some("json") => {
            Ok(Json(s.workbench.explore(&actor, &params.query()).await?).into_response())
        }
        Some("dot") => {
            let dot = s.workbench.explore_dot(&actor, &params.query()).await?;
            Ok((
                [(header::CONTENT_TYPE, "text/vnd.graphviz; charset=utf-8")],
                dot,
            )
                .into_response())
        }
        Some(other) => Err(HttpError::bad_request(format!(
            "format '{other}' is not json or dot"
        ))),
    }
}

#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactParams {
    /// The node whose downstream to list.
    pub node: String,
    /// `all` (declared and observed lineage, default), `products` or `observed`.
    pub scope: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// Impact analysis: every product downstream of a node, with its owning team, its depth and the
/// path to it. `format=csv` downloads it.
#[utoipa::path(get, path = "/api/v1/graph/impact", tag = "lineage", params(ImpactParams),
    responses((status = 200, body = ImpactView, content_type = "application/json"), (status = 200, body = String, content_type = "text/csv"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn impact(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(p): ApiQuery<ImpactParams>,
) -> ApiResult<Response> {
    match p.format.as_deref() {
        None | Some("json") => Ok(Json(
            s.workbench
                .impact(&actor, &p.node, p.scope.as_deref())
                .await?,
        )
        .into_response()),
        Some("csv") => {
            let csv = s
                .workbench
                .impact_csv(&actor, &p.node, p.scope.as_deref())
                .await?;
            let name: String = p
                .node
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        String::from("text/csv; charset=utf-8"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"impact-{name}.csv\""),
                    ),
                ],
                csv,
            )
                .into_response())
        }
        Some(other) => Err(HttpError::bad_request(format!(
            "format '{other}' is not json or csv"
        ))),
    }
}

#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PathParams {
    pub from: String,
    pub to: String,
    /// `all` (default), `products`, `observed` or `columns`.
    pub scope: Option<String>,
}

/// The shortest path along the flow of data between two nodes, whichever reaches the other.
#[utoipa::path(get, path = "/api/v1/graph/path", tag = "lineage", params(PathParams),
    responses((status = 200, body = PathView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, description = "a node is unknown, or no data flows between them", body = ErrorBody)))]
pub async fn path(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(p): ApiQuery<PathParams>,
) -> ApiResult<Json<PathView>> {
    Ok(Json(
        s.workbench
            .lineage_path(&actor, &p.from, &p.to, p.scope.as_deref())
            .await?,
    ))
}

/// The mesh map: domains and the flows of data between them, laid out.
#[utoipa::path(get, path = "/api/v1/graph/domains", tag = "lineage",
    responses((status = 200, body = DomainMapView), (status = 401, body = ErrorBody)))]
pub async fn domains(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> ApiResult<Json<DomainMapView>> {
    Ok(Json(s.workbench.domain_map(&actor).await?))
}

#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeParams {
    /// `all` (default), `products`, `observed` or `columns`.
    pub scope: Option<String>,
}

/// Cycles in the lineage. Declared product lineage has none (registration refuses them);
/// observed lineage may.
#[utoipa::path(get, path = "/api/v1/graph/cycles", tag = "lineage", params(ScopeParams),
    responses((status = 200, body = Vec<CycleView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn cycles(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(p): ApiQuery<ScopeParams>,
) -> ApiResult<Json<Vec<CycleView>>> {
    Ok(Json(
        s.workbench
            .lineage_cycles(&actor, p.scope.as_deref())
            .await?,
    ))
}

#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Text in a node's label or id.
    pub q: String,
    /// At most this many (default 20, at most 200).
    pub limit: Option<usize>,
}

/// Nodes of the lineage graph whose label or id contains the text.
#[utoipa::path(get, path = "/api/v1/graph/search", tag = "lineage", params(SearchParams),
    responses((status = 200, body = Vec<NodeMatch>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn search(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<NodeMatch>>> {
    Ok(Json(
        s.workbench
            .search_lineage(&actor, &p.q, p.limit.unwrap_or(20))
            .await?,
    ))
}

/// Drift: dependencies the product's jobs show that no input port declares, and declared input
/// ports its jobs are never seen reading.
#[utoipa::path(get, path = "/api/v1/products/{id}/drift", tag = "lineage", params(("id" = String, Path, description = "Data product id")),
    responses((status = 200, body = DriftView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn drift(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<DriftView>> {
    Ok(Json(s.workbench.drift(&actor, &id).await?))
}

/// The observed datasets of each output port, and when a run last completed writing them.
#[utoipa::path(get, path = "/api/v1/products/{id}/freshness", tag = "lineage", params(("id" = String, Path, description = "Data product id")),
    responses((status = 200, body = Vec<PortFreshnessView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn freshness(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<PortFreshnessView>>> {
    Ok(Json(s.workbench.port_freshness(&actor, &id).await?))
}
