//! Fresh databases for tests: a temporary SQLite file, or a new PostgreSQL database created on the
//! server named by `MESHWORK_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`) and
//! dropped afterwards.

use std::path::PathBuf;

use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};

use crate::Store;

/// The PostgreSQL server tests use.
pub fn postgres_base_url() -> String {
    std::env::var("MESHWORK_TEST_POSTGRES")
        .unwrap_or_else(|_| String::from("postgres://postgres@127.0.0.1:5432"))
}

/// A store on a database that exists only for one test.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    /// A migrated store on a new SQLite file in the temporary directory.
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!(
            "meshwork-test-{}.db",
            uuid::Uuid::new_v4().simple()
        ));
        let url = format!("sqlite://{}", path.display());
        let store = Store::open(&url).await.expect("open SQLite test store");
        TestDb {
            store,
            url,
            cleanup: Cleanup::File(path),
        }
    }

    /// A migrated store on a new PostgreSQL database. Panics, saying how to start PostgreSQL, when
    /// the server is not reachable: the PostgreSQL suite is never silently skipped.
    pub async fn postgres() -> TestDb {
        let (url, admin_url, name) = create_postgres_database().await;
        let store = Store::open(&url).await.expect("open PostgreSQL test store");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Database { admin_url, name },
        }
    }

    /// A test database of the kind `MESHWORK_TEST_DB` names (`sqlite`, the default, or `postgres`).
    pub async fn from_env() -> TestDb {
        match std::env::var("MESHWORK_TEST_DB").as_deref() {
            Ok("postgres") => TestDb::postgres().await,
            _ => TestDb::sqlite().await,
        }
    }

    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                drop_postgres_database(&admin_url, &name).await;
            }
        }
    }
}

/// Creates an empty database and returns `(its url, the admin url, its name)`.
pub async fn create_postgres_database() -> (String, String, String) {
    sqlx::any::install_default_drivers();
    let base = postgres_base_url();
    let admin_url = format!("{base}/postgres");
    let name = format!("meshwork_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = AnyConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {admin_url} ({e}). Start it with \
             `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` \
             or point MESHWORK_TEST_POSTGRES at a server."
            )
        });
    admin
        .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create test database");
    (format!("{base}/{name}"), admin_url, name)
}

/// Drops a database made by [`create_postgres_database`], whoever is still connected to it.
pub async fn drop_postgres_database(admin_url: &str, name: &str) {
    if let Ok(mut admin) = AnyConnection::connect(admin_url).await {
        let _ = admin
            .execute(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await;
    }
}
