//! The catalog query: full-text match in the database (FTS5 or tsvector), then facet filters,
//! facet counts, sorting and paging over the matching rows.

use std::collections::BTreeMap;

use sqlx::{AssertSqlSafe, Row};

use crate::products::{ROW_COLUMNS, product_row};
use crate::{FacetCount, Facets, ProductRow, Result, SearchPage, SearchQuery, SearchSort, Store};

/// How many facets there are.
const FACETS: usize = 7;

/// A product never evaluated by the policies (or evaluated before they existed).
const UNEVALUATED: &str = "unevaluated";

/// The facets a product belongs to, one list per facet in [`Facets`] order.
fn facet_values(p: &ProductRow, governance: &str) -> [Vec<String>; FACETS] {
    [
        vec![p.domain_id.clone()],
        vec![p.team_id.clone()],
        vec![p.status.clone()],
        p.product_type.clone().into_iter().collect(),
        p.tags.clone(),
        p.classifications.clone(),
        vec![governance.to_owned()],
    ]
}

impl SearchQuery {
    fn filters(&self) -> [&Vec<String>; FACETS] {
        [
            &self.domains,
            &self.teams,
            &self.statuses,
            &self.types,
            &self.tags,
            &self.classifications,
            &self.governance,
        ]
    }
}

/// Whether a product passes every facet filter except the one at `skip`.
fn passes(
    values: &[Vec<String>; FACETS],
    filters: &[&Vec<String>; FACETS],
    skip: Option<usize>,
) -> bool {
    filters.iter().enumerate().all(|(i, wanted)| {
        Some(i) == skip
            || wanted.is_empty()
            || values[i]
                .iter()
                .any(|v| wanted.iter().any(|w| w.eq_ignore_ascii_case(v)))
    })
}

impl Store {
    /// Searches the catalog. Words must all match (as prefixes) the name, description, tags or
    /// field names; facet values within one facet are alternatives.
    pub async fn search(&self, query: &SearchQuery) -> Result<SearchPage> {
        let fts = query
            .text
            .as_deref()
            .and_then(|t| self.dialect.fts_query(t));
        let rows = match &fts {
            Some(text) => sqlx::query(AssertSqlSafe(format!(
                "SELECT {ROW_COLUMNS}, s.rank FROM products p JOIN ({}) s ON s.product_id = p.id",
                self.dialect.fts_select()
            )))
            .bind(text)
            .fetch_all(&self.db()?)
            .await?,
            None => {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT {ROW_COLUMNS}, CAST(0 AS DOUBLE PRECISION) AS rank FROM products p"
                )))
                .fetch_all(&self.db()?)
                .await?
            }
        };
        let mut matches: Vec<(ProductRow, f64)> = Vec::with_capacity(rows.len());
        for row in &rows {
            let rank: f64 = row.try_get("rank")?;
            matches.push((product_row(row)?, rank));
        }
        let filters = query.filters();
        let states = self.governance_states().await?;
        let state_of = |p: &ProductRow| {
            states
                .get(&p.id)
                .map(String::as_str)
                .unwrap_or(UNEVALUATED)
                .to_owned()
        };
        let values: Vec<[Vec<String>; FACETS]> = matches
            .iter()
            .map(|(p, _)| facet_values(p, &state_of(p)))
            .collect();

        let mut counts: [BTreeMap<String, i64>; FACETS] = Default::default();
        for v in &values {
            for (facet, count) in counts.iter_mut().enumerate() {
                if passes(v, &filters, Some(facet)) {
                    for value in &v[facet] {
                        *count.entry(value.clone()).or_default() += 1;
                    }
                }
            }
        }
        // A chosen value stays visible (with 0) even when nothing matches it any more.
        for (facet, wanted) in filters.iter().enumerate() {
            for w in wanted.iter() {
                if !counts[facet].keys().any(|k| k.eq_ignore_ascii_case(w)) {
                    counts[facet].insert(w.clone(), 0);
                }
            }
        }
        let [
            domain,
            team,
            status,
            product_type,
            tag,
            classification,
            governance,
        ] = counts.map(sorted_counts);

        let mut hits: Vec<(ProductRow, f64)> = matches
            .into_iter()
            .zip(&values)
            .filter(|(_, v)| passes(v, &filters, None))
            .map(|(m, _)| m)
            .collect();
        match (query.sort, fts.is_some()) {
            (SearchSort::Relevance, true) => hits.sort_by(|a, b| {
                a.1.partial_cmp(&b.1)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| name_order(&a.0, &b.0))
            }),
            (SearchSort::Updated, _) => hits.sort_by(|a, b| {
                b.0.updated_at
                    .cmp(&a.0.updated_at)
                    .then_with(|| name_order(&a.0, &b.0))
            }),
            _ => hits.sort_by(|a, b| name_order(&a.0, &b.0)),
        }
        let total = hits.len();
        let limit = if query.limit == 0 { 50 } else { query.limit };
        let items: Vec<ProductRow> = hits
            .into_iter()
            .skip(query.offset)
            .take(limit)
            .map(|(p, _)| p)
            .collect();
        Ok(SearchPage {
            total,
            governance: items.iter().map(state_of).collect(),
            items,
            facets: Facets {
                domain,
                team,
                status,
                product_type,
                tag,
                classification,
                governance,
            },
        })
    }
}

fn name_order(a: &ProductRow, b: &ProductRow) -> std::cmp::Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.id.cmp(&b.id))
}

/// Most frequent first, then alphabetical.
fn sorted_counts(counts: BTreeMap<String, i64>) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}
