//! Data products and contracts as the catalog, the product page and the API show them.

use domain::Finding;

crate::view! {
    /// A product in a list: enough for a card in the catalog.
    pub struct ProductCard {
        pub id: String,
        pub name: String,
        pub domain_id: String,
        pub domain_name: String,
        pub domain_color: String,
        pub team_id: String,
        pub team_name: String,
        pub status: String,
        pub product_type: Option<String>,
        pub version: String,
        /// The purpose as plain text, shortened for a card.
        pub summary: String,
        pub tags: Vec<String>,
        pub classifications: Vec<String>,
        pub output_ports: i64,
        pub input_ports: i64,
        pub updated_at: String,
        /// The governance state (`passing`, `warnings`, `failing`, `unevaluated`), where known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub governance: Option<String>,
    }
}

crate::view! {
    /// Everything the product page shows.
    pub struct ProductDetail {
        pub card: ProductCard,
        /// The optimistic-concurrency revision; send it back (`If-Match`) to change the product.
        pub revision: i64,
        pub description: DescriptionView,
        pub owners: Vec<crate::MemberView>,
        pub output_ports: Vec<OutputPortView>,
        pub input_ports: Vec<InputPortView>,
        pub consumers: Vec<ConsumerView>,
        pub versions: Vec<VersionView>,
        pub support: Vec<SupportView>,
        /// The signed-in user may edit it (member of the owning team, or admin).
        pub can_edit: bool,
        /// Statuses it may move to (`deprecated`, `retired`, ...).
        pub transitions: Vec<String>,
        pub api_version: String,
        pub created_at: String,
        pub created_by: String,
        pub updated_by: String,
    }
}

crate::view! {
    /// The three description texts as written (markdown) and as sanitised HTML.
    pub struct DescriptionView {
        pub purpose: String,
        pub usage: String,
        pub limitations: String,
        pub purpose_html: String,
        pub usage_html: String,
        pub limitations_html: String,
    }
}

crate::view! {
    pub struct SupportView {
        pub channel: String,
        pub url: Option<String>,
        pub tool: Option<String>,
    }
}

crate::view! {
    pub struct OutputPortView {
        pub name: String,
        pub port_type: Option<String>,
        pub version: String,
        pub description: Option<String>,
        pub contract_id: Option<String>,
        /// The contract, when it has been published.
        pub contract: Option<ContractView>,
    }
}

crate::view! {
    pub struct InputPortView {
        pub name: String,
        pub version: Option<String>,
        pub contract_id: Option<String>,
        pub external_source: Option<String>,
        /// The upstream product's port that publishes the contract, when there is one.
        pub upstream: Option<PortRef>,
    }
}

crate::view! {
    /// An output port somewhere in the mesh.
    pub struct PortRef {
        pub product_id: String,
        pub product_name: String,
        pub domain_id: String,
        pub domain_color: String,
        pub team_id: String,
        pub status: String,
        pub port_name: String,
        pub port_type: Option<String>,
        pub version: String,
        pub contract_id: Option<String>,
    }
}

crate::view! {
    pub struct ConsumerView {
        pub product_id: String,
        pub product_name: String,
        pub domain_id: String,
        pub domain_color: String,
        pub team_id: String,
        pub status: String,
        pub input_port: String,
        pub output_port: String,
    }
}

crate::view! {
    /// One published version: the latest revision stored under that semantic version.
    pub struct VersionView {
        pub version: String,
        pub revision: i64,
        pub status: Option<String>,
        pub published_at: String,
        pub published_by: String,
        /// Revisions stored under this version (amendments).
        pub revisions: i64,
    }
}

crate::view! {
    pub struct ContractView {
        pub id: String,
        pub name: Option<String>,
        pub version: String,
        pub status: Option<String>,
        pub revision: i64,
        pub servers: Vec<ServerView>,
        pub objects: Vec<SchemaObjectView>,
        pub sla: Vec<SlaView>,
        pub team_id: Option<String>,
        pub updated_at: String,
    }
}

crate::view! {
    pub struct ServerView {
        pub server: String,
        pub server_type: String,
        pub environment: Option<String>,
        pub location: String,
    }
}

crate::view! {
    pub struct SchemaObjectView {
        pub name: String,
        pub physical_name: Option<String>,
        pub physical_type: Option<String>,
        pub description: Option<String>,
        pub fields: Vec<FieldView>,
        /// Quality rules on the object and on its fields, one line each.
        pub quality: Vec<QualityView>,
    }
}

crate::view! {
    pub struct FieldView {
        pub name: String,
        /// Nesting depth for fields of object-typed fields (0 at the top).
        pub depth: u32,
        pub logical_type: Option<String>,
        pub physical_type: Option<String>,
        pub required: bool,
        pub primary_key: bool,
        pub unique: bool,
        pub classification: Option<String>,
        pub pii: bool,
        pub description: Option<String>,
    }
}

crate::view! {
    pub struct QualityView {
        /// The field the rule is about, or none for the whole object.
        pub field: Option<String>,
        pub rule: String,
        pub dimension: Option<String>,
        pub severity: Option<String>,
    }
}

crate::view! {
    pub struct SlaView {
        pub property: String,
        /// `Freshness`, `Frequency`, `Availability`, `Retention`, or the property itself.
        pub label: String,
        pub value: String,
    }
}

crate::view! {
    /// The answer to a publication: what was stored, and the warnings that did not block it.
    pub struct PublishResult {
        pub product_id: Option<String>,
        pub revision: Option<i64>,
        pub version: Option<String>,
        pub contracts: Vec<ContractRevision>,
        /// True when the documents equal what was already stored and nothing was written.
        pub unchanged: bool,
        pub findings: Vec<Finding>,
        /// What the organisation's policies found (warnings, grace periods, waived findings).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub policy_findings: Vec<crate::PolicyFinding>,
    }
}

crate::view! {
    pub struct ContractRevision {
        pub id: String,
        pub revision: i64,
    }
}

crate::view! {
    /// A request to move a product through its lifecycle.
    pub struct StatusChange {
        /// `active`, `deprecated` or `retired` (see the product's `transitions`).
        pub status: String,
        /// The revision the change is based on (or send `If-Match`).
        #[serde(default)]
        pub revision: Option<i64>,
    }
}

crate::view! {
    /// Whether a product id may be used.
    pub struct IdCheck {
        pub id: String,
        pub valid: bool,
        pub available: bool,
        pub message: Option<String>,
    }
}
