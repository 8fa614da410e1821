//! Data contracts (ODCS): writing inside a publication, reading, revisions and flattened fields.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::directory::stale;
use crate::products::{format_of, next_revision, revision};
use crate::{ContractRecord, ContractWrite, FieldRow, Result, RevisionRecord, Store, now};

fn contract(row: &AnyRow) -> Result<ContractRecord, sqlx::Error> {
    Ok(ContractRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        version: row.try_get("version")?,
        status: row.try_get("status")?,
        domain_id: row.try_get("domain_id")?,
        team_id: row.try_get("team_id")?,
        document: row.try_get("document")?,
        source: row.try_get("source")?,
        source_format: format_of(&row.try_get::<String, _>("source_format")?),
        revision: row.try_get("revision")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

fn field(row: &AnyRow) -> Result<FieldRow, sqlx::Error> {
    Ok(FieldRow {
        path: row.try_get("path")?,
        object_name: row.try_get("object_name")?,
        field_name: row.try_get("field_name")?,
        logical_type: row.try_get("logical_type")?,
        physical_type: row.try_get("physical_type")?,
        required: row.try_get::<i64, _>("required")? != 0,
        primary_key: row.try_get::<i64, _>("primary_key")? != 0,
        classification: row.try_get("classification")?,
        pii: row.try_get::<i64, _>("pii")? != 0,
        description: row.try_get("description")?,
    })
}

/// Writes one contract inside a publication's transaction; returns its new revision.
pub(crate) async fn write(conn: &mut AnyConnection, c: &ContractWrite) -> Result<i64> {
    let revision = next_revision(conn, "contracts", "data contract", &c.id, c.expect).await?;
    let at = now();
    let done = sqlx::query(
        "INSERT INTO contracts (id, name, version, status, domain_id, team_id, document, source, source_format, \
         revision, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12) \
         ON CONFLICT (id) DO UPDATE SET name = $2, version = $3, status = $4, domain_id = $5, team_id = $6, \
         document = $7, source = $8, source_format = $9, revision = $10, updated_at = $11, updated_by = $12 \
         WHERE contracts.revision = $10 - 1",
    )
    .bind(&c.id)
    .bind(&c.name)
    .bind(&c.version)
    .bind(&c.status)
    .bind(&c.domain_id)
    .bind(&c.team_id)
    .bind(&c.document)
    .bind(&c.source)
    .bind(c.source_format.as_str())
    .bind(revision)
    .bind(&at)
    .bind(&c.actor)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(stale(conn, "contracts", "data contract", &c.id).await);
    }
    sqlx::query("DELETE FROM contract_fields WHERE contract_id = $1")
        .bind(&c.id)
        .execute(&mut *conn)
        .await?;
    for (i, f) in c.fields.iter().enumerate() {
        sqlx::query(
            "INSERT INTO contract_fields (contract_id, path, position, object_name, field_name, logical_type, \
             physical_type, required, primary_key, classification, pii, description) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&c.id)
        .bind(&f.path)
        .bind(i as i64)
        .bind(&f.object_name)
        .bind(&f.field_name)
        .bind(&f.logical_type)
        .bind(&f.physical_type)
        .bind(i64::from(f.required))
        .bind(i64::from(f.primary_key))
        .bind(&f.classification)
        .bind(i64::from(f.pii))
        .bind(&f.description)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO contract_revisions (contract_id, revision, version, status, source, source_format, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&c.id)
    .bind(revision)
    .bind(&c.version)
    .bind(&c.status)
    .bind(&c.source)
    .bind(c.source_format.as_str())
    .bind(&at)
    .bind(&c.actor)
    .execute(&mut *conn)
    .await?;
    Ok(revision)
}

impl Store {
    pub async fn get_contract(&self, id: &str) -> Result<Option<ContractRecord>> {
        let row = sqlx::query("SELECT * FROM contracts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db()?)
            .await?;
        Ok(row.as_ref().map(contract).transpose()?)
    }

    pub async fn list_contracts(&self) -> Result<Vec<ContractRecord>> {
        let rows = sqlx::query("SELECT * FROM contracts ORDER BY id")
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(contract).collect::<Result<_, _>>()?)
    }

    pub async fn contract_fields(&self, id: &str) -> Result<Vec<FieldRow>> {
        let rows =
            sqlx::query("SELECT * FROM contract_fields WHERE contract_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&self.db()?)
                .await?;
        Ok(rows.iter().map(field).collect::<Result<_, _>>()?)
    }

    /// Every stored revision of a contract, newest first.
    pub async fn contract_revisions(&self, id: &str) -> Result<Vec<RevisionRecord>> {
        let rows = sqlx::query(
            "SELECT contract_id, revision, version, status, source, source_format, created_at, created_by \
             FROM contract_revisions WHERE contract_id = $1 ORDER BY revision DESC",
        )
        .bind(id)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(revision).collect::<Result<_, _>>()?)
    }
}
