//! The lineage graph drawn as SVG from the server's layout: nodes coloured by domain, "+N"
//! badges that expand a node, "and N more" markers, the highlighted path and search matches.
//! Panning and zooming change only the `viewBox`, so they stay smooth with a thousand nodes.
//! Every node and badge is a link, so the picture works before the WASM arrives; once hydrated,
//! links navigate in place, the mouse pans (drag) and zooms (wheel), and the keyboard does both
//! (arrows, `+`, `-`, `0`).

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use views::{GraphNodeView, LineageGraphView};

/// What a link from the picture does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Select,
    Expand,
    ShowAll,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl ViewBox {
    fn attr(&self) -> String {
        format!("{:.1} {:.1} {:.1} {:.1}", self.x, self.y, self.w, self.h)
    }

    fn zoom(&self, factor: f64, cx: f64, cy: f64) -> ViewBox {
        let w = (self.w * factor).clamp(120.0, 80_000.0);
        let f = w / self.w;
        ViewBox {
            x: cx - (cx - self.x) * f,
            y: cy - (cy - self.y) * f,
            w,
            h: self.h * f,
        }
    }

    fn pan(&self, dx: f64, dy: f64) -> ViewBox {
        ViewBox {
            x: self.x + dx,
            y: self.y + dy,
            ..*self
        }
    }
}

/// Where the picture starts: the whole drawing when it stays readable (at least 55 % scale),
/// else the highlighted path when there is one, else a window around `centre` (the selected node
/// or the focus). `width` and `height` are the expected size of the element in pixels.
pub fn initial_view(
    g: &LineageGraphView,
    centre: Option<&str>,
    width: f64,
    height: f64,
) -> ViewBox {
    const READABLE: f64 = 0.55;
    let pad = 24.0;
    let around = |x0: f64, y0: f64, x1: f64, y1: f64, least: f64| {
        let (w, h) = (x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad);
        let scale = (width / w).min(height / h).min(1.0).max(least);
        let (vw, vh) = (width / scale, height / scale);
        ViewBox {
            x: (x0 + x1) / 2.0 - vw / 2.0,
            y: (y0 + y1) / 2.0 - vh / 2.0,
            w: vw,
            h: vh,
        }
    };
    if (width / (g.width + 2.0 * pad)).min(height / (g.height + 2.0 * pad)) >= READABLE {
        return around(0.0, 0.0, g.width, g.height, READABLE);
    }
    if let Some(path) = &g.path {
        let on: Vec<&GraphNodeView> = g
            .nodes
            .iter()
            .filter(|n| path.nodes.contains(&n.id))
            .collect();
        if !on.is_empty() {
            let x0 = on
                .iter()
                .map(|n| n.x - n.width / 2.0)
                .fold(f64::INFINITY, f64::min);
            let x1 = on
                .iter()
                .map(|n| n.x + n.width / 2.0)
                .fold(f64::NEG_INFINITY, f64::max);
            let y0 = on
                .iter()
                .map(|n| n.y - n.height / 2.0)
                .fold(f64::INFINITY, f64::min);
            let y1 = on
                .iter()
                .map(|n| n.y + n.height / 2.0)
                .fold(f64::NEG_INFINITY, f64::max);
            return around(x0, y0, x1, y1, READABLE);
        }
    }
    let node = centre
        .and_then(|c| g.nodes.iter().find(|n| n.id == c))
        .or_else(|| {
            g.focus
                .as_ref()
                .and_then(|f| g.nodes.iter().find(|n| &n.id == f))
        });
    let (cx, cy) = node
        .map(|n| (n.x, n.y))
        .unwrap_or((g.width / 2.0, g.height / 2.0));
    let (w, h) = (width / 0.8, height / 0.8);
    ViewBox {
        x: cx - w / 2.0,
        y: cy - h / 2.0,
        w,
        h,
    }
}

/// A smooth route through the layout's bends: horizontal tangents at every point.
pub fn edge_path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else {
        return d;
    };
    d.push_str(&format!("M{x0:.1},{y0:.1}"));
    for w in points.windows(2) {
        let ((ax, ay), (bx, by)) = (w[0], w[1]);
        let mid = (bx - ax) / 2.0;
        d.push_str(&format!(
            " C{:.1},{ay:.1} {:.1},{by:.1} {bx:.1},{by:.1}",
            ax + mid,
            bx - mid
        ));
    }
    d
}

/// The second line of a node.
fn subtitle(n: &GraphNodeView) -> String {
    let status = n.status.clone().unwrap_or_default();
    match n.kind.as_str() {
        "product" => match &n.subtype {
            Some(t) => format!("{} · {status}", crate::components::badges::type_name(t)),
            None => status,
        },
        "port" => format!("port · {}", n.subtype.clone().unwrap_or_default()),
        "dataset" => String::from("dataset"),
        "job" => match &n.status {
            Some(s) => format!("job · {}", s.to_lowercase()),
            None => String::from("job"),
        },
        "datasetField" => n.subtype.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// An SVG `<title>` (a tooltip). Built directly, because the `view!` macro makes `title` and `a`
/// HTML elements when it cannot see an `<svg>` around them, and those do not render in a drawing.
pub fn svg_title(text: String) -> impl IntoView {
    leptos::tachys::svg::title().child(text)
}

/// An SVG link around part of a drawing (see [`svg_title`] for why it is built by hand).
pub fn svg_link<C: IntoView + 'static>(
    href: String,
    class: &'static str,
    label: Option<String>,
    on_click: impl FnMut(leptos::ev::MouseEvent) + 'static,
    children: C,
) -> impl IntoView {
    leptos::tachys::svg::a()
        .attr("href", href)
        .attr("class", class)
        .attr("aria-label", label)
        .on(leptos::ev::click, on_click)
        .child(children)
}

fn clip(text: &str, width: f64) -> String {
    let max = ((width - 26.0) / 6.8).max(4.0) as usize;
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[component]
pub fn GraphCanvas(
    graph: LineageGraphView,
    /// The selected node.
    #[prop(into)]
    selected: Signal<Option<String>>,
    /// Text whose matches are highlighted.
    #[prop(into)]
    find: Signal<String>,
    /// The link for a node and what clicking it should do.
    link: Callback<(String, LinkKind), String>,
    /// Height of the drawing area in pixels.
    #[prop(default = 620.0)]
    height: f64,
    /// A small, fixed picture (on product pages): no zoom controls.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let colours: HashMap<String, String> = graph
        .legend
        .iter()
        .map(|l| (l.domain.clone(), l.color.clone()))
        .collect();
    let start = initial_view(
        &graph,
        selected.get_untracked().as_deref(),
        if compact { 760.0 } else { 860.0 },
        height,
    );
    let vb = RwSignal::new(start);
    let path_nodes: HashSet<String> = graph
        .path
        .iter()
        .flat_map(|p| p.nodes.iter().cloned())
        .collect();
    let path_edges: HashSet<(String, String)> = graph
        .path
        .iter()
        .flat_map(|p| p.edges.iter().cloned())
        .collect();
    let has_path = !path_nodes.is_empty();
    let focus = graph.focus.clone().unwrap_or_default();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let drag = StoredValue::new(None::<(f64, f64, ViewBox)>);
    // Whether the pointer moved since it went down (then releasing it is no click).
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let moved = StoredValue::new(false);

    #[cfg(feature = "hydrate")]
    let navigate = leptos_router::hooks::use_navigate();
    // Once in the browser, the viewBox takes the element's proportions, so that a pixel is the
    // same distance across and down.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(svg) = svg_ref.get() {
            let r = svg.get_bounding_client_rect();
            if r.width() > 0.0 {
                vb.update(|v| {
                    let h = v.w * r.height() / r.width();
                    v.y += (v.h - h) / 2.0;
                    v.h = h;
                });
            }
        }
    });
    // Pixels to drawing units, and the element's corner.
    #[cfg(feature = "hydrate")]
    let metrics = move || -> Option<(f64, f64, f64)> {
        let svg = svg_ref.get_untracked()?;
        let r = svg.get_bounding_client_rect();
        (r.width() > 0.0).then(|| (vb.get_untracked().w / r.width(), r.left(), r.top()))
    };

    let on_pointer_down = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            if ev.button() != 0 {
                return;
            }
            drag.set_value(Some((
                f64::from(ev.client_x()),
                f64::from(ev.client_y()),
                vb.get_untracked(),
            )));
            moved.set_value(false);
        }
        let _ = &ev;
    };
    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        if let (Some((sx, sy, from)), Some((scale, _, _))) = (drag.get_value(), metrics()) {
            let (dx, dy) = (f64::from(ev.client_x()) - sx, f64::from(ev.client_y()) - sy);
            if dx.abs() + dy.abs() > 4.0 {
                moved.set_value(true);
                if let Some(svg) = svg_ref.get_untracked() {
                    let _ = svg.set_pointer_capture(ev.pointer_id());
                }
            }
            if moved.get_value() {
                vb.set(from.pan(-dx * scale, -dy * scale));
            }
        }
        let _ = &ev;
    };
    let on_pointer_up = move |_| drag.set_value(None);
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((scale, left, top)) = metrics() {
            ev.prevent_default();
            let v = vb.get_untracked();
            let (cx, cy) = (
                v.x + (f64::from(ev.client_x()) - left) * scale,
                v.y + (f64::from(ev.client_y()) - top) * scale,
            );
            vb.set(v.zoom((ev.delta_y() * 0.0015).exp().clamp(0.5, 2.0), cx, cy));
        }
        let _ = &ev;
    };
    let zoom_by = move |factor: f64| {
        let v = vb.get_untracked();
        vb.set(v.zoom(factor, v.x + v.w / 2.0, v.y + v.h / 2.0));
    };
    let fit = {
        let (w, h) = (graph.width, graph.height);
        move || {
            let current = vb.get_untracked();
            let aspect = current.h / current.w;
            let pad = 24.0;
            let mut width = w + 2.0 * pad;
            if (h + 2.0 * pad) / width > aspect {
                width = (h + 2.0 * pad) / aspect;
            }
            vb.set(ViewBox {
                x: w / 2.0 - width / 2.0,
                y: h / 2.0 - width * aspect / 2.0,
                w: width,
                h: width * aspect,
            });
        }
    };
    let on_key = {
        move |ev: leptos::ev::KeyboardEvent| {
            let v = vb.get_untracked();
            let step = v.w * 0.12;
            let handled = match ev.key().as_str() {
                "ArrowLeft" => {
                    vb.set(v.pan(-step, 0.0));
                    true
                }
                "ArrowRight" => {
                    vb.set(v.pan(step, 0.0));
                    true
                }
                "ArrowUp" => {
                    vb.set(v.pan(0.0, -step));
                    true
                }
                "ArrowDown" => {
                    vb.set(v.pan(0.0, step));
                    true
                }
                "+" | "=" => {
                    zoom_by(0.8);
                    true
                }
                "-" | "_" => {
                    zoom_by(1.25);
                    true
                }
                "0" => {
                    fit();
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
            }
        }
    };

    // Following a link in place once hydrated; a drag that ends on a node is not a click.
    let follow = std::rc::Rc::new(
        move |ev: leptos::ev::MouseEvent, href: String, replace: bool| {
            #[cfg(feature = "hydrate")]
            {
                ev.prevent_default();
                if moved.get_value() {
                    return;
                }
                navigate(
                    &href,
                    leptos_router::NavigateOptions {
                        replace,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
            let _ = (&ev, &href, replace);
        },
    );

    let edges = graph
        .edges
        .iter()
        .map(|e| {
            let on_path = path_edges.contains(&(e.from.clone(), e.to.clone()))
                || path_edges.contains(&(e.to.clone(), e.from.clone()));
            let class = format!(
                "ledge kind-{}{}{}{}",
                e.kind,
                if on_path { " on-path" } else { "" },
                if has_path && !on_path { " dim" } else { "" },
                if e.reversed { " reversed" } else { "" }
            );
            let (from, to) = (e.from.clone(), e.to.clone());
            let touches = move || selected.with(|s| s.as_deref().is_some_and(|s| s == from || s == to));
            view! {
                <path class=class class:touches=touches d=edge_path(&e.points) marker-end="url(#arrow)">
                    {e.label.clone().map(svg_title)}
                </path>
            }
        })
        .collect_view();

    let nodes = graph
        .nodes
        .iter()
        .map(|n| {
            let (x0, y0) = (n.x - n.width / 2.0, n.y - n.height / 2.0);
            let colour = n.domain.as_ref().and_then(|d| colours.get(d)).cloned().unwrap_or_else(|| String::from("#64748b"));
            let id = n.id.clone();
            let on_path = path_nodes.contains(&id);
            let class = format!(
                "lnode kind-{}{}{}{}",
                n.kind,
                if id == focus { " focus" } else { "" },
                if on_path { " on-path" } else { "" },
                if has_path && !on_path { " dim" } else { "" }
            );
            let label_lower = n.label.to_lowercase();
            let is_match = move || find.with(|f| { let f = f.trim().to_lowercase(); !f.is_empty() && label_lower.contains(&f) });
            let is_selected = { let id = id.clone(); move || selected.with(|s| s.as_deref() == Some(id.as_str())) };
            let title = format!("{} ({}){}", n.label, n.kind, n.domain.as_ref().map(|d| format!(" · {d}")).unwrap_or_default());
            if n.kind == "more" {
                let owner = n.more_of.clone().unwrap_or_default();
                let href = link.run((owner, LinkKind::ShowAll));
                let target = href.clone();
                let follow = follow.clone();
                let inner = view! {
                    <g class="lnode kind-more" transform=format!("translate({x0:.1},{y0:.1})") data-node=id>
                        <rect class="lnode-box" width=n.width height=n.height rx="14"/>
                        <text class="lnode-label" x=n.width / 2.0 y=n.height / 2.0 + 4.0 text-anchor="middle">{n.label.clone()}</text>
                        {svg_title(format!("Show all {} neighbours", n.more_count))}
                    </g>
                };
                return svg_link(href, "lnode-link", None, move |ev| follow(ev, target.clone(), false), inner).into_any();
            }
            let href = link.run((id.clone(), LinkKind::Select));
            let target = href.clone();
            let expand_href = link.run((id.clone(), LinkKind::Expand));
            let badge = |count: usize, left: bool| {
                let href = expand_href.clone();
                let target = href.clone();
                let follow = follow.clone();
                let cx = if left { 0.0 } else { n.width };
                (count > 0).then(|| {
                    let inner = view! {
                        <g class="lnode-badge" transform=format!("translate({cx:.1},{:.1})", n.height / 2.0)>
                            <rect x="-15" y="-9" width="30" height="18" rx="9"/>
                            <text y="4" text-anchor="middle">{format!("+{count}")}</text>
                            {svg_title(format!("{count} more {} — expand", if left { "upstream" } else { "downstream" }))}
                        </g>
                    };
                    svg_link(href, "badge-link", None, move |ev| follow(ev, target.clone(), false), inner)
                })
            };
            let sub = subtitle(n);
            let aria = title.clone();
            let tall = n.height >= 40.0;
            let follow = follow.clone();
            view! {
                <g class=class class:selected=is_selected class:match=is_match transform=format!("translate({x0:.1},{y0:.1})") style=format!("--domain:{colour}") data-node=id.clone()>
                    {svg_link(href, "lnode-link", Some(aria), move |ev| follow(ev, target.clone(), true), view! {
                        <rect class="lnode-box" width=n.width height=n.height rx="7"/>
                        <rect class="lnode-stripe" width="5" height=n.height rx="2"/>
                        <text class="lnode-label" x="14" y=if tall { 19.0 } else { n.height / 2.0 + 4.0 }>{clip(&n.label, n.width)}</text>
                        {tall.then(|| view! { <text class="lnode-sub" x="14" y="34">{clip(&sub, n.width)}</text> })}
                        {svg_title(title)}
                    })}
                    {badge(n.hidden_upstream, true)}
                    {badge(n.hidden_downstream, false)}
                </g>
            }.into_any()
        })
        .collect_view();

    let groups = graph
        .groups
        .iter()
        .map(|g| {
            view! {
                <g class="lane" style=format!("--domain:{}", g.color)>
                    <rect x=g.x y=g.y width=g.width height=g.height rx="10"/>
                    <text x=g.x + 12.0 y=g.y + 16.0>{g.name.clone()}</text>
                </g>
            }
        })
        .collect_view();

    let fit_button = fit;
    view! {
        <div class="lineage-canvas" class:compact=compact style=format!("height:{height}px")
            tabindex="0" role="application"
            aria-label="Lineage graph. Drag or use the arrow keys to pan, the wheel or + and - to zoom, 0 to fit; Tab moves between nodes."
            on:keydown=on_key>
            <svg node_ref=svg_ref class="lineage-svg" viewBox=move || vb.get().attr() preserveAspectRatio="xMidYMid meet"
                on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up on:pointerleave=on_pointer_up
                on:wheel=on_wheel data-testid="lineage-svg">
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrow-head"/>
                    </marker>
                </defs>
                <g class="lanes">{groups}</g>
                <g class="edges">{edges}</g>
                <g class="nodes">{nodes}</g>
            </svg>
            {(!compact).then(|| view! {
                <div class="canvas-controls" role="group" aria-label="Zoom">
                    <button type="button" class="icon-button" title="Zoom in (+)" aria-label="Zoom in" on:click=move |_| zoom_by(0.8)>"+"</button>
                    <button type="button" class="icon-button" title="Zoom out (-)" aria-label="Zoom out" on:click=move |_| zoom_by(1.25)>"−"</button>
                    <button type="button" class="icon-button" title="Fit the whole graph (0)" aria-label="Fit" on:click=move |_| fit_button()>"⤢"</button>
                </div>
            })}
        </div>
    }
}
