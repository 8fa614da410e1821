//! The graph itself: nodes by id, typed edges, and the incremental updates that keep it equal
//! to the registry (a product published, a job observed, column lineage reported).

use std::collections::{BTreeSet, HashMap};

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

use crate::NodeId;
use crate::model::{
    ColumnEdge, DatasetRef, EdgeKind, InputPortSpec, JobSpec, NodeData, ProductSpec,
};

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub id: NodeId,
    pub data: NodeData,
}

#[derive(Clone, Debug)]
pub(crate) struct Edge {
    pub kind: EdgeKind,
    /// The input port behind a declared edge.
    pub label: Option<String>,
}

/// The lineage of the whole mesh, in memory. Cheap to query; updated in place on every write.
#[derive(Clone, Debug, Default)]
pub struct LineageGraph {
    pub(crate) graph: StableDiGraph<Node, Edge>,
    pub(crate) index: HashMap<NodeId, NodeIndex>,
    /// Contract id → the output port that offers it.
    offered: HashMap<String, NodeId>,
    /// Contract id → the (product, input port) pairs that read it, offered or not yet.
    readers: HashMap<String, BTreeSet<(String, String)>>,
    pub(crate) products: HashMap<String, ProductSpec>,
    pub(crate) jobs: HashMap<(String, String), JobSpec>,
    /// Output dataset → the column lineage last reported for it.
    columns: HashMap<DatasetRef, Vec<ColumnEdge>>,
    /// Datasets seen in OpenLineage events (as opposed to only declared by a port).
    observed: BTreeSet<DatasetRef>,
    generation: u64,
}

impl LineageGraph {
    pub fn new() -> LineageGraph {
        LineageGraph::default()
    }

    /// Grows by one on every change; a layout cached under one generation is still right as
    /// long as the generation is the same.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    pub fn product_count(&self) -> usize {
        self.products.len()
    }

    pub fn contains(&self, id: &NodeId) -> bool {
        self.index.contains_key(id)
    }

    pub fn node(&self, id: &NodeId) -> Option<&NodeData> {
        self.index.get(id).map(|&i| &self.graph[i].data)
    }

    pub fn product(&self, id: &str) -> Option<&ProductSpec> {
        self.products.get(id)
    }

    pub fn products(&self) -> impl Iterator<Item = &ProductSpec> {
        self.products.values()
    }

    pub fn job(&self, namespace: &str, name: &str) -> Option<&JobSpec> {
        self.jobs.get(&(namespace.to_owned(), name.to_owned()))
    }

    /// Whether a dataset was seen in an OpenLineage event.
    pub fn is_observed(&self, dataset: &DatasetRef) -> bool {
        self.observed.contains(dataset)
    }

    /// Nodes whose label or id contains `needle` (lower case), products first, then by label.
    pub fn find(&self, needle: &str, limit: usize) -> Vec<(NodeId, &NodeData)> {
        let mut hits: Vec<(NodeId, &NodeData)> = self
            .graph
            .node_weights()
            .filter(|n| {
                n.data.label.to_lowercase().contains(needle)
                    || n.id.to_string().to_lowercase().contains(needle)
            })
            .map(|n| (n.id.clone(), &n.data))
            .collect();
        hits.sort_by(|a, b| {
            (a.0.kind() != "product")
                .cmp(&(b.0.kind() != "product"))
                .then_with(|| a.1.label.cmp(&b.1.label))
                .then_with(|| a.0.cmp(&b.0))
        });
        hits.truncate(limit);
        hits
    }

    /// Finds the node a text names, trying every reading of an ambiguous Marquez id.
    pub fn resolve(&self, text: &str) -> Option<NodeId> {
        NodeId::readings(text)
            .into_iter()
            .find(|id| self.index.contains_key(id))
    }

    /// The output port that offers a contract.
    pub fn port_of_contract(&self, contract_id: &str) -> Option<&NodeId> {
        self.offered.get(contract_id)
    }

    /// The output ports a dataset is served as.
    pub fn ports_of_dataset(&self, dataset: &DatasetRef) -> Vec<NodeId> {
        let Some(&i) = self.index.get(&dataset.node()) else {
            return Vec::new();
        };
        let mut ports: Vec<NodeId> = self
            .graph
            .edges_directed(i, Direction::Incoming)
            .filter(|e| e.weight().kind == EdgeKind::Serves)
            .map(|e| self.graph[e.source()].id.clone())
            .collect();
        ports.sort();
        ports
    }

    /// Adds a product or replaces what the graph knew of it.
    pub fn upsert_product(&mut self, spec: ProductSpec) {
        self.generation += 1;
        if let Some(old) = self.products.remove(&spec.id) {
            self.unlink_product(&old);
        }
        let product = NodeId::product(&spec.id);
        let p = self.ensure(
            &product,
            NodeData {
                label: spec.name.clone(),
                domain: Some(spec.domain.clone()),
                team: Some(spec.team.clone()),
                status: Some(spec.status.clone()),
                subtype: spec.product_type.clone(),
                placeholder: false,
            },
        );
        for port in &spec.output_ports {
            let id = NodeId::port(&spec.id, &port.name);
            let i = self.ensure(
                &id,
                NodeData {
                    label: port.name.clone(),
                    domain: Some(spec.domain.clone()),
                    team: Some(spec.team.clone()),
                    status: Some(spec.status.clone()),
                    subtype: port.port_type.clone(),
                    placeholder: false,
                },
            );
            self.add_edge(p, i, EdgeKind::Publishes, None);
            for dataset in &port.datasets {
                let d = self.ensure_dataset(dataset);
                let data = &mut self.graph[d].data;
                data.domain = Some(spec.domain.clone());
                data.team = Some(spec.team.clone());
                self.add_edge(i, d, EdgeKind::Serves, None);
                let writers: Vec<NodeIndex> = self
                    .graph
                    .edges_directed(d, Direction::Incoming)
                    .filter(|e| e.weight().kind == EdgeKind::Writes)
                    .map(|e| e.source())
                    .collect();
                for w in writers {
                    self.adopt_job(w);
                }
            }
            if let Some(contract) = &port.contract_id {
                self.offered.insert(contract.clone(), id.clone());
                let readers: Vec<(String, String)> = self
                    .readers
                    .get(contract)
                    .map(|r| r.iter().cloned().collect())
                    .unwrap_or_default();
                for (reader, input) in readers {
                    if let Some(&r) = self.index.get(&NodeId::product(&reader)) {
                        self.add_edge(i, r, EdgeKind::Declared, Some(input));
                    }
                }
            }
        }
        for input in &spec.input_ports {
            self.link_input(&spec.id, p, input);
        }
        self.products.insert(spec.id.clone(), spec);
    }

    /// Removes a product, its ports, and every edge to them. Its readers keep their input ports
    /// and are linked again if another port offers the contract later.
    pub fn remove_product(&mut self, id: &str) {
        if let Some(old) = self.products.remove(id) {
            self.generation += 1;
            self.unlink_product(&old);
            if let Some(i) = self.index.remove(&NodeId::product(id)) {
                self.graph.remove_node(i);
            }
        }
    }

    /// Replaces what the graph knew of a job's inputs and outputs.
    pub fn apply_job(&mut self, spec: JobSpec) {
        self.generation += 1;
        let id = NodeId::job(&spec.namespace, &spec.name);
        let j = self.ensure(
            &id,
            NodeData {
                label: spec.name.clone(),
                subtype: spec.job_type.clone(),
                status: spec.state.clone(),
                ..NodeData::default()
            },
        );
        let old: Vec<EdgeIndex> = self
            .graph
            .edges_directed(j, Direction::Incoming)
            .chain(self.graph.edges_directed(j, Direction::Outgoing))
            .map(|e| e.id())
            .collect();
        let mut touched = Vec::new();
        for e in old {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                touched.push(if a == j { b } else { a });
            }
            self.graph.remove_edge(e);
        }
        for input in &spec.inputs {
            self.observed.insert(input.clone());
            let d = self.ensure_dataset(input);
            self.graph[d].data.placeholder = false;
            self.add_edge(d, j, EdgeKind::Reads, None);
        }
        for output in &spec.outputs {
            self.observed.insert(output.clone());
            let d = self.ensure_dataset(output);
            self.graph[d].data.placeholder = false;
            self.add_edge(j, d, EdgeKind::Writes, None);
        }
        self.jobs
            .insert((spec.namespace.clone(), spec.name.clone()), spec);
        for n in touched {
            self.collect_if_unused(n);
        }
        self.adopt_job(j);
    }

    /// A job belongs to the owners of what it writes: it is their pipeline.
    fn adopt_job(&mut self, j: NodeIndex) {
        let owner = self
            .graph
            .neighbors_directed(j, Direction::Outgoing)
            .filter_map(|d| {
                let data = &self.graph[d].data;
                data.domain.clone().map(|dom| (dom, data.team.clone()))
            })
            .min();
        let data = &mut self.graph[j].data;
        (data.domain, data.team) = match owner {
            Some((domain, team)) => (Some(domain), team),
            None => (None, None),
        };
    }

    /// Records the state of a job's latest run without touching its edges.
    pub fn set_job_state(&mut self, namespace: &str, name: &str, state: Option<String>) {
        let id = NodeId::job(namespace, name);
        if let Some(&j) = self.index.get(&id) {
            self.generation += 1;
            self.graph[j].data.status = state.clone();
            if let Some(spec) = self.jobs.get_mut(&(namespace.to_owned(), name.to_owned())) {
                spec.state = state;
            }
        }
    }

    /// Records a dataset seen in an event (a `DatasetEvent`, say) that has no edges yet.
    pub fn observe_dataset(&mut self, dataset: &DatasetRef) {
        self.generation += 1;
        self.observed.insert(dataset.clone());
        let d = self.ensure_dataset(dataset);
        self.graph[d].data.placeholder = false;
    }

    /// Replaces the column lineage of one output dataset.
    pub fn set_column_lineage(&mut self, output: &DatasetRef, edges: Vec<ColumnEdge>) {
        self.generation += 1;
        if let Some(old) = self.columns.remove(output) {
            for edge in old {
                let (Some(&a), Some(&b)) = (
                    self.index.get(&edge.from.node()),
                    self.index.get(&edge.to.node()),
                ) else {
                    continue;
                };
                if let Some(e) = self.graph.find_edge(a, b) {
                    self.graph.remove_edge(e);
                }
                self.collect_if_unused(a);
                self.collect_if_unused(b);
            }
        }
        for edge in &edges {
            let a = self.ensure_column(&edge.from);
            let b = self.ensure_column(&edge.to);
            if self.graph.find_edge(a, b).is_none() {
                self.add_edge(a, b, EdgeKind::Derives, None);
            }
        }
        if !edges.is_empty() {
            self.columns.insert(output.clone(), edges);
        }
    }

    /// The column lineage reported for an output dataset.
    pub fn column_lineage(&self, output: &DatasetRef) -> &[ColumnEdge] {
        self.columns.get(output).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every column the graph knows of a dataset (those with lineage).
    pub fn columns_of(&self, dataset: &DatasetRef) -> Vec<String> {
        let mut out: BTreeSet<String> = BTreeSet::new();
        for (id, _) in self.index.iter() {
            if let NodeId::Column {
                namespace,
                dataset: ds,
                field,
            } = id
                && *namespace == dataset.namespace
                && *ds == dataset.name
            {
                out.insert(field.clone());
            }
        }
        out.into_iter().collect()
    }

    fn unlink_product(&mut self, old: &ProductSpec) {
        for input in &old.input_ports {
            if let Some(contract) = &input.contract_id
                && let Some(readers) = self.readers.get_mut(contract)
            {
                readers.remove(&(old.id.clone(), input.name.clone()));
                if readers.is_empty() {
                    self.readers.remove(contract);
                }
            }
        }
        let product = NodeId::product(&old.id);
        if let Some(&p) = self.index.get(&product) {
            let incoming: Vec<EdgeIndex> = self
                .graph
                .edges_directed(p, Direction::Incoming)
                .filter(|e| e.weight().kind == EdgeKind::Declared)
                .map(|e| e.id())
                .collect();
            for e in incoming {
                self.graph.remove_edge(e);
            }
        }
        for port in &old.output_ports {
            if let Some(contract) = &port.contract_id
                && self.offered.get(contract) == Some(&NodeId::port(&old.id, &port.name))
            {
                self.offered.remove(contract);
            }
            if let Some(i) = self.index.remove(&NodeId::port(&old.id, &port.name)) {
                let datasets: Vec<NodeIndex> = self
                    .graph
                    .neighbors_directed(i, Direction::Outgoing)
                    .filter(|&n| matches!(self.graph[n].id, NodeId::Dataset { .. }))
                    .collect();
                self.graph.remove_node(i);
                for d in datasets {
                    let served = self
                        .graph
                        .edges_directed(d, Direction::Incoming)
                        .any(|e| e.weight().kind == EdgeKind::Serves);
                    if !served {
                        let data = &mut self.graph[d].data;
                        data.domain = None;
                        data.team = None;
                    }
                    self.collect_if_unused(d);
                }
            }
        }
    }

    fn link_input(&mut self, product: &str, p: NodeIndex, input: &InputPortSpec) {
        let Some(contract) = &input.contract_id else {
            return;
        };
        self.readers
            .entry(contract.clone())
            .or_default()
            .insert((product.to_owned(), input.name.clone()));
        if let Some(port) = self.offered.get(contract).cloned()
            && let Some(&i) = self.index.get(&port)
        {
            self.add_edge(i, p, EdgeKind::Declared, Some(input.name.clone()));
        }
    }

    fn ensure(&mut self, id: &NodeId, data: NodeData) -> NodeIndex {
        match self.index.get(id) {
            Some(&i) => {
                self.graph[i].data = data;
                i
            }
            None => {
                let i = self.graph.add_node(Node {
                    id: id.clone(),
                    data,
                });
                self.index.insert(id.clone(), i);
                i
            }
        }
    }

    fn ensure_dataset(&mut self, dataset: &DatasetRef) -> NodeIndex {
        let id = dataset.node();
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        let observed = self.observed.contains(dataset);
        self.ensure(
            &id,
            NodeData {
                label: dataset.name.clone(),
                placeholder: !observed,
                ..NodeData::default()
            },
        )
    }

    fn ensure_column(&mut self, column: &crate::model::ColumnRef) -> NodeIndex {
        let id = column.node();
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        // A column inherits the owners of its dataset, when the dataset is a port's.
        let (domain, team) = self
            .index
            .get(&column.dataset.node())
            .map(|&d| {
                (
                    self.graph[d].data.domain.clone(),
                    self.graph[d].data.team.clone(),
                )
            })
            .unwrap_or_default();
        self.ensure(
            &id,
            NodeData {
                label: column.field.clone(),
                subtype: Some(column.dataset.name.clone()),
                domain,
                team,
                ..NodeData::default()
            },
        )
    }

    fn add_edge(&mut self, a: NodeIndex, b: NodeIndex, kind: EdgeKind, label: Option<String>) {
        let exists = self
            .graph
            .edges_connecting(a, b)
            .any(|e| e.weight().kind == kind && e.weight().label == label);
        if !exists {
            self.graph.add_edge(a, b, Edge { kind, label });
        }
    }

    /// Removes a dataset only a port referred to, or a column without lineage, once nothing
    /// points at it.
    fn collect_if_unused(&mut self, i: NodeIndex) {
        let Some(node) = self.graph.node_weight(i) else {
            return;
        };
        let removable = match &node.id {
            NodeId::Dataset { namespace, name } => {
                !self.observed.contains(&DatasetRef::new(namespace, name))
            }
            NodeId::Column { .. } => true,
            _ => false,
        };
        if removable && self.graph.neighbors_undirected(i).next().is_none() {
            let id = node.id.clone();
            self.graph.remove_node(i);
            self.index.remove(&id);
        }
    }

    pub(crate) fn readers_map(&self) -> &HashMap<String, BTreeSet<(String, String)>> {
        &self.readers
    }

    pub(crate) fn idx(&self, id: &NodeId) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    pub(crate) fn id_of(&self, i: NodeIndex) -> &NodeId {
        &self.graph[i].id
    }

    pub(crate) fn data_of(&self, i: NodeIndex) -> &NodeData {
        &self.graph[i].data
    }

    /// The product a node belongs to: itself, its port's product, or the product whose port a
    /// dataset is served as.
    pub(crate) fn owning_product(&self, i: NodeIndex) -> Option<NodeIndex> {
        match &self.graph[i].id {
            NodeId::Product(_) => Some(i),
            NodeId::Port { product, .. } => self.idx(&NodeId::product(product)),
            _ => None,
        }
    }
}
