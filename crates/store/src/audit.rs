//! The audit trail: who changed what, when, with the diff. Events are written inside the
//! transaction of the change they describe.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::{AuditRecord, NewAudit, Result, Store, now};

pub(crate) async fn insert(conn: &mut AnyConnection, event: &NewAudit) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_events (at, actor, action, subject_kind, subject_id, summary, diff) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now())
    .bind(&event.actor)
    .bind(&event.action)
    .bind(&event.subject_kind)
    .bind(&event.subject_id)
    .bind(&event.summary)
    .bind(&event.diff)
    .execute(conn)
    .await?;
    Ok(())
}

fn record(row: &AnyRow) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject_kind: row.try_get("subject_kind")?,
        subject_id: row.try_get("subject_id")?,
        summary: row.try_get("summary")?,
        diff: row.try_get("diff")?,
    })
}

const COLUMNS: &str = "id, at, actor, action, subject_kind, subject_id, summary, diff";

impl Store {
    /// Records an event that goes with no other write (a dry-run, an export).
    pub async fn record_audit(&self, event: &NewAudit) -> Result<()> {
        let mut tx = self.begin_write().await?;
        insert(&mut tx, event).await?;
        self.commit(tx, &[]).await
    }

    /// The newest audit events about one subject (a product, a team, ...), newest first.
    pub async fn audit_for(
        &self,
        subject_kind: &str,
        subject_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_events WHERE subject_kind = $1 AND subject_id = $2 \
             ORDER BY id DESC LIMIT $3"
        )))
        .bind(subject_kind)
        .bind(subject_id)
        .bind(limit)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(record).collect::<Result<_, _>>()?)
    }

    /// The newest audit events of the whole registry, newest first.
    pub async fn audit_recent(&self, limit: i64) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_events ORDER BY id DESC LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(record).collect::<Result<_, _>>()?)
    }
}
