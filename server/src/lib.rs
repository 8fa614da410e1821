//! The meshwork server: configuration, the axum router with the REST and compatibility APIs and
//! the server-rendered UI, and the command-line interface.
//!
//! **Invariant:** handlers only translate between HTTP and the `workbench` use cases; no rule about
//! products, teams or permissions is decided here.

pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod cli_governance;
pub mod compat;
pub mod config;
pub mod csp;
pub mod error;
pub mod extract;
pub mod marquez;
pub mod openapi;
pub mod router;
pub mod spliced_gzip;
pub mod state;

pub use router::app;
pub use state::AppState;
