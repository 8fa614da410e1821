//! Federated computational governance, without I/O: everything here is a pure function of its
//! inputs and also builds for `wasm32-unknown-unknown`.
//!
//! - [`diff`]: the difference between two versions of an ODCS contract, each change graded for a
//!   perspective (consumer or producer) the way `datacontract breaking` (datacontract-cli 1.2.8)
//!   grades it.

pub mod diff;

pub use diff::{Change, DiffEntry, DiffReport, Direction, Level, Perspective, diff_contracts};
