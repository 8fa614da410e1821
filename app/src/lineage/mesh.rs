//! The mesh map (`/mesh`): domains as nodes, the flows of data between them as arrows whose
//! width grows with the number of product pairs behind them. Declared flows are solid, flows only
//! observed in OpenLineage are dashed; every arrow and domain says its numbers on hover, and the
//! table below lists them all.

use leptos::prelude::*;
use leptos_meta::Title;
use views::DomainMapView;

use super::canvas::{edge_path, svg_link, svg_title};
use crate::api::lineage::mesh_map;
use crate::components::states::{EmptyState, ErrorPanel, Skeleton};

#[component]
pub fn MeshMapPage() -> impl IntoView {
    let map = Resource::new(|| (), |_| mesh_map());
    view! {
        <Title text="Mesh map"/>
        <div class="page-header">
            <div>
                <h1>"Mesh map"</h1>
                <p class="lead">"The domains of the mesh and the data flowing between them."</p>
            </div>
            <div class="header-actions"><a class="button" href="/lineage">"Lineage explorer"</a></div>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || Suspend::new(async move {
                match map.await {
                    Ok(m) if m.domains.is_empty() => view! {
                        <EmptyState title="No domains with data products yet">
                            <p><a href="/register">"Register a data product"</a>" and the map draws itself."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(m) => view! { <MeshMap map=m/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MeshMap(map: DomainMapView) -> impl IntoView {
    let names: std::collections::HashMap<String, (String, String)> = map
        .domains
        .iter()
        .map(|d| (d.id.clone(), (d.name.clone(), d.color.clone())))
        .collect();
    let name = |id: &str| {
        names
            .get(id)
            .map(|n| n.0.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let max = map.flows.iter().map(|f| f.count).max().unwrap_or(1).max(1) as f64;
    let mut flows = map.flows.clone();
    flows.sort_by(|a, b| b.count.cmp(&a.count).then(a.from.cmp(&b.from)));
    let arrows = map
        .flows
        .iter()
        .map(|f| {
            let width = 1.5 + 5.5 * (f.count as f64).ln_1p() / max.ln_1p();
            let mid = f.points.get(f.points.len() / 2).copied().or(f.points.first().copied()).unwrap_or((0.0, 0.0));
            let title = format!(
                "{} → {}: {} product pair{} ({} declared, {} only observed){}",
                name(&f.from), name(&f.to), f.count, if f.count == 1 { "" } else { "s" }, f.declared, f.observed_only,
                if f.examples.is_empty() { String::new() } else {
                    format!("\n{}", f.examples.iter().map(|(a, b)| format!("{a} → {b}")).collect::<Vec<_>>().join("\n"))
                }
            );
            let colour = names.get(&f.from).map(|n| n.1.clone()).unwrap_or_default();
            view! {
                <g class="flow" class:observed-only=f.declared == 0 style=format!("--domain:{colour}")>
                    <path d=edge_path(&f.points) stroke-width=format!("{width:.1}") marker-end="url(#flow-arrow)"/>
                    <g class="flow-count" transform=format!("translate({:.1},{:.1})", mid.0, mid.1)>
                        <circle r="11"/>
                        <text y="4" text-anchor="middle">{f.count}</text>
                    </g>
                    {svg_title(title)}
                </g>
            }
        })
        .collect_view();
    let domains = map
        .domains
        .iter()
        .map(|d| {
            let (x, y) = (d.x - d.width / 2.0, d.y - d.height / 2.0);
            let inner = view! {
                <g class="mesh-domain" transform=format!("translate({x:.1},{y:.1})") style=format!("--domain:{}", d.color) data-domain=d.id.clone()>
                    <rect width=d.width height=d.height rx="12"/>
                    <rect class="stripe" width="6" height=d.height rx="3"/>
                    <text class="name" x="18" y="27">{d.name.clone()}</text>
                    <text class="stats" x="18" y="47">{format!("{} products · {} internal flows", d.products, d.internal_flows)}</text>
                    {svg_title(format!("{}: {} data products, {} flows inside the domain", d.name, d.products, d.internal_flows))}
                </g>
            };
            svg_link(format!("/domains/{}", d.id), "mesh-domain-link", Some(d.name.clone()), |_| {}, inner)
        })
        .collect_view();
    view! {
        <section class="panel mesh-panel">
            <svg class="mesh-svg" viewBox=format!("0 0 {:.0} {:.0}", map.width, map.height) role="img" aria-label="Domains and the flows of data between them" data-testid="mesh-map">
                <defs>
                    <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrow-head"/>
                    </marker>
                </defs>
                <g>{arrows}</g>
                <g>{domains}</g>
            </svg>
            <p class="legend-line muted small"><span class="line-sample"></span>" declared by input ports "<span class="line-sample dashed"></span>" only observed in OpenLineage · the number is how many product pairs exchange data"</p>
        </section>
        <section class="panel">
            <h2>"Flows between domains"<span class="count-pill">{flows.len()}</span></h2>
            {if flows.is_empty() {
                view! { <p class="muted">"Every domain only uses its own data so far."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table" data-testid="flow-table">
                            <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Product pairs"</th><th scope="col">"Declared"</th><th scope="col">"Only observed"</th><th scope="col">"For example"</th></tr></thead>
                            <tbody>
                                {flows.into_iter().map(|f| {
                                    let example = f.examples.first().map(|(a, b)| view! {
                                        <a href=format!("/products/{a}")>{a.clone()}</a>" → "<a href=format!("/products/{b}")>{b.clone()}</a>
                                    });
                                    view! {
                                        <tr>
                                            <td><a href=format!("/domains/{}", f.from)>{name(&f.from)}</a></td>
                                            <td><a href=format!("/domains/{}", f.to)>{name(&f.to)}</a></td>
                                            <td class="num">{f.count}</td>
                                            <td class="num">{f.declared}</td>
                                            <td class="num">{f.observed_only}</td>
                                            <td>{example}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
