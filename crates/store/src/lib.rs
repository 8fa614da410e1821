//! Meshwork's persistence: one [`Store`] over SQLite (the embedded default) or PostgreSQL, chosen
//! by the URL scheme at start-up.
//!
//! Both backends run the same SQL through `sqlx::Any`: `$N` placeholders and `RETURNING` work on
//! both, and ids, timestamps and JSON are stored as text. The few real differences between the two
//! (full-text search, how a write transaction starts) live in [`dialect`]. Each backend has its own
//! migrations folder with the same logical schema.

mod audit;
mod changes;
mod contracts;
mod dialect;
mod directory;
mod drafts;
mod error;
mod governance;
mod health;
pub mod lineage;
mod products;
mod records;
mod search;
mod security;
pub mod testing;

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use changes::{Change, FeedItem};
pub use dialect::Dialect;
pub use directory::{DomainFields, NewUser, TeamFields};
pub use error::StoreError;
pub use governance::{
    DailyRow, EvaluationRun, EvaluationWrite, FailingSince, PolicyRow, ResultRow, WaiverRecord,
};
pub use products::{Consumer, OfferedPort};
pub use records::*;
pub use security::NewToken;

/// The registry's database.
#[derive(Clone)]
pub struct Store {
    /// The connection pool, replaced when the database comes back after an outage.
    pools: Arc<health::Pools>,
    dialect: Dialect,
    /// The database URL, for the change-feed listener's own connection.
    url: Arc<str>,
    /// This store's name in the change feed (one per process).
    origin: Arc<str>,
    /// Counts the changes this process knows of: every write it committed, and every change
    /// another instance announced once it has been applied. Anything computed from the database
    /// at an older count may be stale (the read caches check it).
    generation: Arc<AtomicU64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl Store {
    /// Connects to `sqlite://path` (created if missing) or `postgres://...`, and runs the
    /// migrations of that backend.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::from_url(url)?;
        let options = AnyConnectOptions::from_str(&dialect.normalise_url(url))
            .map_err(|e| StoreError::Config(format!("DATABASE_URL is not usable: {e}")))?;
        // A short acquire timeout: on PostgreSQL the watchdog (`health`) notices a database
        // that stopped answering within a second or two; meanwhile nobody waits for long.
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(5));
        let pool_options = match dialect {
            Dialect::Sqlite => pool_options.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    // Foreign keys are off by default in SQLite; WAL lets readers run beside
                    // the writer; the busy timeout makes writers queue instead of failing.
                    conn.execute(
                        "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; \
                         PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                    Ok(())
                })
            }),
            Dialect::Postgres => pool_options.max_connections(16),
        };
        let pool = pool_options
            .clone()
            .connect_with(options.clone())
            .await
            .map_err(StoreError::from)?;
        let pools = Arc::new(health::Pools::new(pool, options, pool_options));
        let generation = Arc::new(AtomicU64::new(1));
        if dialect == Dialect::Postgres {
            health::watch(&pools, &generation);
        }
        Ok(Store {
            pools,
            dialect,
            url: Arc::from(url),
            origin: Arc::from(uuid::Uuid::new_v4().to_string()),
            generation,
        })
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.dialect {
            Dialect::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Dialect::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator
            .run(&self.db()?)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migration failed: {e}")))
    }

    /// The database URL this store was opened with (it may hold a password: never log it).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> Result<()> {
        let pool = self.db()?;
        tokio::time::timeout(
            Duration::from_secs(2),
            sqlx::query("SELECT 1").execute(&pool),
        )
        .await
        .map_err(|_| {
            StoreError::Unavailable(String::from("the database did not answer in 2 s"))
        })??;
        Ok(())
    }

    /// What SQLite's own checks find wrong with the file (`integrity_check`, `foreign_key_check`);
    /// empty when all is well. PostgreSQL keeps its own house: nothing to report.
    pub async fn integrity_check(&self) -> Result<Vec<String>> {
        if self.dialect != Dialect::Sqlite {
            return Ok(Vec::new());
        }
        let pool = self.db()?;
        let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&pool)
            .await?;
        problems.retain(|p| p != "ok");
        let dangling = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&pool)
            .await?;
        if !dangling.is_empty() {
            problems.push(format!(
                "{} rows refer to rows that do not exist",
                dangling.len()
            ));
        }
        Ok(problems)
    }

    /// Closes every connection (tests and shutdown).
    pub async fn close(&self) {
        self.pools.close().await;
    }

    /// The pool, or at once an error while the database is known not to answer.
    pub(crate) fn db(&self) -> Result<AnyPool> {
        self.pools.get()
    }

    /// The count of changes this process knows of (see the field); it only grows.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Counts a change: what was read before it may be stale. The store counts its own commits;
    /// the workbench counts again once it has applied a change to what it holds in memory, and
    /// counts the changes other instances announce.
    pub fn advance_generation(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Commits a write transaction: on PostgreSQL it first announces the changes to the other
    /// instances (an empty list still says "something changed", so that their caches notice),
    /// and once committed it counts the change.
    async fn commit(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        changes: &[Change],
    ) -> Result<()> {
        changes::notify(&mut tx, self.dialect, &self.origin, changes).await?;
        tx.commit().await?;
        self.advance_generation();
        Ok(())
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        let tx = match self.dialect {
            // A deferred SQLite transaction that reads and then writes can fail when another
            // writer got in between; taking the write lock up front makes writers queue instead.
            Dialect::Sqlite => self.db()?.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.db()?.begin().await?,
        };
        Ok(tx)
    }
}

/// The current time as stored: RFC 3339 in UTC with microseconds, fixed width so text order is
/// time order.
pub fn now() -> String {
    format_time(time::OffsetDateTime::now_utc())
}

pub fn format_time(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}
