//! Storing OpenLineage events: every event once (by hash), in one transaction per batch, with
//! what it says about datasets, jobs, runs, column lineage and data quality.

use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::{DatasetKey, Direction, LineageEventWrite, is_terminal};
use crate::changes::{Change, notify};
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
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            out.push(ingest_one(&mut tx, event).await?);
        }
        let changes = changes_of(&out);
        notify(&mut tx, self.dialect, &self.origin, &changes).await?;
        tx.commit().await?;
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

async fn ingest_one(tx: &mut AnyConnection, e: &LineageEventWrite) -> Result<Ingested> {
    let received = now();
    let inserted: Option<String> = sqlx::query_scalar(
        "INSERT INTO ol_events (hash, kind, event_type, event_time, run_id, job_namespace, job_name, producer, received_at, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (hash) DO NOTHING RETURNING hash",
    )
    .bind(&e.hash)
    .bind(&e.kind)
    .bind(&e.event_type)
    .bind(&e.event_time)
    .bind(e.run.as_ref().map(|r| r.run_id.as_str()))
    .bind(e.job.as_ref().map(|j| j.namespace.as_str()))
    .bind(e.job.as_ref().map(|j| j.name.as_str()))
    .bind(&e.producer)
    .bind(&received)
    .bind(&e.body)
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        return Ok(Ingested::Duplicate);
    }
    let t = e.event_time.as_str();

    // Datasets, in one statement: the newest schema and facets win; an event without them keeps
    // what was known. (A key may appear once per statement, so repeats are merged first.)
    let mut datasets: Vec<&super::DatasetWrite> = Vec::with_capacity(e.datasets.len());
    for d in &e.datasets {
        match datasets.iter_mut().find(|x| x.key == d.key) {
            Some(x) if x.fields.is_none() && d.fields.is_some() => *x = d,
            Some(_) => {}
            None => datasets.push(d),
        }
    }
    if !datasets.is_empty() {
        let sql = format!(
            "INSERT INTO ol_datasets (namespace, name, fields, facets, created_at, updated_at) VALUES {} \
             ON CONFLICT (namespace, name) DO UPDATE SET \
             fields = COALESCE(excluded.fields, ol_datasets.fields), \
             facets = CASE WHEN excluded.facets = '{{}}' THEN ol_datasets.facets ELSE excluded.facets END, \
             created_at = CASE WHEN excluded.created_at < ol_datasets.created_at THEN excluded.created_at ELSE ol_datasets.created_at END, \
             updated_at = CASE WHEN excluded.updated_at > ol_datasets.updated_at THEN excluded.updated_at ELSE ol_datasets.updated_at END",
            values(datasets.len(), 6)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for d in &datasets {
            q = q
                .bind(&d.key.namespace)
                .bind(&d.key.name)
                .bind(&d.fields)
                .bind(d.facets.clone().unwrap_or_else(|| String::from("{}")))
                .bind(t)
                .bind(t);
        }
        q.execute(&mut *tx).await?;
    }

    let mut job_io_changed = false;
    if let Some(job) = &e.job {
        sqlx::query(
            "INSERT INTO ol_jobs (namespace, name, job_type, facets, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (namespace, name) DO UPDATE SET \
             job_type = COALESCE(excluded.job_type, ol_jobs.job_type), \
             facets = CASE WHEN excluded.facets = '{}' THEN ol_jobs.facets ELSE excluded.facets END, \
             updated_at = CASE WHEN excluded.updated_at > ol_jobs.updated_at THEN excluded.updated_at ELSE ol_jobs.updated_at END",
        )
        .bind(&job.namespace)
        .bind(&job.name)
        .bind(&job.job_type)
        .bind(&job.facets)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        let io: Vec<(&DatasetKey, Direction)> = e
            .datasets
            .iter()
            .filter_map(|d| d.direction.map(|dir| (&d.key, dir)))
            .collect();

        if let Some(run) = &e.run {
            let state = e
                .event_type
                .clone()
                .unwrap_or_else(|| String::from("OTHER"));
            let existing = sqlx::query(
                "SELECT state, created_at, updated_at, started_at, ended_at, error_message FROM ol_runs WHERE run_id = $1",
            )
            .bind(&run.run_id)
            .fetch_optional(&mut *tx)
            .await?;
            let merged = match &existing {
                None => RunState {
                    state: state.clone(),
                    created_at: t.to_owned(),
                    updated_at: t.to_owned(),
                    started_at: matches!(state.as_str(), "START" | "RUNNING").then(|| t.to_owned()),
                    ended_at: is_terminal(&state).then(|| t.to_owned()),
                    error_message: run.error_message.clone(),
                },
                Some(row) => {
                    let old = RunState {
                        state: row.try_get("state")?,
                        created_at: row.try_get("created_at")?,
                        updated_at: row.try_get("updated_at")?,
                        started_at: row.try_get("started_at")?,
                        ended_at: row.try_get("ended_at")?,
                        error_message: row.try_get("error_message")?,
                    };
                    old.merge(&state, t, run.error_message.clone())
                }
            };
            sqlx::query(
                "INSERT INTO ol_runs (run_id, job_namespace, job_name, state, created_at, updated_at, started_at, ended_at, error_message, parent_run_id, facets) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (run_id) DO UPDATE SET state = excluded.state, created_at = excluded.created_at, \
                 updated_at = excluded.updated_at, started_at = excluded.started_at, ended_at = excluded.ended_at, \
                 error_message = excluded.error_message, \
                 parent_run_id = COALESCE(excluded.parent_run_id, ol_runs.parent_run_id), \
                 facets = CASE WHEN excluded.facets = '{}' THEN ol_runs.facets ELSE excluded.facets END",
            )
            .bind(&run.run_id)
            .bind(&job.namespace)
            .bind(&job.name)
            .bind(&merged.state)
            .bind(&merged.created_at)
            .bind(&merged.updated_at)
            .bind(&merged.started_at)
            .bind(&merged.ended_at)
            .bind(&merged.error_message)
            .bind(&run.parent_run_id)
            .bind(&run.facets)
            .execute(&mut *tx)
            .await?;
            if !io.is_empty() {
                let sql = format!(
                    "INSERT INTO ol_run_io (run_id, direction, namespace, name) VALUES {} ON CONFLICT DO NOTHING",
                    values(io.len(), 4)
                );
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for (key, dir) in &io {
                    q = q
                        .bind(&run.run_id)
                        .bind(dir.as_str())
                        .bind(&key.namespace)
                        .bind(&key.name);
                }
                q.execute(&mut *tx).await?;
            }
            // Which run is the job's newest, and where its inputs and outputs come from.
            let (latest, io_at, io_final): (Option<String>, Option<String>, i64) = sqlx::query_as(
                "UPDATE ol_jobs SET latest_run_id = (SELECT run_id FROM ol_runs \
                 WHERE job_namespace = $1 AND job_name = $2 ORDER BY created_at DESC, run_id DESC LIMIT 1) \
                 WHERE namespace = $1 AND name = $2 RETURNING latest_run_id, io_at, io_final",
            )
            .bind(&job.namespace)
            .bind(&job.name)
            .fetch_one(&mut *tx)
            .await?;
            let io_final = io_final != 0;
            if merged.state == "COMPLETE" {
                // A completed run defines what the job reads and writes: everything any of its
                // events reported (a START may name the inputs, the COMPLETE the outputs).
                let ended = merged.ended_at.clone().unwrap_or_else(|| t.to_owned());
                if !io_final || io_at.as_deref().is_none_or(|at| ended.as_str() >= at) {
                    sqlx::query("DELETE FROM ol_job_io WHERE job_namespace = $1 AND job_name = $2")
                        .bind(&job.namespace)
                        .bind(&job.name)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO ol_job_io (job_namespace, job_name, direction, namespace, name, run_id) \
                         SELECT $1, $2, direction, namespace, name, run_id FROM ol_run_io WHERE run_id = $3",
                    )
                    .bind(&job.namespace)
                    .bind(&job.name)
                    .bind(&run.run_id)
                    .execute(&mut *tx)
                    .await?;
                    job_io_changed = true;
                    set_io_source(tx, job, &run.run_id, &ended, true).await?;
                }
                // What the run wrote was refreshed now.
                sqlx::query(
                    "UPDATE ol_datasets SET last_written_at = $2, last_written_by = $1 \
                     WHERE (last_written_at IS NULL OR last_written_at < $2) AND EXISTS (SELECT 1 FROM ol_run_io r \
                       WHERE r.run_id = $1 AND r.direction = 'output' AND r.namespace = ol_datasets.namespace AND r.name = ol_datasets.name)",
                )
                .bind(&run.run_id)
                .bind(&ended)
                .execute(&mut *tx)
                .await?;
            } else if !io_final && !io.is_empty() && latest.as_deref() == Some(run.run_id.as_str())
            {
                // Until a run completes, the newest run's reports stand in.
                job_io_changed = replace_job_io(tx, job, &io, &run.run_id, false).await?;
                set_io_source(tx, job, &run.run_id, &merged.created_at, false).await?;
            }
        } else if e.kind == "job" {
            // A JobEvent describes the job's inputs and outputs as of its time; a run completed
            // later knows better.
            let (_, io_at, io_final) = io_source(tx, job).await?;
            if !io_final || io_at.as_deref().is_none_or(|at| t >= at) {
                job_io_changed = replace_job_io(tx, job, &io, "", true).await?;
                set_io_source(tx, job, "", t, true).await?;
            }
        }
    }

    for c in &e.column_lineage {
        sqlx::query("DELETE FROM ol_column_lineage WHERE namespace = $1 AND name = $2")
            .bind(&c.output.namespace)
            .bind(&c.output.name)
            .execute(&mut *tx)
            .await?;
        for chunk in c.fields.chunks(100) {
            let sql = format!(
                "INSERT INTO ol_column_lineage (namespace, name, field, input_namespace, input_name, input_field, transformations, updated_at) \
                 VALUES {} ON CONFLICT DO NOTHING",
                values(chunk.len(), 8)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for row in chunk {
                q = q
                    .bind(&c.output.namespace)
                    .bind(&c.output.name)
                    .bind(&row.field)
                    .bind(&row.input.namespace)
                    .bind(&row.input.name)
                    .bind(&row.input_field)
                    .bind(&row.transformations)
                    .bind(t);
            }
            q.execute(&mut *tx).await?;
        }
    }

    for o in &e.observations {
        sqlx::query(
            "INSERT INTO ol_observations (event_hash, run_id, namespace, name, kind, column_name, assertion, success, value, observed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&e.hash)
        .bind(e.run.as_ref().map(|r| r.run_id.as_str()))
        .bind(&o.dataset.namespace)
        .bind(&o.dataset.name)
        .bind(&o.kind)
        .bind(&o.column)
        .bind(&o.assertion)
        .bind(o.success.map(i64::from))
        .bind(&o.value)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    }

    let mut datasets: Vec<DatasetKey> = e.datasets.iter().map(|d| d.key.clone()).collect();
    datasets.sort();
    datasets.dedup();
    Ok(Ingested::Stored {
        job: e
            .job
            .as_ref()
            .map(|j| (j.namespace.clone(), j.name.clone())),
        job_io_changed,
        datasets,
        columns: e.column_lineage.iter().map(|c| c.output.clone()).collect(),
    })
}

/// Makes `io` the job's inputs and outputs, observed in `run_id`. With `all`, every earlier row
/// goes (a JobEvent); otherwise rows of other runs go, and this run's accumulate. Returns true:
/// the caller compares with what it knew.
async fn replace_job_io(
    tx: &mut AnyConnection,
    job: &super::JobWrite,
    io: &[(&DatasetKey, Direction)],
    run_id: &str,
    all: bool,
) -> Result<bool> {
    let sql = if all {
        "DELETE FROM ol_job_io WHERE job_namespace = $1 AND job_name = $2 AND $3 = $3"
    } else {
        "DELETE FROM ol_job_io WHERE job_namespace = $1 AND job_name = $2 AND run_id <> $3"
    };
    sqlx::query(sql)
        .bind(&job.namespace)
        .bind(&job.name)
        .bind(run_id)
        .execute(&mut *tx)
        .await?;
    if !io.is_empty() {
        let sql = format!(
            "INSERT INTO ol_job_io (job_namespace, job_name, direction, namespace, name, run_id) VALUES {} \
             ON CONFLICT (job_namespace, job_name, direction, namespace, name) DO UPDATE SET run_id = excluded.run_id",
            values(io.len(), 6)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (key, dir) in io {
            q = q
                .bind(&job.namespace)
                .bind(&job.name)
                .bind(dir.as_str())
                .bind(&key.namespace)
                .bind(&key.name)
                .bind(run_id);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(true)
}

/// Where the job's inputs and outputs come from: (run id or '' for a JobEvent, as of when,
/// whether final, i.e. from a completed run or a JobEvent rather than a run still going).
async fn io_source(
    tx: &mut AnyConnection,
    job: &super::JobWrite,
) -> Result<(Option<String>, Option<String>, bool)> {
    let row: Option<(Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT io_run_id, io_at, io_final FROM ol_jobs WHERE namespace = $1 AND name = $2",
    )
    .bind(&job.namespace)
    .bind(&job.name)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row
        .map(|(run, at, f)| (run, at, f != 0))
        .unwrap_or((None, None, false)))
}

async fn set_io_source(
    tx: &mut AnyConnection,
    job: &super::JobWrite,
    run: &str,
    at: &str,
    last: bool,
) -> Result<()> {
    sqlx::query("UPDATE ol_jobs SET io_run_id = $3, io_at = $4, io_final = $5 WHERE namespace = $1 AND name = $2")
        .bind(&job.namespace)
        .bind(&job.name)
        .bind(run)
        .bind(at)
        .bind(i64::from(last))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

struct RunState {
    state: String,
    created_at: String,
    updated_at: String,
    started_at: Option<String>,
    ended_at: Option<String>,
    error_message: Option<String>,
}

impl RunState {
    /// Folds an event into a run. Events may arrive out of order: a terminal state is never
    /// replaced by a START or RUNNING, and of two states of the same kind the later one wins.
    fn merge(self, state: &str, t: &str, error: Option<String>) -> RunState {
        let keep_old = (is_terminal(&self.state) && !is_terminal(state))
            || (is_terminal(&self.state) == is_terminal(state) && t < self.updated_at.as_str());
        let earliest = |a: Option<String>| match a {
            Some(a) if a.as_str() <= t => Some(a),
            _ => Some(t.to_owned()),
        };
        RunState {
            state: if keep_old {
                self.state.clone()
            } else {
                state.to_owned()
            },
            created_at: if t < self.created_at.as_str() {
                t.to_owned()
            } else {
                self.created_at
            },
            updated_at: if t > self.updated_at.as_str() {
                t.to_owned()
            } else {
                self.updated_at
            },
            started_at: if matches!(state, "START" | "RUNNING") {
                earliest(self.started_at)
            } else {
                self.started_at
            },
            ended_at: if is_terminal(state) && !keep_old {
                Some(t.to_owned())
            } else {
                self.ended_at
            },
            error_message: error.or(self.error_message),
        }
    }
}
