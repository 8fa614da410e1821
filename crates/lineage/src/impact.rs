//! Impact analysis: every product downstream of a node, with its owners, how far it is, and the
//! path that reaches it.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::NodeId;
use crate::graph::LineageGraph;
use crate::model::{EdgeKind, Scope};
use crate::traverse::Flow;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    pub source: NodeId,
    pub entries: Vec<ImpactEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactEntry {
    pub product: String,
    pub name: String,
    pub domain: Option<String>,
    pub team: Option<String>,
    pub status: Option<String>,
    /// Product hops from the source (1: reads the source directly).
    pub depth: u32,
    /// The products on the way, from the source to this one (both included).
    pub path: Vec<String>,
    /// Every node on the way, for highlighting.
    pub route: Vec<NodeId>,
    /// Whether the path relies on observed lineage rather than declared input ports only.
    pub observed: bool,
}

impl LineageGraph {
    /// Every product downstream of `source`, nearest first. In [`Scope::All`] observed lineage
    /// counts too (a job that reads the source's dataset and writes another port's).
    pub fn impact(&self, source: &NodeId, scope: Scope) -> Option<Impact> {
        let start = self.idx(source)?;
        let (walk, _) = self.walk(&[start], Flow::Downstream, scope, u32::MAX, usize::MAX);
        let own = self.owning_product(start);
        let mut seen = HashSet::new();
        let mut entries = Vec::new();
        for &n in &walk.order {
            let Some(p) = self.owning_product(n) else {
                continue;
            };
            if Some(p) == own || !seen.insert(p) {
                continue;
            }
            // The route back to the source, through parents.
            let mut route = vec![n];
            let mut observed = false;
            let mut at = n;
            while let Some(&(parent, edge)) = walk.parent.get(&at) {
                observed |= matches!(
                    self.graph[edge].kind,
                    EdgeKind::Reads | EdgeKind::Writes | EdgeKind::Serves
                );
                route.push(parent);
                at = parent;
            }
            route.reverse();
            let mut path: Vec<String> = Vec::new();
            for &r in &route {
                if let Some(pp) = self.owning_product(r) {
                    let id = self.id_of(pp).product_id().unwrap_or_default().to_owned();
                    if path.last() != Some(&id) {
                        path.push(id);
                    }
                }
            }
            let data = self.data_of(p);
            entries.push(ImpactEntry {
                product: self.id_of(p).product_id().unwrap_or_default().to_owned(),
                name: data.label.clone(),
                domain: data.domain.clone(),
                team: data.team.clone(),
                status: data.status.clone(),
                depth: walk.dist[&n],
                path,
                route: route.into_iter().map(|r| self.id_of(r).clone()).collect(),
                observed,
            });
        }
        entries.sort_by(|a, b| {
            a.depth
                .cmp(&b.depth)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.product.cmp(&b.product))
        });
        Some(Impact {
            source: source.clone(),
            entries,
        })
    }
}
