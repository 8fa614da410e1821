//! What the graph holds: nodes with the few facts the explorer shows, typed edges, and the
//! descriptions of products and jobs that updates are made from.

use serde::{Deserialize, Serialize};

use crate::NodeId;

/// The facts a node carries. Everything else is one lookup away in the registry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeData {
    /// What people call it: the product name, the port name, the dataset or job name.
    pub label: String,
    /// The owning domain (products and ports; datasets that are a port's too).
    pub domain: Option<String>,
    /// The owning team (products and ports; datasets that are a port's too).
    pub team: Option<String>,
    /// Lifecycle status of a product, the state of a job's latest run.
    pub status: Option<String>,
    /// Product type, port type, dataset or job type.
    pub subtype: Option<String>,
    /// Whether the node was only referenced (an input of a job, say) and never described.
    pub placeholder: bool,
}

/// How two nodes are related. The direction of every edge is the direction data flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A product offers one of its output ports: product → port.
    Publishes,
    /// An input port reads another product's output port: port → product.
    Declared,
    /// An approved access agreement: port → consuming product.
    Agreement,
    /// An output port is served as an observed dataset: port → dataset. Traversals follow it
    /// both ways, because the port and its dataset are the same data.
    Serves,
    /// A job read a dataset: dataset → job.
    Reads,
    /// A job wrote a dataset: job → dataset.
    Writes,
    /// A column was derived from another column: column → column.
    Derives,
}

impl EdgeKind {
    /// The depth an edge adds: hops between products, and between datasets through jobs, count;
    /// a product's own ports and a port's own dataset do not.
    pub fn weight(self) -> u32 {
        match self {
            EdgeKind::Publishes | EdgeKind::Serves | EdgeKind::Reads => 0,
            EdgeKind::Declared | EdgeKind::Agreement | EdgeKind::Writes | EdgeKind::Derives => 1,
        }
    }

    /// Edges walked in both directions in a scope: a port and its dataset are the same data, and
    /// when observed lineage is in view a product and its ports are one unit (so the job that
    /// builds a product is upstream of the product, not only of its port).
    pub fn is_identity_in(self, scope: Scope) -> bool {
        match self {
            EdgeKind::Serves => true,
            EdgeKind::Publishes => scope == Scope::All,
            _ => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Publishes => "publishes",
            EdgeKind::Declared => "declared",
            EdgeKind::Agreement => "agreement",
            EdgeKind::Serves => "serves",
            EdgeKind::Reads => "reads",
            EdgeKind::Writes => "writes",
            EdgeKind::Derives => "derives",
        }
    }
}

/// Which part of the graph an operation looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Products and their ports, joined by declared input ports and access agreements.
    #[default]
    Products,
    /// Observed datasets and jobs (OpenLineage).
    Observed,
    /// Both, joined where a port is served as a dataset.
    All,
    /// Dataset columns and the column lineage between them.
    Columns,
}

impl Scope {
    pub fn includes(self, kind: EdgeKind) -> bool {
        use EdgeKind::*;
        match self {
            Scope::Products => matches!(kind, Publishes | Declared | Agreement),
            Scope::Observed => matches!(kind, Reads | Writes),
            Scope::All => !matches!(kind, Derives),
            Scope::Columns => kind == Derives,
        }
    }

    pub fn parse(text: &str) -> Result<Scope, String> {
        match text {
            "products" => Ok(Scope::Products),
            "observed" => Ok(Scope::Observed),
            "all" => Ok(Scope::All),
            "columns" => Ok(Scope::Columns),
            other => Err(format!(
                "unknown scope '{other}': use products, observed, all or columns"
            )),
        }
    }
}

/// A data product as the graph needs it: derived from its ODPS document and the contracts of
/// its ports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductSpec {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub team: String,
    pub status: String,
    pub product_type: Option<String>,
    pub output_ports: Vec<OutputPortSpec>,
    pub input_ports: Vec<InputPortSpec>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OutputPortSpec {
    pub name: String,
    pub port_type: Option<String>,
    pub contract_id: Option<String>,
    /// The observed datasets this port is served as (OpenLineage namespace and name), from the
    /// servers of its contract.
    pub datasets: Vec<DatasetRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputPortSpec {
    pub name: String,
    /// The contract of the upstream output port this port reads.
    pub contract_id: Option<String>,
    /// A source outside the mesh, when the port does not read another product.
    pub external_source: Option<String>,
}

/// An OpenLineage dataset identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DatasetRef {
    pub namespace: String,
    pub name: String,
}

impl DatasetRef {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> DatasetRef {
        DatasetRef {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    pub fn node(&self) -> NodeId {
        NodeId::dataset(&self.namespace, &self.name)
    }
}

/// What was observed of a job: the datasets it reads and writes, and the column lineage of its
/// outputs. Applying a spec replaces what the graph knew of the job.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobSpec {
    pub namespace: String,
    pub name: String,
    pub job_type: Option<String>,
    /// The state of the job's latest run (`COMPLETE`, `FAIL`, …).
    pub state: Option<String>,
    pub inputs: Vec<DatasetRef>,
    pub outputs: Vec<DatasetRef>,
}

/// One column-lineage edge: an output column and a column it was derived from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnEdge {
    pub from: ColumnRef,
    pub to: ColumnRef,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnRef {
    pub dataset: DatasetRef,
    pub field: String,
}

impl ColumnRef {
    pub fn new(namespace: &str, dataset: &str, field: &str) -> ColumnRef {
        ColumnRef {
            dataset: DatasetRef::new(namespace, dataset),
            field: field.to_owned(),
        }
    }

    pub fn node(&self) -> NodeId {
        NodeId::column(&self.dataset.namespace, &self.dataset.name, &self.field)
    }
}
