//! Walking the graph: upstream and downstream to a depth, the neighbourhood the explorer shows
//! (with fan-out limits and expanded nodes), and the shortest path between two nodes.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

use crate::NodeId;
use crate::graph::LineageGraph;
use crate::model::{EdgeKind, NodeData, Scope};

/// Which way to walk: against the flow of data or with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    Upstream,
    Downstream,
}

impl Flow {
    fn direction(self) -> Direction {
        match self {
            Flow::Upstream => Direction::Incoming,
            Flow::Downstream => Direction::Outgoing,
        }
    }
}

/// A part of the graph, ready to be laid out or listed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subgraph {
    pub focus: Option<NodeId>,
    pub nodes: Vec<SubNode>,
    pub edges: Vec<SubEdge>,
    /// Nodes whose neighbours were cut by the fan-out limit: "and 287 more".
    pub more: Vec<More>,
    /// True when the node budget stopped the walk early.
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubNode {
    pub id: NodeId,
    pub data: NodeData,
    /// Distance from the focus: negative upstream, positive downstream.
    pub depth: i32,
    /// Neighbours in the scope that are not in this subgraph; expanding the node shows them.
    pub hidden_upstream: usize,
    pub hidden_downstream: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: EdgeKind,
    /// The input port behind a declared edge.
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct More {
    pub node: NodeId,
    pub flow: Flow,
    pub hidden: usize,
}

/// What the explorer asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Neighbourhood {
    pub focus: NodeId,
    pub scope: Scope,
    pub upstream: u32,
    pub downstream: u32,
    /// Nodes whose every neighbour should be shown too (expanded by a click).
    pub expanded: Vec<NodeId>,
    /// Nodes whose neighbours are all shown, however many ("and 287 more" clicked).
    pub unlimited: Vec<NodeId>,
    /// Nodes shown whatever the depth (the nodes of a highlighted path, say).
    pub include: Vec<NodeId>,
    /// How many neighbours of a node to show in each direction before summarising the rest.
    pub fan_out: usize,
    /// The most nodes to return.
    pub max_nodes: usize,
}

impl Neighbourhood {
    pub fn around(focus: NodeId) -> Neighbourhood {
        Neighbourhood {
            focus,
            scope: Scope::Products,
            upstream: 1,
            downstream: 1,
            expanded: Vec::new(),
            unlimited: Vec::new(),
            include: Vec::new(),
            fan_out: 25,
            max_nodes: 2_000,
        }
    }
}

/// A path along the flow of data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineagePath {
    pub nodes: Vec<NodeId>,
    pub edges: Vec<SubEdge>,
}

/// The result of a walk: how far each node is, and how it was reached.
#[derive(Default)]
pub(crate) struct Walk {
    pub dist: HashMap<NodeIndex, u32>,
    pub parent: HashMap<NodeIndex, (NodeIndex, EdgeIndex)>,
    /// Nodes in the order they were settled (nearest first).
    pub order: Vec<NodeIndex>,
}

impl LineageGraph {
    /// The steps from a node in one direction within a scope: the edge kinds the scope holds
    /// in that direction, and identity edges (a port and its dataset) in both.
    pub(crate) fn steps(
        &self,
        i: NodeIndex,
        flow: Flow,
        scope: Scope,
    ) -> impl Iterator<Item = (NodeIndex, EdgeIndex, u32)> + '_ {
        let forward = self
            .graph
            .edges_directed(i, flow.direction())
            .filter(move |e| scope.includes(e.weight().kind))
            .map(move |e| {
                let next = if flow == Flow::Downstream {
                    e.target()
                } else {
                    e.source()
                };
                (next, e.id(), e.weight().kind.weight())
            });
        let backward = self
            .graph
            .edges_directed(i, flow.direction().opposite())
            .filter(move |e| {
                e.weight().kind.is_identity_in(scope) && scope.includes(e.weight().kind)
            })
            .map(move |e| {
                let next = if flow == Flow::Downstream {
                    e.source()
                } else {
                    e.target()
                };
                (next, e.id(), 0)
            });
        forward.chain(backward)
    }

    /// A 0-1 breadth-first walk: every node within `max_depth`, each at its smallest depth.
    pub(crate) fn walk(
        &self,
        start: &[NodeIndex],
        flow: Flow,
        scope: Scope,
        max_depth: u32,
        budget: usize,
    ) -> (Walk, bool) {
        let mut walk = Walk::default();
        let mut queue = VecDeque::new();
        for &s in start {
            walk.dist.insert(s, 0);
            queue.push_back(s);
        }
        let mut settled = HashSet::new();
        let mut truncated = false;
        while let Some(n) = queue.pop_front() {
            if !settled.insert(n) {
                continue;
            }
            walk.order.push(n);
            if walk.order.len() >= budget {
                truncated = true;
                break;
            }
            let d = walk.dist[&n];
            for (next, edge, w) in self.steps(n, flow, scope) {
                let nd = d + w;
                if nd > max_depth || settled.contains(&next) {
                    continue;
                }
                if walk.dist.get(&next).is_none_or(|&old| nd < old) {
                    walk.dist.insert(next, nd);
                    walk.parent.insert(next, (n, edge));
                    if w == 0 {
                        queue.push_front(next);
                    } else {
                        queue.push_back(next);
                    }
                }
            }
        }
        (walk, truncated)
    }

    /// Everything upstream of a node, to a depth.
    pub fn upstream(&self, id: &NodeId, depth: u32, scope: Scope) -> Option<Subgraph> {
        self.one_way(id, Flow::Upstream, depth, scope)
    }

    /// Everything downstream of a node, to a depth.
    pub fn downstream(&self, id: &NodeId, depth: u32, scope: Scope) -> Option<Subgraph> {
        self.one_way(id, Flow::Downstream, depth, scope)
    }

    fn one_way(&self, id: &NodeId, flow: Flow, depth: u32, scope: Scope) -> Option<Subgraph> {
        let start = self.idx(id)?;
        let (walk, truncated) = self.walk(&[start], flow, scope, depth, usize::MAX);
        let sign = if flow == Flow::Upstream { -1 } else { 1 };
        let depths: HashMap<NodeIndex, i32> = walk
            .order
            .iter()
            .map(|n| (*n, sign * walk.dist[n] as i32))
            .collect();
        let mut sub = self.subgraph(&walk.order, &depths, scope);
        sub.focus = Some(id.clone());
        sub.truncated = truncated;
        Some(sub)
    }

    /// Everything within `up` levels upstream and `down` levels downstream of any of the
    /// starting nodes (unknown ones are skipped), with the edges between them.
    pub fn reach(&self, starts: &[NodeId], up: u32, down: u32, scope: Scope) -> Subgraph {
        let start: Vec<NodeIndex> = starts.iter().filter_map(|id| self.idx(id)).collect();
        let mut depth: HashMap<NodeIndex, i32> = start.iter().map(|&s| (s, 0)).collect();
        let mut order: Vec<NodeIndex> = start.clone();
        for (flow, levels, sign) in [(Flow::Upstream, up, -1), (Flow::Downstream, down, 1)] {
            let (walk, _) = self.walk(&start, flow, scope, levels, usize::MAX);
            for n in walk.order {
                if let std::collections::hash_map::Entry::Vacant(e) = depth.entry(n) {
                    e.insert(sign * walk.dist[&n] as i32);
                    order.push(n);
                }
            }
        }
        self.subgraph(&order, &depth, scope)
    }

    /// The part of the graph around a node that the explorer shows: `upstream` and
    /// `downstream` levels, the neighbours of every expanded node, at most `fan_out` neighbours
    /// of a node in each direction unless it is unlimited.
    pub fn neighbourhood(&self, q: &Neighbourhood) -> Option<Subgraph> {
        let focus = self.idx(&q.focus)?;
        let unlimited: HashSet<NodeIndex> =
            q.unlimited.iter().filter_map(|id| self.idx(id)).collect();
        let mut depth: HashMap<NodeIndex, i32> = HashMap::from([(focus, 0)]);
        let mut order = vec![focus];
        let mut cut: HashSet<(NodeIndex, Flow)> = HashSet::new();
        let mut truncated = false;

        // One walk in each direction, breadth first, each node's neighbours limited.
        for (flow, levels) in [
            (Flow::Upstream, q.upstream),
            (Flow::Downstream, q.downstream),
        ] {
            let sign = if flow == Flow::Upstream { -1 } else { 1 };
            let mut dist: HashMap<NodeIndex, u32> = HashMap::from([(focus, 0)]);
            let mut settled = HashSet::new();
            let mut queue = VecDeque::from([focus]);
            while let Some(n) = queue.pop_front() {
                if !settled.insert(n) {
                    continue;
                }
                let d = dist[&n];
                if let std::collections::hash_map::Entry::Vacant(e) = depth.entry(n) {
                    if order.len() >= q.max_nodes {
                        truncated = true;
                        break;
                    }
                    e.insert(sign * d as i32);
                    order.push(n);
                }
                // At the last level only free steps remain; they are never limited.
                let next: Vec<(NodeIndex, u32)> = if d < levels {
                    self.limited_steps(n, flow, q.scope, q.fan_out, &unlimited, &mut cut)
                } else {
                    self.steps(n, flow, q.scope)
                        .filter(|s| s.2 == 0)
                        .map(|(m, _, w)| (m, w))
                        .collect()
                };
                for (m, w) in next {
                    let nd = d + w;
                    if nd > levels || settled.contains(&m) {
                        continue;
                    }
                    if dist.get(&m).is_none_or(|&old| nd < old) {
                        dist.insert(m, nd);
                        if w == 0 {
                            queue.push_front(m);
                        } else {
                            queue.push_back(m);
                        }
                    }
                }
            }
        }
        // Expanded nodes show one more level of neighbours on both sides.
        for id in &q.expanded {
            let Some(n) = self.idx(id) else { continue };
            if !depth.contains_key(&n) {
                continue;
            }
            for flow in [Flow::Upstream, Flow::Downstream] {
                let sign = if flow == Flow::Upstream { -1 } else { 1 };
                let base = depth[&n];
                let mut stack = vec![n];
                let mut seen = HashSet::from([n]);
                // Zero-weight steps (a product's ports, a port's dataset) come along for free.
                while let Some(x) = stack.pop() {
                    for (m, w) in
                        self.limited_steps(x, flow, q.scope, q.fan_out, &unlimited, &mut cut)
                    {
                        if !seen.insert(m) {
                            continue;
                        }
                        if let std::collections::hash_map::Entry::Vacant(e) = depth.entry(m) {
                            if order.len() >= q.max_nodes {
                                truncated = true;
                                break;
                            }
                            e.insert(base + sign * w as i32);
                            order.push(m);
                        }
                        if w == 0 {
                            stack.push(m);
                        }
                    }
                }
            }
        }

        for id in &q.include {
            if let Some(n) = self.idx(id)
                && let std::collections::hash_map::Entry::Vacant(e) = depth.entry(n)
            {
                e.insert(0);
                order.push(n);
            }
        }
        let mut sub = self.subgraph(&order, &depth, q.scope);
        let included: HashSet<NodeIndex> = order.iter().copied().collect();
        let mut more: Vec<More> = cut
            .into_iter()
            .filter_map(|(n, flow)| {
                let hidden = self
                    .steps(n, flow, q.scope)
                    .map(|(m, _, _)| m)
                    .collect::<HashSet<_>>()
                    .into_iter()
                    .filter(|m| !included.contains(m))
                    .count();
                (hidden > 0).then(|| More {
                    node: self.id_of(n).clone(),
                    flow,
                    hidden,
                })
            })
            .collect();
        more.sort_by(|a, b| {
            a.node
                .cmp(&b.node)
                .then((a.flow as u8).cmp(&(b.flow as u8)))
        });
        sub.more = more;
        sub.focus = Some(q.focus.clone());
        sub.truncated = truncated;
        Some(sub)
    }

    /// A node's neighbours in one direction, at most `fan_out` of them (by label) unless the
    /// node is unlimited; records the cut.
    fn limited_steps(
        &self,
        n: NodeIndex,
        flow: Flow,
        scope: Scope,
        fan_out: usize,
        unlimited: &HashSet<NodeIndex>,
        cut: &mut HashSet<(NodeIndex, Flow)>,
    ) -> Vec<(NodeIndex, u32)> {
        let mut next: Vec<(NodeIndex, u32)> =
            self.steps(n, flow, scope).map(|(m, _, w)| (m, w)).collect();
        next.sort_by(|a, b| {
            let (x, y) = (&self.graph[a.0], &self.graph[b.0]);
            a.1.cmp(&b.1)
                .then_with(|| x.data.label.cmp(&y.data.label))
                .then_with(|| x.id.cmp(&y.id))
        });
        next.dedup_by_key(|s| s.0);
        // Free steps (own ports, own datasets) never count against the limit.
        let free = next.iter().filter(|s| s.1 == 0).count();
        // A port is as unlimited as its product (the explorer shows them as one node).
        let limited = !unlimited.contains(&n)
            && self
                .owning_product(n)
                .is_none_or(|p| !unlimited.contains(&p));
        if next.len() - free > fan_out && limited {
            cut.insert((n, flow));
            next.truncate(free + fan_out);
        }
        next
    }

    /// The nodes given, with every edge between them in the scope, and how many neighbours of
    /// each are left out.
    pub(crate) fn subgraph(
        &self,
        nodes: &[NodeIndex],
        depth: &HashMap<NodeIndex, i32>,
        scope: Scope,
    ) -> Subgraph {
        let included: HashSet<NodeIndex> = nodes.iter().copied().collect();
        let mut sub = Subgraph::default();
        for &n in nodes {
            let hidden = |flow| {
                self.steps(n, flow, scope)
                    .map(|(m, _, _)| m)
                    .filter(|m| !included.contains(m))
                    .collect::<HashSet<_>>()
                    .len()
            };
            sub.nodes.push(SubNode {
                id: self.id_of(n).clone(),
                data: self.data_of(n).clone(),
                depth: depth.get(&n).copied().unwrap_or(0),
                hidden_upstream: hidden(Flow::Upstream),
                hidden_downstream: hidden(Flow::Downstream),
            });
            for e in self.graph.edges_directed(n, Direction::Outgoing) {
                if scope.includes(e.weight().kind) && included.contains(&e.target()) {
                    sub.edges.push(self.sub_edge(e.id()));
                }
            }
        }
        sub
    }

    pub(crate) fn sub_edge(&self, e: EdgeIndex) -> SubEdge {
        let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
        let w = &self.graph[e];
        SubEdge {
            from: self.id_of(a).clone(),
            to: self.id_of(b).clone(),
            kind: w.kind,
            label: w.label.clone(),
        }
    }

    /// The shortest path along the flow of data between two nodes, in whichever direction one
    /// reaches the other.
    pub fn path(&self, a: &NodeId, b: &NodeId, scope: Scope) -> Option<LineagePath> {
        let (ia, ib) = (self.idx(a)?, self.idx(b)?);
        self.directed_path(ia, ib, scope)
            .or_else(|| self.directed_path(ib, ia, scope))
    }

    fn directed_path(&self, from: NodeIndex, to: NodeIndex, scope: Scope) -> Option<LineagePath> {
        let mut parent: HashMap<NodeIndex, (NodeIndex, EdgeIndex)> = HashMap::new();
        let mut seen = HashSet::from([from]);
        let mut queue = VecDeque::from([from]);
        while let Some(n) = queue.pop_front() {
            if n == to {
                break;
            }
            for (m, e, _) in self.steps(n, Flow::Downstream, scope) {
                if seen.insert(m) {
                    parent.insert(m, (n, e));
                    queue.push_back(m);
                }
            }
        }
        if from != to && !parent.contains_key(&to) {
            return None;
        }
        let mut nodes = vec![to];
        let mut edges = Vec::new();
        let mut at = to;
        while let Some(&(p, e)) = parent.get(&at) {
            edges.push(self.sub_edge(e));
            nodes.push(p);
            at = p;
            if at == from {
                break;
            }
        }
        nodes.reverse();
        edges.reverse();
        Some(LineagePath {
            nodes: nodes.into_iter().map(|n| self.id_of(n).clone()).collect(),
            edges,
        })
    }
}
