//! Lineage: the explorer's laid-out neighbourhoods, impact lists, the mesh map and node search (a
//! product page's lineage comes with the page, see `catalog::product_page`).

use leptos::prelude::*;
use leptos::server_fn::codec::{Json, Postcard};
use serde::{Deserialize, Serialize};
use views::wire::CompactGraph;
use views::{DomainMapView, ImpactView, LineageGraphView, NodeMatch};

use crate::error::UiError;

/// What the explorer shows, as its URL says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExploreArgs {
    pub focus: String,
    pub scope: Option<String>,
    pub upstream: Option<u32>,
    pub downstream: Option<u32>,
    pub expand: Vec<String>,
    pub unlimited: Vec<String>,
    pub group: bool,
    pub ports: bool,
    pub path_from: Option<String>,
    pub path_to: Option<String>,
    pub max_nodes: Option<usize>,
    /// Neighbours of a node shown before "and N more".
    pub fan_out: Option<usize>,
}

/// A laid-out neighbourhood, sent compactly ([`CompactGraph`] as postcard: columns of varints,
/// which the WASM reads several times faster than the same columns as JSON) and read back into
/// the view.
pub async fn explore_lineage(args: ExploreArgs) -> Result<LineageGraphView, UiError> {
    explore_lineage_compact(args)
        .await?
        .expand()
        .map_err(|e| UiError(views::ApiError::new("internal", e.to_string())))
}

#[server(prefix = "/rpc", endpoint = "lineage", input = Json, output = Postcard)]
pub async fn explore_lineage_compact(args: ExploreArgs) -> Result<CompactGraph, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    let query = workbench::ExploreQuery {
        focus: args.focus,
        scope: args.scope,
        upstream: args.upstream,
        downstream: args.downstream,
        expand: args.expand,
        unlimited: args.unlimited,
        fan_out: args.fan_out,
        max_nodes: args.max_nodes,
        group: args.group,
        ports: args.ports,
        path_from: args.path_from,
        path_to: args.path_to,
    };
    Ok(CompactGraph::from(&wb.explore(&actor, &query).await?))
}

#[server(prefix = "/rpc", endpoint = "lineage-impact")]
pub async fn lineage_impact(node: String) -> Result<ImpactView, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.impact(&actor, &node, None).await?)
}

#[server(prefix = "/rpc", endpoint = "mesh-map")]
pub async fn mesh_map() -> Result<DomainMapView, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.domain_map(&actor).await?)
}

#[server(prefix = "/rpc", endpoint = "lineage-search")]
pub async fn find_nodes(q: String) -> Result<Vec<NodeMatch>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.search_lineage(&actor, &q, 12).await?)
}
