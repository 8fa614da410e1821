//! The lineage explorer (`/lineage`): pick a focus, set upstream and downstream depth, choose
//! what to look at (declared product lineage, observed datasets and jobs, both, or columns),
//! expand nodes, find nodes, highlight the path between two of them, and read the selected node
//! in the side panel.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use views::{GraphNodeView, LineageGraphView};

use super::canvas::{GraphCanvas, LinkKind};
use super::prefetch;
use super::url::{ExplorerUrl, encode};
use crate::api::lineage::ExploreArgs;
use crate::api::lineage::find_nodes;
use crate::components::icons::Icon;
use crate::components::states::{ErrorPanel, Skeleton};
use crate::error::UiError;

const SCOPES: &[(&str, &str, &str)] = &[
    (
        "products",
        "Products",
        "Declared product lineage: input ports and the ports they read",
    ),
    (
        "observed",
        "Datasets & jobs",
        "Observed lineage from OpenLineage: datasets and the jobs that read and write them",
    ),
    (
        "all",
        "Both",
        "Products and observed lineage, joined where a port is served as a dataset",
    ),
    ("columns", "Columns", "Column-level lineage of datasets"),
];

#[component]
pub fn LineagePage() -> impl IntoView {
    let query = use_query_map();
    let url = Memo::new(move |_| query.with(ExplorerUrl::from_query));
    let args = Memo::new(move |_| url.with(|u| u.args.clone()));
    let focus = Memo::new(move |_| url.with(|u| u.args.focus.clone()));
    let has_focus = Memo::new(move |_| focus.with(|f| !f.is_empty()));
    // The first drawing of a focus comes with the page (rendered on the server); a new focus
    // starts a new explorer. Every other change of the URL (expand, collapse, depth, scope, a
    // path) asks for the next drawing below and hands it to the explorer on screen, which
    // keeps its elements and rewrites only the drawing.
    let graph = Resource::new(
        move || focus.get(),
        move |focus| {
            let wanted = args.get_untracked();
            async move {
                if focus.is_empty() {
                    None
                } else {
                    // The page's first drawing travels inside the page: a value, not an `Arc`.
                    Some(prefetch::explore(wanted).await.map(Arc::unwrap_or_clone))
                }
            }
        },
    );
    let next = Next {
        graph: RwSignal::new(None),
        failed: RwSignal::new(None),
        busy: RwSignal::new(false),
        seen: StoredValue::new(Vec::new()),
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |before: Option<ExploreArgs>| {
        let now = args.get();
        if let Some(before) = before.filter(|b| *b != now) {
            // The drawing on screen is the one of `before` unless a request is still on its way.
            if !next.busy.get_untracked() {
                let shown = next.graph.get_untracked().or_else(|| {
                    graph
                        .get_untracked()
                        .flatten()
                        .and_then(Result::ok)
                        .map(Arc::new)
                });
                if let Some(shown) = shown {
                    next.remember(before.clone(), shown);
                }
            }
            next.ask(before, now.clone(), args);
        }
        now
    });
    // Only a change of the selection itself changes the classes on the drawing.
    let selected: Signal<Option<String>> =
        Memo::new(move |_| url.with(|u| u.selected.clone())).into();
    let find = RwSignal::new(url.with_untracked(|u| u.find.clone()));
    // Back and Forward ask for the drawing at once, as a click on an expand link does, unless
    // it was on screen a moment ago (see `Next::recall`).
    #[cfg(feature = "hydrate")]
    {
        let listener = window_event_listener(leptos::ev::popstate, move |_| {
            let location = window().location();
            if let (Ok(path), Ok(search)) = (location.pathname(), location.search()) {
                let href = format!("{path}{search}");
                let seen =
                    ExplorerUrl::from_href(&href).is_some_and(|u| next.recall(&u.args).is_some());
                if !seen {
                    prefetch::start(&href);
                }
            }
        });
        on_cleanup(move || listener.remove());
    }
    view! {
        <Title text="Lineage"/>
        <div class="page-header">
            <div>
                <h1>"Lineage"</h1>
                <p class="lead">"How data flows between data products, datasets and jobs — declared by input ports and observed from OpenLineage."</p>
            </div>
            <div class="header-actions">
                <a class="button" href="/mesh"><Icon name="domains"/>"Mesh map"</a>
            </div>
        </div>
        // Only choosing a focus or not rebuilds the page: other changes of the URL rewrite the
        // toolbar's links in place, and the drawing stays until the next one is ready (or, for
        // a selection, is changed in place).
        {move || {
            if !has_focus.get() {
                view! { <FocusPicker initial=query.with(|q| q.get("q").unwrap_or_default())/> }.into_any()
            } else {
                view! {
                    <Toolbar url=url find=find/>
                    <Transition fallback=|| view! { <Skeleton rows=6/> }>
                        {move || Suspend::new(async move {
                            match graph.await {
                                Some(Ok(g)) => {
                                    let first = Arc::new(g);
                                    // The latest drawing of this focus: the first until another arrives.
                                    let graph = Signal::derive(move || {
                                        next.graph
                                            .get()
                                            .filter(|g| g.focus == first.focus)
                                            .unwrap_or_else(|| first.clone())
                                    });
                                    view! { <Explorer graph=graph url=url selected=selected find=find next=next/> }.into_any()
                                }
                                Some(Err(e)) => view! { <ErrorPanel error=e/> }.into_any(),
                                None => ().into_any(),
                            }
                        })}
                    </Transition>
                }.into_any()
            }
        }}
    }
}

/// The drawings that follow the first one of a focus, as the URL changes.
#[derive(Clone, Copy)]
struct Next {
    /// The latest drawing received (of any focus: an explorer shows it only when it is of its own).
    graph: RwSignal<Option<Arc<LineageGraphView>>>,
    /// Why the latest request failed; the drawing before it stays on screen.
    failed: RwSignal<Option<UiError>>,
    /// A request is on its way.
    busy: RwSignal<bool>,
    /// The drawings of this focus recently on screen, the newest last.
    seen: StoredValue<Vec<Seen>>,
}

/// A drawing that was on screen, and when it was left.
#[derive(Clone)]
struct Seen {
    args: ExploreArgs,
    at: f64,
    graph: Arc<LineageGraphView>,
}

/// How many drawings of a focus are shown again when the URL comes back to them (Back, Forward,
/// Collapse, a depth set back), and for how long: as a browser's back-forward cache shows a page
/// as it was left, without asking the server. Anything else, or later, asks.
const SEEN_KEPT: usize = 8;
const SEEN_FOR_MS: f64 = 2.0 * 60_000.0;

#[cfg(feature = "hydrate")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(feature = "hydrate"))]
fn now_ms() -> f64 {
    0.0
}

impl Next {
    /// The URL went from `before` to `now`: another focus starts afresh (the page's resource asks
    /// for it); anything else is asked for here (the request the click started is picked up),
    /// and the answer shown if the URL still wants it when it arrives.
    #[cfg(feature = "hydrate")]
    fn ask(self, before: ExploreArgs, now: ExploreArgs, args: Memo<ExploreArgs>) {
        if before.focus != now.focus || now.focus.is_empty() {
            self.graph.set(None);
            self.failed.set(None);
            self.busy.set(false);
            self.seen.set_value(Vec::new());
            return;
        }
        // Back (or Collapse) to a view drawn a moment ago: shown as it was left.
        if let Some(seen) = self.recall(&now) {
            self.failed.set(None);
            self.busy.set(false);
            self.graph.set(Some(seen));
            return;
        }
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let reply = prefetch::explore(now.clone()).await;
            // The explorer was left, or the URL moved on and a newer request is on its way.
            if args.try_with_untracked(|a| *a == now) != Some(true) {
                return;
            }
            match reply {
                Ok(g) => {
                    self.failed.try_set(None);
                    self.graph.try_set(Some(g));
                }
                Err(e) => {
                    self.failed.try_set(Some(e));
                }
            }
            self.busy.try_set(false);
        });
    }

    /// Keeps the drawing of `args` that is being left, for when the URL comes back to it.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn remember(self, args: ExploreArgs, graph: Arc<LineageGraphView>) {
        let at = now_ms();
        self.seen.try_update_value(|seen| {
            seen.retain(|s| s.args != args && at - s.at < SEEN_FOR_MS);
            seen.push(Seen { args, at, graph });
            if seen.len() > SEEN_KEPT {
                seen.remove(0);
            }
        });
    }

    /// The drawing of `args` left within [`SEEN_FOR_MS`], if any.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn recall(self, args: &ExploreArgs) -> Option<Arc<LineageGraphView>> {
        let at = now_ms();
        self.seen
            .try_with_value(|seen| {
                seen.iter()
                    .rev()
                    .find(|s| s.args == *args && at - s.at < SEEN_FOR_MS)
                    .map(|s| s.graph.clone())
            })
            .flatten()
    }
}

/// Choosing where to start: a search over products, datasets and jobs.
#[component]
fn FocusPicker(initial: String) -> impl IntoView {
    let text = RwSignal::new(initial);
    let hits = Resource::new(
        move || text.get(),
        |q| async move {
            if q.trim().len() < 2 {
                Ok(Vec::new())
            } else {
                find_nodes(q).await
            }
        },
    );
    view! {
        <section class="panel focus-picker">
            <h2>"Where do you want to start?"</h2>
            <form method="get" action="/lineage" class="focus-form">
                <label for="focus-search">"Product, dataset or job"</label>
                <input id="focus-search" type="search" name="q" placeholder="e.g. orders, revenue, customer_360.build" autocomplete="off"
                    on:input=move |ev| text.set(event_target_value(&ev)) prop:value=move || text.get()/>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match hits.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">"Type at least two letters. You can also open the lineage of any product from its page."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="node-hits" data-testid="focus-hits">
                                {list.into_iter().map(|m| {
                                    let href = format!("/lineage?focus={}", encode(&m.id));
                                    view! {
                                        <li><a href=href><span class=format!("kind-pill kind-{}", m.kind)>{kind_name(&m.kind)}</span>{m.label}<small class="muted">{m.id}</small></a></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

pub fn kind_name(kind: &str) -> &'static str {
    match kind {
        "product" => "Product",
        "port" => "Port",
        "dataset" => "Dataset",
        "job" => "Job",
        "datasetField" => "Column",
        _ => "Node",
    }
}

/// Depth steppers, scope, grouping, search in the graph: every control a link or a GET form.
/// Built once per focus; a new URL rewrites the links and states in place (an expand changes
/// the URL, and building the toolbar again was part of the click's work).
#[component]
fn Toolbar(url: Memo<ExplorerUrl>, find: RwSignal<String>) -> impl IntoView {
    let stepper = move |label: &'static str,
                        value: fn(&ExplorerUrl) -> u32,
                        set: fn(&mut ExplorerUrl, u32)| {
        let now = move || url.with(value);
        let less = move || url.with(|u| u.with(|u| set(u, value(u).saturating_sub(1))).href());
        let more = move || url.with(|u| u.with(|u| set(u, (value(u) + 1).min(25))).href());
        view! {
            <div class="stepper-control" role="group" aria-label=label>
                <span class="control-label">{label}</span>
                <a class="icon-button" href=less aria-label=format!("{label}: fewer levels") class:disabled=move || now() == 0>"−"</a>
                <span class="stepper-value" data-testid=format!("depth-{}", label.to_lowercase())>{now}</span>
                <a class="icon-button" href=more aria-label=format!("{label}: more levels")>"+"</a>
            </div>
        }
    };
    let group = move || url.with(|u| u.args.group);
    let group_href = move || url.with(|u| u.with(|u| u.args.group = !u.args.group).href());
    let impact = move || url.with(|u| format!("/lineage/impact?node={}", encode(&u.args.focus)));
    let dot_href = move || {
        url.with(|u| {
            format!(
                "/api/v1/graph?focus={}&scope={}&upstream={}&downstream={}&format=dot",
                encode(&u.args.focus),
                u.scope(),
                u.upstream(),
                u.downstream()
            )
        })
    };
    let hidden = move || url.with(|u| u.with(|u| u.find.clear()).pairs());
    view! {
        <div class="lineage-toolbar">
            {stepper("Upstream", ExplorerUrl::upstream, |u, v| u.args.upstream = Some(v))}
            {stepper("Downstream", ExplorerUrl::downstream, |u, v| u.args.downstream = Some(v))}
            <nav class="segmented" aria-label="What to show">
                {SCOPES.iter().map(|(key, label, help)| {
                    let key: &'static str = key;
                    let href = move || url.with(|u| u.with(|u| u.args.scope = (key != "products").then(|| key.to_string())).href());
                    let current = move || url.with(|u| u.scope() == key);
                    view! { <a href=href class:current=current aria-current=move || current().then_some("page") title=*help>{*label}</a> }
                }).collect_view()}
            </nav>
            <a class="toggle" href=group_href class:on=group role="switch" aria-checked=move || group().to_string()>"Lanes by domain"</a>
            <form class="find-form" method="get" action="/lineage" role="search">
                {move || hidden().into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                <Icon name="search"/>
                <input type="search" name="find" placeholder="Find in graph" aria-label="Find in graph" data-testid="find-in-graph"
                    prop:value=move || find.get() on:input=move |ev| find.set(event_target_value(&ev))/>
            </form>
            <div class="toolbar-end">
                <a class="button small" href=impact data-testid="impact-link">"Impact analysis"</a>
                <a class="button small" href=dot_href download="lineage.dot" title="Graphviz DOT of this view"><Icon name="download"/>"DOT"</a>
            </div>
        </div>
    }
}

#[component]
fn Explorer(
    graph: Signal<Arc<LineageGraphView>>,
    url: Memo<ExplorerUrl>,
    selected: Signal<Option<String>>,
    find: RwSignal<String>,
    next: Next,
) -> impl IntoView {
    // A thousand nodes have a thousand selection links: they share all but the node's id.
    let select_prefix = Memo::new(move |_| url.with(ExplorerUrl::select_prefix));
    let link = Callback::new(move |(id, kind): (String, LinkKind)| match kind {
        LinkKind::Select => select_prefix.with_untracked(|p| format!("{p}{}", encode(&id))),
        LinkKind::Expand => url.with_untracked(|u| u.toggle_expand(&id).href()),
        LinkKind::ShowAll => url.with_untracked(|u| u.show_all(&id).href()),
    });
    let count = move || graph.with(|g| g.nodes.iter().filter(|n| n.kind != "more").count());
    // An expand seldom changes the domains shown: the legend is built again only when it does.
    let legend = Memo::new(move |_| graph.with(|g| g.legend.clone()));
    let matches = move || {
        let f = find.get().trim().to_lowercase();
        if f.is_empty() {
            return None;
        }
        Some(graph.with(|g| {
            g.nodes
                .iter()
                .filter(|n| n.label.to_lowercase().contains(&f))
                .count()
        }))
    };
    view! {
        <div class="lineage-status" aria-live="polite">
            <span data-testid="node-count">{move || match count() { 1 => String::from("1 node"), n => format!("{n} nodes") }}</span>
            {move || graph.with(|g| g.truncated).then(|| view! { <span class="notice warning">"The view stopped at the node limit; narrow the depth or the scope."</span> })}
            {move || matches().map(|m| view! { <span class="match-count" data-testid="match-count">{format!("{m} match{}", if m == 1 { "" } else { "es" })}</span> })}
            {move || graph.with(|g| g.path.as_ref().map(|p| p.edges.len())).map(|n| view! { <span class="path-info" data-testid="path-info">{match n { 1 => String::from("Path of 1 step highlighted"), n => format!("Path of {n} steps highlighted") }}</span> })}
            {move || graph.with(|g| g.path_error.clone()).map(|e| view! { <span class="notice warning" role="status">{e}</span> })}
            {move || next.failed.get().map(|e| view! { <span class="notice danger" role="alert" data-testid="explore-error">{format!("The new view could not be drawn: {e}")}</span> })}
        </div>
        <div class="lineage-body" aria-busy=move || next.busy.get().to_string()>
            <div class="lineage-main">
                <GraphCanvas graph=graph selected=selected find=find link=link/>
                <ul class="legend" aria-label="Domains">
                    {move || legend.with(|legend| legend.iter().map(|l| view! {
                        <li style=format!("--domain:{}", l.color)><span class="dot" aria-hidden="true"></span>{l.name.clone()}</li>
                    }).collect_view())}
                </ul>
            </div>
            <NodePanel url=url graph=graph selected=selected/>
        </div>
    }
}

/// The selected node: what it is, and what to do next.
#[component]
fn NodePanel(
    url: Memo<ExplorerUrl>,
    graph: Signal<Arc<LineageGraphView>>,
    selected: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <aside class="lineage-panel panel" aria-label="Selected node" data-testid="node-panel">
            {move || {
                let u = url.get();
                let chosen = selected.get().or_else(|| Some(u.args.focus.clone()));
                let node = chosen.and_then(|id| graph.with(|g| g.nodes.iter().find(|x| x.id == id).cloned()));
                match node {
                    None => view! { <p class="muted">"Select a node to see its details."</p> }.into_any(),
                    Some(n) => node_details(&u, n).into_any(),
                }
            }}
        </aside>
    }
}

fn node_details(u: &ExplorerUrl, n: GraphNodeView) -> impl IntoView + use<> {
    let expanded = u.args.expand.contains(&n.id);
    let focus_href = u.refocus(&n.id).href();
    let expand_href = u.toggle_expand(&n.id).href();
    let from_href = u
        .with(|x| {
            x.args.path_from = Some(n.id.clone());
            x.args.path_to = None;
        })
        .href();
    let to_href = u
        .args
        .path_from
        .as_ref()
        .filter(|f| **f != n.id)
        .map(|_| u.with(|x| x.args.path_to = Some(n.id.clone())).href());
    let clear_path = (u.args.path_from.is_some()).then(|| {
        u.with(|x| {
            x.args.path_from = None;
            x.args.path_to = None;
        })
        .href()
    });
    let impact = format!("/lineage/impact?node={}", encode(&n.id));
    let columns = (n.kind == "dataset").then(|| {
        u.refocus(&n.id)
            .with(|x| {
                x.args.scope = Some(String::from("columns"));
                x.args.group = true;
            })
            .href()
    });
    let is_focus = n.id == u.args.focus;
    view! {
        <div class="node-details" style=format!("--domain:{}", "var(--accent)")>
            <p class="node-kind"><span class=format!("kind-pill kind-{}", n.kind)>{kind_name(&n.kind)}</span>{is_focus.then_some(" · focus")}</p>
            <h2 data-testid="panel-title">{n.label.clone()}</h2>
            <p class="node-id"><code>{n.id.clone()}</code></p>
            <dl class="node-facts">
                {n.domain.clone().map(|d| view! { <dt>"Domain"</dt><dd><a href=format!("/domains/{d}")>{d.clone()}</a></dd> })}
                {n.team.clone().map(|t| view! { <dt>"Team"</dt><dd><a href=format!("/teams/{t}")>{t.clone()}</a></dd> })}
                {n.status.clone().map(|s| view! { <dt>{if n.kind == "job" { "Last run" } else { "Status" }}</dt><dd>{s}</dd> })}
                <dt>"Upstream"</dt><dd>{if n.hidden_upstream > 0 { format!("{} not shown", n.hidden_upstream) } else { String::from("all shown") }}</dd>
                <dt>"Downstream"</dt><dd>{if n.hidden_downstream > 0 { format!("{} not shown", n.hidden_downstream) } else { String::from("all shown") }}</dd>
            </dl>
            <div class="panel-actions">
                {n.href.clone().filter(|_| matches!(n.kind.as_str(), "product" | "port")).map(|h| view! { <a class="button small primary" href=h>"Open product page"</a> })}
                {(!is_focus).then(|| view! { <a class="button small" href=focus_href data-testid="focus-here">"Focus here"</a> })}
                {(n.hidden_upstream + n.hidden_downstream > 0 || expanded).then(|| view! {
                    <a class="button small" href=expand_href data-testid="expand-node">{if expanded { "Collapse" } else { "Expand neighbours" }}</a>
                })}
                <a class="button small" href=impact>"Impact analysis"</a>
                {columns.map(|h| view! { <a class="button small" href=h>"Column lineage"</a> })}
            </div>
            <h3>"Path"</h3>
            <div class="panel-actions">
                <a class="button small" href=from_href data-testid="path-from">"Path from here"</a>
                {to_href.map(|h| view! { <a class="button small" href=h data-testid="path-to">"Path to here"</a> })}
                {clear_path.map(|h| view! { <a class="link-button" href=h>"Clear path"</a> })}
            </div>
            {u.args.path_from.clone().filter(|_| u.args.path_to.is_none()).map(|f| view! {
                <p class="muted small">"Path starts at "<code>{f}</code>"; select another node and choose "<em>"Path to here"</em>"."</p>
            })}
        </div>
    }
}
