//! Meshwork's web-free core: the data product model (ODPS), data contracts (ODCS), ids, vocabularies
//! and validation findings.
//!
//! Nothing in here does I/O; everything here also builds for `wasm32-unknown-unknown`, so the
//! registration wizard in the browser runs the same rules as the server.

pub mod document;
pub mod finding;
pub mod id;
pub mod naming;
pub mod odcs;
pub mod odps;
#[cfg(feature = "schema")]
pub mod schema;
pub mod text;
pub mod validate;
pub mod version;
pub mod vocab;

pub use document::{DocumentFormat, ParseError, parse_document, to_yaml};
pub use finding::{Finding, Severity};
pub use id::{DocumentId, IdError, Slug, slugify};
pub use odcs::DataContractDoc;
pub use odps::DataProductDoc;
pub use validate::{
    ContractCheck, ProductCheck, check_contract, check_contract_rules, check_product,
    check_product_rules,
};
pub use vocab::{Classification, LogicalType, PortType, ProductStatus, ProductType};
