//! What can go wrong in the store, split into what callers handle (not found, conflicts) and what
//! they only report (the database is unavailable).

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row with that key.
    #[error("{0} not found")]
    NotFound(String),
    /// A row with that key already exists.
    #[error("{0} already exists")]
    Duplicate(String),
    /// An optimistic-concurrency check failed: someone else wrote first.
    #[error("{what} was changed by someone else (now at revision {current})")]
    Stale { what: String, current: i64 },
    /// A row still referenced elsewhere, or a reference to a row that does not exist.
    #[error("{0}")]
    Reference(String),
    /// Writing would close a cycle in the declared product lineage (the products in order, the
    /// first repeated at the end). Found inside the write transaction, under a lock every
    /// instance takes, so two publications committed at the same moment cannot close one.
    #[error("the declared product lineage would have a cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),
    /// The configuration (URL) is wrong.
    #[error("{0}")]
    Config(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Unavailable(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &e {
            // Constraint violations are the caller's problem, reported in its words; the checks
            // in the workbench normally catch them first.
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    return StoreError::Duplicate(String::from("a row with that key"));
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => {
                    return StoreError::Reference(format!(
                        "reference check failed: {}",
                        db.message()
                    ));
                }
                _ => {}
            }
        }
        StoreError::Unavailable(e.to_string())
    }
}
