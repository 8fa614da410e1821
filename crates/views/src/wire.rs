//! The explorer's compact wire format: a laid-out neighbourhood as columns instead of objects.
//!
//! The REST shape ([`LineageGraphView`]) repeats every field name for every node and every edge and
//! writes each coordinate with full precision: 560 KB of JSON for a thousand nodes, which the
//! browser then decodes field by field. Here every string is sent once (ids, kinds, domains, teams
//! and labels index one table), nodes and edges are parallel arrays, and coordinates are integers in
//! tenths of a pixel. [`CompactGraph::expand`] gives back the same view the server laid out, its
//! coordinates rounded to a tenth of a pixel.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::lineage::{
    GraphEdgeView, GraphGroupView, GraphNodeView, LegendEntry, LineageGraphView, PathView,
};

/// A laid-out neighbourhood in columns (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompactGraph {
    /// Every distinct string, each once.
    pub strings: Vec<String>,
    pub focus: Option<String>,
    /// Per node, indexes into `strings`; optional ones are shifted by one, 0 standing for none.
    pub node_id: Vec<u32>,
    pub node_kind: Vec<u32>,
    pub node_label: Vec<u32>,
    pub node_domain: Vec<u32>,
    pub node_team: Vec<u32>,
    pub node_status: Vec<u32>,
    pub node_subtype: Vec<u32>,
    pub node_href: Vec<u32>,
    pub node_more_of: Vec<u32>,
    /// Per node: depth, hidden upstream, hidden downstream, more count.
    pub node_counts: Vec<i32>,
    /// Per node: centre x, centre y, width, height, in tenths of a pixel.
    pub node_box: Vec<i32>,
    /// Per edge, indexes into the node columns.
    pub edge_from: Vec<u32>,
    pub edge_to: Vec<u32>,
    /// Per edge, indexes into `strings` (the label's shifted by one, as for nodes).
    pub edge_kind: Vec<u32>,
    pub edge_label: Vec<u32>,
    /// Indexes of the edges turned around to break a cycle.
    pub edge_reversed: Vec<u32>,
    /// Per edge, how many points its route has; the points follow one another in `edge_points`.
    pub edge_point_count: Vec<u32>,
    /// x, y pairs in tenths of a pixel.
    pub edge_points: Vec<i32>,
    pub groups: Vec<GraphGroupView>,
    pub legend: Vec<LegendEntry>,
    pub width: f64,
    pub height: f64,
    pub crossings: usize,
    pub truncated: bool,
    pub path: Option<PathView>,
    pub path_error: Option<String>,
}

/// Gives every distinct string one index.
#[derive(Default)]
struct Interner<'a> {
    strings: Vec<String>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn get(&mut self, s: &'a str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_owned());
        self.index.insert(s, i);
        i
    }

    fn opt(&mut self, s: &'a Option<String>) -> u32 {
        s.as_deref().map_or(0, |s| self.get(s) + 1)
    }
}

fn tenths(v: f64) -> i32 {
    (v * 10.0).round() as i32
}

fn px(v: i32) -> f64 {
    f64::from(v) / 10.0
}

impl From<&LineageGraphView> for CompactGraph {
    fn from(view: &LineageGraphView) -> CompactGraph {
        let mut strings = Interner::default();
        let n = view.nodes.len();
        let mut g = CompactGraph {
            focus: view.focus.clone(),
            node_id: Vec::with_capacity(n),
            node_kind: Vec::with_capacity(n),
            node_label: Vec::with_capacity(n),
            node_domain: Vec::with_capacity(n),
            node_team: Vec::with_capacity(n),
            node_status: Vec::with_capacity(n),
            node_subtype: Vec::with_capacity(n),
            node_href: Vec::with_capacity(n),
            node_more_of: Vec::with_capacity(n),
            node_counts: Vec::with_capacity(4 * n),
            node_box: Vec::with_capacity(4 * n),
            groups: view.groups.clone(),
            legend: view.legend.clone(),
            width: view.width,
            height: view.height,
            crossings: view.crossings,
            truncated: view.truncated,
            path: view.path.clone(),
            path_error: view.path_error.clone(),
            ..CompactGraph::default()
        };
        let mut position = HashMap::with_capacity(n);
        for (i, node) in view.nodes.iter().enumerate() {
            position.insert(node.id.as_str(), i as u32);
            g.node_id.push(strings.get(&node.id));
            g.node_kind.push(strings.get(&node.kind));
            g.node_label.push(strings.get(&node.label));
            g.node_domain.push(strings.opt(&node.domain));
            g.node_team.push(strings.opt(&node.team));
            g.node_status.push(strings.opt(&node.status));
            g.node_subtype.push(strings.opt(&node.subtype));
            g.node_href.push(strings.opt(&node.href));
            g.node_more_of.push(strings.opt(&node.more_of));
            g.node_counts.extend([
                node.depth,
                node.hidden_upstream as i32,
                node.hidden_downstream as i32,
                node.more_count as i32,
            ]);
            g.node_box.extend([
                tenths(node.x),
                tenths(node.y),
                tenths(node.width),
                tenths(node.height),
            ]);
        }
        for (i, edge) in view.edges.iter().enumerate() {
            // An edge always joins two drawn nodes; one that does not is a bug upstream, and
            // is dropped rather than pointing at the wrong node.
            let (Some(&from), Some(&to)) = (
                position.get(edge.from.as_str()),
                position.get(edge.to.as_str()),
            ) else {
                continue;
            };
            g.edge_from.push(from);
            g.edge_to.push(to);
            g.edge_kind.push(strings.get(&edge.kind));
            g.edge_label.push(strings.opt(&edge.label));
            if edge.reversed {
                g.edge_reversed.push(i as u32);
            }
            g.edge_point_count.push(edge.points.len() as u32);
            for &(x, y) in &edge.points {
                g.edge_points.extend([tenths(x), tenths(y)]);
            }
        }
        g.strings = strings.strings;
        g
    }
}

/// The string table while a compact graph is read back: a string is copied for every use but
/// the last, which takes it.
struct Table {
    strings: Vec<String>,
    uses: Vec<u32>,
}

impl Table {
    fn new(strings: Vec<String>) -> Table {
        let uses = vec![0; strings.len()];
        Table { strings, uses }
    }

    fn count(&mut self, i: u32) {
        if let Some(u) = self.uses.get_mut(i as usize) {
            *u += 1;
        }
    }

    fn get(&mut self, i: u32) -> Result<String, WireError> {
        let (Some(s), Some(left)) = (
            self.strings.get_mut(i as usize),
            self.uses.get_mut(i as usize),
        ) else {
            return Err(WireError(format!("string {i} out of range")));
        };
        *left = left.saturating_sub(1);
        Ok(if *left == 0 {
            std::mem::take(s)
        } else {
            s.clone()
        })
    }
}

/// The reason a compact graph cannot be read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed compact graph: {}", self.0)
    }
}

impl CompactGraph {
    /// The view the server laid out, coordinates rounded to a tenth of a pixel.
    pub fn expand(self) -> Result<LineageGraphView, WireError> {
        let n = self.node_id.len();
        let columns = [
            self.node_kind.len(),
            self.node_label.len(),
            self.node_domain.len(),
            self.node_team.len(),
            self.node_status.len(),
            self.node_subtype.len(),
            self.node_href.len(),
            self.node_more_of.len(),
        ];
        if columns.iter().any(|&len| len != n)
            || self.node_counts.len() != 4 * n
            || self.node_box.len() != 4 * n
        {
            return Err(WireError("node columns differ in length".into()));
        }
        let e = self.edge_from.len();
        if [
            self.edge_to.len(),
            self.edge_kind.len(),
            self.edge_label.len(),
            self.edge_point_count.len(),
        ]
        .iter()
        .any(|&len| len != e)
        {
            return Err(WireError("edge columns differ in length".into()));
        }
        let points: usize = self.edge_point_count.iter().map(|&c| c as usize).sum();
        if self.edge_points.len() != 2 * points {
            return Err(WireError("edge points do not add up".into()));
        }
        // Each string is copied for all but its last use, which takes it: ids, labels and links
        // are used once, and a thousand-node picture has a few thousand of them.
        let plain = [
            &self.node_id,
            &self.node_kind,
            &self.node_label,
            &self.edge_kind,
        ];
        let optional = [
            &self.node_domain,
            &self.node_team,
            &self.node_status,
            &self.node_subtype,
            &self.node_href,
            &self.node_more_of,
            &self.edge_label,
        ];
        let mut table = Table::new(self.strings);
        for &i in plain.iter().flat_map(|c| c.iter()) {
            table.count(i);
        }
        for &i in optional.iter().flat_map(|c| c.iter()).filter(|&&i| i > 0) {
            table.count(i - 1);
        }
        let table = std::cell::RefCell::new(table);
        let text = |i: u32| table.borrow_mut().get(i);
        let opt = |i: u32| -> Result<Option<String>, WireError> {
            if i == 0 {
                Ok(None)
            } else {
                text(i - 1).map(Some)
            }
        };
        let mut nodes = Vec::with_capacity(n);
        for i in 0..n {
            let counts = &self.node_counts[4 * i..4 * i + 4];
            let at = &self.node_box[4 * i..4 * i + 4];
            nodes.push(GraphNodeView {
                id: text(self.node_id[i])?,
                kind: text(self.node_kind[i])?,
                label: text(self.node_label[i])?,
                domain: opt(self.node_domain[i])?,
                team: opt(self.node_team[i])?,
                status: opt(self.node_status[i])?,
                subtype: opt(self.node_subtype[i])?,
                depth: counts[0],
                hidden_upstream: counts[1].max(0) as usize,
                hidden_downstream: counts[2].max(0) as usize,
                x: px(at[0]),
                y: px(at[1]),
                width: px(at[2]),
                height: px(at[3]),
                more_of: opt(self.node_more_of[i])?,
                more_count: counts[3].max(0) as usize,
                href: opt(self.node_href[i])?,
            });
        }
        let node_id = |i: u32| -> Result<String, WireError> {
            nodes
                .get(i as usize)
                .map(|n| n.id.clone())
                .ok_or_else(|| WireError(format!("node {i} out of range")))
        };
        let mut edges = Vec::with_capacity(e);
        let mut reversed = self.edge_reversed.iter().copied().peekable();
        let mut next_point = 0;
        for i in 0..e {
            let count = self.edge_point_count[i] as usize;
            let route = &self.edge_points[2 * next_point..2 * (next_point + count)];
            next_point += count;
            let is_reversed = reversed.peek() == Some(&(i as u32));
            if is_reversed {
                reversed.next();
            }
            edges.push(GraphEdgeView {
                from: node_id(self.edge_from[i])?,
                to: node_id(self.edge_to[i])?,
                kind: text(self.edge_kind[i])?,
                label: opt(self.edge_label[i])?,
                points: route.chunks(2).map(|p| (px(p[0]), px(p[1]))).collect(),
                reversed: is_reversed,
            });
        }
        Ok(LineageGraphView {
            focus: self.focus,
            nodes,
            edges,
            groups: self.groups,
            legend: self.legend,
            width: self.width,
            height: self.height,
            crossings: self.crossings,
            truncated: self.truncated,
            path: self.path,
            path_error: self.path_error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(i: usize, kind: &str) -> GraphNodeView {
        GraphNodeView {
            id: format!("{kind}:n{i}"),
            kind: kind.into(),
            label: format!("Node “{i}” </script>"),
            domain: (!i.is_multiple_of(3)).then(|| format!("d{}", i % 2)),
            team: i.is_multiple_of(2).then(|| "team".into()),
            status: Some("active".into()),
            subtype: None,
            depth: i as i32 - 2,
            hidden_upstream: i,
            hidden_downstream: 2 * i,
            x: i as f64 * 12.5,
            y: 40.0 * i as f64 + 0.5,
            width: 180.0,
            height: 44.5,
            more_of: (kind == "more").then(|| "product:n0".into()),
            more_count: if kind == "more" { 17 } else { 0 },
            href: Some(format!("/products/n{i}")),
        }
    }

    fn view() -> LineageGraphView {
        let nodes: Vec<_> = (0..6)
            .map(|i| node(i, if i == 5 { "more" } else { "product" }))
            .collect();
        let edges = (1..6)
            .map(|i| GraphEdgeView {
                from: nodes[i - 1].id.clone(),
                to: nodes[i].id.clone(),
                kind: if i % 2 == 0 { "declared" } else { "reads" }.into(),
                label: (i == 3).then(|| "orders".into()),
                points: (0..i).map(|p| (p as f64 * 0.5, 3.5 * p as f64)).collect(),
                reversed: i == 2 || i == 4,
            })
            .collect();
        LineageGraphView {
            focus: Some("product:n0".into()),
            nodes,
            edges,
            groups: vec![GraphGroupView {
                domain: "d0".into(),
                name: "Sales".into(),
                color: "#123456".into(),
                x: 1.0,
                y: 2.0,
                width: 3.0,
                height: 4.0,
            }],
            legend: vec![LegendEntry {
                domain: "d0".into(),
                name: "Sales".into(),
                color: "#123456".into(),
            }],
            width: 900.5,
            height: 400.0,
            crossings: 3,
            truncated: true,
            path: None,
            path_error: Some("no path".into()),
        }
    }

    #[test]
    fn a_view_comes_back_as_it_was_laid_out() {
        let original = view();
        let wire = serde_json::to_string(&CompactGraph::from(&original)).unwrap();
        let back: CompactGraph = serde_json::from_str(&wire).unwrap();
        assert_eq!(back.expand().unwrap(), original);
    }

    #[test]
    fn strings_are_sent_once() {
        let compact = CompactGraph::from(&view());
        let mut seen = std::collections::HashSet::new();
        assert!(compact.strings.iter().all(|s| seen.insert(s)));
        assert_eq!(
            compact.strings.iter().filter(|s| *s == "product").count(),
            1
        );
    }

    #[test]
    fn a_malformed_graph_is_refused_not_misread() {
        let mut compact = CompactGraph::from(&view());
        compact.node_label.pop();
        assert!(compact.expand().is_err());
        let mut compact = CompactGraph::from(&view());
        compact.edge_to[0] = 99;
        assert!(compact.expand().is_err());
        let mut compact = CompactGraph::from(&view());
        compact.edge_points.pop();
        assert!(compact.expand().is_err());
    }
}
