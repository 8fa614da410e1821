//! Drift between what a product declares and what its jobs are seen doing: dependencies that no
//! input port declares, and input ports that are never seen being read.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::NodeId;
use crate::graph::LineageGraph;
use crate::model::DatasetRef;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// Whether any job was seen writing one of the product's output datasets. Without that,
    /// nothing can be said about its dependencies.
    pub observed: bool,
    /// The jobs that write the product's output datasets.
    pub writers: Vec<(String, String)>,
    pub findings: Vec<DriftFinding>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// A job reads another product's port, and no input port declares it.
    Undeclared,
    /// A job reads a dataset from outside the mesh that no input port names as external source.
    UndeclaredExternal,
    /// An input port's upstream dataset is never read by the product's jobs.
    NeverObserved,
    /// An input port reads a port that has no server to recognise its dataset by.
    Unmatchable,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DriftFinding {
    pub kind: DriftKind,
    /// What happened, in a sentence.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    pub input_port: Option<String>,
    pub upstream_product: Option<String>,
    pub upstream_port: Option<String>,
    pub dataset: Option<DatasetRef>,
    pub job: Option<(String, String)>,
}

impl LineageGraph {
    /// Compares a product's declared input ports with what its jobs read.
    pub fn drift(&self, product: &str) -> Option<Drift> {
        let spec = self.products.get(product)?;
        let own: BTreeSet<DatasetRef> = spec
            .output_ports
            .iter()
            .flat_map(|p| p.datasets.iter().cloned())
            .collect();
        let mut writers: BTreeSet<(String, String)> = BTreeSet::new();
        for d in &own {
            writers.extend(self.writers_of(d));
        }
        let mut drift = Drift {
            observed: !writers.is_empty(),
            writers: writers.iter().cloned().collect(),
            findings: Vec::new(),
        };
        // What the jobs read, and through which job.
        let mut reads: Vec<(DatasetRef, (String, String))> = Vec::new();
        for job in &writers {
            if let Some(spec) = self.jobs.get(job) {
                for input in &spec.inputs {
                    if !own.contains(input) {
                        reads.push((input.clone(), job.clone()));
                    }
                }
            }
        }
        let declared_contracts: BTreeSet<&str> = spec
            .input_ports
            .iter()
            .filter_map(|i| i.contract_id.as_deref())
            .collect();
        let mut read_sets: BTreeSet<DatasetRef> = BTreeSet::new();
        let mut reported: BTreeSet<(String, DatasetRef)> = BTreeSet::new();
        for (dataset, job) in &reads {
            read_sets.insert(dataset.clone());
            let ports = self.ports_of_dataset(dataset);
            if ports.is_empty() {
                let named = spec.input_ports.iter().any(|i| {
                    i.external_source
                        .as_deref()
                        .is_some_and(|s| external_matches(s, dataset))
                });
                if !named && reported.insert((String::from("external"), dataset.clone())) {
                    drift.findings.push(DriftFinding {
                        kind: DriftKind::UndeclaredExternal,
                        message: format!(
                            "job {} reads {} {}, which is outside the mesh and not declared as an external source",
                            job.1, dataset.namespace, dataset.name
                        ),
                        fix: format!(
                            "add an input port with the custom property externalSource set to '{}/{}'",
                            dataset.namespace, dataset.name
                        ),
                        input_port: None,
                        upstream_product: None,
                        upstream_port: None,
                        dataset: Some(dataset.clone()),
                        job: Some(job.clone()),
                    });
                }
                continue;
            }
            for port in ports {
                let NodeId::Port {
                    product: up,
                    port: up_port,
                } = &port
                else {
                    continue;
                };
                if up == product {
                    continue;
                }
                let contract = self
                    .products
                    .get(up)
                    .and_then(|u| u.output_ports.iter().find(|p| &p.name == up_port))
                    .and_then(|p| p.contract_id.clone());
                let declared = contract
                    .as_deref()
                    .is_some_and(|c| declared_contracts.contains(c));
                if !declared && reported.insert((up.clone(), dataset.clone())) {
                    drift.findings.push(DriftFinding {
                        kind: DriftKind::Undeclared,
                        message: format!(
                            "job {} reads {} (output port '{up_port}' of {up}), but no input port declares it",
                            job.1, dataset.name
                        ),
                        fix: match &contract {
                            Some(c) => format!("add an input port that reads contract '{c}'"),
                            None => format!("ask the owners of {up} to give port '{up_port}' a contract, then declare it as an input"),
                        },
                        input_port: None,
                        upstream_product: Some(up.clone()),
                        upstream_port: Some(up_port.clone()),
                        dataset: Some(dataset.clone()),
                        job: Some(job.clone()),
                    });
                }
            }
        }
        if drift.observed {
            for input in &spec.input_ports {
                let Some(contract) = &input.contract_id else {
                    continue;
                };
                let Some(NodeId::Port {
                    product: up,
                    port: up_port,
                }) = self.port_of_contract(contract)
                else {
                    continue;
                };
                let datasets: Vec<DatasetRef> = self
                    .products
                    .get(up)
                    .and_then(|u| u.output_ports.iter().find(|p| &p.name == up_port))
                    .map(|p| p.datasets.clone())
                    .unwrap_or_default();
                if datasets.is_empty() {
                    drift.findings.push(DriftFinding {
                        kind: DriftKind::Unmatchable,
                        message: format!(
                            "input port '{}' reads port '{up_port}' of {up}, which names no server, so its reads cannot be recognised",
                            input.name
                        ),
                        fix: format!("ask the owners of {up} to add a server to the contract '{contract}'"),
                        input_port: Some(input.name.clone()),
                        upstream_product: Some(up.clone()),
                        upstream_port: Some(up_port.clone()),
                        dataset: None,
                        job: None,
                    });
                } else if !datasets.iter().any(|d| read_sets.contains(d)) {
                    drift.findings.push(DriftFinding {
                        kind: DriftKind::NeverObserved,
                        message: format!(
                            "input port '{}' declares port '{up_port}' of {up}, but none of this product's jobs ({}) was seen reading {}",
                            input.name,
                            writers.iter().map(|j| j.1.as_str()).collect::<Vec<_>>().join(", "),
                            datasets[0].name
                        ),
                        fix: String::from("remove the input port if the dependency is gone, or check that the job reports its inputs"),
                        input_port: Some(input.name.clone()),
                        upstream_product: Some(up.clone()),
                        upstream_port: Some(up_port.clone()),
                        dataset: datasets.first().cloned(),
                        job: None,
                    });
                }
            }
        }
        drift.findings.sort();
        Some(drift)
    }
}

/// Whether an external source named by an input port is this dataset: `namespace/name`,
/// `namespace:name`, the name alone, or the dataset's URI.
fn external_matches(source: &str, dataset: &DatasetRef) -> bool {
    let source = source.trim().trim_end_matches('/');
    let ns = dataset.namespace.trim_end_matches('/');
    source == dataset.name
        || source == format!("{ns}/{}", dataset.name)
        || source == format!("{ns}:{}", dataset.name)
        || source == format!("{ns}://{}", dataset.name)
        || source == format!("{ns}/{}", dataset.name.trim_start_matches('/'))
}
