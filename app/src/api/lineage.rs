//! Lineage: the explorer's laid-out neighbourhoods, impact lists, the mesh map, a product's drift
//! and freshness, and node search.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use views::{DomainMapView, DriftView, ImpactView, LineageGraphView, NodeMatch, PortFreshnessView};

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

#[server(prefix = "/rpc", endpoint = "lineage", input = Json)]
pub async fn explore_lineage(args: ExploreArgs) -> Result<LineageGraphView, UiError> {
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
    Ok(wb.explore(&actor, &query).await?)
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

/// A product's drift findings and the freshness of its output ports.
#[server(prefix = "/rpc", endpoint = "product-lineage")]
pub async fn product_lineage(id: String) -> Result<(DriftView, Vec<PortFreshnessView>), UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    let drift = wb.drift(&actor, &id).await?;
    let freshness = wb.port_freshness(&actor, &id).await?;
    Ok((drift, freshness))
}

#[server(prefix = "/rpc", endpoint = "lineage-search")]
pub async fn find_nodes(q: String) -> Result<Vec<NodeMatch>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.search_lineage(&actor, &q, 12).await?)
}
