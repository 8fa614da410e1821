//! Wizard drafts: a user's unfinished registration, saved as they type so a reload loses nothing.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::directory::stale;
use crate::{DraftRecord, Expect, Result, Store, StoreError, now};

fn draft(row: &AnyRow) -> Result<DraftRecord, sqlx::Error> {
    Ok(DraftRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        product_id: row.try_get("product_id")?,
        title: row.try_get("title")?,
        state: row.try_get("state")?,
        revision: row.try_get("revision")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Store {
    /// Creates or replaces a draft. A draft belongs to one user; `expect` guards against two
    /// browser tabs overwriting each other.
    pub async fn save_draft(&self, d: &DraftRecord, expect: Expect) -> Result<DraftRecord> {
        let mut tx = self.begin_write().await?;
        let at = now();
        let owner: Option<String> = sqlx::query_scalar("SELECT user_id FROM drafts WHERE id = $1")
            .bind(&d.id)
            .fetch_optional(&mut *tx)
            .await?;
        if owner.as_deref().is_some_and(|o| o != d.user_id) {
            return Err(StoreError::NotFound(format!("draft '{}'", d.id)));
        }
        match (expect, owner.is_some()) {
            (Expect::New, true) => return Err(StoreError::Duplicate(format!("draft '{}'", d.id))),
            (Expect::Revision(_), false) => {
                return Err(StoreError::NotFound(format!("draft '{}'", d.id)));
            }
            (Expect::New | Expect::Any, false) => {
                sqlx::query(
                    "INSERT INTO drafts (id, user_id, product_id, title, state, revision, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                )
                .bind(&d.id)
                .bind(&d.user_id)
                .bind(&d.product_id)
                .bind(&d.title)
                .bind(&d.state)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            }
            (Expect::Revision(_) | Expect::Any, true) => {
                let want = match expect {
                    Expect::Revision(r) => Some(r),
                    _ => None,
                };
                let done = sqlx::query(
                    "UPDATE drafts SET product_id = $2, title = $3, state = $4, updated_at = $5, revision = revision + 1 \
                     WHERE id = $1 AND ($6 IS NULL OR revision = $6)",
                )
                .bind(&d.id)
                .bind(&d.product_id)
                .bind(&d.title)
                .bind(&d.state)
                .bind(&at)
                .bind(want)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(stale(&mut tx, "drafts", "draft", &d.id).await);
                }
            }
        }
        // Drafts are private and in no cached read: saving one (as often as someone types) is not
        // a change that other readers need to count.
        tx.commit().await?;
        self.get_draft(&d.id, &d.user_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("draft '{}'", d.id)))
    }

    /// A draft, if it exists and belongs to that user.
    pub async fn get_draft(&self, id: &str, user_id: &str) -> Result<Option<DraftRecord>> {
        let row = sqlx::query("SELECT * FROM drafts WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&self.db()?)
            .await?;
        Ok(row.as_ref().map(draft).transpose()?)
    }

    /// A user's drafts, most recently touched first.
    pub async fn list_drafts(&self, user_id: &str) -> Result<Vec<DraftRecord>> {
        let rows = sqlx::query("SELECT * FROM drafts WHERE user_id = $1 ORDER BY updated_at DESC")
            .bind(user_id)
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(draft).collect::<Result<_, _>>()?)
    }

    pub async fn delete_draft(&self, id: &str, user_id: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM drafts WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&self.db()?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("draft '{id}'")));
        }
        Ok(())
    }
}
