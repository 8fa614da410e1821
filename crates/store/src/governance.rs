//! Governance records: policy versions, waivers, evaluation runs, each product's newest standing,
//! since when it fails a policy, and the daily snapshots the trends are drawn from. Policies and
//! results are JSON of `crates/governance` types; the store only knows their keys.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{NewAudit, Result, Store, StoreError, audit, now};

/// One version of a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRow {
    pub id: String,
    pub version: i64,
    pub state: String,
    /// The `governance::Policy` as JSON.
    pub document: String,
    pub created_at: String,
    pub created_by: String,
}

/// A waiver and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiverRecord {
    pub id: String,
    pub policy_id: String,
    pub product_id: String,
    pub reason: String,
    /// The last day (`YYYY-MM-DD`) it applies.
    pub expires: String,
    /// `requested`, `approved`, `rejected` or `revoked`.
    pub status: String,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: Option<String>,
}

/// One full evaluation of the registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationRun {
    pub id: String,
    pub started_at: String,
    pub finished_at: String,
    /// Why it ran: `policy changed`, `waiver approved`, `nightly`…
    pub reason: String,
    pub products: i64,
    pub findings: i64,
    pub blocking: i64,
}

/// A product's newest standing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    pub product_id: String,
    pub run_id: String,
    pub domain_id: String,
    pub team_id: String,
    pub evaluated_at: String,
    /// Policies failing (errors and warnings not excused by a waiver).
    pub failing: i64,
    /// Findings reported as warnings (grace included).
    pub warnings: i64,
    pub waived: i64,
    /// `passing`, `warnings` or `failing` (an error not waived).
    pub state: String,
    /// The `governance::report::Evaluated` as JSON.
    pub evaluated: String,
}

/// Since when a product fails a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailingSince {
    pub product_id: String,
    pub policy_id: String,
    pub since: String,
}

/// One cell of a day's compliance matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyRow {
    pub day: String,
    /// `domain` or `team`.
    pub group_kind: String,
    pub group_id: String,
    pub policy_id: String,
    pub applicable: i64,
    pub passing: i64,
    pub waived: i64,
    pub failing: i64,
}

/// What one evaluation wrote: the run, the standings of the products it evaluated, what each
/// fails, and (for full runs) the day's snapshot.
#[derive(Clone, Debug, Default)]
pub struct EvaluationWrite {
    pub run: Option<EvaluationRun>,
    pub results: Vec<ResultRow>,
    /// (product, policy) pairs failing now, for the products in `results`.
    pub failing: Vec<(String, String)>,
    /// A full run replaces every standing: products not in `results` lose theirs.
    pub full: bool,
    pub daily: Vec<DailyRow>,
}

fn policy(row: &AnyRow) -> Result<PolicyRow, sqlx::Error> {
    Ok(PolicyRow {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        state: row.try_get("state")?,
        document: row.try_get("document")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
    })
}

fn waiver(row: &AnyRow) -> Result<WaiverRecord, sqlx::Error> {
    Ok(WaiverRecord {
        id: row.try_get("id")?,
        policy_id: row.try_get("policy_id")?,
        product_id: row.try_get("product_id")?,
        reason: row.try_get("reason")?,
        expires: row.try_get("expires")?,
        status: row.try_get("status")?,
        requested_by: row.try_get("requested_by")?,
        requested_at: row.try_get("requested_at")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        note: row.try_get("note")?,
    })
}

fn result(row: &AnyRow) -> Result<ResultRow, sqlx::Error> {
    Ok(ResultRow {
        product_id: row.try_get("product_id")?,
        run_id: row.try_get("run_id")?,
        domain_id: row.try_get("domain_id")?,
        team_id: row.try_get("team_id")?,
        evaluated_at: row.try_get("evaluated_at")?,
        failing: row.try_get("failing")?,
        warnings: row.try_get("warnings")?,
        waived: row.try_get("waived")?,
        state: row.try_get("state")?,
        evaluated: row.try_get("evaluated")?,
    })
}

fn run(row: &AnyRow) -> Result<EvaluationRun, sqlx::Error> {
    Ok(EvaluationRun {
        id: row.try_get("id")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        reason: row.try_get("reason")?,
        products: row.try_get("products")?,
        findings: row.try_get("findings")?,
        blocking: row.try_get("blocking")?,
    })
}

fn daily(row: &AnyRow) -> Result<DailyRow, sqlx::Error> {
    Ok(DailyRow {
        day: row.try_get("day")?,
        group_kind: row.try_get("group_kind")?,
        group_id: row.try_get("group_id")?,
        policy_id: row.try_get("policy_id")?,
        applicable: row.try_get("applicable")?,
        passing: row.try_get("passing")?,
        waived: row.try_get("waived")?,
        failing: row.try_get("failing")?,
    })
}

const HEADS: &str = "SELECT p.* FROM policies p \
     WHERE p.version = (SELECT MAX(q.version) FROM policies q WHERE q.id = p.id)";

impl Store {
    /// Writes a policy version with its audit event. `expect` is the newest version the caller
    /// read (`None`: the policy must be new). Writing the same version again replaces it (a draft
    /// edited in place); a higher version is added beside the older ones, which stay for history.
    pub async fn put_policy(
        &self,
        row: &PolicyRow,
        expect: Option<i64>,
        event: &NewAudit,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let head: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM policies WHERE id = $1")
                .bind(&row.id)
                .fetch_one(&mut *tx)
                .await?;
        match (expect, head) {
            (None, Some(_)) => return Err(StoreError::Duplicate(format!("policy '{}'", row.id))),
            (Some(_), None) => return Err(StoreError::NotFound(format!("policy '{}'", row.id))),
            (Some(want), Some(current)) if want != current => {
                return Err(StoreError::Stale {
                    what: format!("policy '{}'", row.id),
                    current,
                });
            }
            _ => {}
        }
        let sql = if head == Some(row.version) {
            "UPDATE policies SET state = $3, document = $4, created_at = $5, created_by = $6 \
             WHERE id = $1 AND version = $2"
        } else if row.version > head.unwrap_or(0) {
            "INSERT INTO policies (id, version, state, document, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        } else {
            return Err(StoreError::Stale {
                what: format!("policy '{}'", row.id),
                current: head.unwrap_or(0),
            });
        };
        sqlx::query(sql)
            .bind(&row.id)
            .bind(row.version)
            .bind(&row.state)
            .bind(&row.document)
            .bind(&row.created_at)
            .bind(&row.created_by)
            .execute(&mut *tx)
            .await?;
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await
    }

    /// Removes every version of a policy (only drafts that never took effect are removed; the
    /// workbench decides), with its audit event.
    pub async fn delete_policy(&self, id: &str, event: &NewAudit) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM policies WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("policy '{id}'")));
        }
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await
    }

    /// The newest version of every policy, by id.
    pub async fn policies(&self) -> Result<Vec<PolicyRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{HEADS} ORDER BY p.id")))
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(policy).collect::<Result<_, _>>()?)
    }

    /// Every version of one policy, newest first (empty when it does not exist).
    pub async fn policy_versions(&self, id: &str) -> Result<Vec<PolicyRow>> {
        let rows = sqlx::query("SELECT * FROM policies WHERE id = $1 ORDER BY version DESC")
            .bind(id)
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(policy).collect::<Result<_, _>>()?)
    }

    /// Every version of every policy, oldest first (the trend's annotations).
    pub async fn policy_history(&self) -> Result<Vec<PolicyRow>> {
        let rows = sqlx::query("SELECT * FROM policies ORDER BY created_at, id, version")
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(policy).collect::<Result<_, _>>()?)
    }

    /// Records a waiver request (or, for imports and the demo, a waiver already decided).
    pub async fn insert_waiver(&self, w: &WaiverRecord, event: &NewAudit) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO waivers (id, policy_id, product_id, reason, expires, status, requested_by, \
             requested_at, decided_by, decided_at, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&w.id)
        .bind(&w.policy_id)
        .bind(&w.product_id)
        .bind(&w.reason)
        .bind(&w.expires)
        .bind(&w.status)
        .bind(&w.requested_by)
        .bind(&w.requested_at)
        .bind(&w.decided_by)
        .bind(&w.decided_at)
        .bind(&w.note)
        .execute(&mut *tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Duplicate(_) => StoreError::Duplicate(format!("waiver '{}'", w.id)),
            other => other,
        })?;
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await
    }

    /// Moves a waiver from `from` to `to` (approved, rejected, revoked) with who decided; refused
    /// as stale when it is no longer in `from`.
    pub async fn decide_waiver(
        &self,
        id: &str,
        from: &str,
        to: &str,
        by: &str,
        note: Option<&str>,
        event: &NewAudit,
    ) -> Result<WaiverRecord> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE waivers SET status = $3, decided_by = $4, decided_at = $5, note = $6 \
             WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(by)
        .bind(now())
        .bind(note)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<String> =
                sqlx::query_scalar("SELECT status FROM waivers WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match exists {
                None => StoreError::NotFound(format!("waiver '{id}'")),
                Some(status) => {
                    StoreError::Reference(format!("waiver '{id}' is {status}, not {from}"))
                }
            });
        }
        audit::insert(&mut tx, event).await?;
        let row = sqlx::query("SELECT * FROM waivers WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let record = waiver(&row)?;
        self.commit(tx, &[]).await?;
        Ok(record)
    }

    pub async fn get_waiver(&self, id: &str) -> Result<Option<WaiverRecord>> {
        let row = sqlx::query("SELECT * FROM waivers WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db()?)
            .await?;
        Ok(row.as_ref().map(waiver).transpose()?)
    }

    /// Every waiver, newest request first.
    pub async fn waivers(&self) -> Result<Vec<WaiverRecord>> {
        let rows = sqlx::query("SELECT * FROM waivers ORDER BY requested_at DESC, id")
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(waiver).collect::<Result<_, _>>()?)
    }

    /// Stores what an evaluation found, in one transaction: the run, each evaluated product's
    /// standing, since when it fails what (kept for pairs still failing, started for new ones,
    /// dropped for those that pass again), and the day's snapshot.
    pub async fn record_evaluation(&self, w: &EvaluationWrite) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if let Some(r) = &w.run {
            sqlx::query(
                "INSERT INTO governance_runs (id, started_at, finished_at, reason, products, findings, blocking) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&r.id)
            .bind(&r.started_at)
            .bind(&r.finished_at)
            .bind(&r.reason)
            .bind(r.products)
            .bind(r.findings)
            .bind(r.blocking)
            .execute(&mut *tx)
            .await?;
        }
        let at = now();
        let existing: Vec<(String, String)> = if w.full {
            sqlx::query("SELECT product_id, policy_id FROM governance_failing")
                .fetch_all(&mut *tx)
                .await?
        } else {
            let mut rows = Vec::new();
            for r in &w.results {
                rows.extend(
                    sqlx::query(
                        "SELECT product_id, policy_id FROM governance_failing WHERE product_id = $1",
                    )
                    .bind(&r.product_id)
                    .fetch_all(&mut *tx)
                    .await?,
                );
            }
            rows
        }
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, sqlx::Error>>()?;
        let now_failing: HashSet<&(String, String)> = w.failing.iter().collect();
        for pair in &existing {
            if !now_failing.contains(pair) {
                sqlx::query(
                    "DELETE FROM governance_failing WHERE product_id = $1 AND policy_id = $2",
                )
                .bind(&pair.0)
                .bind(&pair.1)
                .execute(&mut *tx)
                .await?;
            }
        }
        let before: HashSet<&(String, String)> = existing.iter().collect();
        for pair in &w.failing {
            if !before.contains(pair) {
                sqlx::query(
                    "INSERT INTO governance_failing (product_id, policy_id, since) VALUES ($1, $2, $3)",
                )
                .bind(&pair.0)
                .bind(&pair.1)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            }
        }
        if w.full {
            sqlx::query("DELETE FROM governance_results")
                .execute(&mut *tx)
                .await?;
        }
        for r in &w.results {
            sqlx::query(
                "INSERT INTO governance_results (product_id, run_id, domain_id, team_id, evaluated_at, \
                 failing, warnings, waived, state, evaluated) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (product_id) DO UPDATE SET run_id = $2, domain_id = $3, team_id = $4, \
                 evaluated_at = $5, failing = $6, warnings = $7, waived = $8, state = $9, \
                 evaluated = $10",
            )
            .bind(&r.product_id)
            .bind(&r.run_id)
            .bind(&r.domain_id)
            .bind(&r.team_id)
            .bind(&r.evaluated_at)
            .bind(r.failing)
            .bind(r.warnings)
            .bind(r.waived)
            .bind(&r.state)
            .bind(&r.evaluated)
            .execute(&mut *tx)
            .await?;
        }
        put_daily(&mut tx, &w.daily).await?;
        self.commit(tx, &[]).await
    }

    /// Writes daily snapshot rows (replacing those of the same day, group and policy): the
    /// nightly run's, or a backfilled history.
    pub async fn put_daily(&self, rows: &[DailyRow]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        put_daily(&mut tx, rows).await?;
        self.commit(tx, &[]).await
    }

    /// Each evaluated product's state (`passing`, `warnings`, `failing`), by product id.
    pub async fn governance_states(&self) -> Result<std::collections::HashMap<String, String>> {
        let rows = sqlx::query("SELECT product_id, state FROM governance_results")
            .fetch_all(&self.db()?)
            .await?;
        let mut out = std::collections::HashMap::with_capacity(rows.len());
        for row in &rows {
            out.insert(row.try_get("product_id")?, row.try_get("state")?);
        }
        Ok(out)
    }

    /// Each product's newest standing, by product id.
    pub async fn governance_results(&self) -> Result<Vec<ResultRow>> {
        let rows = sqlx::query("SELECT * FROM governance_results ORDER BY product_id")
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(result).collect::<Result<_, _>>()?)
    }

    pub async fn governance_result(&self, product_id: &str) -> Result<Option<ResultRow>> {
        let row = sqlx::query("SELECT * FROM governance_results WHERE product_id = $1")
            .bind(product_id)
            .fetch_optional(&self.db()?)
            .await?;
        Ok(row.as_ref().map(result).transpose()?)
    }

    /// Since when each product fails each policy (for one product, or all).
    pub async fn failing_since(&self, product_id: Option<&str>) -> Result<Vec<FailingSince>> {
        let rows = sqlx::query(
            "SELECT product_id, policy_id, since FROM governance_failing \
             WHERE ($1 IS NULL OR product_id = $1) ORDER BY product_id, policy_id",
        )
        .bind(product_id)
        .fetch_all(&self.db()?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FailingSince {
                    product_id: r.try_get(0)?,
                    policy_id: r.try_get(1)?,
                    since: r.try_get(2)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The newest evaluation runs, newest first.
    pub async fn governance_runs(&self, limit: i64) -> Result<Vec<EvaluationRun>> {
        let rows = sqlx::query("SELECT * FROM governance_runs ORDER BY started_at DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(run).collect::<Result<_, _>>()?)
    }

    /// Daily snapshot rows of one kind of group between two days (inclusive), by day.
    pub async fn governance_daily(
        &self,
        group_kind: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<DailyRow>> {
        let rows = sqlx::query(
            "SELECT * FROM governance_daily WHERE group_kind = $1 AND day >= $2 AND day <= $3 \
             ORDER BY day, group_id, policy_id",
        )
        .bind(group_kind)
        .bind(from)
        .bind(to)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(daily).collect::<Result<_, _>>()?)
    }
}

async fn put_daily(tx: &mut sqlx::AnyConnection, rows: &[DailyRow]) -> Result<()> {
    // A hundred rows a statement: a year of history is written in seconds on either backend.
    for chunk in rows.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 8;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO governance_daily (day, group_kind, group_id, policy_id, applicable, passing, waived, failing) \
             VALUES {} ON CONFLICT (day, group_kind, group_id, policy_id) DO UPDATE SET \
             applicable = excluded.applicable, passing = excluded.passing, waived = excluded.waived, \
             failing = excluded.failing",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for d in chunk {
            query = query
                .bind(d.day.clone())
                .bind(d.group_kind.clone())
                .bind(d.group_id.clone())
                .bind(d.policy_id.clone())
                .bind(d.applicable)
                .bind(d.passing)
                .bind(d.waived)
                .bind(d.failing);
        }
        query.execute(&mut *tx).await?;
    }
    Ok(())
}
