//! Storing OpenLineage events: every event once (by hash), a batch in one transaction, with what
//! the events say about datasets, jobs, runs, column lineage and data quality. The batch is folded
//! in memory first ([`super::fold`]), so it is written with a dozen statements whatever its size.

use std::collections::{BTreeSet, HashMap, HashSet};

use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::fold::{Folded, IoDef, Known, KnownJob, RunState, fold};
use super::{DatasetKey, LineageEventWrite};
use crate::changes::Change;
use crate::{Result, Store, now};

/// What storing an event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ingested {
    /// The event was new. The job whose inputs or outputs changed, the datasets it mentions, and
    /// the output datasets whose column lineage was replaced.
    Stored {
        job: Option<(String, String)>,
        job_io_changed: bool,
        datasets: Vec<DatasetKey>,
        columns: Vec<DatasetKey>,
    },
    /// The same event was stored before; nothing changed.
    Duplicate,
}

impl Store {
    /// Stores a batch of events in one transaction (group commit: many clients' events share one
    /// disk sync). Events already stored are skipped; the result says which.
    pub async fn ingest_lineage(&self, events: &[LineageEventWrite]) -> Result<Vec<Ingested>> {
        let mut tx = self.begin_write().await?;
        let out = ingest_batch(&mut tx, events).await?;
        let changes = changes_of(&out);
        self.commit(tx, &changes).await?;
        Ok(out)
    }
}

/// What a batch changed, for the graph and for other instances: jobs whose inputs or outputs
/// changed, datasets seen, and outputs whose column lineage was replaced.
pub fn changes_of(results: &[Ingested]) -> Vec<Change> {
    let mut changes = Vec::new();
    for r in results {
        let Ingested::Stored {
            job,
            job_io_changed,
            datasets,
            columns,
        } = r
        else {
            continue;
        };
        if let (Some((namespace, name)), true) = (job, job_io_changed) {
            changes.push(Change::Job {
                namespace: namespace.clone(),
                name: name.clone(),
            });
        }
        changes.extend(datasets.iter().map(|d| Change::Dataset {
            namespace: d.namespace.clone(),
            name: d.name.clone(),
        }));
        changes.extend(columns.iter().map(|d| Change::Columns {
            namespace: d.namespace.clone(),
            name: d.name.clone(),
        }));
    }
    changes.sort();
    changes.dedup();
    changes
}

/// `INSERT … VALUES ($1, …), ($k, …)` for `rows` rows of `width` columns.
fn values(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows per multi-row statement, kept under both databases' limits on parameters.
const CHUNK: usize = 400;

/// `(a = $1 AND b = $2) OR …` for `pairs` pairs, numbered from `$first`.
pub(super) fn pairs_condition(a: &str, b: &str, pairs: usize, first: usize) -> String {
    (0..pairs)
        .map(|i| {
            format!(
                "({a} = ${} AND {b} = ${})",
                first + 2 * i,
                first + 2 * i + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" OR ")
}

async fn ingest_batch(
    tx: &mut AnyConnection,
    events: &[LineageEventWrite],
) -> Result<Vec<Ingested>> {
    // 1. The events themselves; a repeat (in the database or earlier in the batch) is skipped.
    let received = now();
    let mut first: HashSet<&str> = HashSet::new();
    let candidates: Vec<&LineageEventWrite> = events
        .iter()
        .filter(|e| first.insert(e.hash.as_str()))
        .collect();
    let mut inserted: HashSet<String> = HashSet::new();
    for chunk in candidates.chunks(CHUNK / 10) {
        let sql = format!(
            "INSERT INTO ol_events (hash, kind, event_type, event_time, run_id, job_namespace, job_name, producer, received_at, body) \
             VALUES {} ON CONFLICT (hash) DO NOTHING RETURNING hash",
            values(chunk.len(), 10)
        );
        let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
        for e in chunk {
            q = q
                .bind(&e.hash)
                .bind(&e.kind)
                .bind(&e.event_type)
                .bind(&e.event_time)
                .bind(e.run.as_ref().map(|r| r.run_id.clone()))
                .bind(e.job.as_ref().map(|j| j.namespace.clone()))
                .bind(e.job.as_ref().map(|j| j.name.clone()))
                .bind(&e.producer)
                .bind(&received)
                .bind(&e.body);
        }
        inserted.extend(q.fetch_all(&mut *tx).await?);
    }
    let mut claimed: HashSet<&str> = HashSet::new();
    let fresh: Vec<bool> = events
        .iter()
        .map(|e| inserted.contains(&e.hash) && claimed.insert(e.hash.as_str()))
        .collect();
    let new: Vec<&LineageEventWrite> = events
        .iter()
        .zip(&fresh)
        .filter(|(_, f)| **f)
        .map(|(e, _)| e)
        .collect();
    if new.is_empty() {
        return Ok(vec![Ingested::Duplicate; events.len()]);
    }

    // 2. What the database knows of the runs and jobs the batch touches.
    let known = load_known(tx, &new).await?;
    // 3. The batch, folded in order.
    let folded = fold(&new, &known);
    // 4. Written.
    write(tx, &folded).await?;

    let mut io_changed = folded.io_changed.iter();
    Ok(events
        .iter()
        .zip(&fresh)
        .map(|(e, fresh)| {
            if !fresh {
                return Ingested::Duplicate;
            }
            let changed = io_changed.next().copied().unwrap_or(false);
            let mut datasets: Vec<DatasetKey> = e.datasets.iter().map(|d| d.key.clone()).collect();
            datasets.sort();
            datasets.dedup();
            Ingested::Stored {
                job: e
                    .job
                    .as_ref()
                    .map(|j| (j.namespace.clone(), j.name.clone())),
                job_io_changed: changed,
                datasets,
                columns: e.column_lineage.iter().map(|c| c.output.clone()).collect(),
            }
        })
        .collect())
}

async fn load_known(tx: &mut AnyConnection, events: &[&LineageEventWrite]) -> Result<Known> {
    let mut known = Known::default();
    let run_ids: Vec<&str> = events
        .iter()
        .filter_map(|e| e.run.as_ref().map(|r| r.run_id.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in run_ids.chunks(CHUNK) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT run_id, job_namespace, job_name, state, created_at, updated_at, started_at, ended_at, error_message, parent_run_id, facets \
             FROM ol_runs WHERE run_id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut *tx).await? {
            known.runs.insert(
                row.try_get("run_id")?,
                RunState {
                    job: (row.try_get("job_namespace")?, row.try_get("job_name")?),
                    state: row.try_get("state")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    started_at: row.try_get("started_at")?,
                    ended_at: row.try_get("ended_at")?,
                    error_message: row.try_get("error_message")?,
                    parent_run_id: row.try_get("parent_run_id")?,
                    facets: row.try_get("facets")?,
                },
            );
        }
    }
    let jobs: Vec<(&str, &str)> = events
        .iter()
        .filter_map(|e| {
            e.job
                .as_ref()
                .map(|j| (j.namespace.as_str(), j.name.as_str()))
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in jobs.chunks(CHUNK / 2) {
        let sql = format!(
            "SELECT j.namespace, j.name, j.latest_run_id, r.created_at AS latest_created, j.io_at, j.io_final \
             FROM ol_jobs j LEFT JOIN ol_runs r ON r.run_id = j.latest_run_id WHERE {}",
            pairs_condition("j.namespace", "j.name", chunk.len(), 1)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (ns, name) in chunk {
            q = q.bind(*ns).bind(*name);
        }
        for row in q.fetch_all(&mut *tx).await? {
            let latest: Option<String> = row.try_get("latest_run_id")?;
            let created: Option<String> = row.try_get("latest_created")?;
            known.jobs.insert(
                (row.try_get("namespace")?, row.try_get("name")?),
                KnownJob {
                    latest: latest.zip(created).map(|(id, c)| (c, id)),
                    io_at: row.try_get("io_at")?,
                    io_final: row.try_get::<i64, _>("io_final")? != 0,
                },
            );
        }
    }
    Ok(known)
}

async fn write(tx: &mut AnyConnection, f: &Folded) -> Result<()> {
    let datasets: Vec<_> = f.datasets.iter().collect();
    for chunk in datasets.chunks(CHUNK / 6) {
        let sql = format!(
            "INSERT INTO ol_datasets (namespace, name, fields, facets, created_at, updated_at) VALUES {} \
             ON CONFLICT (namespace, name) DO UPDATE SET \
             fields = COALESCE(excluded.fields, ol_datasets.fields), \
             facets = CASE WHEN excluded.facets = '{{}}' THEN ol_datasets.facets ELSE excluded.facets END, \
             created_at = CASE WHEN excluded.created_at < ol_datasets.created_at THEN excluded.created_at ELSE ol_datasets.created_at END, \
             updated_at = CASE WHEN excluded.updated_at > ol_datasets.updated_at THEN excluded.updated_at ELSE ol_datasets.updated_at END",
            values(chunk.len(), 6)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (k, d) in chunk {
            q = q
                .bind(&k.namespace)
                .bind(&k.name)
                .bind(&d.fields)
                .bind(d.facets.clone().unwrap_or_else(|| String::from("{}")))
                .bind(&d.created_at)
                .bind(&d.updated_at);
        }
        q.execute(&mut *tx).await?;
    }

    let jobs: Vec<_> = f.jobs.iter().collect();
    for chunk in jobs.chunks(CHUNK / 10) {
        let sql = format!(
            "INSERT INTO ol_jobs (namespace, name, job_type, facets, created_at, updated_at, latest_run_id, io_run_id, io_at, io_final) VALUES {} \
             ON CONFLICT (namespace, name) DO UPDATE SET \
             job_type = COALESCE(excluded.job_type, ol_jobs.job_type), \
             facets = CASE WHEN excluded.facets = '{{}}' THEN ol_jobs.facets ELSE excluded.facets END, \
             created_at = CASE WHEN excluded.created_at < ol_jobs.created_at THEN excluded.created_at ELSE ol_jobs.created_at END, \
             updated_at = CASE WHEN excluded.updated_at > ol_jobs.updated_at THEN excluded.updated_at ELSE ol_jobs.updated_at END, \
             latest_run_id = COALESCE(excluded.latest_run_id, ol_jobs.latest_run_id), \
             io_run_id = COALESCE(excluded.io_run_id, ol_jobs.io_run_id), \
             io_at = COALESCE(excluded.io_at, ol_jobs.io_at), \
             io_final = excluded.io_final",
            values(chunk.len(), 10)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((ns, name), j) in chunk {
            let io_run = match &j.io {
                Some(IoDef::Run(r)) => Some(r.clone()),
                Some(IoDef::Static(_)) => Some(String::new()),
                None => None,
            };
            q = q
                .bind(ns)
                .bind(name)
                .bind(&j.job_type)
                .bind(&j.facets)
                .bind(&j.created_at)
                .bind(&j.updated_at)
                .bind(j.latest.as_ref().map(|l| l.1.clone()))
                .bind(io_run)
                .bind(&j.io_at)
                .bind(i64::from(j.io_final));
        }
        q.execute(&mut *tx).await?;
    }

    let runs: Vec<_> = f.runs.iter().collect();
    for chunk in runs.chunks(CHUNK / 11) {
        let sql = format!(
            "INSERT INTO ol_runs (run_id, job_namespace, job_name, state, created_at, updated_at, started_at, ended_at, error_message, parent_run_id, facets) \
             VALUES {} ON CONFLICT (run_id) DO UPDATE SET state = excluded.state, created_at = excluded.created_at, \
             updated_at = excluded.updated_at, started_at = excluded.started_at, ended_at = excluded.ended_at, \
             error_message = excluded.error_message, parent_run_id = excluded.parent_run_id, facets = excluded.facets",
            values(chunk.len(), 11)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (id, r) in chunk {
            q = q
                .bind(*id)
                .bind(&r.job.0)
                .bind(&r.job.1)
                .bind(&r.state)
                .bind(&r.created_at)
                .bind(&r.updated_at)
                .bind(&r.started_at)
                .bind(&r.ended_at)
                .bind(&r.error_message)
                .bind(&r.parent_run_id)
                .bind(&r.facets);
        }
        q.execute(&mut *tx).await?;
    }

    let run_io: Vec<_> = f.run_io.iter().collect();
    for chunk in run_io.chunks(CHUNK / 4) {
        let sql = format!(
            "INSERT INTO ol_run_io (run_id, direction, namespace, name) VALUES {} ON CONFLICT DO NOTHING",
            values(chunk.len(), 4)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (run, dir, ns, name) in chunk {
            q = q.bind(run).bind(*dir).bind(ns).bind(name);
        }
        q.execute(&mut *tx).await?;
    }

    // Jobs whose inputs and outputs the batch defined anew.
    let redefined: Vec<(&(String, String), &IoDef)> = f
        .jobs
        .iter()
        .filter_map(|(k, j)| j.io.as_ref().map(|io| (k, io)))
        .collect();
    for chunk in redefined.chunks(CHUNK / 2) {
        let sql = format!(
            "DELETE FROM ol_job_io WHERE {}",
            pairs_condition("job_namespace", "job_name", chunk.len(), 1)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((ns, name), _) in chunk {
            q = q.bind(ns).bind(name);
        }
        q.execute(&mut *tx).await?;
    }
    let from_runs: Vec<(&(String, String), &String)> = redefined
        .iter()
        .filter_map(|(k, io)| match io {
            IoDef::Run(r) => Some((*k, r)),
            IoDef::Static(_) => None,
        })
        .collect();
    for chunk in from_runs.chunks(CHUNK / 3) {
        let sql = format!(
            "WITH defined (job_namespace, job_name, run_id) AS (VALUES {}) \
             INSERT INTO ol_job_io (job_namespace, job_name, direction, namespace, name, run_id) \
             SELECT d.job_namespace, d.job_name, r.direction, r.namespace, r.name, r.run_id \
             FROM defined d JOIN ol_run_io r ON r.run_id = d.run_id",
            values(chunk.len(), 3)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((ns, name), run) in chunk {
            q = q.bind(ns).bind(name).bind(*run);
        }
        q.execute(&mut *tx).await?;
    }
    let mut rows: BTreeSet<(&str, &str, &'static str, &str, &str)> = BTreeSet::new();
    for ((ns, name), io) in &redefined {
        if let IoDef::Static(list) = io {
            for (k, dir) in list {
                rows.insert((ns, name, dir.as_str(), &k.namespace, &k.name));
            }
        }
    }
    let rows: Vec<_> = rows.into_iter().collect();
    for chunk in rows.chunks(CHUNK / 6) {
        let sql = format!(
            "INSERT INTO ol_job_io (job_namespace, job_name, direction, namespace, name, run_id) VALUES {} ON CONFLICT DO NOTHING",
            values(chunk.len(), 6)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (ns, name, dir, dns, dname) in chunk {
            q = q
                .bind(*ns)
                .bind(*name)
                .bind(*dir)
                .bind(*dns)
                .bind(*dname)
                .bind("");
        }
        q.execute(&mut *tx).await?;
    }

    // What completed runs wrote was refreshed when they completed: the outputs they reported
    // (in this batch or before), each at its latest completion.
    let completed: Vec<_> = f.completed.iter().collect();
    let mut refreshed: std::collections::BTreeMap<(String, String), (String, String)> =
        std::collections::BTreeMap::new();
    for chunk in completed.chunks(CHUNK) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT run_id, namespace, name FROM ol_run_io WHERE direction = 'output' AND run_id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, (String, String, String)>(AssertSqlSafe(sql));
        for (run, _) in chunk {
            q = q.bind(*run);
        }
        for (run, ns, name) in q.fetch_all(&mut *tx).await? {
            let ended = f.completed[&run].clone();
            let slot = refreshed
                .entry((ns, name))
                .or_insert_with(|| (ended.clone(), run.clone()));
            if ended > slot.0 {
                *slot = (ended, run);
            }
        }
    }
    let refreshed: Vec<_> = refreshed.into_iter().collect();
    for chunk in refreshed.chunks(CHUNK / 4) {
        let sql = format!(
            "WITH refreshed (namespace, name, at, run_id) AS (VALUES {}) \
             UPDATE ol_datasets SET last_written_at = refreshed.at, last_written_by = refreshed.run_id FROM refreshed \
             WHERE ol_datasets.namespace = refreshed.namespace AND ol_datasets.name = refreshed.name \
             AND (ol_datasets.last_written_at IS NULL OR ol_datasets.last_written_at < refreshed.at)",
            values(chunk.len(), 4)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((ns, name), (at, run)) in chunk {
            q = q.bind(ns).bind(name).bind(at).bind(run);
        }
        q.execute(&mut *tx).await?;
    }

    // Column lineage, replaced per output dataset.
    let outputs: Vec<&DatasetKey> = f.columns.keys().collect();
    for chunk in outputs.chunks(CHUNK / 2) {
        let sql = format!(
            "DELETE FROM ol_column_lineage WHERE {}",
            pairs_condition("namespace", "name", chunk.len(), 1)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for k in chunk {
            q = q.bind(&k.namespace).bind(&k.name);
        }
        q.execute(&mut *tx).await?;
    }
    let at: HashMap<&DatasetKey, &str> = f
        .datasets
        .iter()
        .map(|(k, d)| (k, d.updated_at.as_str()))
        .collect();
    let lineage: Vec<(&DatasetKey, &super::ColumnLineageRow)> = f
        .columns
        .iter()
        .flat_map(|(k, rows)| rows.iter().map(move |r| (k, r)))
        .collect();
    for chunk in lineage.chunks(CHUNK / 8) {
        let sql = format!(
            "INSERT INTO ol_column_lineage (namespace, name, field, input_namespace, input_name, input_field, transformations, updated_at) \
             VALUES {} ON CONFLICT DO NOTHING",
            values(chunk.len(), 8)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (k, row) in chunk {
            q = q
                .bind(&k.namespace)
                .bind(&k.name)
                .bind(&row.field)
                .bind(&row.input.namespace)
                .bind(&row.input.name)
                .bind(&row.input_field)
                .bind(&row.transformations)
                .bind(at.get(k).copied().unwrap_or_default());
        }
        q.execute(&mut *tx).await?;
    }

    for chunk in f.observations.chunks(CHUNK / 10) {
        let sql = format!(
            "INSERT INTO ol_observations (event_hash, run_id, namespace, name, kind, column_name, assertion, success, value, observed_at) VALUES {}",
            values(chunk.len(), 10)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (hash, run, o, t) in chunk {
            q = q
                .bind(hash)
                .bind(run)
                .bind(&o.dataset.namespace)
                .bind(&o.dataset.name)
                .bind(&o.kind)
                .bind(&o.column)
                .bind(&o.assertion)
                .bind(o.success.map(i64::from))
                .bind(&o.value)
                .bind(t);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}
