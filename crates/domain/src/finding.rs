//! Findings: what validation (and later governance) reports, as data rather than a first error.

use serde::{Deserialize, Serialize};

/// How bad a finding is. Only `Error` blocks a publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem found in a document: which rule, where (a JSON Pointer), why, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub severity: Severity,
    /// A stable rule name, e.g. `schema`, `required`, `semver`, `id-format`, `reference`.
    pub rule: String,
    /// `product` for the ODPS document, `contract:<id>` for an ODCS document.
    pub document: String,
    /// A JSON Pointer into that document (`""` is the whole document).
    pub path: String,
    pub message: String,
    /// What to change to make the finding go away, when Meshwork can say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Finding {
    pub fn error(rule: &str, path: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Error,
            rule: rule.to_owned(),
            document: String::from("product"),
            path: path.into(),
            message: message.into(),
            fix: None,
        }
    }

    pub fn warning(rule: &str, path: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(rule, path, message)
        }
    }

    /// Adds the suggested fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }

    /// Moves the finding into another document (`product` or `contract:<id>`).
    pub fn in_document(mut self, document: impl Into<String>) -> Finding {
        self.document = document.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any finding blocks publication.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

/// Escapes one JSON Pointer segment (RFC 6901).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Sorts findings by document and path and removes exact duplicates, so every caller renders the
/// same stable list.
pub fn normalize(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (
            a.document.as_str(),
            a.path.as_str(),
            a.severity,
            a.message.as_str(),
        )
            .cmp(&(
                b.document.as_str(),
                b.path.as_str(),
                b.severity,
                b.message.as_str(),
            ))
    });
    findings.dedup();
}
