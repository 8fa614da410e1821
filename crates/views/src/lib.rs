//! Meshwork's wire types ("views"): what the REST API, the Leptos server functions and the
//! browser exchange. They are kept apart from the store's rows so the database can change without
//! changing the API. No I/O; builds for `wasm32-unknown-unknown`.

mod directory;
mod error;
mod governance;
mod lineage;
pub mod marquez;
mod product;
mod search;
pub mod wire;
mod wizard;

pub use directory::*;
pub use error::*;
pub use governance::*;
pub use lineage::*;
pub use product::*;
pub use search::*;
pub use wizard::*;

/// Derives the traits every view has: serde both ways, Clone, Debug, PartialEq, and an OpenAPI
/// schema on the server.
#[macro_export]
macro_rules! view {
    ($(#[$attr:meta])* $vis:vis struct $name:ident $($body:tt)*) => {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        $(#[$attr])*
        $vis struct $name $($body)*
    };
}
