//! The REST API under `/api/v1`, one module per resource. Each handler turns HTTP into a
//! `workbench` call and back.

pub mod audit;
pub mod contracts;
pub mod directory;
pub mod documents;
pub mod drafts;
pub mod governance;
pub mod health;
pub mod lineage;
pub mod products;
pub mod session;
pub mod tokens;

use serde::Deserialize;

/// Optional paging for list endpoints.
#[derive(Clone, Copy, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct Limit {
    /// At most this many items (default depends on the endpoint).
    pub limit: Option<i64>,
}
