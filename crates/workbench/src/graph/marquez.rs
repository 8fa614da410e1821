//! Marquez-compatible reads of observed lineage: namespaces, datasets, jobs, runs, and the
//! lineage and column-lineage graphs in Marquez's shapes, so marquez-python reads Meshwork.

use std::collections::HashMap;

use lineage::{DatasetRef, NodeId, Scope};
use serde_json::Value;
use store::lineage::{DatasetKey, DatasetRecord, JobRecord, RunRecord};
use views::marquez::{
    MzDataset, MzDatasetVersionRef, MzDatasets, MzEdge, MzField, MzId, MzJob, MzJobs, MzLineage,
    MzNamespace, MzNamespaces, MzNode, MzRun, MzRuns,
};

use crate::Workbench;
use crate::actor::Actor;
use crate::error::{Result, WorkbenchError};

const MAX_LIMIT: i64 = 1_000;

fn paging(limit: Option<i64>, offset: Option<i64>) -> Result<(i64, i64)> {
    let limit = limit.unwrap_or(100);
    let offset = offset.unwrap_or(0);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(WorkbenchError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    if offset < 0 {
        return Err(WorkbenchError::bad_request("offset must not be negative"));
    }
    Ok((limit, offset))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::Object(Default::default()))
}

fn id(k: &DatasetKey) -> MzId {
    MzId {
        namespace: k.namespace.clone(),
        name: k.name.clone(),
    }
}

/// Marquez's run states.
fn run_state(state: &str, started: bool) -> &'static str {
    match state {
        "START" | "RUNNING" => "RUNNING",
        "COMPLETE" => "COMPLETED",
        "ABORT" => "ABORTED",
        "FAIL" => "FAILED",
        _ if started => "RUNNING",
        _ => "NEW",
    }
}

fn duration_ms(start: Option<&str>, end: Option<&str>) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let parse = |t: &str| time::OffsetDateTime::parse(t, &Rfc3339).ok();
    let (a, b) = (parse(start?)?, parse(end?)?);
    Some((b - a).whole_milliseconds() as i64)
}

fn run_view(r: RunRecord) -> MzRun {
    let refs = |keys: &[DatasetKey]| {
        keys.iter()
            .map(|k| MzDatasetVersionRef {
                dataset_version_id: id(k),
            })
            .collect()
    };
    MzRun {
        state: run_state(&r.state, r.started_at.is_some()).to_owned(),
        duration_ms: duration_ms(r.started_at.as_deref(), r.ended_at.as_deref()),
        input_dataset_versions: refs(&r.inputs),
        output_dataset_versions: refs(&r.outputs),
        facets: json(&r.facets),
        job_version: MzId {
            namespace: r.job_namespace.clone(),
            name: r.job_name.clone(),
        },
        id: r.run_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
        nominal_start_time: None,
        nominal_end_time: None,
        started_at: r.started_at,
        ended_at: r.ended_at,
        args: Value::Object(Default::default()),
        error_message: r.error_message,
    }
}

impl Workbench {
    fn dataset_view(&self, d: DatasetRecord, port: Option<String>) -> MzDataset {
        let fields: Vec<Value> = d
            .fields
            .as_deref()
            .map(json)
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let facets = json(&d.facets);
        let description = facets
            .pointer("/documentation/description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let stream = d.key.namespace.starts_with("kafka://");
        MzDataset {
            id: id(&d.key),
            dataset_type: String::from(if stream { "STREAM" } else { "DB_TABLE" }),
            name: d.key.name.clone(),
            physical_name: d.key.name.clone(),
            created_at: d.created_at,
            updated_at: d.updated_at,
            namespace: d.key.namespace.clone(),
            source_name: d.key.namespace.clone(),
            fields: fields
                .iter()
                .map(|f| MzField {
                    name: f
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    field_type: f.get("type").and_then(Value::as_str).map(str::to_owned),
                    tags: Vec::new(),
                    description: f
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                })
                .collect(),
            tags: Vec::new(),
            last_modified_at: d.last_written_at,
            description,
            facets,
            current_version: None,
            deleted: false,
            data_product_port: port,
        }
    }

    async fn job_view(&self, j: JobRecord) -> Result<MzJob> {
        let latest = match &j.latest_run_id {
            Some(run) => self.store.lineage_run(run).await?.map(run_view),
            None => None,
        };
        let facets = json(&j.facets);
        let description = facets
            .pointer("/documentation/description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let location = facets
            .pointer("/sourceCodeLocation/url")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(MzJob {
            id: MzId {
                namespace: j.namespace.clone(),
                name: j.name.clone(),
            },
            job_type: j.job_type.clone().unwrap_or_else(|| String::from("BATCH")),
            simple_name: j.name.rsplit('.').next().unwrap_or(&j.name).to_owned(),
            name: j.name,
            created_at: j.created_at,
            updated_at: j.updated_at,
            namespace: j.namespace,
            inputs: j.inputs.iter().map(id).collect(),
            outputs: j.outputs.iter().map(id).collect(),
            location,
            description,
            facets,
            latest_run: latest,
        })
    }

    /// The product port a dataset is served as, as `product:port`.
    async fn port_of(&self, k: &DatasetKey) -> Result<Option<String>> {
        let ports = self
            .graph()
            .await?
            .ports_of_dataset(&DatasetRef::new(&k.namespace, &k.name));
        Ok(ports.first().and_then(|p| match p {
            NodeId::Port { product, port } => Some(format!("{product}:{port}")),
            _ => None,
        }))
    }

    pub async fn mz_namespaces(&self, actor: &Actor) -> Result<MzNamespaces> {
        actor.require_read()?;
        let namespaces: Vec<MzNamespace> = self
            .store
            .lineage_namespaces()
            .await?
            .into_iter()
            .map(|n| MzNamespace {
                name: n.name,
                created_at: n.created_at,
                updated_at: n.updated_at,
                owner_name: String::from("anonymous"),
                description: None,
                is_hidden: false,
            })
            .collect();
        Ok(MzNamespaces {
            total_count: namespaces.len(),
            namespaces,
        })
    }

    pub async fn mz_namespace(&self, actor: &Actor, name: &str) -> Result<MzNamespace> {
        self.mz_namespaces(actor)
            .await?
            .namespaces
            .into_iter()
            .find(|n| n.name == name)
            .ok_or_else(|| WorkbenchError::not_found(format!("namespace '{name}' not found")))
    }

    pub async fn mz_datasets(
        &self,
        actor: &Actor,
        namespace: &str,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> Result<MzDatasets> {
        actor.require_read()?;
        let (limit, offset) = paging(limit, offset)?;
        let (list, total) = self
            .store
            .lineage_datasets(Some(namespace), limit, offset)
            .await?;
        let mut datasets = Vec::with_capacity(list.len());
        for d in list {
            let port = self.port_of(&d.key).await?;
            datasets.push(self.dataset_view(d, port));
        }
        Ok(MzDatasets {
            total_count: total,
            datasets,
        })
    }

    pub async fn mz_dataset(
        &self,
        actor: &Actor,
        namespace: &str,
        name: &str,
    ) -> Result<MzDataset> {
        actor.require_read()?;
        let key = DatasetKey {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        };
        let d = self.store.lineage_dataset(&key).await?.ok_or_else(|| {
            WorkbenchError::not_found(format!(
                "dataset '{name}' not found in namespace '{namespace}'"
            ))
        })?;
        let port = self.port_of(&key).await?;
        Ok(self.dataset_view(d, port))
    }

    pub async fn mz_jobs(
        &self,
        actor: &Actor,
        namespace: &str,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> Result<MzJobs> {
        actor.require_read()?;
        let (limit, offset) = paging(limit, offset)?;
        let (list, total) = self
            .store
            .lineage_jobs(Some(namespace), limit, offset)
            .await?;
        let mut jobs = Vec::with_capacity(list.len());
        for j in list {
            jobs.push(self.job_view(j).await?);
        }
        Ok(MzJobs {
            total_count: total,
            jobs,
        })
    }

    pub async fn mz_job(&self, actor: &Actor, namespace: &str, name: &str) -> Result<MzJob> {
        actor.require_read()?;
        let j = self
            .store
            .lineage_job(namespace, name)
            .await?
            .ok_or_else(|| {
                WorkbenchError::not_found(format!(
                    "job '{name}' not found in namespace '{namespace}'"
                ))
            })?;
        self.job_view(j).await
    }

    pub async fn mz_runs(
        &self,
        actor: &Actor,
        namespace: &str,
        job: &str,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> Result<MzRuns> {
        actor.require_read()?;
        let (limit, offset) = paging(limit, offset)?;
        if self.store.lineage_job(namespace, job).await?.is_none() {
            return Err(WorkbenchError::not_found(format!(
                "job '{job}' not found in namespace '{namespace}'"
            )));
        }
        let (runs, total) = self
            .store
            .lineage_runs(namespace, job, limit, offset)
            .await?;
        Ok(MzRuns {
            total_count: total,
            runs: runs.into_iter().map(run_view).collect(),
        })
    }

    pub async fn mz_run(&self, actor: &Actor, run_id: &str) -> Result<MzRun> {
        actor.require_read()?;
        self.store
            .lineage_run(&run_id.to_lowercase())
            .await?
            .map(run_view)
            .ok_or_else(|| WorkbenchError::not_found(format!("run '{run_id}' not found")))
    }

    /// Marquez's `GET /api/v1/lineage`: datasets and jobs around a node, `depth` jobs away in
    /// both directions.
    pub async fn mz_lineage(
        &self,
        actor: &Actor,
        node_id: &str,
        depth: Option<u32>,
    ) -> Result<MzLineage> {
        actor.require_read()?;
        let depth = depth.unwrap_or(20).min(100);
        let sub = {
            let graph = self.graph().await?;
            let node = graph
                .resolve(node_id)
                .filter(|n| match n {
                    NodeId::Dataset { namespace, name } => graph.is_observed(&DatasetRef::new(namespace, name)),
                    NodeId::Job { .. } => true,
                    _ => false,
                })
                .ok_or_else(|| {
                    if node_id.starts_with("dataset:") || node_id.starts_with("job:") {
                        WorkbenchError::not_found(format!("node '{node_id}' not found"))
                    } else {
                        WorkbenchError::bad_request(format!(
                            "nodeId '{node_id}' must be dataset:<namespace>:<name> or job:<namespace>:<name>"
                        ))
                    }
                })?;
            graph.reach(&[node], depth, depth, Scope::Observed)
        };
        let mut in_edges: HashMap<String, Vec<MzEdge>> = HashMap::new();
        let mut out_edges: HashMap<String, Vec<MzEdge>> = HashMap::new();
        for e in &sub.edges {
            let edge = MzEdge {
                origin: e.from.to_string(),
                destination: e.to.to_string(),
            };
            out_edges
                .entry(edge.origin.clone())
                .or_default()
                .push(edge.clone());
            in_edges
                .entry(edge.destination.clone())
                .or_default()
                .push(edge);
        }
        let mut graph = Vec::with_capacity(sub.nodes.len());
        for n in &sub.nodes {
            let key = n.id.to_string();
            let (node_type, data) = match &n.id {
                NodeId::Dataset { namespace, name } => {
                    let k = DatasetKey {
                        namespace: namespace.clone(),
                        name: name.clone(),
                    };
                    let Some(d) = self.store.lineage_dataset(&k).await? else {
                        continue;
                    };
                    let port = self.port_of(&k).await?;
                    (
                        "DATASET",
                        serde_json::to_value(self.dataset_view(d, port)).unwrap_or_default(),
                    )
                }
                NodeId::Job { namespace, name } => {
                    let Some(j) = self.store.lineage_job(namespace, name).await? else {
                        continue;
                    };
                    (
                        "JOB",
                        serde_json::to_value(self.job_view(j).await?).unwrap_or_default(),
                    )
                }
                _ => continue,
            };
            graph.push(MzNode {
                node_type: node_type.to_owned(),
                data,
                in_edges: in_edges.remove(&key).unwrap_or_default(),
                out_edges: out_edges.remove(&key).unwrap_or_default(),
                id: key,
            });
        }
        graph.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(MzLineage { graph })
    }

    /// Marquez's `GET /api/v1/column-lineage`: the columns a field (or every field of a
    /// dataset, or of a job's outputs) is derived from, and with `with_downstream` those
    /// derived from it.
    pub async fn mz_column_lineage(
        &self,
        actor: &Actor,
        node_id: &str,
        depth: Option<u32>,
        with_downstream: bool,
    ) -> Result<MzLineage> {
        actor.require_read()?;
        let depth = depth.unwrap_or(20).min(100);
        let sub = {
            let graph = self.graph().await?;
            let starts: Vec<NodeId> = match graph.resolve(node_id) {
                Some(node @ NodeId::Column { .. }) => vec![node],
                Some(NodeId::Dataset { namespace, name }) => graph
                    .columns_of(&DatasetRef::new(&namespace, &name))
                    .into_iter()
                    .map(|f| NodeId::column(&namespace, &name, f))
                    .collect(),
                Some(NodeId::Job { namespace, name }) => graph
                    .job(&namespace, &name)
                    .map(|j| j.outputs.clone())
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|d| {
                        graph
                            .columns_of(d)
                            .into_iter()
                            .map(|f| NodeId::column(&d.namespace, &d.name, f))
                            .collect::<Vec<_>>()
                    })
                    .collect(),
                _ if NodeId::parse(node_id).is_err() => {
                    return Err(WorkbenchError::bad_request(format!(
                        "nodeId '{node_id}' must be datasetField:<namespace>:<dataset>:<field>, dataset:<namespace>:<name> or job:<namespace>:<name>"
                    )));
                }
                _ => {
                    return Err(WorkbenchError::not_found(format!(
                        "node '{node_id}' not found"
                    )));
                }
            };
            graph.reach(
                &starts,
                depth,
                if with_downstream { depth } else { 0 },
                Scope::Columns,
            )
        };
        // The transformations of every derivation, by output dataset.
        let mut rows: HashMap<(String, String), Vec<store::lineage::ColumnLineageRecord>> =
            HashMap::new();
        for n in &sub.nodes {
            if let NodeId::Column {
                namespace, dataset, ..
            } = &n.id
                && let std::collections::hash_map::Entry::Vacant(slot) =
                    rows.entry((namespace.clone(), dataset.clone()))
            {
                let key = DatasetKey {
                    namespace: namespace.clone(),
                    name: dataset.clone(),
                };
                slot.insert(self.store.lineage_columns(Some(&key)).await?);
            }
        }
        let mut in_edges: HashMap<String, Vec<MzEdge>> = HashMap::new();
        let mut out_edges: HashMap<String, Vec<MzEdge>> = HashMap::new();
        for e in &sub.edges {
            let edge = MzEdge {
                origin: e.from.to_string(),
                destination: e.to.to_string(),
            };
            out_edges
                .entry(edge.origin.clone())
                .or_default()
                .push(edge.clone());
            in_edges
                .entry(edge.destination.clone())
                .or_default()
                .push(edge);
        }
        let mut graph = Vec::new();
        for n in &sub.nodes {
            let NodeId::Column {
                namespace,
                dataset,
                field,
            } = &n.id
            else {
                continue;
            };
            let derivations: Vec<&store::lineage::ColumnLineageRecord> = rows
                .get(&(namespace.clone(), dataset.clone()))
                .map(|r| r.iter().filter(|r| &r.row.field == field).collect())
                .unwrap_or_default();
            let transformation = |r: &store::lineage::ColumnLineageRecord| -> (Value, Value) {
                let first = json(&r.row.transformations)
                    .get(0)
                    .cloned()
                    .unwrap_or_default();
                (
                    first.get("description").cloned().unwrap_or(Value::Null),
                    first.get("type").cloned().unwrap_or(Value::Null),
                )
            };
            let inputs: Vec<Value> = derivations
                .iter()
                .map(|r| {
                    let (description, kind) = transformation(r);
                    serde_json::json!({
                        "namespace": r.row.input.namespace,
                        "dataset": r.row.input.name,
                        "datasetVersion": null,
                        "field": r.row.input_field,
                        "transformationDescription": description,
                        "transformationType": kind,
                    })
                })
                .collect();
            let (description, kind) = derivations
                .first()
                .map(|r| transformation(r))
                .unwrap_or((Value::Null, Value::Null));
            let key = n.id.to_string();
            graph.push(MzNode {
                node_type: String::from("DATASET_FIELD"),
                data: serde_json::json!({
                    "namespace": namespace,
                    "dataset": dataset,
                    "datasetVersion": null,
                    "field": field,
                    "fieldType": null,
                    "transformationDescription": description,
                    "transformationType": kind,
                    "inputFields": inputs,
                }),
                in_edges: in_edges.remove(&key).unwrap_or_default(),
                out_edges: out_edges.remove(&key).unwrap_or_default(),
                id: key,
            });
        }
        graph.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(MzLineage { graph })
    }
}
