//! The mesh map: domains as nodes and the flows of data between them, from declared input ports,
//! access agreements and observed lineage.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::Direction;
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Deserialize, Serialize};

use crate::NodeId;
use crate::graph::LineageGraph;
use crate::model::{DatasetRef, EdgeKind};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainMap {
    pub domains: Vec<DomainNode>,
    pub flows: Vec<DomainFlow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainNode {
    pub domain: String,
    pub products: usize,
    /// Product pairs inside the domain that exchange data.
    pub internal_flows: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainFlow {
    pub from: String,
    pub to: String,
    /// Distinct (upstream product, downstream product) pairs behind the flow.
    pub products: Vec<(String, String)>,
    /// How many of those pairs are declared by input ports or agreements…
    pub declared: usize,
    /// …and how many were only observed.
    pub observed_only: usize,
}

/// A dependency between two products seen in OpenLineage: a job read a dataset of one product's
/// port and wrote a dataset of another's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObservedDependency {
    pub upstream: String,
    pub upstream_port: String,
    pub downstream: String,
    pub downstream_port: String,
    pub job: (String, String),
    pub read: DatasetRef,
    pub written: DatasetRef,
}

impl LineageGraph {
    /// Declared product dependencies: (upstream product, its port, downstream product, input).
    pub fn declared_dependencies(&self) -> Vec<(String, String, String, Option<String>)> {
        let mut out = Vec::new();
        for e in self.graph.edge_references() {
            if !matches!(e.weight().kind, EdgeKind::Declared | EdgeKind::Agreement) {
                continue;
            }
            if let (NodeId::Port { product, port }, NodeId::Product(consumer)) =
                (self.id_of(e.source()), self.id_of(e.target()))
            {
                out.push((
                    product.clone(),
                    port.clone(),
                    consumer.clone(),
                    e.weight().label.clone(),
                ));
            }
        }
        out.sort();
        out
    }

    /// Every product-to-product dependency that jobs show.
    pub fn observed_dependencies(&self) -> Vec<ObservedDependency> {
        let mut out = BTreeSet::new();
        for job in self.jobs.values() {
            for read in &job.inputs {
                let ups = self.ports_of_dataset(read);
                if ups.is_empty() {
                    continue;
                }
                for written in &job.outputs {
                    for down in self.ports_of_dataset(written) {
                        for up in &ups {
                            let (
                                NodeId::Port {
                                    product: up_p,
                                    port: up_port,
                                },
                                NodeId::Port {
                                    product: down_p,
                                    port: down_port,
                                },
                            ) = (up, &down)
                            else {
                                continue;
                            };
                            if up_p == down_p {
                                continue;
                            }
                            out.insert(ObservedDependency {
                                upstream: up_p.clone(),
                                upstream_port: up_port.clone(),
                                downstream: down_p.clone(),
                                downstream_port: down_port.clone(),
                                job: (job.namespace.clone(), job.name.clone()),
                                read: read.clone(),
                                written: written.clone(),
                            });
                        }
                    }
                }
            }
        }
        out.into_iter().collect()
    }

    /// Domains and the flows between them.
    pub fn domain_map(&self) -> DomainMap {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for p in self.products.values() {
            *counts.entry(p.domain.clone()).or_default() += 1;
        }
        let domain_of = |product: &str| self.products.get(product).map(|p| p.domain.clone());
        let mut declared: BTreeSet<(String, String)> = BTreeSet::new();
        for (up, _, down, _) in self.declared_dependencies() {
            if up != down {
                declared.insert((up, down));
            }
        }
        let observed: BTreeSet<(String, String)> = self
            .observed_dependencies()
            .into_iter()
            .map(|d| (d.upstream, d.downstream))
            .collect();
        let mut flows: BTreeMap<(String, String), DomainFlow> = BTreeMap::new();
        let mut internal: BTreeMap<String, usize> = BTreeMap::new();
        for pair in declared.union(&observed) {
            let (Some(a), Some(b)) = (domain_of(&pair.0), domain_of(&pair.1)) else {
                continue;
            };
            if a == b {
                *internal.entry(a).or_default() += 1;
                continue;
            }
            let flow = flows
                .entry((a.clone(), b.clone()))
                .or_insert_with(|| DomainFlow {
                    from: a,
                    to: b,
                    products: Vec::new(),
                    declared: 0,
                    observed_only: 0,
                });
            flow.products.push(pair.clone());
            if declared.contains(pair) {
                flow.declared += 1;
            } else {
                flow.observed_only += 1;
            }
        }
        DomainMap {
            domains: counts
                .into_iter()
                .map(|(domain, products)| DomainNode {
                    internal_flows: internal.get(&domain).copied().unwrap_or(0),
                    domain,
                    products,
                })
                .collect(),
            flows: flows.into_values().collect(),
        }
    }

    /// The jobs that wrote a dataset.
    pub(crate) fn writers_of(&self, dataset: &DatasetRef) -> Vec<(String, String)> {
        let Some(d) = self.idx(&dataset.node()) else {
            return Vec::new();
        };
        let mut out: Vec<(String, String)> = self
            .graph
            .edges_directed(d, Direction::Incoming)
            .filter(|e| e.weight().kind == EdgeKind::Writes)
            .filter_map(|e| match self.id_of(e.source()) {
                NodeId::Job { namespace, name } => Some((namespace.clone(), name.clone())),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }
}
