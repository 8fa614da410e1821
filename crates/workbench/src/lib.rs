//! Meshwork's use cases: the one API that the REST handlers, the Leptos server functions and the
//! CLI all call. Authorization and validation happen here, once.
//!
//! **Invariant:** nothing in this crate knows about HTTP, HTML or Leptos; it speaks in
//! [`views`] types, [`Actor`]s and [`WorkbenchError`]s.

mod actor;
mod auth;
mod catalog;
pub mod demo;
mod demo_governance;
mod demo_lineage;
mod directory;
mod drafts;
mod error;
mod governance;
mod graph;
pub mod markdown;
mod publish;
mod reads;
mod synthetic;
mod transfer;

pub use actor::{Actor, Principal};
pub use auth::{SESSION_DAYS, TOKEN_PREFIX, hash_password};
pub use catalog::DocSelector;
pub use error::{Result, WorkbenchError};
pub use governance::{
    Bundle, PolicyEvent, Report, TrendPoint, check_offline, day_from_today, days_since, days_until,
    dry_run_csv, github_annotations, group_by, junit_report, matrix_csv, perspective, refusal_text,
    today,
};
pub use graph::{ExploreQuery, ImpactFormat, Received};
pub use publish::{Mode, SourceDoc, Submission};
pub use reads::MAX_AGE as READ_CACHE_MAX_AGE;
pub use store::Expect;
pub use transfer::{ExportedFile, ImportReport};

use store::{NewAudit, Store};

/// Installation-wide settings the use cases need.
#[derive(Clone, Debug, Default)]
pub struct WorkbenchConfig {
    /// Let people who are not signed in read the catalog.
    pub anonymous_read: bool,
    /// `MESHWORK_ADMIN_TOKEN`: an API token with admin rights.
    pub admin_token: Option<String>,
    /// Look tokens, sessions and settings up every time (`MESHWORK_NO_READ_CACHE`).
    pub no_read_cache: bool,
}

/// The use cases, over one store.
#[derive(Clone, Debug)]
pub struct Workbench {
    store: Store,
    config: std::sync::Arc<WorkbenchConfig>,
    /// The lineage graph in memory, shared by every clone.
    lineage: graph::Shared,
    /// Readings kept in memory (actors behind secrets, settings), shared by every clone.
    reads: std::sync::Arc<reads::Reads>,
}

impl Workbench {
    pub fn new(store: Store, config: WorkbenchConfig) -> Workbench {
        Workbench {
            store,
            config: std::sync::Arc::new(config),
            lineage: graph::Shared::default(),
            reads: std::sync::Arc::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The count of changes this process knows of. Whatever was read at an older count may be
    /// stale; the server's response cache keys on it.
    pub fn generation(&self) -> u64 {
        self.store.generation()
    }

    /// Whether readings may be remembered (see [`reads`]).
    pub(crate) fn remembers(&self) -> bool {
        !self.config.no_read_cache
    }

    /// True when the database answers.
    pub async fn ready(&self) -> bool {
        self.store.ping().await.is_ok()
    }
}

pub(crate) fn audit_event(
    actor: &Actor,
    action: &str,
    kind: &str,
    id: &str,
    summary: String,
) -> NewAudit {
    NewAudit {
        actor: actor.name(),
        action: action.to_owned(),
        subject_kind: kind.to_owned(),
        subject_id: id.to_owned(),
        summary,
        diff: None,
    }
}

/// The colours domains get, in order; chosen for contrast on light and dark backgrounds and to
/// stay distinguishable from each other.
pub const DOMAIN_PALETTE: &[&str] = &[
    "#2563eb", "#16a34a", "#db2777", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04", "#dc2626",
    "#4f46e5", "#059669", "#c026d3", "#65a30d",
];
