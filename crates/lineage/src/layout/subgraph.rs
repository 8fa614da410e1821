//! From a [`Subgraph`] to a positioned picture: node sizes by kind, ports folded into their
//! products when asked, "and N more" markers, lanes by domain.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::{LayoutGraph, LayoutNode, LayoutOptions, layout, relayout};
use crate::NodeId;
use crate::traverse::{Flow, Subgraph};

/// How to turn a subgraph into a picture.
#[derive(Clone, Copy, Debug)]
pub struct SubgraphLayout {
    /// One horizontal lane per domain.
    pub group_by_domain: bool,
    /// Show a product and its output ports as one node.
    pub fold_ports: bool,
    pub options: LayoutOptions,
}

impl Default for SubgraphLayout {
    fn default() -> SubgraphLayout {
        SubgraphLayout {
            group_by_domain: false,
            fold_ports: true,
            options: LayoutOptions::default(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PositionedGraph {
    pub focus: Option<String>,
    pub nodes: Vec<PositionedNode>,
    pub edges: Vec<PositionedEdge>,
    pub groups: Vec<PositionedGroup>,
    pub width: f64,
    pub height: f64,
    pub crossings: usize,
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionedNode {
    /// The node id (`product:…`), or `more:<upstream|downstream>:<node id>` for a marker.
    pub id: String,
    /// `product`, `port`, `dataset`, `job`, `datasetField` or `more`.
    pub kind: String,
    pub label: String,
    pub domain: Option<String>,
    pub team: Option<String>,
    pub status: Option<String>,
    pub subtype: Option<String>,
    pub depth: i32,
    pub hidden_upstream: usize,
    pub hidden_downstream: usize,
    /// Centre.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// For a marker: the node it belongs to, and how many it stands for.
    pub more_of: Option<String>,
    pub more_count: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionedEdge {
    pub from: String,
    pub to: String,
    /// The edge kind (`declared`, `writes`, …), or `more`.
    pub kind: String,
    /// Port names or the input port behind the edge.
    pub label: Option<String>,
    pub points: Vec<(f64, f64)>,
    pub reversed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionedGroup {
    /// The domain of the lane, or the dataset for a lane of columns.
    pub domain: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

fn size(kind: &str, label: &str) -> (f64, f64) {
    let chars = label.chars().count() as f64;
    let (min, max, h) = match kind {
        "product" => (150.0, 230.0, 44.0),
        "port" => (110.0, 200.0, 30.0),
        "more" => (110.0, 140.0, 28.0),
        "datasetField" => (110.0, 200.0, 28.0),
        _ => (130.0, 230.0, 34.0),
    };
    ((chars * 7.2 + 44.0).clamp(min, max), h)
}

impl SubgraphLayout {
    pub fn place(&self, sub: &Subgraph) -> PositionedGraph {
        self.place_with(sub, None)
    }

    /// The picture of `sub` when it grew from a picture already on screen, given as the `y` of
    /// each node it drew, by id: those nodes keep their order (see [`super::relayout`]), new
    /// ones go beside their neighbours.
    pub fn place_after(&self, sub: &Subgraph, previous: &HashMap<&str, f64>) -> PositionedGraph {
        self.place_with(sub, Some(previous))
    }

    fn place_with(&self, sub: &Subgraph, previous: Option<&HashMap<&str, f64>>) -> PositionedGraph {
        // Which picture node stands for each subgraph node.
        let present: BTreeSet<&NodeId> = sub.nodes.iter().map(|n| &n.id).collect();
        let stand_in = |id: &NodeId| -> String {
            if self.fold_ports
                && let NodeId::Port { product, .. } = id
            {
                let p = NodeId::product(product);
                if present.contains(&p) {
                    return p.to_string();
                }
            }
            id.to_string()
        };
        let mut nodes: Vec<PositionedNode> = Vec::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        // The picture node of each subgraph node, worked out once (edges ask twice each).
        let mut slot_of: HashMap<&NodeId, usize> = HashMap::with_capacity(sub.nodes.len());
        // Products before ports, so a folded port never stands for its product.
        let ordered = sub
            .nodes
            .iter()
            .filter(|n| n.id.kind() != "port")
            .chain(sub.nodes.iter().filter(|n| n.id.kind() == "port"));
        for n in ordered {
            let key = stand_in(&n.id);
            if let Some(&i) = slot.get(&key) {
                // A folded port: its hidden neighbours count for the product.
                nodes[i].hidden_upstream += n.hidden_upstream;
                nodes[i].hidden_downstream += n.hidden_downstream;
                slot_of.insert(&n.id, i);
                continue;
            }
            let kind = n.id.kind().to_owned();
            let (width, height) = size(&kind, &n.data.label);
            slot.insert(key.clone(), nodes.len());
            slot_of.insert(&n.id, nodes.len());
            nodes.push(PositionedNode {
                id: key,
                kind,
                label: n.data.label.clone(),
                domain: n.data.domain.clone(),
                team: n.data.team.clone(),
                status: n.data.status.clone(),
                subtype: n.data.subtype.clone(),
                depth: n.depth,
                hidden_upstream: n.hidden_upstream,
                hidden_downstream: n.hidden_downstream,
                x: 0.0,
                y: 0.0,
                width,
                height,
                more_of: None,
                more_count: 0,
            });
        }
        // Edges between picture nodes, folded ones merged with their port names as label; in
        // the order of their ends' ids.
        let mut merged: HashMap<(usize, usize), (&str, BTreeSet<String>)> = HashMap::new();
        for e in &sub.edges {
            // A subgraph's edges join its own nodes.
            let (Some(&a), Some(&b)) = (slot_of.get(&e.from), slot_of.get(&e.to)) else {
                continue;
            };
            if a == b {
                continue;
            }
            let entry = merged
                .entry((a, b))
                .or_insert_with(|| (e.kind.as_str(), BTreeSet::new()));
            if let NodeId::Port { port, .. } = &e.from
                && self.fold_ports
            {
                entry.1.insert(port.clone());
            }
            if let Some(l) = &e.label {
                entry.1.insert(l.clone());
            }
        }
        let mut merged: Vec<_> = merged.into_iter().collect();
        merged.sort_unstable_by(|((a, b), _), ((c, d), _)| {
            (&nodes[*a].id, &nodes[*b].id).cmp(&(&nodes[*c].id, &nodes[*d].id))
        });
        let mut edges: Vec<PositionedEdge> = merged
            .into_iter()
            .map(|((from, to), (kind, labels))| PositionedEdge {
                from: nodes[from].id.clone(),
                to: nodes[to].id.clone(),
                kind: kind.to_owned(),
                label: (!labels.is_empty())
                    .then(|| labels.into_iter().collect::<Vec<_>>().join(", ")),
                points: Vec::new(),
                reversed: false,
            })
            .collect();
        // "And N more" markers, beside the node they belong to.
        for m in &sub.more {
            let owner = stand_in(&m.node);
            let Some(&o) = slot.get(&owner) else { continue };
            let dir = match m.flow {
                Flow::Upstream => "upstream",
                Flow::Downstream => "downstream",
            };
            let id = format!("more:{dir}:{}", m.node);
            let label = format!("and {} more", m.hidden);
            let (width, height) = size("more", &label);
            slot.insert(id.clone(), nodes.len());
            let owner_node = &nodes[o];
            nodes.push(PositionedNode {
                id: id.clone(),
                kind: String::from("more"),
                label,
                domain: owner_node.domain.clone(),
                team: None,
                status: None,
                subtype: None,
                depth: owner_node.depth + if m.flow == Flow::Upstream { -1 } else { 1 },
                hidden_upstream: 0,
                hidden_downstream: 0,
                x: 0.0,
                y: 0.0,
                width,
                height,
                more_of: Some(owner.clone()),
                more_count: m.hidden,
            });
            let (from, to) = match m.flow {
                Flow::Upstream => (id, owner),
                Flow::Downstream => (owner, id),
            };
            edges.push(PositionedEdge {
                from,
                to,
                kind: String::from("more"),
                label: None,
                points: Vec::new(),
                reversed: false,
            });
        }

        // Lay out. Columns are grouped by their dataset, everything else by domain.
        let group_key = |n: &PositionedNode| -> Option<String> {
            if n.kind == "datasetField" {
                n.subtype.clone()
            } else {
                n.domain.clone()
            }
        };
        let domains: Vec<String> = nodes
            .iter()
            .filter_map(group_key)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let domain_index: HashMap<&str, usize> = domains
            .iter()
            .enumerate()
            .map(|(i, d)| (d.as_str(), i))
            .collect();
        let input = LayoutGraph {
            nodes: nodes
                .iter()
                .map(|n| LayoutNode {
                    width: n.width,
                    height: n.height,
                    group: if self.group_by_domain {
                        group_key(n).and_then(|d| domain_index.get(d.as_str()).copied())
                    } else {
                        None
                    },
                })
                .collect(),
            edges: edges.iter().map(|e| (slot[&e.from], slot[&e.to])).collect(),
        };
        let placed = match previous {
            None => layout(&input, &self.options),
            Some(previous) => {
                let hints: Vec<Option<f64>> = nodes
                    .iter()
                    .map(|n| previous.get(n.id.as_str()).copied())
                    .collect();
                relayout(&input, &self.options, &hints)
            }
        };
        for (n, p) in nodes.iter_mut().zip(&placed.nodes) {
            n.x = round(p.x);
            n.y = round(p.y);
        }
        for (e, r) in edges.iter_mut().zip(&placed.edges) {
            e.points = r
                .points
                .iter()
                .map(|&(x, y)| (round(x), round(y)))
                .collect();
            e.reversed = r.reversed;
        }
        PositionedGraph {
            focus: sub.focus.as_ref().map(stand_in),
            groups: placed
                .groups
                .iter()
                .map(|g| PositionedGroup {
                    domain: domains[g.group].clone(),
                    x: 0.0,
                    y: round(g.y),
                    width: round(placed.width),
                    height: round(g.height),
                })
                .collect(),
            nodes,
            edges,
            width: round(placed.width),
            height: round(placed.height),
            crossings: placed.crossings,
            truncated: sub.truncated,
        }
    }
}

/// Coordinates to a tenth of a pixel: smaller JSON, same picture.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
