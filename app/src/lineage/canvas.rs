//! The lineage graph drawn as SVG from the server's layout: nodes coloured by domain, "+N"
//! badges that expand a node, "and N more" markers, the highlighted path and search matches.
//! Panning and zooming change only the `viewBox`, so they stay smooth with a thousand nodes.
//! Every node and badge is a link, so the picture works before the WASM arrives; once hydrated,
//! links navigate in place, the mouse pans (drag) and zooms (wheel), and the keyboard does both
//! (arrows, `+`, `-`, `0`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::markup::escape as esc;
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
        format!(
            "{} {} {} {}",
            Tenths(self.x),
            Tenths(self.y),
            Tenths(self.w),
            Tenths(self.h)
        )
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

/// The part of the drawing that is in the DOM: the view and a quarter of its size around it, so
/// that panning does not reach its edge at once. A thousand nodes spread over a drawing many screens
/// tall are mostly off screen; only those near the view cost the browser parsing, layout and
/// paint, and moving out of the region draws the next one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// How far the drawn region reaches beyond the view, in views: a quarter of a view on every side
/// (2.25 views' area in the DOM; half a view, 4 views' area, made every expand's style, layout
/// and paint nearly twice as long, and panning rarely needs more than a quarter view at once).
const MARGIN: f64 = 0.25;

impl Region {
    pub fn around(v: &ViewBox) -> Region {
        Region {
            x0: v.x - MARGIN * v.w,
            y0: v.y - MARGIN * v.h,
            x1: v.x + (1.0 + MARGIN) * v.w,
            y1: v.y + (1.0 + MARGIN) * v.h,
        }
    }

    /// Whether the view still fits, and the region is not much larger than it (after zooming
    /// in, a smaller region keeps the DOM small).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn holds(&self, v: &ViewBox) -> bool {
        v.x >= self.x0
            && v.y >= self.y0
            && v.x + v.w <= self.x1
            && v.y + v.h <= self.y1
            && self.x1 - self.x0 <= 4.0 * v.w
    }

    fn meets(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> bool {
        x1 >= self.x0 && x0 <= self.x1 && y1 >= self.y0 && y0 <= self.y1
    }

    fn node(&self, n: &GraphNodeView) -> bool {
        self.meets(
            n.x - n.width / 2.0 - 16.0,
            n.y - n.height / 2.0,
            n.x + n.width / 2.0 + 16.0,
            n.y + n.height / 2.0,
        )
    }

    /// Whether a part of the route passes through the region. Each piece between two bends is
    /// a curve with horizontal tangents, inside the box of its two ends; the box of the whole
    /// route would let every long edge across the drawing in (290 drawn edges for 72 drawn nodes
    /// before).
    fn edge(&self, points: &[(f64, f64)]) -> bool {
        match points {
            [] => false,
            [(x, y)] => self.meets(*x, *y, *x, *y),
            _ => points.windows(2).any(|w| {
                let ((ax, ay), (bx, by)) = (w[0], w[1]);
                self.meets(ax.min(bx), ay.min(by), ax.max(bx), ay.max(by))
            }),
        }
    }
}

/// The smallest scale at which a whole drawing is shown at once.
const READABLE: f64 = 0.55;

/// Whether the whole drawing fits `width` × `height` pixels at a readable scale.
fn whole_is_readable(g: &LineageGraphView, width: f64, height: f64) -> bool {
    let pad = 24.0;
    (width / (g.width + 2.0 * pad)).min(height / (g.height + 2.0 * pad)) >= READABLE
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
    if whole_is_readable(g, width, height) {
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

/// A coordinate written to a tenth of a pixel ("12.5", "12" for 12.0, "-3.2"), with integer
/// formatting: the drawing's markup has a few thousand of them, and formatting floats with a
/// precision was a good part of writing it in the browser.
#[derive(Clone, Copy)]
pub struct Tenths(pub f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = (self.0 * 10.0).round();
        // Beyond this the layout has gone wrong; written as it is rather than wrapped around.
        if !t.is_finite() || t.abs() > 1e15 {
            return write!(f, "{:.1}", self.0);
        }
        let t = t as i64;
        let a = t.unsigned_abs();
        if t < 0 {
            f.write_str("-")?;
        }
        write!(f, "{}", a / 10)?;
        match a % 10 {
            0 => Ok(()),
            d => write!(f, ".{d}"),
        }
    }
}

/// A smooth route through the layout's bends: horizontal tangents at every point.
pub fn edge_path(points: &[(f64, f64)]) -> String {
    use std::fmt::Write;
    let mut d = String::with_capacity(16 + 40 * points.len());
    let Some(&(x0, y0)) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", Tenths(x0), Tenths(y0));
    for w in points.windows(2) {
        let ((ax, ay), (bx, by)) = (w[0], w[1]);
        let mid = (bx - ax) / 2.0;
        let _ = write!(
            d,
            " C{},{} {},{} {},{}",
            Tenths(ax + mid),
            Tenths(ay),
            Tenths(bx - mid),
            Tenths(by),
            Tenths(bx),
            Tenths(by)
        );
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

/// Text cut to the room it has: `room` pixels, at about `per_char` pixels a character (measured
/// on DejaVu Sans, the widest of the usual fallbacks, so that text never runs into a badge).
fn clip(text: &str, room: f64, per_char: f64) -> String {
    let max = (room / per_char).max(4.0) as usize;
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The picture's nodes and edges as SVG markup. A thousand nodes are a few thousand elements;
/// written as one string they render at once, on the server and in the browser alike, instead
/// of as thousands of reactive views. Selection and matches are classes that change in place.
struct Drawing {
    /// Tooltips (`<title>`) written into the markup. The explorer leaves them out and adds one
    /// when the pointer first rests on an element ([`add_title`]): they were 430 of the 1,420
    /// elements a redraw parsed.
    titles: bool,
    selected: Option<String>,
    find: String,
    focus: String,
    path_nodes: HashSet<String>,
    path_edges: HashSet<(String, String)>,
    colours: HashMap<String, String>,
}

impl Drawing {
    /// How `g` is drawn with `selected` selected and matches of `find` (lower case) marked.
    fn of(g: &LineageGraphView, selected: Option<String>, find: String) -> Drawing {
        Drawing {
            titles: false,
            selected,
            find,
            focus: g.focus.clone().unwrap_or_default(),
            path_nodes: g
                .path
                .iter()
                .flat_map(|p| p.nodes.iter().cloned())
                .collect(),
            path_edges: g
                .path
                .iter()
                .flat_map(|p| p.edges.iter().cloned())
                .collect(),
            colours: g
                .legend
                .iter()
                .map(|l| (l.domain.clone(), l.color.clone()))
                .collect(),
        }
    }

    /// The domain lanes behind the nodes.
    fn lanes(g: &LineageGraphView) -> String {
        let mut out = String::new();
        for lane in &g.groups {
            out.push_str(&format!(
                "<g class=\"lane\" style=\"--domain:{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
                esc(&lane.color),
                Tenths(lane.x),
                Tenths(lane.y),
                Tenths(lane.width),
                Tenths(lane.height),
                Tenths(lane.x + 12.0),
                Tenths(lane.y + 16.0),
                esc(&lane.name)
            ));
        }
        out
    }

    fn edges(&self, g: &LineageGraphView, region: &Region) -> String {
        let has_path = !self.path_nodes.is_empty();
        let mut out = String::with_capacity(g.edges.len() * 160);
        for e in g.edges.iter().filter(|e| region.edge(&e.points)) {
            let on_path = has_path
                && (self.path_edges.contains(&(e.from.clone(), e.to.clone()))
                    || self.path_edges.contains(&(e.to.clone(), e.from.clone())));
            let touches = self
                .selected
                .as_deref()
                .is_some_and(|s| s == e.from || s == e.to);
            out.push_str(&format!(
                "<path class=\"ledge kind-{}{}{}{}{}\" data-from=\"{}\" data-to=\"{}\" d=\"{}\" marker-end=\"url(#arrow)\"",
                esc(&e.kind),
                if on_path { " on-path" } else { "" },
                if has_path && !on_path { " dim" } else { "" },
                if e.reversed { " reversed" } else { "" },
                if touches { " touches" } else { "" },
                esc(&e.from),
                esc(&e.to),
                edge_path(&e.points)
            ));
            match &e.label {
                Some(l) if self.titles => {
                    out.push_str(&format!("><title>{}</title></path>", esc(l)));
                }
                Some(l) => out.push_str(&format!(" data-title=\"{}\"/>", esc(l))),
                None => out.push_str("/>"),
            }
        }
        out
    }

    fn nodes(
        &self,
        g: &LineageGraphView,
        region: &Region,
        link: &Callback<(String, LinkKind), String>,
    ) -> String {
        let has_path = !self.path_nodes.is_empty();
        let mut out = String::with_capacity(g.nodes.len() * 700);
        for n in g.nodes.iter().filter(|n| region.node(n)) {
            let (x0, y0) = (n.x - n.width / 2.0, n.y - n.height / 2.0);
            let id = esc(&n.id);
            if n.kind == "more" {
                let href = link.run((n.more_of.clone().unwrap_or_default(), LinkKind::ShowAll));
                out.push_str(&format!(
                    "<a href=\"{}\" class=\"more-link\"><g class=\"lnode kind-more\" transform=\"translate({x0},{y0})\" data-node=\"{id}\">\
                     <rect class=\"lnode-box\" width=\"{w}\" height=\"{h}\" rx=\"14\"/>\
                     <text class=\"lnode-label\" x=\"{cx}\" y=\"{cy}\" text-anchor=\"middle\">{label}</text>\
                     <title>Show all {count} neighbours</title></g></a>",
                    esc(&href),
                    x0 = Tenths(x0),
                    y0 = Tenths(y0),
                    w = Tenths(n.width),
                    h = Tenths(n.height),
                    cx = Tenths(n.width / 2.0),
                    cy = Tenths(n.height / 2.0 + 4.0),
                    label = esc(&n.label),
                    count = n.more_count,
                ));
                continue;
            }
            let colour = n
                .domain
                .as_ref()
                .and_then(|d| self.colours.get(d))
                .map(String::as_str)
                .unwrap_or("#64748b");
            let on_path = self.path_nodes.contains(&n.id);
            let label_lower = n.label.to_lowercase();
            let classes = format!(
                "lnode kind-{}{}{}{}{}{}",
                esc(&n.kind),
                if n.id == self.focus { " focus" } else { "" },
                if on_path { " on-path" } else { "" },
                if has_path && !on_path { " dim" } else { "" },
                if self.selected.as_deref() == Some(n.id.as_str()) {
                    " selected"
                } else {
                    ""
                },
                if !self.find.is_empty() && label_lower.contains(&self.find) {
                    " match"
                } else {
                    ""
                },
            );
            let title = format!(
                "{} ({}){}",
                n.label,
                n.kind,
                n.domain
                    .as_ref()
                    .map(|d| format!(" · {d}"))
                    .unwrap_or_default()
            );
            let tall = n.height >= 40.0;
            // The text starts after the stripe and stops short of a "+N" badge on the right.
            let room = n.width - 26.0 - if n.hidden_downstream > 0 { 14.0 } else { 0.0 };
            let label_y = if tall { 19.0 } else { n.height / 2.0 + 4.0 };
            out.push_str(&format!(
                "<g class=\"{classes}\" transform=\"translate({x0},{y0})\" style=\"--domain:{}\" data-node=\"{id}\" data-label=\"{}\">\
                 <a href=\"{}\" class=\"lnode-link\" aria-label=\"{}\">\
                 <rect class=\"lnode-box\" width=\"{w}\" height=\"{h}\" rx=\"7\"/><rect class=\"lnode-stripe\" width=\"5\" height=\"{h}\" rx=\"2\"/>\
                 <text class=\"lnode-label\" x=\"14\" y=\"{label_y}\">{}</text>",
                esc(colour),
                esc(&label_lower),
                esc(&link.run((n.id.clone(), LinkKind::Select))),
                esc(&title),
                esc(&clip(&n.label, room, 8.0)),
                x0 = Tenths(x0),
                y0 = Tenths(y0),
                label_y = Tenths(label_y),
                w = Tenths(n.width),
                h = Tenths(n.height),
            ));
            if tall {
                out.push_str(&format!(
                    "<text class=\"lnode-sub\" x=\"14\" y=\"34\">{}</text>",
                    esc(&clip(&subtitle(n), room, 6.6))
                ));
            }
            if self.titles {
                out.push_str(&format!("<title>{}</title>", esc(&title)));
            }
            out.push_str("</a>");
            for (count, left) in [(n.hidden_upstream, true), (n.hidden_downstream, false)] {
                if count == 0 {
                    continue;
                }
                let cx = if left { 0.0 } else { n.width };
                let what = format!(
                    "{count} more {} — expand",
                    if left { "upstream" } else { "downstream" }
                );
                out.push_str(&format!(
                    "<a href=\"{}\" class=\"badge-link\" aria-label=\"{what}\"><g class=\"lnode-badge\" transform=\"translate({},{})\">\
                     <rect x=\"-15\" y=\"-9\" width=\"30\" height=\"18\" rx=\"9\"/><text y=\"4\" text-anchor=\"middle\">+{count}</text>{}</g></a>",
                    esc(&link.run((n.id.clone(), LinkKind::Expand))),
                    Tenths(cx),
                    Tenths(n.height / 2.0),
                    if self.titles {
                        format!("<title>{what}</title>")
                    } else {
                        String::new()
                    },
                ));
            }
            out.push_str("</g>");
        }
        out
    }
}

/// The tooltip of the edge, node or badge under the pointer, added the first time the pointer
/// comes over it (the explorer's markup leaves tooltips out, see [`Drawing::titles`]): an edge's
/// label, or the link's accessible name.
#[cfg(feature = "hydrate")]
fn add_title(ev: &leptos::ev::PointerEvent) {
    use wasm_bindgen::JsCast;
    let Some(host) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| {
            el.closest("path[data-title], a.lnode-link, a.badge-link")
                .ok()
                .flatten()
        })
    else {
        return;
    };
    if host
        .query_selector(":scope > title")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let (Some(text), Some(document)) = (
        host.get_attribute("data-title")
            .or_else(|| host.get_attribute("aria-label")),
        host.owner_document(),
    ) else {
        return;
    };
    if let Ok(title) = document.create_element_ns(Some("http://www.w3.org/2000/svg"), "title") {
        title.set_text_content(Some(&text));
        let _ = host.append_child(&title);
    }
}

/// `text` as a quoted CSS string, for an attribute selector.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // Control characters cannot appear escaped by a backslash alone.
            c if c.is_control() => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The smallest scale a static picture is drawn at: below it the labels are too small to read,
/// and the picture scrolls instead.
const STATIC_READABLE: f64 = 0.7;

/// A whole neighbourhood as one SVG element, for pages that show lineage without the explorer's
/// code (a product page): drawn on the server, the whole of it in `width` × `height` pixels when it
/// stays readable, otherwise at the smallest readable scale, its container scrolling. Its
/// links are plain `<a href>`s; `link` makes them as [`GraphCanvas`] does.
pub fn static_svg(
    graph: &LineageGraphView,
    width: f64,
    height: f64,
    link: &Callback<(String, LinkKind), String>,
) -> String {
    let pad = 24.0;
    let (gw, gh) = (graph.width + 2.0 * pad, graph.height + 2.0 * pad);
    let scale = (width / gw).min(height / gh).clamp(STATIC_READABLE, 1.0);
    let (pw, ph) = (gw * scale, gh * scale);
    let drawing = Drawing {
        titles: true,
        ..Drawing::of(graph, None, String::new())
    };
    let everything = Region {
        x0: f64::NEG_INFINITY,
        y0: f64::NEG_INFINITY,
        x1: f64::INFINITY,
        y1: f64::INFINITY,
    };
    let mut out = format!(
        "<svg class=\"lineage-static\" width=\"{pw:.0}\" height=\"{ph:.0}\" viewBox=\"{:.1} {:.1} {gw:.1} {gh:.1}\" \
         role=\"group\" aria-label=\"Lineage of {}: {} nodes\" data-testid=\"lineage-svg\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" \
         markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow-head\"/></marker></defs><g class=\"lanes\">",
        -pad,
        -pad,
        esc(graph.focus.as_deref().unwrap_or_default()),
        graph.nodes.len(),
    );
    out.push_str(&Drawing::lanes(graph));
    out.push_str("</g><g class=\"edges\">");
    out.push_str(&drawing.edges(graph, &everything));
    out.push_str("</g><g class=\"nodes\">");
    out.push_str(&drawing.nodes(graph, &everything, link));
    out.push_str("</g></svg>");
    out
}

/// Where a drawing starts when it replaces one of the same focus (an expand, a collapse, another
/// depth) and is too large to be shown whole: the selected node (an expand selects the node it
/// expands), else the node nearest the middle of the old view, stays where it was on screen, so
/// what someone was looking at stays in front of them. `None` when the drawing starts afresh
/// ([`initial_view`]).
pub fn continued_view(
    previous: &LineageGraphView,
    v: ViewBox,
    next: &LineageGraphView,
    selected: Option<&str>,
    width: f64,
    height: f64,
) -> Option<ViewBox> {
    if previous.focus != next.focus || whole_is_readable(next, width, height) {
        return None;
    }
    let (cx, cy) = (v.x + v.w / 2.0, v.y + v.h / 2.0);
    let now: HashMap<&str, (f64, f64)> = next
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), (n.x, n.y)))
        .collect();
    let distance = |n: &GraphNodeView| {
        if Some(n.id.as_str()) == selected {
            -1.0
        } else {
            (n.x - cx).powi(2) + (n.y - cy).powi(2)
        }
    };
    let (was, (x, y)) = previous
        .nodes
        .iter()
        .filter(|n| n.kind != "more")
        .filter_map(|n| now.get(n.id.as_str()).map(|&p| (n, p)))
        .min_by(|(a, _), (b, _)| distance(a).total_cmp(&distance(b)))?;
    Some(v.pan(x - was.x, y - was.y))
}

#[component]
pub fn GraphCanvas(
    /// The drawing; when another arrives, the canvas keeps its elements and rewrites the drawing.
    #[prop(into)]
    graph: Signal<Arc<LineageGraphView>>,
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
    let first = graph.get_untracked();
    let width = if compact { 760.0 } else { 860.0 };
    let start = initial_view(&first, selected.get_untracked().as_deref(), width, height);
    let vb = RwSignal::new(start);
    let drawing = Drawing::of(
        &first,
        selected.get_untracked(),
        find.get_untracked().trim().to_lowercase(),
    );
    let region = Region::around(&start);
    // The lanes, edges and nodes as markup, each written into its group.
    let markup = RwSignal::new((
        Drawing::lanes(&first),
        drawing.edges(&first, &region),
        drawing.nodes(&first, &region, &link),
    ));
    // What is drawn: the drawing, how, and the part of it in the DOM.
    let drawn = StoredValue::new(first);
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let drawing = StoredValue::new(drawing);
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let region = StoredValue::new(region);
    // Redraws the region around `view` of the drawing as it is now, with the selection and
    // matches as they are now.
    #[cfg(feature = "hydrate")]
    let redraw = move |view: &ViewBox| {
        let next = Region::around(view);
        region.set_value(next);
        drawing.update_value(|d| {
            d.selected = selected.get_untracked();
            d.find = find.get_untracked().trim().to_lowercase();
        });
        let written = drawn.with_value(|g| {
            drawing.with_value(|d| {
                (
                    Drawing::lanes(g),
                    d.edges(g, &next),
                    d.nodes(g, &next, &link),
                )
            })
        });
        markup.set(written);
    };
    // Another drawing (an expand, a collapse, another depth): written into the same elements,
    // shown from where the one before was looked at when that is possible.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let next = graph.get();
        if drawn.with_value(|g| Arc::ptr_eq(g, &next)) {
            return;
        }
        let chosen = selected.get_untracked();
        let before = vb.get_untracked();
        let start = drawn
            .with_value(|g| continued_view(g, before, &next, chosen.as_deref(), width, height))
            .unwrap_or_else(|| initial_view(&next, chosen.as_deref(), width, height));
        drawing.set_value(Drawing::of(&next, chosen, String::new()));
        drawn.set_value(next);
        redraw(&start);
        vb.set(start);
    });
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let drag = StoredValue::new(None::<(f64, f64, ViewBox)>);
    // Whether the pointer moved since it went down (then releasing it is no click).
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let moved = StoredValue::new(false);

    #[cfg(feature = "hydrate")]
    let navigate = leptos_router::hooks::use_navigate();
    // The element's width in pixels, as last measured (measured only while handling input, when
    // reading it costs nothing; reading it right after drawing would force a second layout).
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let pixel_width = StoredValue::new(if compact { 760.0 } else { 860.0 });
    // Drawing units per pixel and the drawing point at the element's top-left corner. The
    // viewBox keeps its own proportions: `meet` fits it inside the element and centres it.
    #[cfg(feature = "hydrate")]
    let metrics = move || -> Option<(f64, f64, f64, f64, f64)> {
        let svg = svg_ref.get_untracked()?;
        let r = svg.get_bounding_client_rect();
        if r.width() <= 0.0 || r.height() <= 0.0 {
            return None;
        }
        pixel_width.set_value(r.width());
        let v = vb.get_untracked();
        let scale = (v.w / r.width()).max(v.h / r.height());
        let x0 = v.x - (r.width() * scale - v.w) / 2.0;
        let y0 = v.y - (r.height() * scale - v.h) / 2.0;
        Some((scale, x0, y0, r.left(), r.top()))
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
        if let (Some((sx, sy, from)), Some((scale, ..))) = (drag.get_value(), metrics()) {
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
    let on_pointer_over = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        add_title(&ev);
        let _ = &ev;
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((scale, x0, y0, left, top)) = metrics() {
            ev.prevent_default();
            let v = vb.get_untracked();
            let (cx, cy) = (
                x0 + (f64::from(ev.client_x()) - left) * scale,
                y0 + (f64::from(ev.client_y()) - top) * scale,
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
        move || {
            let (w, h) = drawn.with_value(|g| (g.width, g.height));
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

    // One click handler for the whole drawing: a link inside it is followed in place once
    // hydrated (the picture keeps its pan and zoom), and a drag that ends on a node is no click.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let link = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten());
            if let Some(link) = link {
                ev.prevent_default();
                if moved.get_value() {
                    return;
                }
                let href = link.get_attribute("href").unwrap_or_default();
                // Selecting replaces the history entry; expanding adds one, so Back collapses.
                let replace = link.class_list().contains("lnode-link");
                if !replace {
                    // Expanding asks for a new drawing: ask now, before the router reacts.
                    super::prefetch::start(&href);
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
        }
        let _ = &ev;
    };
    // Selection and matches change classes in place: the thousand nodes are not drawn again.
    // A new selection touches only the elements it concerns (found by attribute), so that the
    // click of an expand, which also selects, does not read every drawn element's attributes.
    #[cfg(feature = "hydrate")]
    let each = move |selector: &str, f: &dyn Fn(&web_sys::Element)| {
        let Some(svg) = svg_ref.get_untracked() else {
            return;
        };
        if let Ok(list) = svg.query_selector_all(selector) {
            for i in 0..list.length() {
                if let Some(el) = list
                    .item(i)
                    .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                {
                    f(&el);
                }
            }
        }
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let chosen = selected.get();
        if svg_ref.get().is_none() {
            return;
        }
        each("g.lnode.selected", &|el| {
            let _ = el.class_list().remove_1("selected");
        });
        each("path.ledge.touches", &|el| {
            let _ = el.class_list().remove_1("touches");
        });
        if let Some(id) = chosen {
            let id = css_string(&id);
            each(&format!("g.lnode[data-node={id}]"), &|el| {
                let _ = el.class_list().add_1("selected");
            });
            each(
                &format!("path.ledge[data-from={id}], path.ledge[data-to={id}]"),
                &|el| {
                    let _ = el.class_list().add_1("touches");
                },
            );
        }
    });
    #[cfg(feature = "hydrate")]
    Effect::new(move |before: Option<String>| {
        let text = find.get().trim().to_lowercase();
        if svg_ref.get().is_none() || before.as_ref() == Some(&text) {
            return text;
        }
        each("g.lnode", &|el| {
            let label = el.get_attribute("data-label").unwrap_or_default();
            let _ = el
                .class_list()
                .toggle_with_force("match", !text.is_empty() && label.contains(&text));
        });
        text
    });

    // Too small to read: the labels are left out of layout and paint.
    let far = move || vb.with(|v| v.w / pixel_width.get_value() > 2.2);

    // Panning or zooming out of the drawn region draws the region around the new view.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let v = vb.get();
        if !region.with_value(|r| r.holds(&v)) {
            redraw(&v);
        }
    });

    let fit_button = fit;
    view! {
        <div class="lineage-canvas" class:compact=compact style=format!("height:{height}px")
            tabindex="0" role="application"
            aria-label="Lineage graph. Drag or use the arrow keys to pan, the wheel or + and - to zoom, 0 to fit; Tab moves between nodes."
            on:keydown=on_key>
            <svg node_ref=svg_ref class="lineage-svg" class:far=far viewBox=move || vb.get().attr() preserveAspectRatio="xMidYMid meet"
                on:click=on_click on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up on:pointerleave=on_pointer_up
                on:wheel=on_wheel on:pointerover=on_pointer_over data-testid="lineage-svg">
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrow-head"/>
                    </marker>
                </defs>
                <g class="lanes" inner_html=move || markup.with(|m| m.0.clone())></g>
                <g class="edges" inner_html=move || markup.with(|m| m.1.clone())></g>
                <g class="nodes" inner_html=move || markup.with(|m| m.2.clone())></g>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, x: f64, y: f64) -> GraphNodeView {
        GraphNodeView {
            id: id.to_owned(),
            kind: String::from("product"),
            label: id.to_owned(),
            domain: None,
            team: None,
            status: None,
            subtype: None,
            depth: 0,
            hidden_upstream: 0,
            hidden_downstream: 0,
            x,
            y,
            width: 150.0,
            height: 44.0,
            more_of: None,
            more_count: 0,
            href: None,
        }
    }

    #[test]
    fn a_new_drawing_keeps_the_node_in_the_middle_of_the_view_where_it_was() {
        let graph = |nodes: Vec<GraphNodeView>| LineageGraphView {
            focus: Some(String::from("a")),
            nodes,
            edges: Vec::new(),
            groups: Vec::new(),
            legend: Vec::new(),
            width: 1000.0,
            height: 600.0,
            crossings: 0,
            truncated: false,
            path: None,
            path_error: None,
        };
        let view = ViewBox {
            x: 0.0,
            y: 0.0,
            w: 1000.0,
            h: 600.0,
        };
        let before = graph(vec![node("a", 100.0, 100.0), node("b", 480.0, 320.0)]);
        // `b`, nearest the middle, moved 40 down in the grown drawing: the view follows it.
        let after = graph(vec![
            node("a", 100.0, 100.0),
            node("b", 480.0, 360.0),
            node("c", 700.0, 300.0),
        ]);
        // (A drawing of 1,000 × 600 is too large for 300 × 200 pixels at a readable scale.)
        let (w, h) = (300.0, 200.0);
        assert_eq!(
            continued_view(&before, view, &after, None, w, h),
            Some(view.pan(0.0, 40.0))
        );
        // The selected node (the one an expand expanded) is kept in place before the middle one.
        assert_eq!(
            continued_view(&before, view, &after, Some("a"), w, h),
            Some(view)
        );
        // A drawing that can be shown whole is; another focus starts afresh.
        assert_eq!(
            continued_view(&before, view, &after, None, 2000.0, 1200.0),
            None
        );
        let other = LineageGraphView {
            focus: Some(String::from("c")),
            ..after
        };
        assert_eq!(continued_view(&before, view, &other, None, w, h), None);
    }

    #[test]
    fn ids_are_quoted_for_attribute_selectors() {
        assert_eq!(
            css_string("product:sales.orders"),
            "\"product:sales.orders\""
        );
        assert_eq!(css_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(css_string("a\nb"), "\"a\\a b\"");
    }

    #[test]
    fn coordinates_are_written_to_a_tenth_of_a_pixel() {
        for (v, text) in [
            (12.0, "12"),
            (12.04, "12"),
            (12.05, "12.1"),
            (12.5, "12.5"),
            (-3.25, "-3.3"),
            (-0.04, "0"),
            (-0.06, "-0.1"),
            (0.0, "0"),
            (1234567.89, "1234567.9"),
        ] {
            assert_eq!(Tenths(v).to_string(), text, "{v}");
            // The same number as the float formatting gives, without its trailing ".0".
            let float: f64 = format!("{v:.1}").parse().unwrap();
            let ours: f64 = text.parse().unwrap();
            assert!(
                (float - ours).abs() < 1e-9 || (v * 10.0).fract().abs() == 0.5,
                "{v}"
            );
        }
        assert_eq!(
            edge_path(&[(0.0, 10.0), (100.0, 20.55)]),
            "M0,10 C50,10 50,20.6 100,20.6"
        );
        assert_eq!(Tenths(f64::NAN).to_string(), "NaN");
    }

    #[test]
    fn only_the_region_around_the_view_is_drawn() {
        let view = ViewBox {
            x: 0.0,
            y: 0.0,
            w: 1000.0,
            h: 600.0,
        };
        let region = Region::around(&view);
        assert!(region.node(&node("in view", 500.0, 300.0)));
        assert!(region.node(&node("a quarter view below", 500.0, 720.0)));
        assert!(!region.node(&node("half a view below", 500.0, 900.0)));
        assert!(!region.node(&node("far below", 500.0, 5000.0)));
        // An edge is drawn when a piece of its route meets the region, even with both ends
        // outside; one that goes around the region is not.
        assert!(region.edge(&[(-3000.0, 300.0), (4000.0, 300.0)]));
        assert!(!region.edge(&[(5000.0, 0.0), (6000.0, 10.0)]));
        assert!(!region.edge(&[
            (-3000.0, 300.0),
            (-2000.0, 5000.0),
            (4000.0, 5000.0),
            (5000.0, 300.0)
        ]));
        assert!(region.edge(&[(-3000.0, 300.0), (-2000.0, 5000.0), (500.0, 300.0)]));
        // Panning within the region keeps it; leaving it, or zooming far in, draws a new one.
        assert!(region.holds(&view.pan(200.0, 120.0)));
        assert!(!region.holds(&view.pan(300.0, 0.0)));
        assert!(!region.holds(&view.zoom(0.1, 500.0, 300.0)));
    }
}
