//! Impact analysis (`/lineage/impact?node=…`): everything downstream of a node, with its owning
//! team, how far it is and the path to it, sortable, and downloadable as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use views::ImpactView;

use super::url::encode;
use crate::api::lineage::lineage_impact;
use crate::components::badges::StatusBadge;
use crate::components::icons::Icon;
use crate::components::states::{EmptyState, ErrorPanel, Skeleton};

#[component]
pub fn ImpactPage() -> impl IntoView {
    let query = use_query_map();
    let node = Memo::new(move |_| query.with(|q| q.get("node").unwrap_or_default()));
    let sort =
        Memo::new(move |_| query.with(|q| q.get("sort").unwrap_or_else(|| String::from("depth"))));
    // Without a node there is nothing to ask the server.
    let impact = Resource::new(
        move || node.get(),
        |node| async move {
            if node.trim().is_empty() {
                Ok(None)
            } else {
                lineage_impact(node).await.map(Some)
            }
        },
    );
    view! {
        <Title text="Impact analysis"/>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || Suspend::new(async move {
                let Some(found) = (match impact.await {
                    Ok(found) => found,
                    Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                }) else {
                    return view! {
                        <h1>"Impact analysis"</h1>
                        <EmptyState title="Choose what to analyse">
                            <p>"Impact analysis lists everything downstream of one data product, port, dataset or job. Open it from a product page (\"Impact analysis\"), or select a node in the "<a href="/lineage">"lineage explorer"</a>" and follow its impact link."</p>
                        </EmptyState>
                    }.into_any();
                };
                view! { <Impact view=found sort=sort.get()/> }.into_any()
            })}
        </Transition>
    }
}

const COLUMNS: &[(&str, &str)] = &[
    ("name", "Data product"),
    ("domain", "Domain"),
    ("team", "Owning team"),
    ("depth", "Depth"),
];

#[component]
fn Impact(view: ImpactView, sort: String) -> impl IntoView {
    let mut entries = view.entries.clone();
    match sort.as_str() {
        "name" => entries.sort_by_key(|e| e.name.to_lowercase()),
        "domain" => entries.sort_by(|a, b| {
            a.domain_name
                .cmp(&b.domain_name)
                .then(a.depth.cmp(&b.depth))
        }),
        "team" => entries.sort_by(|a, b| a.team_name.cmp(&b.team_name).then(a.depth.cmp(&b.depth))),
        _ => {}
    }
    let teams: std::collections::BTreeSet<&str> =
        view.entries.iter().map(|e| e.team_name.as_str()).collect();
    let domains: std::collections::BTreeSet<&str> = view
        .entries
        .iter()
        .map(|e| e.domain_name.as_str())
        .collect();
    let summary = format!(
        "{} downstream data product{} owned by {} team{} in {} domain{}",
        view.entries.len(),
        if view.entries.len() == 1 { "" } else { "s" },
        teams.len(),
        if teams.len() == 1 { "" } else { "s" },
        domains.len(),
        if domains.len() == 1 { "" } else { "s" },
    );
    let source = view.source.clone();
    let csv = format!("/api/v1/graph/impact?node={}&format=csv", encode(&source));
    let explorer = format!("/lineage?focus={}&down=3", encode(&source));
    let header_href =
        move |key: &str| format!("/lineage/impact?node={}&sort={key}", encode(&source));
    let mut names: std::collections::HashMap<String, String> = view
        .entries
        .iter()
        .map(|e| (e.product_id.clone(), e.name.clone()))
        .collect();
    if let Some(id) = view.source.strip_prefix("product:") {
        names.insert(id.to_owned(), view.source_label.clone());
    }
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/lineage">"Lineage"</a><span aria-hidden="true">"/"</span><span aria-current="page">"Impact analysis"</span>
        </nav>
        <div class="page-header">
            <div>
                <h1>"Impact of "{view.source_label.clone()}</h1>
                <p class="lead" data-testid="impact-summary">{summary}</p>
            </div>
            <div class="header-actions">
                <a class="button" href=explorer>"Open in explorer"</a>
                <a class="button primary" href=csv download="impact.csv" data-testid="impact-csv"><Icon name="download"/>"Export CSV"</a>
            </div>
        </div>
        {if entries.is_empty() {
            view! {
                <EmptyState title="Nothing depends on this yet">
                    <p>"No data product reads it, directly or through others. Changes here affect no one downstream."</p>
                </EmptyState>
            }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data-table impact-table" data-testid="impact-table">
                        <thead><tr>
                            {COLUMNS.iter().map(|(key, title)| {
                                let sorted = sort == *key;
                                view! { <th scope="col" aria-sort=if sorted { "ascending" } else { "none" }><a href=header_href(key) class:sorted=sorted>{*title}</a></th> }
                            }).collect_view()}
                            <th scope="col">"Status"</th>
                            <th scope="col">"Path"</th>
                        </tr></thead>
                        <tbody>
                            {entries.into_iter().map(|e| {
                                let path: Vec<String> = e.path.iter().map(|p| names.get(p).cloned().unwrap_or_else(|| p.clone())).collect();
                                view! {
                                    <tr data-product=e.product_id.clone()>
                                        <td><a href=format!("/products/{}", e.product_id)>{e.name.clone()}</a>
                                            {e.observed.then(|| view! { <span class="badge observed" title="Found through observed lineage (OpenLineage), not only declared input ports">"observed"</span> })}
                                        </td>
                                        <td style=format!("--domain:{}", e.domain_color)><span class="dot" aria-hidden="true"></span>{e.domain_name.clone()}</td>
                                        <td>{e.team_id.clone().map(|t| view! { <a href=format!("/teams/{t}")>{e.team_name.clone()}</a> })}</td>
                                        <td class="num">{e.depth}</td>
                                        <td>{e.status.clone().map(|s| view! { <StatusBadge status=s/> })}</td>
                                        <td class="path-cell" title=path.join(" → ")>{path.join(" → ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
