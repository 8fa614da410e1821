//! Rows as the store reads and writes them. These are not wire types: the workbench turns them into
//! the views that travel over HTTP and to the browser.

use domain::DocumentFormat;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainRecord {
    pub id: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<String>,
    pub color: String,
    pub created_at: String,
    pub updated_at: String,
    pub revision: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamRecord {
    pub id: String,
    pub name: String,
    pub description: String,
    pub domain_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub revision: i64,
}

/// A user's membership of a team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRecord {
    pub team_id: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub added_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A product as listed in the catalog: everything but its documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRow {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    pub team_id: String,
    pub status: String,
    pub product_type: Option<String>,
    pub version: String,
    pub purpose: String,
    pub tags: Vec<String>,
    pub classifications: Vec<String>,
    pub output_ports: i64,
    pub input_ports: i64,
    pub created_at: String,
    pub updated_at: String,
    pub revision: i64,
}

/// A product with its current document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRecord {
    pub row: ProductRow,
    /// The current document as JSON.
    pub document: String,
    /// The text of the latest revision exactly as it was received.
    pub source: String,
    pub source_format: DocumentFormat,
    pub created_by: String,
    pub updated_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputPortRow {
    pub product_id: String,
    pub name: String,
    pub position: i64,
    pub port_type: Option<String>,
    pub version: String,
    pub description: Option<String>,
    pub contract_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputPortRow {
    pub product_id: String,
    pub name: String,
    pub position: i64,
    pub version: Option<String>,
    pub contract_id: Option<String>,
    pub external_source: Option<String>,
}

/// One stored revision of a product or contract document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionRecord {
    pub revision: i64,
    pub version: String,
    pub status: Option<String>,
    pub source: String,
    pub source_format: DocumentFormat,
    pub created_at: String,
    pub created_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractRecord {
    pub id: String,
    pub name: Option<String>,
    pub version: String,
    pub status: Option<String>,
    pub domain_id: Option<String>,
    pub team_id: Option<String>,
    pub document: String,
    pub source: String,
    pub source_format: DocumentFormat,
    pub revision: i64,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

/// One field of a contract's schema, flattened for search and facets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRow {
    pub path: String,
    pub object_name: String,
    pub field_name: String,
    pub logical_type: Option<String>,
    pub physical_type: Option<String>,
    pub required: bool,
    pub primary_key: bool,
    pub classification: Option<String>,
    pub pii: bool,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftRecord {
    pub id: String,
    pub user_id: String,
    pub product_id: Option<String>,
    pub title: String,
    pub state: String,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub summary: String,
    pub diff: Option<String>,
}

/// An audit event to record in the same transaction as the change it describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAudit {
    pub actor: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub summary: String,
    pub diff: Option<String>,
}

/// What a write expects to find: optimistic concurrency for documents and directory entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The row must not exist yet.
    New,
    /// The row must exist at exactly this revision.
    Revision(i64),
    /// Create or overwrite, whatever is there (CI pushes through the compatibility API).
    Any,
}

/// A product document to store, already validated, with the columns derived from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductWrite {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    pub team_id: String,
    pub status: String,
    pub product_type: Option<String>,
    pub version: String,
    pub purpose: String,
    pub tags: Vec<String>,
    pub document: String,
    pub source: String,
    pub source_format: DocumentFormat,
    pub output_ports: Vec<OutputPortRow>,
    pub input_ports: Vec<InputPortRow>,
    pub actor: String,
    pub expect: Expect,
}

/// A contract document to store, already validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractWrite {
    pub id: String,
    pub name: Option<String>,
    pub version: String,
    pub status: Option<String>,
    pub domain_id: Option<String>,
    pub team_id: Option<String>,
    pub document: String,
    pub source: String,
    pub source_format: DocumentFormat,
    pub fields: Vec<FieldRow>,
    pub actor: String,
    pub expect: Expect,
}

/// Everything one publication writes, in one transaction: products, their contracts and the audit
/// trail. Either all of it is stored or none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Publication {
    pub products: Vec<ProductWrite>,
    pub contracts: Vec<ContractWrite>,
    pub audit: Vec<NewAudit>,
}

/// The revisions a publication produced, by document id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Published {
    pub products: Vec<(String, i64)>,
    pub contracts: Vec<(String, i64)>,
    /// Every product whose stored state changed (published, or borrowing a changed contract).
    pub touched: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchSort {
    /// Best text match first (name order without a text query).
    #[default]
    Relevance,
    Name,
    /// Most recently updated first.
    Updated,
}

/// A catalog query: words, facet filters (values within a facet are alternatives), sort and page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: Option<String>,
    pub domains: Vec<String>,
    pub teams: Vec<String>,
    pub statuses: Vec<String>,
    pub types: Vec<String>,
    pub tags: Vec<String>,
    pub classifications: Vec<String>,
    /// Governance states: `passing`, `warnings`, `failing`, `unevaluated`.
    pub governance: Vec<String>,
    pub sort: SearchSort,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

/// Counts per facet value. Each facet is counted with every other facet's filter applied but not
/// its own, so choosing a second value within a facet widens the result as the counts promise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub domain: Vec<FacetCount>,
    pub team: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
    pub product_type: Vec<FacetCount>,
    pub tag: Vec<FacetCount>,
    pub classification: Vec<FacetCount>,
    pub governance: Vec<FacetCount>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchPage {
    pub total: usize,
    pub items: Vec<ProductRow>,
    /// The governance state of each item, in the same order.
    pub governance: Vec<String>,
    pub facets: Facets,
}
