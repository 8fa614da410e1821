//! The registration wizard's state, kept as a server-side draft so a reload loses nothing, and the
//! bundle of documents it publishes.

use domain::{DataContractDoc, DataProductDoc};
use serde::{Deserialize, Serialize};

/// Everything the wizard holds. The documents themselves are the form model: the wizard edits
/// typed ODPS and ODCS documents, so fields it has no control for survive an edit untouched.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WizardState {
    /// The step shown last (1 to 6).
    pub step: u8,
    pub product: DataProductDoc,
    /// One contract per output port, in the same order.
    pub contracts: Vec<DataContractDoc>,
    /// The product being edited, when this is not a new registration.
    pub editing: Option<String>,
    /// The revision the edit started from (optimistic concurrency on publish).
    pub base_revision: Option<i64>,
    /// The user typed the id themselves, so it no longer follows the name.
    pub id_edited: bool,
}

crate::view! {
    /// A saved wizard draft.
    pub struct DraftView {
        pub id: String,
        pub product_id: Option<String>,
        pub title: String,
        /// The wizard state (opaque to the API).
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub state: serde_json::Value,
        pub revision: i64,
        pub created_at: String,
        pub updated_at: String,
    }
}

crate::view! {
    pub struct DraftInput {
        pub title: String,
        #[serde(default)]
        pub product_id: Option<String>,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub state: serde_json::Value,
        /// The revision this save is based on; leave out to create.
        #[serde(default)]
        pub revision: Option<i64>,
    }
}

crate::view! {
    /// A product document with the contracts of its output ports, published together in one
    /// transaction. Documents are ODPS / ODCS objects (JSON), or strings holding YAML.
    pub struct ProductBundle {
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub product: serde_json::Value,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
        pub contracts: Vec<serde_json::Value>,
    }
}
