//! Charts drawn as SVG text: pure functions from numbers to markup, rendered on the server and
//! shown as they are (no script). Every chart reads without colour: each line has its own dash
//! pattern and point shape and is labelled where it ends, annotations are numbered, and the
//! figures are in the chart's `<title>`/`<desc>` for screen readers.

use std::fmt::Write;

/// One line of a [`LineChart`].
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    /// A CSS colour (`#2563eb`, `var(--x)`).
    pub color: String,
    /// (index into [`LineChart::days`], value); values outside `0..=y_max` are clamped.
    pub points: Vec<(usize, f64)>,
}

/// A vertical mark at one day, numbered in the chart and described by `label`.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub x: usize,
    pub label: String,
}

/// A line chart over days.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChart {
    /// What the chart shows, for its `<title>`.
    pub title: String,
    /// The x axis, oldest first (`YYYY-MM-DD`).
    pub days: Vec<String>,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    /// The top of the y axis (100 for percentages).
    pub y_max: f64,
    /// Appended to values (`%`).
    pub unit: String,
}

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 30.0;
/// Dash patterns, one per line, so that lines differ without colour.
const DASHES: &[&str] = &[
    "",
    "6 3",
    "2 3",
    "10 3 2 3",
    "1 2",
    "12 4",
    "4 2 1 2",
    "8 2 2 2 2 2",
];
/// Label heights: end labels closer than this are pushed apart.
const LABEL_GAP: f64 = 13.0;

/// Escapes text for SVG text nodes and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A point shape centred on (x, y), by series index.
fn shape(i: usize, x: f64, y: f64, color: &str) -> String {
    let c = escape(color);
    match i % 4 {
        0 => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{c}"/>"#),
        1 => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{c}"/>"#,
            x - 3.5,
            y - 3.5
        ),
        2 => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{c}"/>"#,
            y - 4.5,
            x + 4.5,
            y + 3.5,
            x - 4.5,
            y + 3.5
        ),
        _ => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="none" stroke="{c}" stroke-width="1.5"/>"#,
            y - 4.5,
            x + 4.5,
            y + 4.5,
            x - 4.5
        ),
    }
}

/// Spreads label positions (sorted by wanted y) so that none is closer than `gap` to the next,
/// keeping them inside `top..=bottom`.
fn spread(wanted: &[f64], gap: f64, top: f64, bottom: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]));
    let mut placed = vec![0.0; wanted.len()];
    let mut last = f64::NEG_INFINITY;
    for &i in &order {
        let y = wanted[i].max(last + gap).max(top);
        placed[i] = y;
        last = y;
    }
    // Pushed past the bottom: shift the tail back up.
    let mut limit = bottom;
    for &i in order.iter().rev() {
        if placed[i] > limit {
            placed[i] = limit;
        }
        limit = placed[i] - gap;
    }
    placed
}

/// Draws the chart as one `<svg>` element that scales to its container's width.
pub fn line_chart(chart: &LineChart) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = chart.days.len().max(1);
    let y_max = if chart.y_max > 0.0 { chart.y_max } else { 1.0 };
    let x_of = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y_of = |v: f64| TOP + plot_h * (1.0 - v.clamp(0.0, y_max) / y_max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart line-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title><desc id="chart-desc">{}</desc>"#,
        escape(&chart.title),
        escape(&describe(chart))
    );
    // Grid and y axis: 0, 25, 50, 75, 100 % of y_max.
    for step in 0..=4 {
        let v = y_max * f64::from(step) / 4.0;
        let y = y_of(v);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}{}</text>"#,
            LEFT + plot_w,
            LEFT - 6.0,
            y + 4.0,
            trim(v),
            escape(&chart.unit)
        );
    }
    // X axis: first, last and up to four days between.
    if !chart.days.is_empty() {
        let ticks = 5.min(n - 1).max(1);
        let mut shown = Vec::new();
        for t in 0..=ticks {
            let i = (n - 1) * t / ticks;
            if shown.contains(&i) {
                continue;
            }
            shown.push(i);
            let anchor = match (i, n - 1) {
                (0, _) => "start",
                (a, b) if a == b => "end",
                _ => "middle",
            };
            let _ = write!(
                s,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
                x_of(i),
                HEIGHT - 10.0,
                escape(&chart.days[i])
            );
        }
    }
    // Markers: a dashed rule and its number; several on one day share a rule.
    let mut marker_days: Vec<usize> = Vec::new();
    for (k, m) in chart.markers.iter().enumerate() {
        let x = x_of(m.x.min(n - 1));
        let first = !marker_days.contains(&m.x);
        let stacked = marker_days.iter().filter(|&&d| d == m.x).count();
        marker_days.push(m.x);
        if first {
            let _ = write!(
                s,
                r#"<line class="marker" x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{:.1}"/>"#,
                TOP + plot_h
            );
        }
        let cy = TOP - 12.0;
        let cx = x + 15.0 * stacked as f64;
        let _ = write!(
            s,
            r#"<g class="marker-label"><title>{}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="7.5"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"#,
            escape(&m.label),
            cy + 3.5,
            k + 1
        );
    }
    // Lines, their points, and their labels at the right.
    let mut ends = Vec::new();
    for (i, series) in chart.series.iter().enumerate() {
        if series.points.is_empty() {
            continue;
        }
        let mut d = String::new();
        for (k, (x, v)) in series.points.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1} {:.1}",
                if k == 0 { "M" } else { "L" },
                x_of(*x),
                y_of(*v)
            );
        }
        let dash = DASHES[i % DASHES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = write!(
            s,
            r#"<g class="series"><title>{}</title><path d="{d}" fill="none" stroke="{}" stroke-width="2"{dash}/>"#,
            escape(&series.label),
            escape(&series.color)
        );
        let step = (series.points.len() / 12).max(1);
        for (k, (x, v)) in series.points.iter().enumerate() {
            if k % step == 0 || k + 1 == series.points.len() {
                s.push_str(&shape(i, x_of(*x), y_of(*v), &series.color));
            }
        }
        s.push_str("</g>");
        let (x, v) = series.points[series.points.len() - 1];
        ends.push((i, x_of(x), y_of(v), v));
    }
    let wanted: Vec<f64> = ends.iter().map(|e| e.2 + 4.0).collect();
    let placed = spread(&wanted, LABEL_GAP, TOP + 4.0, TOP + plot_h + 4.0);
    for ((i, x, y, v), label_y) in ends.into_iter().zip(placed) {
        let series = &chart.series[i];
        let lx = LEFT + plot_w + 10.0;
        let _ = write!(
            s,
            r#"<line class="leader" x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{:.1}"/><text class="series-label" x="{:.1}" y="{label_y:.1}">{} {}{}</text>"#,
            x + 5.0,
            lx - 2.0,
            label_y - 4.0,
            lx,
            escape(&truncate(&series.label, 16)),
            trim(v),
            escape(&chart.unit)
        );
    }
    s.push_str("</svg>");
    s
}

/// The chart in words: each line's first and last value, and the markers.
fn describe(chart: &LineChart) -> String {
    let mut parts = Vec::new();
    for series in &chart.series {
        if let (Some(first), Some(last)) = (series.points.first(), series.points.last()) {
            parts.push(format!(
                "{}: {}{} on {} to {}{} on {}",
                series.label,
                trim(first.1),
                chart.unit,
                chart.days.get(first.0).map(String::as_str).unwrap_or(""),
                trim(last.1),
                chart.unit,
                chart.days.get(last.0).map(String::as_str).unwrap_or("")
            ));
        }
    }
    for (k, m) in chart.markers.iter().enumerate() {
        parts.push(format!(
            "mark {} on {}: {}",
            k + 1,
            chart.days.get(m.x).map(String::as_str).unwrap_or(""),
            m.label
        ));
    }
    parts.join("; ")
}

/// A number as people read it on an axis: no trailing `.0`, one decimal otherwise.
pub fn trim(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> LineChart {
        LineChart {
            title: String::from("Compliance by domain"),
            days: vec![
                "2026-01-01".into(),
                "2026-01-02".into(),
                "2026-01-03".into(),
            ],
            series: vec![
                Series {
                    label: String::from("sales"),
                    color: String::from("#2563eb"),
                    points: vec![(0, 50.0), (1, 75.0), (2, 100.0)],
                },
                Series {
                    label: String::from("<finance>"),
                    color: String::from("#16a34a"),
                    points: vec![(0, 100.0), (2, 99.6)],
                },
            ],
            markers: vec![Marker {
                x: 1,
                label: String::from("owner-present enforced"),
            }],
            y_max: 100.0,
            unit: String::from("%"),
        }
    }

    #[test]
    fn lines_run_from_the_first_day_to_the_last_within_the_plot() {
        let svg = line_chart(&chart());
        // sales: 50 % at the left edge, 100 % at the top right of the plot.
        let plot_h = HEIGHT - TOP - BOTTOM;
        let y50 = TOP + plot_h / 2.0;
        assert!(svg.contains(&format!("M{LEFT:.1} {y50:.1}")), "{svg}");
        assert!(
            svg.contains(&format!("L{:.1} {TOP:.1}", WIDTH - RIGHT)),
            "{svg}"
        );
        // The second line has a dash pattern of its own, and a different point shape.
        assert!(svg.contains(r#"stroke-dasharray="6 3""#));
        assert!(svg.contains("<rect"));
    }

    #[test]
    fn labels_markers_and_text_are_escaped_and_described() {
        let svg = line_chart(&chart());
        assert!(svg.contains("&lt;finance&gt; 99.6%"), "{svg}");
        assert!(!svg.contains("<finance>"));
        assert!(svg.contains("<title>owner-present enforced</title>"));
        assert!(svg.contains("sales: 50% on 2026-01-01 to 100% on 2026-01-03"));
        assert!(svg.contains("mark 1 on 2026-01-02: owner-present enforced"));
        assert!(svg.contains(">2026-01-01</text>") && svg.contains(">2026-01-03</text>"));
    }

    #[test]
    fn end_labels_never_overlap_and_stay_in_the_plot() {
        let placed = spread(&[100.0, 101.0, 102.0, 40.0], LABEL_GAP, 30.0, 104.0);
        let mut sorted = placed.clone();
        sorted.sort_by(f64::total_cmp);
        for w in sorted.windows(2) {
            assert!(w[1] - w[0] >= LABEL_GAP - 1e-9, "{placed:?}");
        }
        assert!(
            sorted.iter().all(|&y| (30.0..=104.0).contains(&y)),
            "{placed:?}"
        );
        assert_eq!(placed[3], 40.0);
    }

    #[test]
    fn one_day_and_no_data_still_draw() {
        let mut c = chart();
        c.days.truncate(1);
        c.series[0].points = vec![(0, 80.0)];
        c.series[1].points.clear();
        c.markers.clear();
        let svg = line_chart(&c);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("sales 80%"));
        let empty = line_chart(&LineChart {
            days: Vec::new(),
            series: Vec::new(),
            markers: Vec::new(),
            ..chart()
        });
        assert!(empty.ends_with("</svg>"));
    }
}
