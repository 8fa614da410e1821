//! The lineage part of a product page: its neighbourhood drawn small, when its output ports were
//! last refreshed by an observed run, and drift between what it declares and what its jobs do.

use leptos::prelude::*;
use views::{DriftFindingView, DriftView, LineageGraphView, PortFreshnessView};

use super::canvas::{LinkKind, static_svg};
use super::url::{ExplorerUrl, encode};
use crate::api::lineage::ExploreArgs;
use crate::error::UiError;
use crate::time::RelTime;

/// What the lineage part of a product page shows, read by the server with the page.
pub struct LineageParts {
    pub graph: Result<LineageGraphView, UiError>,
    pub observed: Result<(DriftView, Vec<PortFreshnessView>), UiError>,
}

/// The explorer's view of a product: its direct neighbours.
pub fn focus_args(id: &str) -> ExploreArgs {
    ExploreArgs {
        focus: format!("product:{id}"),
        ..ExploreArgs::default()
    }
}

#[component]
pub fn ProductLineage(#[prop(into)] id: String, parts: LineageParts) -> impl IntoView {
    let focus = format!("product:{id}");
    let explorer = ExplorerUrl {
        args: focus_args(&id),
        ..ExplorerUrl::default()
    };
    let base = explorer.clone();
    let link = Callback::new(move |(node, kind): (String, LinkKind)| match kind {
        LinkKind::Select => base.refocus(&node).href(),
        LinkKind::Expand => base.toggle_expand(&node).href(),
        LinkKind::ShowAll => base.show_all(&node).href(),
    });
    let impact = format!("/lineage/impact?node={}", encode(&focus));
    let LineageParts { graph, observed } = parts;
    view! {
        <section class="panel" id="lineage" data-testid="product-lineage">
            <h2>"Lineage"</h2>
            <div class="panel-actions">
                <a class="button small" href=explorer.with(|u| { u.args.upstream = Some(2); u.args.downstream = Some(2); }).href() data-testid="open-explorer">"Open in lineage explorer"</a>
                <a class="button small" href=impact>"Impact analysis"</a>
            </div>
            {match graph {
                Ok(g) if g.nodes.len() <= 1 => view! { <p class="muted">"No declared inputs or consumers yet."</p> }.into_any(),
                Ok(g) => {
                    let svg = static_svg(&g, 760.0, 400.0, &link);
                    view! { <div class="lineage-canvas compact static-canvas" inner_html=svg></div> }.into_any()
                }
                Err(e) => view! { <p class="inline-error">{e.message().to_owned()}</p> }.into_any(),
            }}
            {match observed {
                Ok((drift, fresh)) => view! { <Observed drift=drift fresh=fresh/> }.into_any(),
                Err(e) => view! { <p class="inline-error">{e.message().to_owned()}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Observed(drift: DriftView, fresh: Vec<PortFreshnessView>) -> impl IntoView {
    let any_dataset = fresh.iter().any(|p| !p.datasets.is_empty());
    view! {
        <h3>"Observed lineage"</h3>
        {if !any_dataset {
            view! { <p class="muted">"No output port names a server, so runs reported by OpenLineage cannot be matched to this product."</p> }.into_any()
        } else {
            view! {
                <ul class="freshness" data-testid="freshness">
                    {fresh.into_iter().map(|p| {
                        let dataset = p.datasets.first().cloned();
                        let explore = dataset.as_ref().map(|d| format!("/lineage?focus={}&scope=all&up=2", encode(&d.node_id)));
                        view! {
                            <li>
                                <strong>{p.port.clone()}</strong>
                                {match p.last_refresh_at.clone() {
                                    Some(at) if p.overdue => view! {
                                        <span class="overdue" data-freshness="overdue">" refreshed "<RelTime ts=at/>
                                            {format!(" — overdue: the contract promises {}", p.promised.clone().unwrap_or_default())}</span>
                                    }.into_any(),
                                    Some(at) if p.promised.is_some() => view! {
                                        <span class="ok" data-freshness="ok">" refreshed "<RelTime ts=at/>{format!(" (within {})", p.promised.clone().unwrap_or_default())}</span>
                                    }.into_any(),
                                    Some(at) => view! { <span data-freshness="no-promise">" refreshed "<RelTime ts=at/></span> }.into_any(),
                                    None if p.datasets.iter().any(|d| d.observed) => view! { <span class="muted" data-freshness="not-run">" seen, but no completed run yet"</span> }.into_any(),
                                    None => view! { <span class="muted" data-freshness="not-run">" no run observed yet"</span> }.into_any(),
                                }}
                                {dataset.map(|d| view! { <small class="muted"><code>{format!("{} · {}", d.namespace, d.name)}</code></small> })}
                                {explore.map(|h| view! { <a class="small" href=h>"jobs and datasets"</a> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {if !drift.observed {
            view! { <p class="muted small">"Drift between declared and observed inputs shows once a job is seen writing one of this product's datasets."</p> }.into_any()
        } else if drift.findings.is_empty() {
            view! { <p class="notice success" data-testid="drift-none">"The jobs writing this product ("{drift.writers.join(", ")}") read exactly what its input ports declare."</p> }.into_any()
        } else {
            view! {
                <h3>"Drift"<span class="count-pill">{drift.findings.len()}</span></h3>
                <ul class="findings all" data-testid="drift">
                    {drift.findings.into_iter().map(|f| view! { <DriftItem f=f/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn DriftItem(f: DriftFindingView) -> impl IntoView {
    let (title, severity) = match f.kind.as_str() {
        "undeclared" => ("Read but not declared", "warning"),
        "undeclared_external" => ("External source not declared", "warning"),
        "never_observed" => ("Declared but never read", "warning"),
        _ => ("Cannot be checked", "info"),
    };
    let upstream = f
        .upstream_product
        .clone()
        .map(|p| view! { <a href=format!("/products/{p}")>{p.clone()}</a> });
    view! {
        <li class=format!("finding {severity}") data-drift=f.kind.clone()>
            <span class="sev">{title}</span>
            <span>{f.message.clone()}</span>
            {upstream.map(|u| view! { <span class="where">"upstream: "{u}</span> })}
            <span class="fix">{f.fix.clone()}</span>
        </li>
    }
}
