//! API tokens and sign-in sessions. Only hashes of secrets are stored; the workbench hashes.

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::audit;
use crate::directory::user;
use crate::{NewAudit, Result, Store, StoreError, TokenRecord, UserRecord, now};

const TOKEN_COLUMNS: &str =
    "id, name, prefix, user_id, team_id, created_by, created_at, last_used_at, revoked_at";

fn token(row: &AnyRow) -> Result<TokenRecord, sqlx::Error> {
    Ok(TokenRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        user_id: row.try_get("user_id")?,
        team_id: row.try_get("team_id")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// A token to store: its hash and who it belongs to (a user or a team, never both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewToken {
    pub id: String,
    pub name: String,
    pub hash: String,
    pub prefix: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub created_by: String,
}

impl Store {
    pub async fn create_token(&self, new: &NewToken, event: &NewAudit) -> Result<TokenRecord> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, name, token_hash, prefix, user_id, team_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&new.id)
        .bind(&new.name)
        .bind(&new.hash)
        .bind(&new.prefix)
        .bind(&new.user_id)
        .bind(&new.team_id)
        .bind(&new.created_by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        self.get_token(&new.id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("token '{}'", new.id)))
    }

    pub async fn get_token(&self, id: &str) -> Result<Option<TokenRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db()?)
        .await?;
        Ok(row.as_ref().map(token).transpose()?)
    }

    /// The live (not revoked) token with this hash, and marks it used.
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        )))
        .bind(hash)
        .fetch_optional(&self.db()?)
        .await?;
        let Some(found) = row.as_ref().map(token).transpose()? else {
            return Ok(None);
        };
        // Recording use is best effort and at most once a minute, so reads stay reads.
        let stale_before =
            crate::format_time(time::OffsetDateTime::now_utc() - time::Duration::minutes(1));
        if found
            .last_used_at
            .as_deref()
            .is_none_or(|t| t < stale_before.as_str())
        {
            let _ = sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                .bind(&found.id)
                .bind(now())
                .execute(&self.db()?)
                .await;
        }
        Ok(Some(found))
    }

    /// Tokens of a user, of a team, or (both `None`) all of them.
    pub async fn list_tokens(
        &self,
        user_id: Option<&str>,
        team_id: Option<&str>,
    ) -> Result<Vec<TokenRecord>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens \
             WHERE ($1 IS NULL OR user_id = $1) AND ($2 IS NULL OR team_id = $2) ORDER BY created_at DESC"
        )))
        .bind(user_id)
        .bind(team_id)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(token).collect::<Result<_, _>>()?)
    }

    pub async fn revoke_token(&self, id: &str, event: &NewAudit) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("live token '{id}'")));
        }
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: &str,
        expires_at: &str,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(id_hash)
            .bind(user_id)
            .bind(now())
            .bind(expires_at)
            .execute(&self.db()?)
            .await?;
        Ok(())
    }

    /// The user of a live session.
    pub async fn session_user(&self, id_hash: &str) -> Result<Option<UserRecord>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.email, u.password_hash, u.is_admin, u.created_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash)
        .bind(now())
        .fetch_optional(&self.db()?)
        .await?;
        Ok(row.as_ref().map(user).transpose()?)
    }

    /// Ends a session; ending one that does not exist is not an error (signing out twice). It
    /// is a counted (and, on PostgreSQL, announced) change, so no cache keeps the session alive.
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1 OR expires_at < $2")
            .bind(id_hash)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        self.commit(tx, &[]).await
    }
}
