//! Meshwork's lineage graph: data products, their output ports, observed datasets and jobs, and
//! dataset columns, joined by declared input ports, access agreements and OpenLineage
//! observations. Traversal, impact analysis, shortest paths, neighbourhoods with fan-out limits,
//! the domain map, cycles, drift between declared and observed lineage, and a layered layout.
//!
//! **Invariant:** petgraph stays inside this crate. Everything public speaks in [`NodeId`]s
//! and plain data, so the graph's representation can change without touching its callers. No
//! I/O; builds for `wasm32-unknown-unknown`.

mod cycles;
mod domains;
pub mod dot;
mod drift;
mod graph;
mod id;
mod impact;
pub mod layout;
mod model;
pub mod testing;
mod traverse;

pub use domains::{DomainFlow, DomainMap, DomainNode, ObservedDependency};
pub use drift::{Drift, DriftFinding, DriftKind};
pub use graph::LineageGraph;
pub use id::{NodeId, NodeIdError};
pub use impact::{Impact, ImpactEntry};
pub use model::{
    ColumnEdge, ColumnRef, DatasetRef, EdgeKind, InputPortSpec, JobSpec, NodeData, OutputPortSpec,
    ProductSpec, Scope,
};
pub use traverse::{Flow, LineagePath, More, Neighbourhood, SubEdge, SubNode, Subgraph};

#[cfg(test)]
mod tests;
