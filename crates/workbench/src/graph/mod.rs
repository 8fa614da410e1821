//! The lineage graph in memory: loaded from the database on first use, updated after every
//! write this instance commits, and after every change another instance announces (PostgreSQL
//! LISTEN/NOTIFY). The use cases on top of it are in [`explore`] (neighbourhoods, impact, paths,
//! the mesh map, drift), [`ingest`] (OpenLineage events) and [`marquez`] (Marquez reads).

pub(crate) mod explore;
mod ingest;
mod marquez;
mod openlineage;

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard};

use domain::{DataContractDoc, DataProductDoc};
use lineage::{
    ColumnEdge, ColumnRef, DatasetRef, InputPortSpec, JobSpec, LineageGraph, OutputPortSpec,
    ProductSpec,
};
use store::lineage::{ColumnLineageRecord, DatasetKey, GraphProductRecord, JobIoRecord};
use store::{Change, FeedItem, Store};
use tokio::sync::{Mutex, OnceCell};

pub use explore::{ExploreQuery, ImpactFormat};

/// Checks an OpenLineage event without storing it (the demo's own test).
#[cfg(test)]
pub(crate) fn check_event(
    value: &serde_json::Value,
) -> std::result::Result<(), Vec<domain::Finding>> {
    openlineage::parse_event(value).map(|_| ())
}
pub use ingest::Received;

use crate::Workbench;
use crate::error::Result;

/// The graph and what guards it.
#[derive(Debug, Default)]
pub(crate) struct LineageState {
    graph: RwLock<LineageGraph>,
    loaded: OnceCell<()>,
    /// Taken while a product's cycle check and its write happen, so two publications cannot
    /// close a cycle between them on this instance.
    pub(crate) publish_gate: Mutex<()>,
    queue: ingest::Queue,
}

pub(crate) type Shared = Arc<LineageState>;

impl Workbench {
    /// The graph, loaded from the database the first time it is needed.
    pub(crate) async fn graph(&self) -> Result<RwLockReadGuard<'_, LineageGraph>> {
        self.ensure_graph().await?;
        Ok(self
            .lineage
            .graph
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    async fn ensure_graph(&self) -> Result<()> {
        self.lineage
            .loaded
            .get_or_try_init(|| async {
                let graph = load(&self.store).await?;
                tracing::info!(
                    products = graph.product_count(),
                    nodes = graph.node_count(),
                    edges = graph.edge_count(),
                    "lineage graph loaded"
                );
                *self.write_graph() = graph;
                Ok::<(), crate::WorkbenchError>(())
            })
            .await?;
        Ok(())
    }

    fn write_graph(&self) -> std::sync::RwLockWriteGuard<'_, LineageGraph> {
        self.lineage
            .graph
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Loads the graph now, and, on PostgreSQL, follows the changes other instances commit.
    /// The server calls this at start-up; without it the graph loads on first use.
    pub async fn start_lineage(&self) -> Result<()> {
        self.ensure_graph().await?;
        if let Some(mut feed) = self.store.listen().await? {
            let wb = self.clone();
            tokio::spawn(async move {
                while let Some(item) = feed.recv().await {
                    let reload = match item {
                        FeedItem::Changes(changes) => match wb.apply_changes(&changes).await {
                            Ok(()) => false,
                            Err(e) => {
                                tracing::warn!(error = %e, "could not apply a change from another instance; reloading");
                                true
                            }
                        },
                        FeedItem::Resync => true,
                    };
                    // After an interruption (or a change that could not be read): read everything
                    // again, for as long as it takes the database to answer.
                    let mut wait = std::time::Duration::from_millis(250);
                    while reload && let Err(e) = wb.reload_graph().await {
                        tracing::warn!(error = %e, "could not reload the lineage graph; retrying");
                        tokio::time::sleep(wait).await;
                        wait = (wait * 2).min(std::time::Duration::from_secs(5));
                    }
                    // Counted once applied (or not: then nothing remembered may be trusted).
                    wb.store.advance_generation();
                }
            });
        }
        Ok(())
    }

    /// Reads the whole graph again.
    pub async fn reload_graph(&self) -> Result<()> {
        let graph = load(&self.store).await?;
        *self.write_graph() = graph;
        self.store.advance_generation();
        Ok(())
    }

    /// Brings the graph up to date with changes committed to the database, by reading the
    /// changed things again: applying a change twice does no harm.
    pub(crate) async fn apply_changes(&self, changes: &[Change]) -> Result<()> {
        self.ensure_graph().await?;
        // Jobs in one go: a batch of events touches many.
        let jobs: Vec<(String, String)> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Job { namespace, name } => Some((namespace.clone(), name.clone())),
                _ => None,
            })
            .collect();
        if !jobs.is_empty() {
            let specs: Vec<JobSpec> = self
                .store
                .lineage_job_io_many(&jobs)
                .await?
                .into_iter()
                .map(job_spec)
                .collect();
            let mut graph = self.write_graph();
            for spec in specs {
                if graph.job(&spec.namespace, &spec.name) != Some(&spec) {
                    graph.apply_job(spec);
                }
            }
        }
        for change in changes {
            match change {
                Change::Product { id } => {
                    let spec = product_spec_from_store(&self.store, id).await?;
                    let mut graph = self.write_graph();
                    match spec {
                        Some(spec) => graph.upsert_product(spec),
                        None => graph.remove_product(id),
                    }
                }
                Change::Job { .. } => {}
                Change::Dataset { namespace, name } => {
                    let dataset = DatasetRef::new(namespace, name);
                    let known = self.graph().await?.is_observed(&dataset);
                    if !known {
                        self.write_graph().observe_dataset(&dataset);
                    }
                }
                Change::Columns { namespace, name } => {
                    let output = DatasetKey {
                        namespace: namespace.clone(),
                        name: name.clone(),
                    };
                    let rows = self.store.lineage_columns(Some(&output)).await?;
                    let edges = column_edges(&rows);
                    let dataset = DatasetRef::new(namespace, name);
                    let mut graph = self.write_graph();
                    if graph.column_lineage(&dataset) != edges.as_slice() {
                        graph.set_column_lineage(&dataset, edges);
                    }
                }
            }
        }
        // The commit was counted before the graph changed: a page read in between saw the old
        // graph at the new count, so count again now that the graph is current.
        self.store.advance_generation();
        Ok(())
    }

    /// After a publication: the touched products, in this instance's graph.
    pub(crate) async fn products_changed(&self, ids: &[String]) -> Result<()> {
        let changes: Vec<Change> = ids
            .iter()
            .map(|id| Change::Product { id: id.clone() })
            .collect();
        self.apply_changes(&changes).await
    }
}

/// The whole graph from the database.
async fn load(store: &Store) -> Result<LineageGraph> {
    let contracts: HashMap<String, DataContractDoc> = store
        .contract_documents(None)
        .await?
        .into_iter()
        .filter_map(|(id, doc)| Some((id, serde_json::from_str(&doc).ok()?)))
        .collect();
    let mut graph = LineageGraph::new();
    for record in store.graph_products(None).await? {
        if let Some(spec) = product_spec(&record, &contracts) {
            graph.upsert_product(spec);
        }
    }
    for key in store.lineage_dataset_keys().await? {
        graph.observe_dataset(&DatasetRef::new(key.namespace, key.name));
    }
    for job in store.lineage_job_io(None).await? {
        graph.apply_job(job_spec(job));
    }
    let mut by_output: HashMap<DatasetKey, Vec<ColumnLineageRecord>> = HashMap::new();
    for row in store.lineage_columns(None).await? {
        by_output.entry(row.output.clone()).or_default().push(row);
    }
    for (output, rows) in by_output {
        graph.set_column_lineage(
            &DatasetRef::new(output.namespace, output.name),
            column_edges(&rows),
        );
    }
    Ok(graph)
}

/// One product from the database, with the contracts of its output ports.
async fn product_spec_from_store(store: &Store, id: &str) -> Result<Option<ProductSpec>> {
    let Some(record) = store.graph_products(Some(id)).await?.into_iter().next() else {
        return Ok(None);
    };
    let doc: DataProductDoc = match serde_json::from_str(&record.document) {
        Ok(doc) => doc,
        Err(_) => return Ok(None),
    };
    let ids: Vec<String> = doc
        .output_ports
        .iter()
        .filter_map(|p| p.contract_id.clone())
        .collect();
    let contracts: HashMap<String, DataContractDoc> = store
        .contract_documents(Some(&ids))
        .await?
        .into_iter()
        .filter_map(|(id, doc)| Some((id, serde_json::from_str(&doc).ok()?)))
        .collect();
    Ok(product_spec(&record, &contracts))
}

/// What the graph needs of a product: its ports, the datasets they are served as, its inputs.
pub(crate) fn product_spec(
    record: &GraphProductRecord,
    contracts: &HashMap<String, DataContractDoc>,
) -> Option<ProductSpec> {
    let doc: DataProductDoc = serde_json::from_str(&record.document).ok()?;
    Some(ProductSpec {
        id: record.id.clone(),
        name: record.name.clone(),
        domain: record.domain_id.clone(),
        team: record.team_id.clone(),
        status: record.status.clone(),
        product_type: record.product_type.clone(),
        output_ports: doc
            .output_ports
            .iter()
            .map(|p| OutputPortSpec {
                name: p.name.clone(),
                port_type: p.port_type.clone(),
                contract_id: p.contract_id.clone(),
                datasets: domain::naming::port_datasets(
                    p,
                    p.contract_id.as_ref().and_then(|c| contracts.get(c)),
                )
                .into_iter()
                .map(|d| DatasetRef::new(d.namespace, d.name))
                .collect(),
            })
            .collect(),
        input_ports: doc
            .input_ports
            .iter()
            .map(|p| InputPortSpec {
                name: p.name.clone(),
                contract_id: p.contract_id.clone(),
                external_source: p.external_source().map(str::to_owned),
            })
            .collect(),
    })
}

fn job_spec(job: JobIoRecord) -> JobSpec {
    let refs = |keys: Vec<DatasetKey>| {
        keys.into_iter()
            .map(|k| DatasetRef::new(k.namespace, k.name))
            .collect()
    };
    JobSpec {
        namespace: job.namespace,
        name: job.name,
        job_type: job.job_type,
        state: job.latest_state,
        inputs: refs(job.inputs),
        outputs: refs(job.outputs),
    }
}

fn column_edges(rows: &[ColumnLineageRecord]) -> Vec<ColumnEdge> {
    rows.iter()
        .map(|r| ColumnEdge {
            from: ColumnRef::new(
                &r.row.input.namespace,
                &r.row.input.name,
                &r.row.input_field,
            ),
            to: ColumnRef::new(&r.output.namespace, &r.output.name, &r.row.field),
        })
        .collect()
}
