//! The catalog (the landing page): full-text search, facets with counts, sorting and paging. The
//! whole state lives in the URL, so every view can be shared and works without the WASM.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use views::{FacetValue, ProductCard, SearchParams, SearchResults};

use crate::api::catalog::search_products;
use crate::components::badges::{ClassificationBadge, DomainChip, StatusBadge, Tags, TypeLabel};
use crate::components::icons::Icon;
use crate::components::states::{EmptyState, ErrorPanel, Skeleton};
use crate::markup::encode;
use crate::time::RelTime;

const PAGE: usize = 24;
/// The facets, as (query key, heading).
const FACETS: &[(&str, &str)] = &[
    ("domain", "Domain"),
    ("team", "Team"),
    ("status", "Status"),
    ("type", "Type"),
    ("classification", "Classification"),
    ("governance", "Governance"),
    ("tag", "Tag"),
];

fn params_from(query: &ParamsMap) -> SearchParams {
    let all = |k: &str| {
        query
            .get_all(k)
            .unwrap_or_default()
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
    };
    SearchParams {
        q: query.get("q").filter(|q| !q.trim().is_empty()),
        domain: all("domain"),
        team: all("team"),
        status: all("status"),
        product_type: all("type"),
        tag: all("tag"),
        classification: all("classification"),
        governance: all("governance"),
        sort: query.get("sort").filter(|s| !s.is_empty()),
        limit: Some(PAGE),
        offset: query.get("offset").and_then(|o| o.parse().ok()),
    }
}

/// The URL of the catalog with the given parameters.
fn href(p: &SearchParams) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut push = |k: &str, v: &str| parts.push(format!("{k}={}", encode(v)));
    if let Some(q) = &p.q {
        push("q", q);
    }
    for (k, values) in [
        ("domain", &p.domain),
        ("team", &p.team),
        ("status", &p.status),
        ("type", &p.product_type),
        ("classification", &p.classification),
        ("governance", &p.governance),
        ("tag", &p.tag),
    ] {
        for v in values {
            push(k, v);
        }
    }
    if let Some(s) = &p.sort {
        push("sort", s);
    }
    if let Some(o) = p.offset.filter(|o| *o > 0) {
        push("offset", &o.to_string());
    }
    if parts.is_empty() {
        String::from("/")
    } else {
        format!("/?{}", parts.join("&"))
    }
}

fn values_mut<'a>(p: &'a mut SearchParams, key: &str) -> &'a mut Vec<String> {
    match key {
        "domain" => &mut p.domain,
        "team" => &mut p.team,
        "status" => &mut p.status,
        "type" => &mut p.product_type,
        "classification" => &mut p.classification,
        "governance" => &mut p.governance,
        _ => &mut p.tag,
    }
}

/// The URL with one facet value switched on or off (and back to the first page).
fn toggled(p: &SearchParams, key: &str, value: &str) -> String {
    let mut next = p.clone();
    next.offset = None;
    let values = values_mut(&mut next, key);
    if let Some(i) = values.iter().position(|v| v.eq_ignore_ascii_case(value)) {
        values.remove(i);
    } else {
        values.push(value.to_owned());
    }
    href(&next)
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(params_from));
    let results = Resource::new(move || params.get(), search_products);
    let navigate = leptos_router::hooks::use_navigate();
    view! {
        <Title text="Catalog"/>
        <div class="page-header">
            <div>
                <h1>"Data products"</h1>
                <p class="lead">"Find data owned by the domains of the mesh: search names, descriptions, tags and field names."</p>
            </div>
            <a class="button primary" href="/register"><Icon name="plus"/>"Register a data product"</a>
        </div>
        <form class="catalog-search" action="/" method="get" role="search">
            <label class="visually-hidden" for="catalog-q">"Search"</label>
            <input id="catalog-q" type="search" name="q" placeholder="e.g. revenue, customer_id, gdpr"
                prop:value=move || params.with(|p| p.q.clone().unwrap_or_default())/>
            {move || params.with(|p| {
                FACETS.iter().flat_map(|(key, _)| {
                    let mut p = p.clone();
                    values_mut(&mut p, key).clone().into_iter().map(move |v| view! { <input type="hidden" name=*key value=v/> })
                }).collect_view()
            })}
            <label class="visually-hidden" for="catalog-sort">"Sort by"</label>
            // Without the WASM the Search button applies the order; with it, choosing is enough.
            <select id="catalog-sort" name="sort" on:change=move |ev| {
                let mut next = params.get_untracked();
                next.sort = Some(event_target_value(&ev)).filter(|s| !s.is_empty());
                next.offset = None;
                navigate(&href(&next), Default::default());
            }>
                {move || {
                    let current = params.with(|p| p.sort.clone().unwrap_or_default());
                    [("", "Best match"), ("name", "Name"), ("updated", "Recently updated")].into_iter().map(|(v, l)| {
                        let selected = current == v;
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()
                }}
            </select>
            <button class="button" type="submit">"Search"</button>
        </form>
        <Transition fallback=|| view! { <div class="catalog"><aside class="facets"><Skeleton rows=8/></aside><Skeleton rows=6/></div> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(results) => view! { <Results results=results params=params.get_untracked()/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(results: SearchResults, params: SearchParams) -> impl IntoView {
    let f = &results.facets;
    let facets: Vec<(&str, &str, Vec<FacetValue>)> = vec![
        ("domain", "Domain", f.domain.clone()),
        ("team", "Team", f.team.clone()),
        ("status", "Status", f.status.clone()),
        ("type", "Type", f.product_type.clone()),
        ("classification", "Classification", f.classification.clone()),
        ("governance", "Governance", f.governance.clone()),
        ("tag", "Tag", f.tag.clone()),
    ];
    let filtered = params.q.is_some()
        || FACETS
            .iter()
            .any(|(k, _)| !values_mut(&mut params.clone(), k).is_empty());
    let total = results.total;
    let shown_from = results.offset + 1;
    let shown_to = results.offset + results.items.len();
    let prev = (results.offset > 0).then(|| {
        href(&SearchParams {
            offset: Some(results.offset.saturating_sub(PAGE)),
            ..params.clone()
        })
    });
    let next = (shown_to < total).then(|| {
        href(&SearchParams {
            offset: Some(results.offset + PAGE),
            ..params.clone()
        })
    });
    let facet_views = facets
        .into_iter()
        .filter(|(_, _, values)| !values.is_empty())
        .map(|(key, heading, values)| {
            let item = |v: FacetValue| {
                let link = toggled(&params, key, &v.value);
                let title = v.label.clone();
                view! {
                    <li class="facet-value">
                        <a href=link class:selected=v.selected aria-pressed=if v.selected { "true" } else { "false" } data-facet=key data-value=v.value.clone()>
                            <span class="check" aria-hidden="true">{if v.selected { "✓" } else { "" }}</span>
                            <span class="facet-label" title=title>{v.label}</span>
                            <span class="count">{v.count}</span>
                        </a>
                    </li>
                }
            };
            // The first few values show; the rest (and any selected among them) fold away.
            let (mut shown, mut more) = (Vec::new(), Vec::new());
            for (i, v) in values.into_iter().enumerate() {
                if i < 8 || v.selected { shown.push(v) } else { more.push(v) }
            }
            let more_count = more.len();
            view! {
                <details class="facet" open=true>
                    <summary>{heading}</summary>
                    <ul>{shown.into_iter().map(item).collect_view()}</ul>
                    {(more_count > 0).then(|| view! {
                        <details class="facet-more">
                            <summary>{format!("Show {more_count} more")}</summary>
                            <ul>{more.into_iter().map(item).collect_view()}</ul>
                        </details>
                    })}
                </details>
            }
        })
        .collect_view();
    view! {
        <div class="catalog">
            <aside class="facets" aria-label="Filters">
                {filtered.then(|| view! { <a class="clear-filters" href="/">"Clear all filters"</a> })}
                {facet_views}
            </aside>
            <section class="results" aria-label="Results">
                <p class="result-count" data-testid="result-count">
                    {if total == 0 { String::from("No data products match") } else if total == 1 { String::from("1 data product") } else { format!("{total} data products") }}
                    {(total > 0).then(|| view! { <span class="muted">{format!(" · showing {shown_from}–{shown_to}")}</span> })}
                </p>
                {if results.items.is_empty() {
                    view! {
                        <EmptyState title="Nothing found">
                            {if filtered {
                                view! { <p>"Try fewer words or remove a filter. "<a href="/">"Show all data products"</a></p> }.into_any()
                            } else {
                                view! { <p>"The mesh has no data products yet. "<a href="/register">"Register the first one"</a>" or push an ODPS document from CI."</p> }.into_any()
                            }}
                        </EmptyState>
                    }.into_any()
                } else {
                    view! {
                        <ul class="cards">
                            {results.items.into_iter().map(|card| view! { <li><ProductCardView card=card/></li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {(prev.is_some() || next.is_some()).then(|| view! {
                    <nav class="pager" aria-label="Pages">
                        {prev.map(|h| view! { <a class="button" href=h rel="prev">"← Previous"</a> })}
                        {next.map(|h| view! { <a class="button" href=h rel="next">"Next →"</a> })}
                    </nav>
                })}
            </section>
        </div>
    }
}

#[component]
pub fn ProductCardView(card: ProductCard) -> impl IntoView {
    let href = format!("/products/{}", card.id);
    let style = format!("--domain:{}", card.domain_color);
    let team_href = format!("/teams/{}", card.team_id);
    view! {
        <article class="card product-card" style=style data-product=card.id.clone()>
            <header>
                <DomainChip id=card.domain_id.clone() name=card.domain_name.clone() color=card.domain_color.clone()/>
                <StatusBadge status=card.status.clone()/>
            </header>
            <h3><a href=href>{card.name.clone()}</a></h3>
            <p class="summary" title=card.summary.clone()>{card.summary.clone()}</p>
            <div class="meta">
                <a href=team_href class="team">{card.team_name.clone()}</a>
                <span class="sep" aria-hidden="true">"·"</span>
                <TypeLabel product_type=card.product_type.clone()/>
                <span class="sep" aria-hidden="true">"·"</span>
                <span class="version" title="Version">{format!("v{}", card.version)}</span>
            </div>
            <div class="card-foot">
                <span class="ports" title="Output ports / input ports">
                    {format!("{} out · {} in", card.output_ports, card.input_ports)}
                </span>
                {card.classifications.iter().max_by_key(|c| rank(c)).cloned().map(|c| view! { <ClassificationBadge classification=c/> })}
                {card.governance.clone().map(|g| view! { <GovernanceBadge state=g/> })}
                <span class="updated">"Updated "<RelTime ts=card.updated_at.clone()/></span>
            </div>
            {(!card.tags.is_empty()).then(|| view! { <Tags tags=card.tags.clone()/> })}
        </article>
    }
}

/// A card's governance state, in words (and a mark, for those who scan by colour).
#[component]
fn GovernanceBadge(state: String) -> impl IntoView {
    let (text, title) = match state.as_str() {
        "passing" => ("✓ Policies", "Meets every policy that applies"),
        "warnings" => (
            "! Findings",
            "Some policies are not met yet (warnings, or in grace)",
        ),
        "failing" => (
            "✕ Blocking",
            "An enforced policy fails: the next publication is refused",
        ),
        _ => return None,
    };
    let class = format!("badge governance governance-{state}");
    Some(view! { <span class=class title=title data-governance=state.clone()>{text}</span> })
}

/// The most sensitive classification is the one a card shows.
fn rank(c: &str) -> u8 {
    match c {
        "restricted" => 4,
        "confidential" => 3,
        "internal" => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_links_toggle_values_and_reset_paging() {
        let p = SearchParams {
            q: Some(String::from("rev nue")),
            domain: vec![String::from("sales")],
            offset: Some(24),
            ..SearchParams::default()
        };
        assert_eq!(toggled(&p, "domain", "sales"), "/?q=rev%20nue");
        assert_eq!(
            toggled(&p, "tag", "gdpr"),
            "/?q=rev%20nue&domain=sales&tag=gdpr"
        );
        assert_eq!(href(&SearchParams::default()), "/");
    }
}
