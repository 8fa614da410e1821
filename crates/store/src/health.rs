//! Whether the database answers, and failing fast while it does not.
//!
//! A pool whose server has stopped makes every caller wait its whole acquire timeout, retrying
//! refused connections; under load that is a server that hangs. On PostgreSQL a watchdog with a
//! connection of its own pings the server twice a second. When a ping fails, the pool is
//! closed (whoever waits for a connection is answered at once) and every operation fails at
//! once with [`StoreError::Unavailable`] — a 503 — until the watchdog reaches the server again;
//! then a fresh pool is put in place and the change count advanced, so that everything kept in
//! memory is read again. SQLite is a file in this process: it has no watchdog.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection};

use crate::{Result, StoreError};

/// How often the watchdog asks.
const PING_EVERY: Duration = Duration::from_millis(500);
/// How long a ping or a connection attempt may take before the server counts as gone.
const PING_TIMEOUT: Duration = Duration::from_secs(1);

/// The pool in use, and whether the database is known to be unreachable.
pub(crate) struct Pools {
    current: RwLock<AnyPool>,
    down: AtomicBool,
    closed: AtomicBool,
    /// To build a fresh pool when the database is back.
    options: AnyConnectOptions,
    pool_options: AnyPoolOptions,
}

impl Pools {
    pub(crate) fn new(
        pool: AnyPool,
        options: AnyConnectOptions,
        pool_options: AnyPoolOptions,
    ) -> Pools {
        Pools {
            current: RwLock::new(pool),
            down: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            options,
            pool_options,
        }
    }

    /// The pool to use now, or at once an error when the database is known to be unreachable.
    pub(crate) fn get(&self) -> Result<AnyPool> {
        if self.down.load(Ordering::Acquire) {
            return Err(StoreError::Unavailable(String::from(
                "the database does not answer; Meshwork reconnects as soon as it does",
            )));
        }
        Ok(self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone())
    }

    pub(crate) async fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let pool = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        pool.close().await;
    }

    fn trip(&self, generation: &AtomicU64) {
        if self.down.swap(true, Ordering::AcqRel) {
            return;
        }
        tracing::warn!("the database does not answer: answering 503 until it does");
        generation.fetch_add(1, Ordering::AcqRel);
        let pool = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        // Closing wakes every caller waiting for a connection with an error, now.
        tokio::spawn(async move { pool.close().await });
    }

    fn recover(&self, generation: &AtomicU64) {
        let fresh = self
            .pool_options
            .clone()
            .connect_lazy_with(self.options.clone());
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        self.down.store(false, Ordering::Release);
        generation.fetch_add(1, Ordering::AcqRel);
        tracing::info!("the database answers again");
    }
}

/// Watches the database until the store is dropped or closed.
pub(crate) fn watch(pools: &Arc<Pools>, generation: &Arc<AtomicU64>) {
    let (pools, generation): (Weak<Pools>, Arc<AtomicU64>) =
        (Arc::downgrade(pools), generation.clone());
    tokio::spawn(async move {
        let mut conn = None;
        loop {
            tokio::time::sleep(PING_EVERY).await;
            let Some(shared) = pools.upgrade() else {
                return;
            };
            if shared.closed.load(Ordering::Acquire) {
                return;
            }
            let alive = match conn.as_mut() {
                Some(c) => matches!(
                    tokio::time::timeout(PING_TIMEOUT, sqlx::AnyConnection::ping(c)).await,
                    Ok(Ok(()))
                ),
                None => match tokio::time::timeout(PING_TIMEOUT, shared.options.connect()).await {
                    Ok(Ok(c)) => {
                        conn = Some(c);
                        true
                    }
                    _ => false,
                },
            };
            if alive {
                if shared.down.load(Ordering::Acquire) {
                    shared.recover(&generation);
                }
            } else {
                conn = None;
                shared.trip(&generation);
            }
        }
    });
}
