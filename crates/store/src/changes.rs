//! The change feed that keeps in-memory state (the lineage graph) right when several Meshwork
//! instances share one PostgreSQL: every write announces what it changed with `pg_notify` inside
//! its transaction, so the announcement goes out exactly when the write commits, and every other
//! instance listens. SQLite has one instance per file and needs none of this.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use sqlx::postgres::PgListener;
use tokio::sync::mpsc;

use crate::{Dialect, Result, Store, StoreError};

/// The channel every instance listens on.
const CHANNEL: &str = "meshwork_changes";
/// PostgreSQL refuses payloads of 8000 bytes or more.
const MAX_PAYLOAD: usize = 7_000;

/// Something another instance may hold in memory changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A product was published, changed status or was removed (read it again to know which).
    Product { id: String },
    /// A job's inputs or outputs changed.
    Job { namespace: String, name: String },
    /// A dataset was seen.
    Dataset { namespace: String, name: String },
    /// An output dataset's column lineage was replaced.
    Columns { namespace: String, name: String },
}

/// What a listener receives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedItem {
    /// Changes another instance committed.
    Changes(Vec<Change>),
    /// The connection was lost and re-established: notifications may have been missed, so
    /// everything held in memory should be reloaded.
    Resync,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    origin: String,
    changes: Vec<Change>,
}

/// Announces changes inside a write transaction (PostgreSQL only; a no-op on SQLite). An empty
/// list is announced too: nothing held in the graph changed, but something did.
pub(crate) async fn notify(
    tx: &mut AnyConnection,
    dialect: Dialect,
    origin: &str,
    changes: &[Change],
) -> Result<()> {
    if dialect != Dialect::Postgres {
        return Ok(());
    }
    if changes.is_empty() {
        return send(tx, origin, Vec::new()).await;
    }
    let mut batch: Vec<Change> = Vec::new();
    let mut size = 0;
    for change in changes {
        let len = serde_json::to_string(change).map(|s| s.len()).unwrap_or(0);
        if size + len > MAX_PAYLOAD && !batch.is_empty() {
            send(tx, origin, std::mem::take(&mut batch)).await?;
            size = 0;
        }
        size += len + 1;
        batch.push(change.clone());
    }
    if !batch.is_empty() {
        send(tx, origin, batch).await?;
    }
    Ok(())
}

async fn send(tx: &mut AnyConnection, origin: &str, changes: Vec<Change>) -> Result<()> {
    let payload = serde_json::to_string(&Payload {
        origin: origin.to_owned(),
        changes,
    })
    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

impl Store {
    /// This store's identity in the change feed: its own announcements are not echoed back.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Announces changes made outside a store transaction.
    pub async fn announce(&self, changes: &[Change]) -> Result<()> {
        if self.dialect != Dialect::Postgres || changes.is_empty() {
            return Ok(());
        }
        let mut conn = self.db()?.acquire().await?;
        notify(&mut conn, self.dialect, &self.origin, changes).await
    }

    /// Listens for the changes other instances commit. `None` on SQLite, where there are no
    /// other instances.
    ///
    /// When the connection is lost, notifications may be missed: the listener connects and
    /// listens again (retrying until the database answers) and only *then* sends
    /// [`FeedItem::Resync`], so a reload that follows cannot miss what was committed meanwhile.
    pub async fn listen(&self) -> Result<Option<mpsc::UnboundedReceiver<FeedItem>>> {
        if self.dialect != Dialect::Postgres {
            return Ok(None);
        }
        let mut listener = listen_on(&self.url).await?;
        let (tx, rx) = mpsc::unbounded_channel();
        let origin = self.origin.clone();
        let url = self.url.clone();
        tokio::spawn(async move {
            loop {
                let item = match listener.try_recv().await {
                    Ok(Some(note)) => match serde_json::from_str::<Payload>(note.payload()) {
                        Ok(p) if *p.origin == *origin => continue,
                        Ok(p) => FeedItem::Changes(p.changes),
                        Err(e) => {
                            tracing::warn!(error = %e, "unreadable change notification; reloading");
                            FeedItem::Resync
                        }
                    },
                    Ok(None) | Err(_) => {
                        tracing::warn!("change feed interrupted; listening again");
                        let mut wait = std::time::Duration::from_millis(250);
                        listener = loop {
                            if tx.is_closed() {
                                return;
                            }
                            match listen_on(&url).await {
                                Ok(listener) => break listener,
                                Err(_) => {
                                    tokio::time::sleep(wait).await;
                                    wait = (wait * 2).min(std::time::Duration::from_secs(5));
                                }
                            }
                        };
                        FeedItem::Resync
                    }
                };
                if tx.send(item).is_err() {
                    break;
                }
            }
        });
        Ok(Some(rx))
    }
}

/// A listener on the change channel.
async fn listen_on(url: &str) -> Result<PgListener> {
    let unavailable =
        |e: sqlx::Error| StoreError::Unavailable(format!("cannot listen for changes: {e}"));
    let mut listener = PgListener::connect(url).await.map_err(unavailable)?;
    listener.listen(CHANNEL).await.map_err(unavailable)?;
    Ok(listener)
}
