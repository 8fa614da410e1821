//! Use-case errors: the expected ones (who may not, what is missing, what is invalid, who wrote
//! first) and the unexpected one (the database failed), which is logged and never detailed to
//! the caller.

use domain::Finding;
use store::StoreError;
use views::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum WorkbenchError {
    #[error("sign in first, or send an API token (Authorization: Bearer … or x-api-key: …)")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Invalid {
        message: String,
        findings: Vec<Finding>,
        /// When policies refused the write: their findings in full (also in `findings`).
        policy_findings: Vec<views::PolicyFinding>,
    },
    #[error("{message}")]
    Conflict {
        message: String,
        current_revision: Option<i64>,
    },
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("the database is unavailable")]
    Unavailable(String),
}

pub type Result<T, E = WorkbenchError> = std::result::Result<T, E>;

impl WorkbenchError {
    pub fn invalid(findings: Vec<Finding>) -> WorkbenchError {
        let errors = findings.iter().filter(|f| f.is_error()).count();
        let message = match errors {
            1 => String::from("the document has 1 problem to fix; see findings"),
            n => format!("the documents have {n} problems to fix; see findings"),
        };
        WorkbenchError::Invalid {
            message,
            findings,
            policy_findings: Vec::new(),
        }
    }

    /// Refused by policies: each blocking finding also as a plain finding (rule
    /// `policy:<id>`), so that every client that shows findings shows these.
    pub fn refused(
        mut findings: Vec<Finding>,
        policy_findings: Vec<views::PolicyFinding>,
    ) -> WorkbenchError {
        let blocking = policy_findings.iter().filter(|f| f.blocking).count();
        findings.extend(policy_findings.iter().map(crate::governance::as_finding));
        let message = match blocking {
            1 => String::from("refused by 1 policy finding; see policy_findings"),
            n => format!("refused by {n} policy findings; see policy_findings"),
        };
        WorkbenchError::Invalid {
            message,
            findings,
            policy_findings,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> WorkbenchError {
        WorkbenchError::Forbidden(message.into())
    }

    pub fn not_found(message: impl Into<String>) -> WorkbenchError {
        WorkbenchError::NotFound(message.into())
    }

    pub fn bad_request(message: impl Into<String>) -> WorkbenchError {
        WorkbenchError::BadRequest(message.into())
    }
}

impl From<StoreError> for WorkbenchError {
    fn from(e: StoreError) -> WorkbenchError {
        match e {
            StoreError::NotFound(what) => WorkbenchError::NotFound(format!("{what} not found")),
            StoreError::Duplicate(what) => WorkbenchError::Conflict {
                message: format!("{what} already exists"),
                current_revision: None,
            },
            StoreError::Stale { what, current } => WorkbenchError::Conflict {
                message: format!(
                    "{what} was changed by someone else since you read it (now at revision {current}); reload and apply your change again"
                ),
                current_revision: Some(current),
            },
            StoreError::Reference(message) => WorkbenchError::Conflict {
                message,
                current_revision: None,
            },
            StoreError::Cycle(cycle) => WorkbenchError::invalid(vec![
                Finding::error(
                    "cycle",
                    "/inputPorts",
                    format!(
                        "the input ports would close a cycle with a publication committed at the same moment: {}",
                        cycle.join(" → ")
                    ),
                )
                .fix("data products must form a DAG: read a port of a product that is not downstream of this one, or remove that input port"),
            ]),
            StoreError::Config(message) | StoreError::Unavailable(message) => {
                tracing::error!(error = %message, "store failure");
                WorkbenchError::Unavailable(message)
            }
        }
    }
}

impl From<WorkbenchError> for ApiError {
    fn from(e: WorkbenchError) -> ApiError {
        let message = e.to_string();
        match e {
            WorkbenchError::Unauthenticated => ApiError::new("unauthenticated", message),
            WorkbenchError::Forbidden(_) => ApiError::new("forbidden", message),
            WorkbenchError::NotFound(_) => ApiError::new("not_found", message),
            WorkbenchError::BadRequest(_) => ApiError::new("bad_request", message),
            WorkbenchError::Invalid {
                findings,
                policy_findings,
                ..
            } => ApiError {
                findings,
                policy_findings,
                ..ApiError::new("invalid", message)
            },
            WorkbenchError::Conflict {
                current_revision, ..
            } => ApiError {
                current_revision,
                ..ApiError::new("conflict", message)
            },
            WorkbenchError::PreconditionRequired(_) => {
                ApiError::new("precondition_required", message)
            }
            WorkbenchError::Unavailable(_) => ApiError::new(
                "unavailable",
                "the database is unavailable; try again shortly",
            ),
        }
    }
}
