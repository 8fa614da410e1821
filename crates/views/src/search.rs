//! Catalog search: the query, the results and the facets.

use crate::ProductCard;

crate::view! {
    pub struct SearchResults {
        pub total: usize,
        pub items: Vec<ProductCard>,
        pub facets: FacetsView,
        pub limit: usize,
        pub offset: usize,
    }
}

crate::view! {
    pub struct FacetsView {
        pub domain: Vec<FacetValue>,
        pub team: Vec<FacetValue>,
        pub status: Vec<FacetValue>,
        pub product_type: Vec<FacetValue>,
        pub tag: Vec<FacetValue>,
        pub classification: Vec<FacetValue>,
        /// Governance states (`passing`, `warnings`, `failing`, `unevaluated`).
        #[serde(default)]
        pub governance: Vec<FacetValue>,
    }
}

crate::view! {
    pub struct FacetValue {
        pub value: String,
        /// How to show the value (a domain's name rather than its id).
        pub label: String,
        pub count: i64,
        /// The value is one of the current filters.
        pub selected: bool,
    }
}

crate::view! {
    /// A catalog query. Facet values within one facet are alternatives; facets combine.
    #[derive(Default)]
    pub struct SearchParams {
        #[serde(default)]
        pub q: Option<String>,
        #[serde(default)]
        pub domain: Vec<String>,
        #[serde(default)]
        pub team: Vec<String>,
        #[serde(default)]
        pub status: Vec<String>,
        #[serde(default, rename = "type")]
        pub product_type: Vec<String>,
        #[serde(default)]
        pub tag: Vec<String>,
        #[serde(default)]
        pub classification: Vec<String>,
        /// Governance states: `passing`, `warnings`, `failing`, `unevaluated`.
        #[serde(default)]
        pub governance: Vec<String>,
        /// `relevance` (default), `name` or `updated`.
        #[serde(default)]
        pub sort: Option<String>,
        #[serde(default)]
        pub limit: Option<usize>,
        #[serde(default)]
        pub offset: Option<usize>,
    }
}
