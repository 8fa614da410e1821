//! Cycles: the ones observed lineage may contain, and the one a new input port would close,
//! which registration refuses.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};

use crate::NodeId;
use crate::graph::LineageGraph;
use crate::model::{InputPortSpec, OutputPortSpec, Scope};
use crate::traverse::Flow;

impl LineageGraph {
    /// Every cycle in a scope, one per strongly connected component, each as the nodes along it
    /// with the first repeated at the end.
    pub fn cycles(&self, scope: Scope) -> Vec<Vec<NodeId>> {
        let filtered = EdgeFiltered::from_fn(&self.graph, |e| scope.includes(e.weight().kind));
        let mut out = Vec::new();
        for component in petgraph::algo::tarjan_scc(&filtered) {
            let members: HashSet<NodeIndex> = component.iter().copied().collect();
            let start = *component
                .iter()
                .min_by_key(|n| self.id_of(**n))
                .expect("non-empty");
            let self_loop = self
                .graph
                .edges_connecting(start, start)
                .any(|e| scope.includes(e.weight().kind));
            if component.len() == 1 && !self_loop {
                continue;
            }
            if let Some(cycle) = self.cycle_through(start, &members, scope) {
                out.push(cycle);
            }
        }
        out.sort();
        out
    }

    /// The shortest cycle through `start` inside a strongly connected component.
    fn cycle_through(
        &self,
        start: NodeIndex,
        members: &HashSet<NodeIndex>,
        scope: Scope,
    ) -> Option<Vec<NodeId>> {
        let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        let mut seen = HashSet::new();
        while let Some(n) = queue.pop_front() {
            for e in self.graph.edges(n) {
                if !scope.includes(e.weight().kind) || !members.contains(&e.target()) {
                    continue;
                }
                let m = e.target();
                if m == start {
                    let mut path = vec![start];
                    let mut at = n;
                    while at != start {
                        path.push(at);
                        at = parent[&at];
                    }
                    path.push(start);
                    path.reverse();
                    return Some(path.into_iter().map(|i| self.id_of(i).clone()).collect());
                }
                if seen.insert(m) {
                    parent.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        None
    }

    /// The cycle that registering `product` with these ports would close in the declared
    /// product lineage, as product ids from the product back to itself; `None` when there is
    /// none. The product's current ports do not count: they are being replaced.
    pub fn cycle_if_registered(
        &self,
        product: &str,
        outputs: &[OutputPortSpec],
        inputs: &[InputPortSpec],
    ) -> Option<Vec<String>> {
        // The products that would read this one: readers of its new contracts.
        let new_contracts: HashSet<&str> = outputs
            .iter()
            .filter_map(|p| p.contract_id.as_deref())
            .collect();
        // The products this one would read.
        let mut upstream: HashSet<String> = HashSet::new();
        for input in inputs {
            let Some(contract) = &input.contract_id else {
                continue;
            };
            if new_contracts.contains(contract.as_str()) {
                return Some(vec![product.to_owned(), product.to_owned()]);
            }
            if let Some(NodeId::Port { product: up, .. }) = self.port_of_contract(contract) {
                if up == product {
                    // Reading a port this product is giving up is no cycle; reading one it keeps
                    // is caught above.
                    continue;
                }
                upstream.insert(up.clone());
            }
        }
        if upstream.is_empty() {
            return None;
        }
        let readers: Vec<String> = new_contracts
            .iter()
            .flat_map(|c| self.readers_of(c))
            .filter(|r| r != product)
            .collect();
        // Walk downstream from the readers, never through the product itself (its current edges
        // are about to change), until an upstream product is reached.
        let skip = self.idx(&NodeId::product(product));
        let mut parent: HashMap<NodeIndex, Option<NodeIndex>> = HashMap::new();
        let mut queue = VecDeque::new();
        for r in readers {
            if let Some(i) = self.idx(&NodeId::product(&r))
                && !parent.contains_key(&i)
            {
                parent.insert(i, None);
                queue.push_back(i);
            }
        }
        while let Some(n) = queue.pop_front() {
            if let NodeId::Product(id) = self.id_of(n)
                && upstream.contains(id)
            {
                let mut chain = Vec::new();
                let mut at = Some(n);
                while let Some(i) = at {
                    if let NodeId::Product(p) = self.id_of(i) {
                        chain.push(p.clone());
                    }
                    at = parent[&i];
                }
                chain.push(product.to_owned());
                chain.reverse();
                chain.push(product.to_owned());
                return Some(chain);
            }
            for (m, _, _) in self.steps(n, Flow::Downstream, Scope::Products) {
                if Some(m) == skip || parent.contains_key(&m) {
                    continue;
                }
                parent.insert(m, Some(n));
                queue.push_back(m);
            }
        }
        None
    }

    /// The products whose input ports read a contract.
    pub fn readers_of(&self, contract: &str) -> Vec<String> {
        self.readers_map()
            .get(contract)
            .map(|r| r.iter().map(|(p, _)| p.clone()).collect())
            .unwrap_or_default()
    }
}
