//! Reading observed lineage: what the in-memory graph is loaded from, and the listings the
//! Marquez-compatible API serves.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::ingest::pairs_condition;
use super::{
    ColumnLineageRecord, ColumnLineageRow, DatasetKey, DatasetRecord, JobIoRecord, JobRecord,
    NamespaceRecord, ObservationRecord, RunRecord,
};
use crate::{Result, Store, StoreError};

fn key(namespace: String, name: String) -> DatasetKey {
    DatasetKey { namespace, name }
}

/// Jobs (rows of `namespace, name, job_type, latest_state`) with their inputs and outputs (rows
/// of `ol_job_io`), in job order.
fn job_io_records(
    jobs: &[AnyRow],
    io: Vec<(String, String, String, String, String)>,
) -> Result<Vec<JobIoRecord>> {
    let mut by_job: BTreeMap<(String, String), JobIoRecord> = BTreeMap::new();
    for row in jobs {
        let record = JobIoRecord {
            namespace: row.try_get("namespace")?,
            name: row.try_get("name")?,
            job_type: row.try_get("job_type")?,
            latest_state: row.try_get("latest_state")?,
            inputs: Vec::new(),
            outputs: Vec::new(),
        };
        by_job.insert((record.namespace.clone(), record.name.clone()), record);
    }
    for (jns, jname, direction, dns, dname) in io {
        if let Some(job) = by_job.get_mut(&(jns, jname)) {
            let k = key(dns, dname);
            if direction == "input" {
                job.inputs.push(k);
            } else {
                job.outputs.push(k);
            }
        }
    }
    Ok(by_job.into_values().collect())
}

fn dataset(row: &AnyRow) -> Result<DatasetRecord, sqlx::Error> {
    Ok(DatasetRecord {
        key: key(row.try_get("namespace")?, row.try_get("name")?),
        fields: row.try_get("fields")?,
        facets: row.try_get("facets")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        last_written_at: row.try_get("last_written_at")?,
        last_written_by: row.try_get("last_written_by")?,
    })
}

fn run(row: &AnyRow) -> Result<RunRecord, sqlx::Error> {
    Ok(RunRecord {
        run_id: row.try_get("run_id")?,
        job_namespace: row.try_get("job_namespace")?,
        job_name: row.try_get("job_name")?,
        state: row.try_get("state")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        error_message: row.try_get("error_message")?,
        parent_run_id: row.try_get("parent_run_id")?,
        facets: row.try_get("facets")?,
        inputs: Vec::new(),
        outputs: Vec::new(),
    })
}

/// A product as the lineage graph is built from: its row and its document (JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphProductRecord {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    pub team_id: String,
    pub status: String,
    pub product_type: Option<String>,
    pub document: String,
}

impl Store {
    /// Every product (or one) with its document, for building the lineage graph.
    pub async fn graph_products(&self, id: Option<&str>) -> Result<Vec<GraphProductRecord>> {
        let rows = sqlx::query(
            "SELECT id, name, domain_id, team_id, status, product_type, document FROM products \
             WHERE ($1 IS NULL OR id = $1) ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.db()?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(GraphProductRecord {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    domain_id: row.try_get("domain_id")?,
                    team_id: row.try_get("team_id")?,
                    status: row.try_get("status")?,
                    product_type: row.try_get("product_type")?,
                    document: row.try_get("document")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Contract documents (JSON) by id: all of them, or those named.
    pub async fn contract_documents(
        &self,
        ids: Option<&[String]>,
    ) -> Result<Vec<(String, String)>> {
        match ids {
            None => Ok(
                sqlx::query_as("SELECT id, document FROM contracts ORDER BY id")
                    .fetch_all(&self.db()?)
                    .await?,
            ),
            Some(ids) => {
                let mut out = Vec::new();
                for id in ids {
                    let row: Option<(String, String)> =
                        sqlx::query_as("SELECT id, document FROM contracts WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&self.db()?)
                            .await?;
                    out.extend(row);
                }
                Ok(out)
            }
        }
    }

    /// Every job with its inputs and outputs, for loading the graph; or one job.
    pub async fn lineage_job_io(&self, job: Option<(&str, &str)>) -> Result<Vec<JobIoRecord>> {
        let (ns, name) = job.unzip();
        let jobs = sqlx::query(
            "SELECT j.namespace, j.name, j.job_type, r.state AS latest_state FROM ol_jobs j \
             LEFT JOIN ol_runs r ON r.run_id = j.latest_run_id \
             WHERE ($1 IS NULL OR j.namespace = $1) AND ($2 IS NULL OR j.name = $2) \
             ORDER BY j.namespace, j.name",
        )
        .bind(ns)
        .bind(name)
        .fetch_all(&self.db()?)
        .await?;
        let io: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT job_namespace, job_name, direction, namespace, name FROM ol_job_io \
             WHERE ($1 IS NULL OR job_namespace = $1) AND ($2 IS NULL OR job_name = $2) \
             ORDER BY job_namespace, job_name, direction, namespace, name",
        )
        .bind(ns)
        .bind(name)
        .fetch_all(&self.db()?)
        .await?;
        job_io_records(&jobs, io)
    }

    /// Several jobs with their inputs and outputs, in few queries (after a batch of events).
    pub async fn lineage_job_io_many(&self, jobs: &[(String, String)]) -> Result<Vec<JobIoRecord>> {
        let mut out = Vec::with_capacity(jobs.len());
        for chunk in jobs.chunks(200) {
            let sql = format!(
                "SELECT j.namespace, j.name, j.job_type, r.state AS latest_state FROM ol_jobs j \
                 LEFT JOIN ol_runs r ON r.run_id = j.latest_run_id WHERE {}",
                pairs_condition("j.namespace", "j.name", chunk.len(), 1)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (ns, name) in chunk {
                q = q.bind(ns).bind(name);
            }
            let rows = q.fetch_all(&self.db()?).await?;
            let sql = format!(
                "SELECT job_namespace, job_name, direction, namespace, name FROM ol_job_io WHERE {} \
                 ORDER BY job_namespace, job_name, direction, namespace, name",
                pairs_condition("job_namespace", "job_name", chunk.len(), 1)
            );
            let mut q =
                sqlx::query_as::<_, (String, String, String, String, String)>(AssertSqlSafe(sql));
            for (ns, name) in chunk {
                q = q.bind(ns).bind(name);
            }
            let io = q.fetch_all(&self.db()?).await?;
            out.extend(job_io_records(&rows, io)?);
        }
        Ok(out)
    }

    /// The column lineage of every output dataset, or of one.
    pub async fn lineage_columns(
        &self,
        output: Option<&DatasetKey>,
    ) -> Result<Vec<ColumnLineageRecord>> {
        let rows: Vec<(String, String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT namespace, name, field, input_namespace, input_name, input_field, transformations \
             FROM ol_column_lineage WHERE ($1 IS NULL OR namespace = $1) AND ($2 IS NULL OR name = $2) \
             ORDER BY namespace, name, field, input_namespace, input_name, input_field",
        )
        .bind(output.map(|o| o.namespace.as_str()))
        .bind(output.map(|o| o.name.as_str()))
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(ns, name, field, ins, iname, ifield, transformations)| ColumnLineageRecord {
                    output: key(ns, name),
                    row: ColumnLineageRow {
                        field,
                        input: key(ins, iname),
                        input_field: ifield,
                        transformations,
                    },
                },
            )
            .collect())
    }

    /// Every dataset seen in an event, by key.
    pub async fn lineage_dataset_keys(&self) -> Result<Vec<DatasetKey>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT namespace, name FROM ol_datasets ORDER BY namespace, name")
                .fetch_all(&self.db()?)
                .await?;
        Ok(rows.into_iter().map(|(a, b)| key(a, b)).collect())
    }

    /// The namespaces of datasets and jobs, with when they were first and last seen.
    pub async fn lineage_namespaces(&self) -> Result<Vec<NamespaceRecord>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT namespace, MIN(created_at), MAX(updated_at) FROM ( \
               SELECT namespace, created_at, updated_at FROM ol_datasets \
               UNION ALL SELECT namespace, created_at, updated_at FROM ol_jobs) seen \
             GROUP BY namespace ORDER BY namespace",
        )
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, created_at, updated_at)| NamespaceRecord {
                name,
                created_at,
                updated_at,
            })
            .collect())
    }

    /// Datasets of a namespace (all namespaces without one), by name, with the total count.
    pub async fn lineage_datasets(
        &self,
        namespace: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<DatasetRecord>, i64)> {
        let rows = sqlx::query(
            "SELECT * FROM ol_datasets WHERE ($1 IS NULL OR namespace = $1) \
             ORDER BY namespace, name LIMIT $2 OFFSET $3",
        )
        .bind(namespace)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.db()?)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ol_datasets WHERE ($1 IS NULL OR namespace = $1)",
        )
        .bind(namespace)
        .fetch_one(&self.db()?)
        .await?;
        let list = rows.iter().map(dataset).collect::<Result<_, _>>()?;
        Ok((list, total))
    }

    pub async fn lineage_dataset(&self, k: &DatasetKey) -> Result<Option<DatasetRecord>> {
        let row = sqlx::query("SELECT * FROM ol_datasets WHERE namespace = $1 AND name = $2")
            .bind(&k.namespace)
            .bind(&k.name)
            .fetch_optional(&self.db()?)
            .await?;
        row.as_ref()
            .map(dataset)
            .transpose()
            .map_err(StoreError::from)
    }

    /// The datasets with these keys that were seen, for port freshness.
    pub async fn lineage_datasets_by_key(&self, keys: &[DatasetKey]) -> Result<Vec<DatasetRecord>> {
        let mut out = Vec::new();
        for k in keys {
            if let Some(d) = self.lineage_dataset(k).await? {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// Jobs of a namespace (all without one), by name, with the total count.
    pub async fn lineage_jobs(
        &self,
        namespace: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<JobRecord>, i64)> {
        let rows = sqlx::query(
            "SELECT * FROM ol_jobs WHERE ($1 IS NULL OR namespace = $1) \
             ORDER BY namespace, name LIMIT $2 OFFSET $3",
        )
        .bind(namespace)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.db()?)
        .await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM ol_jobs WHERE ($1 IS NULL OR namespace = $1)")
                .bind(namespace)
                .fetch_one(&self.db()?)
                .await?;
        let mut list = Vec::with_capacity(rows.len());
        for row in &rows {
            list.push(self.job_record(row).await?);
        }
        Ok((list, total))
    }

    pub async fn lineage_job(&self, namespace: &str, name: &str) -> Result<Option<JobRecord>> {
        let row = sqlx::query("SELECT * FROM ol_jobs WHERE namespace = $1 AND name = $2")
            .bind(namespace)
            .bind(name)
            .fetch_optional(&self.db()?)
            .await?;
        match row {
            Some(row) => Ok(Some(self.job_record(&row).await?)),
            None => Ok(None),
        }
    }

    async fn job_record(&self, row: &AnyRow) -> Result<JobRecord> {
        let namespace: String = row.try_get("namespace")?;
        let name: String = row.try_get("name")?;
        let io = self
            .lineage_job_io(Some((&namespace, &name)))
            .await?
            .into_iter()
            .next()
            .unwrap_or_default();
        Ok(JobRecord {
            job_type: row.try_get("job_type")?,
            facets: row.try_get("facets")?,
            latest_run_id: row.try_get("latest_run_id")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            inputs: io.inputs,
            outputs: io.outputs,
            namespace,
            name,
        })
    }

    /// A job's runs, newest first, with the total count.
    pub async fn lineage_runs(
        &self,
        namespace: &str,
        name: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<RunRecord>, i64)> {
        let rows = sqlx::query(
            "SELECT * FROM ol_runs WHERE job_namespace = $1 AND job_name = $2 \
             ORDER BY created_at DESC, run_id DESC LIMIT $3 OFFSET $4",
        )
        .bind(namespace)
        .bind(name)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.db()?)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ol_runs WHERE job_namespace = $1 AND job_name = $2",
        )
        .bind(namespace)
        .bind(name)
        .fetch_one(&self.db()?)
        .await?;
        let mut list = Vec::with_capacity(rows.len());
        for row in &rows {
            list.push(self.with_run_io(run(row)?).await?);
        }
        Ok((list, total))
    }

    pub async fn lineage_run(&self, run_id: &str) -> Result<Option<RunRecord>> {
        let row = sqlx::query("SELECT * FROM ol_runs WHERE run_id = $1")
            .bind(run_id)
            .fetch_optional(&self.db()?)
            .await?;
        match row {
            Some(row) => Ok(Some(self.with_run_io(run(&row)?).await?)),
            None => Ok(None),
        }
    }

    async fn with_run_io(&self, mut record: RunRecord) -> Result<RunRecord> {
        let io: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT direction, namespace, name FROM ol_run_io WHERE run_id = $1 ORDER BY direction, namespace, name",
        )
        .bind(&record.run_id)
        .fetch_all(&self.db()?)
        .await?;
        for (direction, ns, name) in io {
            if direction == "input" {
                record.inputs.push(key(ns, name));
            } else {
                record.outputs.push(key(ns, name));
            }
        }
        Ok(record)
    }

    /// Quality observations of a dataset, newest first.
    pub async fn lineage_observations(
        &self,
        k: &DatasetKey,
        limit: i64,
    ) -> Result<Vec<ObservationRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM ol_observations WHERE namespace = $1 AND name = $2 \
             ORDER BY observed_at DESC, id DESC LIMIT $3",
        )
        .bind(&k.namespace)
        .bind(&k.name)
        .bind(limit)
        .fetch_all(&self.db()?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ObservationRecord {
                    dataset: key(row.try_get("namespace")?, row.try_get("name")?),
                    run_id: row.try_get("run_id")?,
                    kind: row.try_get("kind")?,
                    column: row.try_get("column_name")?,
                    assertion: row.try_get("assertion")?,
                    success: row.try_get::<Option<i64>, _>("success")?.map(|v| v != 0),
                    value: row.try_get("value")?,
                    observed_at: row.try_get("observed_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// How many events were stored (for tests and the dashboard).
    pub async fn lineage_event_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM ol_events")
            .fetch_one(&self.db()?)
            .await?)
    }
}
