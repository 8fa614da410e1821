//! Lineage use cases on the in-memory graph: the explorer's neighbourhoods (laid out on the
//! server), upstream and downstream, impact analysis, paths, the mesh map, drift, cycles and
//! search. Each takes what it needs from the graph under a short read lock and does the rest
//! (layout, names) after releasing it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use lineage::layout::{LayoutGraph, LayoutNode, LayoutOptions, PositionedGraph, SubgraphLayout};
use lineage::{DriftKind, LineageGraph, Neighbourhood, NodeId, Scope, Subgraph};
use store::lineage::DatasetKey;
use views::{
    CycleView, DomainFlowView, DomainMapNode, DomainMapView, DriftFindingView, DriftView,
    GraphEdgeView, GraphGroupView, GraphNodeView, ImpactEntryView, ImpactView, LegendEntry,
    LineageGraphView, NodeMatch, ObservedDatasetView, PathView, PortFreshnessView,
};

use crate::Workbench;
use crate::actor::Actor;
use crate::directory::Names;
use crate::error::{Result, WorkbenchError};

/// A laid-out neighbourhood and the path asked for in it (or why there is none).
#[derive(Debug)]
pub(crate) struct Picture {
    placed: PositionedGraph,
    path: Option<std::result::Result<PathView, String>>,
}

/// What a picture is remembered under: everything in the query.
fn picture_key(q: &ExploreQuery) -> String {
    format!("{q:?}")
}

/// Deepest walk the explorer may ask for.
const MAX_DEPTH: u32 = 25;
/// Most nodes a picture may hold.
const MAX_NODES: usize = 5_000;

/// What the explorer asks for, as the API and the UI send it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExploreQuery {
    pub focus: String,
    /// `products` (default), `observed`, `all` or `columns`.
    pub scope: Option<String>,
    pub upstream: Option<u32>,
    pub downstream: Option<u32>,
    pub expand: Vec<String>,
    pub unlimited: Vec<String>,
    pub fan_out: Option<usize>,
    pub max_nodes: Option<usize>,
    /// One lane per domain.
    pub group: bool,
    /// Show output ports as nodes of their own.
    pub ports: bool,
    /// Highlight the path between these two nodes (and show its nodes).
    pub path_from: Option<String>,
    pub path_to: Option<String>,
}

/// How the impact list is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImpactFormat {
    Json,
    Csv,
}

fn scope_of(text: Option<&str>) -> Result<Scope> {
    match text {
        None | Some("") => Ok(Scope::Products),
        Some(t) => Scope::parse(t).map_err(WorkbenchError::bad_request),
    }
}

fn parse_node(graph: &LineageGraph, text: &str, what: &str) -> Result<NodeId> {
    if let Err(e) = NodeId::parse(text) {
        // A reading the strict rule refuses may still name a node that exists.
        return graph
            .resolve(text)
            .ok_or_else(|| WorkbenchError::bad_request(format!("{what}: {e}")));
    }
    graph.resolve(text).ok_or_else(|| {
        WorkbenchError::not_found(format!(
            "{what}: there is no node '{text}' in the lineage graph"
        ))
    })
}

impl Workbench {
    /// The neighbourhood of a node, laid out.
    pub async fn explore(&self, actor: &Actor, q: &ExploreQuery) -> Result<LineageGraphView> {
        let picture = self.picture(actor, q).await?;
        let names = self.names().await?;
        let mut view = graph_view(picture.placed.clone(), &names);
        match &picture.path {
            Some(Ok(path)) if !q.ports => view.path = Some(fold_path(path.clone())),
            Some(Ok(path)) => view.path = Some(path.clone()),
            Some(Err(message)) => view.path_error = Some(message.clone()),
            None => {}
        }
        Ok(view)
    }

    /// The picture of a query. Without expanded nodes it is laid out whole; with them, it is the
    /// picture with the last expanded node left out, grown by that node's neighbours (the nodes
    /// already drawn keep their order, see [`lineage::layout::relayout`]). So the same query
    /// always gives the same picture, an expand moves little of what is on screen, and, as the
    /// picture it grows from was just drawn and is remembered, it costs a walk of the graph and
    /// a placement instead of a whole layout.
    async fn picture(&self, actor: &Actor, q: &ExploreQuery) -> Result<Arc<Picture>> {
        actor.require_read()?;
        let generation = self.generation();
        let step = |k: usize| ExploreQuery {
            expand: q.expand[..k].to_vec(),
            ..q.clone()
        };
        let remembered = |k: usize| {
            self.remembers()
                .then(|| self.reads.picture(&picture_key(&step(k)), generation))
                .flatten()
        };
        // The longest prefix of the expanded nodes whose picture is remembered.
        let (start, mut previous) = match (0..=q.expand.len())
            .rev()
            .find_map(|k| remembered(k).map(|p| (k + 1, p)))
        {
            Some((start, p)) => (start, Some(p)),
            None => (0, None),
        };
        for k in start..=q.expand.len() {
            let query = step(k);
            let (sub, path) = self.explore_subgraph(actor, &query).await?;
            // Big pictures are laid out for speed: someone is waiting for them.
            let options = if sub.nodes.len() > 400 {
                LayoutOptions::interactive()
            } else {
                LayoutOptions::default()
            };
            let layout = SubgraphLayout {
                group_by_domain: q.group,
                fold_ports: !q.ports,
                options,
            };
            let placed = match &previous {
                None => layout.place(&sub),
                Some(p) => {
                    let drawn: HashMap<&str, f64> = p
                        .placed
                        .nodes
                        .iter()
                        .map(|n| (n.id.as_str(), n.y))
                        .collect();
                    layout.place_after(&sub, &drawn)
                }
            };
            let picture = Arc::new(Picture { placed, path });
            if self.remembers() {
                self.reads
                    .remember_picture(picture_key(&query), generation, picture.clone());
            }
            previous = Some(picture);
        }
        Ok(previous.expect("at least one step"))
    }

    /// The neighbourhood of a node as Graphviz DOT.
    pub async fn explore_dot(&self, actor: &Actor, q: &ExploreQuery) -> Result<String> {
        let (sub, _) = self.explore_subgraph(actor, q).await?;
        let names = self.names().await?;
        let colours: BTreeMap<String, String> = names
            .domains
            .values()
            .map(|d| (d.id.clone(), d.color.clone()))
            .collect();
        Ok(lineage::dot::to_dot(&sub, &colours))
    }

    /// The subgraph the explorer shows, and the requested path (or why there is none).
    async fn explore_subgraph(
        &self,
        actor: &Actor,
        q: &ExploreQuery,
    ) -> Result<(Subgraph, Option<std::result::Result<PathView, String>>)> {
        actor.require_read()?;
        let scope = scope_of(q.scope.as_deref())?;
        let depth = |d: Option<u32>, name: &str| -> Result<u32> {
            match d {
                Some(d) if d > MAX_DEPTH => Err(WorkbenchError::bad_request(format!(
                    "{name} must be at most {MAX_DEPTH}"
                ))),
                Some(d) => Ok(d),
                None => Ok(1),
            }
        };
        let upstream = depth(q.upstream, "upstream")?;
        let downstream = depth(q.downstream, "downstream")?;
        let fan_out = match q.fan_out {
            Some(0) => return Err(WorkbenchError::bad_request("fan_out must be at least 1")),
            Some(n) => n.min(1_000),
            None => 25,
        };
        let graph = self.graph().await?;
        let focus = parse_node(&graph, &q.focus, "focus")?;
        // Unknown expanded nodes are ignored: the graph may have changed since the page loaded.
        let known = |ids: &[String]| -> Vec<NodeId> {
            ids.iter().filter_map(|t| graph.resolve(t)).collect()
        };
        let path = match (&q.path_from, &q.path_to) {
            (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
                let a = parse_node(&graph, a, "path_from")?;
                let b = parse_node(&graph, b, "path_to")?;
                Some(graph.path(&a, &b, scope).ok_or_else(|| {
                    format!(
                        "no data flows between {} and {} in this view",
                        label(&graph, &a),
                        label(&graph, &b)
                    )
                }))
            }
            _ => None,
        };
        let include = match &path {
            Some(Ok(p)) => p.nodes.clone(),
            _ => Vec::new(),
        };
        let max_nodes = q.max_nodes.unwrap_or(2_000).clamp(1, MAX_NODES);
        let sub = match (&focus, scope) {
            // The columns of a dataset, when asked for its column lineage.
            (NodeId::Dataset { namespace, name }, Scope::Columns) => {
                let columns: Vec<NodeId> = graph
                    .columns_of(&lineage::DatasetRef::new(namespace, name))
                    .into_iter()
                    .map(|f| NodeId::column(namespace, name, f))
                    .collect();
                let mut sub = graph.reach(&columns, upstream, downstream, Scope::Columns);
                sub.focus = columns.first().cloned();
                sub
            }
            _ => {
                let query = Neighbourhood {
                    focus: focus.clone(),
                    scope,
                    upstream,
                    downstream,
                    expanded: known(&q.expand),
                    unlimited: known(&q.unlimited),
                    include: include.clone(),
                    fan_out,
                    max_nodes,
                };
                graph.neighbourhood(&query).expect("the focus exists")
            }
        };
        let path = path.map(|p| {
            p.map(|p| PathView {
                from: p.nodes.first().map(ToString::to_string).unwrap_or_default(),
                to: p.nodes.last().map(ToString::to_string).unwrap_or_default(),
                nodes: p.nodes.iter().map(ToString::to_string).collect(),
                edges: p
                    .edges
                    .iter()
                    .map(|e| (e.from.to_string(), e.to.to_string()))
                    .collect(),
            })
        });
        Ok((sub, path))
    }

    /// Everything downstream of a node, with owners, depth and path.
    pub async fn impact(
        &self,
        actor: &Actor,
        node: &str,
        scope: Option<&str>,
    ) -> Result<ImpactView> {
        actor.require_read()?;
        let scope = match scope {
            None | Some("") => Scope::All,
            Some(s) => scope_of(Some(s))?,
        };
        let (impact, label) = {
            let graph = self.graph().await?;
            let source = parse_node(&graph, node, "node")?;
            let label = graph
                .node(&source)
                .map(|d| d.label.clone())
                .unwrap_or_default();
            (
                graph.impact(&source, scope).expect("the node exists"),
                label,
            )
        };
        let names = self.names().await?;
        Ok(ImpactView {
            source: impact.source.to_string(),
            source_label: label,
            entries: impact
                .entries
                .into_iter()
                .map(|e| ImpactEntryView {
                    domain_name: e
                        .domain
                        .as_deref()
                        .map(|d| names.domain_name(d))
                        .unwrap_or_default(),
                    domain_color: e
                        .domain
                        .as_deref()
                        .map(|d| names.domain_color(d))
                        .unwrap_or_default(),
                    team_name: e
                        .team
                        .as_deref()
                        .map(|t| names.team_name(t))
                        .unwrap_or_default(),
                    product_id: e.product,
                    name: e.name,
                    domain_id: e.domain,
                    team_id: e.team,
                    status: e.status,
                    depth: e.depth,
                    path: e.path,
                    route: e.route.iter().map(ToString::to_string).collect(),
                    observed: e.observed,
                })
                .collect(),
        })
    }

    /// The impact list as CSV, one downstream product per line.
    pub async fn impact_csv(
        &self,
        actor: &Actor,
        node: &str,
        scope: Option<&str>,
    ) -> Result<String> {
        let view = self.impact(actor, node, scope).await?;
        let mut out = String::from("product_id,name,domain,team,status,depth,observed,path\n");
        for e in &view.entries {
            let fields = [
                e.product_id.as_str(),
                &e.name,
                &e.domain_name,
                &e.team_name,
                e.status.as_deref().unwrap_or_default(),
                &e.depth.to_string(),
                if e.observed { "yes" } else { "no" },
                &e.path.join(" > "),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        Ok(out)
    }

    /// The shortest path between two nodes along the flow of data.
    pub async fn lineage_path(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
        scope: Option<&str>,
    ) -> Result<PathView> {
        actor.require_read()?;
        let scope = match scope {
            None | Some("") => Scope::All,
            Some(s) => scope_of(Some(s))?,
        };
        let graph = self.graph().await?;
        let a = parse_node(&graph, from, "from")?;
        let b = parse_node(&graph, to, "to")?;
        let path = graph.path(&a, &b, scope).ok_or_else(|| {
            WorkbenchError::not_found(format!("no data flows between {a} and {b}"))
        })?;
        Ok(PathView {
            from: a.to_string(),
            to: b.to_string(),
            nodes: path.nodes.iter().map(ToString::to_string).collect(),
            edges: path
                .edges
                .iter()
                .map(|e| (e.from.to_string(), e.to.to_string()))
                .collect(),
        })
    }

    /// The domains and the flows between them, laid out.
    pub async fn domain_map(&self, actor: &Actor) -> Result<DomainMapView> {
        actor.require_read()?;
        let map = self.graph().await?.domain_map();
        let names = self.names().await?;
        let index: HashMap<&str, usize> = map
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| (d.domain.as_str(), i))
            .collect();
        let input = LayoutGraph {
            nodes: map
                .domains
                .iter()
                .map(|_| LayoutNode {
                    width: 190.0,
                    height: 64.0,
                    group: None,
                })
                .collect(),
            edges: map
                .flows
                .iter()
                .filter_map(|f| Some((*index.get(f.from.as_str())?, *index.get(f.to.as_str())?)))
                .collect(),
        };
        let placed = lineage::layout::layout(
            &input,
            &LayoutOptions {
                layer_gap: 110.0,
                node_gap: 36.0,
                ..LayoutOptions::default()
            },
        );
        Ok(DomainMapView {
            domains: map
                .domains
                .iter()
                .zip(&placed.nodes)
                .map(|(d, p)| DomainMapNode {
                    id: d.domain.clone(),
                    name: names.domain_name(&d.domain),
                    color: names.domain_color(&d.domain),
                    products: d.products,
                    internal_flows: d.internal_flows,
                    x: p.x,
                    y: p.y,
                    width: 190.0,
                    height: 64.0,
                })
                .collect(),
            flows: map
                .flows
                .iter()
                .zip(&placed.edges)
                .map(|(f, r)| DomainFlowView {
                    from: f.from.clone(),
                    to: f.to.clone(),
                    count: f.products.len(),
                    declared: f.declared,
                    observed_only: f.observed_only,
                    examples: f.products.iter().take(20).cloned().collect(),
                    points: r.points.clone(),
                })
                .collect(),
            width: placed.width,
            height: placed.height,
        })
    }

    /// What a product declares against what its jobs are seen doing.
    pub async fn drift(&self, actor: &Actor, product_id: &str) -> Result<DriftView> {
        actor.require_read()?;
        self.require_product(product_id).await?;
        let drift = self.graph().await?.drift(product_id).unwrap_or_default();
        Ok(DriftView {
            product_id: product_id.to_owned(),
            observed: drift.observed,
            writers: drift
                .writers
                .iter()
                .map(|(ns, n)| format!("{ns}/{n}"))
                .collect(),
            findings: drift
                .findings
                .into_iter()
                .map(|f| DriftFindingView {
                    kind: String::from(match f.kind {
                        DriftKind::Undeclared => "undeclared",
                        DriftKind::UndeclaredExternal => "undeclared_external",
                        DriftKind::NeverObserved => "never_observed",
                        DriftKind::Unmatchable => "unmatchable",
                    }),
                    message: f.message,
                    fix: f.fix,
                    input_port: f.input_port,
                    upstream_product: f.upstream_product,
                    upstream_port: f.upstream_port,
                    dataset: f.dataset.map(|d| (d.namespace, d.name)),
                    job: f.job,
                })
                .collect(),
        })
    }

    /// The cycles of a scope (declared lineage has none: registration refuses them).
    pub async fn lineage_cycles(
        &self,
        actor: &Actor,
        scope: Option<&str>,
    ) -> Result<Vec<CycleView>> {
        actor.require_read()?;
        let scope = match scope {
            None | Some("") => Scope::All,
            Some(s) => scope_of(Some(s))?,
        };
        Ok(self
            .graph()
            .await?
            .cycles(scope)
            .into_iter()
            .map(|c| CycleView {
                nodes: c.iter().map(ToString::to_string).collect(),
            })
            .collect())
    }

    /// Nodes whose label or id contains the text, products first.
    pub async fn search_lineage(
        &self,
        actor: &Actor,
        text: &str,
        limit: usize,
    ) -> Result<Vec<NodeMatch>> {
        actor.require_read()?;
        let needle = text.trim().to_lowercase();
        if needle.is_empty() {
            return Ok(Vec::new());
        }
        let graph = self.graph().await?;
        let mut out: Vec<NodeMatch> = graph
            .find(&needle, limit.clamp(1, 200))
            .into_iter()
            .map(|(id, data)| NodeMatch {
                kind: id.kind().to_owned(),
                id: id.to_string(),
                label: data.label.clone(),
                domain: data.domain.clone(),
            })
            .collect();
        out.sort_by(|a, b| {
            (a.kind != "product")
                .cmp(&(b.kind != "product"))
                .then(a.label.cmp(&b.label))
        });
        Ok(out)
    }

    /// The observed datasets of each output port and when a run last completed writing them.
    pub async fn port_freshness(
        &self,
        actor: &Actor,
        product_id: &str,
    ) -> Result<Vec<PortFreshnessView>> {
        actor.require_read()?;
        self.require_product(product_id).await?;
        let ports = self
            .graph()
            .await?
            .product(product_id)
            .map(|p| p.output_ports.clone())
            .unwrap_or_default();
        let mut out = Vec::new();
        for port in ports {
            let keys: Vec<DatasetKey> = port
                .datasets
                .iter()
                .map(|d| DatasetKey {
                    namespace: d.namespace.clone(),
                    name: d.name.clone(),
                })
                .collect();
            let seen: HashMap<(String, String), store::lineage::DatasetRecord> = self
                .store
                .lineage_datasets_by_key(&keys)
                .await?
                .into_iter()
                .map(|d| ((d.key.namespace.clone(), d.key.name.clone()), d))
                .collect();
            let datasets: Vec<ObservedDatasetView> = port
                .datasets
                .iter()
                .map(|d| {
                    let record = seen.get(&(d.namespace.clone(), d.name.clone()));
                    ObservedDatasetView {
                        namespace: d.namespace.clone(),
                        name: d.name.clone(),
                        observed: record.is_some(),
                        last_written_at: record.and_then(|r| r.last_written_at.clone()),
                        last_written_by: record.and_then(|r| r.last_written_by.clone()),
                        node_id: d.node().to_string(),
                    }
                })
                .collect();
            let last = datasets
                .iter()
                .filter_map(|d| d.last_written_at.clone())
                .max();
            let promise = match &port.contract_id {
                Some(id) => self
                    .store
                    .get_contract(id)
                    .await?
                    .and_then(|r| serde_json::from_str::<domain::DataContractDoc>(&r.document).ok())
                    .and_then(|doc| doc.sla("latency").cloned()),
                None => None,
            };
            let overdue = match (&promise, &last) {
                (Some(sla), Some(at)) => sla.as_seconds().is_some_and(|limit| {
                    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                        .map(|at| (time::OffsetDateTime::now_utc() - at).as_seconds_f64() > limit)
                        .unwrap_or(false)
                }),
                _ => false,
            };
            out.push(PortFreshnessView {
                port: port.name,
                datasets,
                last_refresh_at: last,
                promised: promise.map(|s| s.display_value()),
                overdue,
            });
        }
        Ok(out)
    }
}

/// A path as the picture shows it when ports are folded into their products.
fn fold_path(path: PathView) -> PathView {
    let fold = |id: &str| -> String {
        match NodeId::parse(id) {
            Ok(NodeId::Port { product, .. }) => NodeId::product(product).to_string(),
            _ => id.to_owned(),
        }
    };
    let mut nodes: Vec<String> = Vec::new();
    for n in &path.nodes {
        let n = fold(n);
        if nodes.last() != Some(&n) {
            nodes.push(n);
        }
    }
    let edges = nodes
        .windows(2)
        .map(|w| (w[0].clone(), w[1].clone()))
        .collect();
    PathView {
        from: fold(&path.from),
        to: fold(&path.to),
        nodes,
        edges,
    }
}

fn label(graph: &LineageGraph, id: &NodeId) -> String {
    graph
        .node(id)
        .map(|d| d.label.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Quotes a CSV field when it needs it, and defuses spreadsheet formulas.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn href_of(id: &str) -> Option<String> {
    let node = NodeId::parse(id).ok()?;
    let enc = |s: &str| percent(s);
    Some(match &node {
        NodeId::Product(p) => format!("/products/{p}"),
        NodeId::Port { product, port } => format!("/products/{product}#port-{port}"),
        _ => format!("/lineage?focus={}&scope=all", enc(&node.to_string())),
    })
}

/// Percent-encodes a query value.
fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn graph_view(placed: PositionedGraph, names: &Names) -> LineageGraphView {
    let mut domains: HashSet<String> = HashSet::new();
    let nodes = placed
        .nodes
        .into_iter()
        .map(|n| {
            if let Some(d) = &n.domain {
                domains.insert(d.clone());
            }
            GraphNodeView {
                href: if n.kind == "more" {
                    None
                } else {
                    href_of(&n.id)
                },
                id: n.id,
                kind: n.kind,
                label: n.label,
                domain: n.domain,
                team: n.team,
                status: n.status,
                subtype: n.subtype,
                depth: n.depth,
                hidden_upstream: n.hidden_upstream,
                hidden_downstream: n.hidden_downstream,
                x: n.x,
                y: n.y,
                width: n.width,
                height: n.height,
                more_of: n.more_of,
                more_count: n.more_count,
            }
        })
        .collect();
    let mut legend: Vec<LegendEntry> = domains
        .into_iter()
        .map(|d| LegendEntry {
            name: names.domain_name(&d),
            color: names.domain_color(&d),
            domain: d,
        })
        .collect();
    legend.sort_by(|a, b| a.name.cmp(&b.name));
    LineageGraphView {
        focus: placed.focus,
        nodes,
        edges: placed
            .edges
            .into_iter()
            .map(|e| GraphEdgeView {
                from: e.from,
                to: e.to,
                kind: e.kind,
                label: e.label,
                points: e.points,
                reversed: e.reversed,
            })
            .collect(),
        groups: placed
            .groups
            .into_iter()
            .map(|g| GraphGroupView {
                // Lanes of columns are datasets, not domains.
                name: names.domain_name(&g.domain),
                color: if names.domains.contains_key(&g.domain) {
                    names.domain_color(&g.domain)
                } else {
                    String::from("#64748b")
                },
                domain: g.domain,
                x: g.x,
                y: g.y,
                width: g.width,
                height: g.height,
            })
            .collect(),
        legend,
        width: placed.width,
        height: placed.height,
        crossings: placed.crossings,
        truncated: placed.truncated,
        path: None,
        path_error: None,
    }
}
