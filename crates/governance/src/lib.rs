//! Federated computational governance, without I/O: everything here is a pure function of its
//! inputs and also builds for `wasm32-unknown-unknown`.
//!
//! - [`policy`]: what a policy is (kind, severity, lifecycle, scope, owner, version), findings
//!   and waivers;
//! - [`kinds`]: the built-in kinds with typed parameters;
//! - [`scope`]: whom a policy applies to, and why;
//! - [`engine`]: (subject, policies, context) → findings, with grace, deprecation, strictness
//!   and waivers applied;
//! - [`maturity`]: maturity levels gated by policy sets, and what is missing for the next;
//! - `rego` (feature `rego`, on by default): policy as code, OPA Rego evaluated with regorus;
//! - [`report`]: the domain × policy compliance matrix, its CSV, and dry-run comparisons;
//! - [`text`]: findings as the CLIs' plain text, GitHub annotations and JUnit XML;
//! - [`starter`]: the starter pack a platform team switches on on day one;
//! - [`diff`]: the difference between two versions of an ODCS contract, each change graded for a
//!   perspective (consumer or producer) the way `datacontract breaking` (datacontract-cli 1.2.8)
//!   grades it.

pub mod catalogue;
pub mod diff;
pub mod engine;
pub mod kinds;
pub mod maturity;
pub mod policy;
#[cfg(feature = "rego")]
pub mod rego;
pub mod report;
pub mod scope;
pub mod starter;
pub mod text;

pub use diff::{Change, DiffEntry, DiffReport, Direction, Level, Perspective, diff_contracts};
pub use engine::{Options, evaluate};
pub use kinds::{Context, Kind, Subject};
pub use policy::{Finding, Policy, State, Target, Waiver};
pub use scope::{Facts, Scope};

#[cfg(test)]
mod tests;
