//! The layout's promises, on small graphs written as text and on synthetic meshes: no two nodes
//! overlap, every edge runs to a later layer unless it was turned around to break a cycle,
//! the same input gives the same picture, and lanes do not overlap.

use super::*;
use crate::testing::synthetic_layout_graph;

/// `a b c` lines: edges a→b, b→c; nodes are named by their first appearance.
fn graph(text: &str, groups: &[(&str, usize)]) -> (Vec<String>, LayoutGraph) {
    let mut names: Vec<String> = Vec::new();
    let mut g = LayoutGraph::default();
    let mut id = |name: &str, g: &mut LayoutGraph| -> usize {
        if let Some(i) = names.iter().position(|n| n == name) {
            return i;
        }
        names.push(name.to_owned());
        g.nodes.push(LayoutNode {
            width: 100.0 + 10.0 * (names.len() % 3) as f64,
            height: 40.0,
            group: groups.iter().find(|(n, _)| *n == name).map(|(_, grp)| *grp),
        });
        names.len() - 1
    };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<usize> = line.split_whitespace().map(|p| id(p, &mut g)).collect();
        for w in parts.windows(2) {
            g.edges.push((w[0], w[1]));
        }
    }
    (names, g)
}

#[track_caller]
fn check_invariants(g: &LayoutGraph, l: &Layout) {
    assert_eq!(l.nodes.len(), g.nodes.len());
    assert_eq!(l.edges.len(), g.edges.len());
    // No overlaps: boxes of any two nodes are apart.
    for i in 0..g.nodes.len() {
        for j in i + 1..g.nodes.len() {
            let (a, b) = (&l.nodes[i], &l.nodes[j]);
            let dx = (a.x - b.x).abs() * 2.0 - (g.nodes[i].width + g.nodes[j].width);
            let dy = (a.y - b.y).abs() * 2.0 - (g.nodes[i].height + g.nodes[j].height);
            assert!(
                dx >= -1e-6 || dy >= -1e-6,
                "nodes {i} and {j} overlap: {a:?} {b:?}"
            );
        }
    }
    // Layer order respects edges.
    for (k, &(a, b)) in g.edges.iter().enumerate() {
        if a == b {
            continue;
        }
        let (la, lb) = (l.nodes[a].layer, l.nodes[b].layer);
        if l.edges[k].reversed {
            assert!(lb < la, "reversed edge {a}->{b} should run backwards");
        } else {
            assert!(la < lb, "edge {a}->{b} from layer {la} to {lb}");
        }
        let pts = &l.edges[k].points;
        assert!(pts.len() >= 2);
    }
    // Everything inside the drawing.
    for (i, p) in l.nodes.iter().enumerate() {
        assert!(
            p.x - g.nodes[i].width / 2.0 >= 0.0 && p.x + g.nodes[i].width / 2.0 <= l.width + 1e-6
        );
        assert!(
            p.y - g.nodes[i].height / 2.0 >= -1e-6
                && p.y + g.nodes[i].height / 2.0 <= l.height + 1e-6
        );
    }
}

#[test]
fn a_chain_is_one_straight_row() {
    let (_, g) = graph("a b c d", &[]);
    let l = layout(&g, &LayoutOptions::default());
    check_invariants(&g, &l);
    assert_eq!(l.layers, 4);
    let y0 = l.nodes[0].y;
    assert!(l.nodes.iter().all(|p| (p.y - y0).abs() < 1e-6));
    assert!(l.nodes.windows(2).all(|w| w[0].x < w[1].x));
    assert_eq!(l.crossings, 0);
}

#[test]
fn diamonds_and_long_edges_have_no_crossings() {
    let (_, g) = graph(
        "a b d
         a c d
         a e
         d f
         a f",
        &[],
    );
    let l = layout(&g, &LayoutOptions::default());
    check_invariants(&g, &l);
    assert_eq!(l.crossings, 0);
    // The long edge a→f runs through bends, one per layer it skips.
    let long = g.edges.iter().position(|&e| e == (0, 5)).unwrap();
    assert_eq!(
        l.edges[long].points.len(),
        l.nodes[5].layer - l.nodes[0].layer + 1
    );
}

#[test]
fn avoidable_crossings_are_removed() {
    // K(2,2)-free: three parallel chains given in crossing order.
    let (_, g) = graph(
        "a x
         b y
         c z
         a z2
         c x2",
        &[],
    );
    let l = layout(&g, &LayoutOptions::default());
    check_invariants(&g, &l);
    assert_eq!(l.crossings, 0);
}

#[test]
fn cycles_are_tolerated_by_turning_edges_around() {
    let (_, g) = graph(
        "a b c a
         c d
         d d",
        &[],
    );
    let l = layout(&g, &LayoutOptions::default());
    check_invariants(&g, &l);
    assert_eq!(l.edges.iter().filter(|e| e.reversed).count(), 1);
}

#[test]
fn the_same_graph_gives_the_same_picture() {
    let (_, g) = synthetic_layout_graph(300, 7);
    let a = layout(&g, &LayoutOptions::default());
    let b = layout(&g, &LayoutOptions::default());
    assert_eq!(a, b);
    check_invariants(&g, &a);
}

#[test]
fn lanes_keep_groups_apart() {
    let (names, g) = graph(
        "s1 s2 f1
         c1 c2 f1
         s1 c2
         c1 f2",
        &[
            ("s1", 0),
            ("s2", 0),
            ("c1", 1),
            ("c2", 1),
            ("f1", 2),
            ("f2", 2),
        ],
    );
    let l = layout(&g, &LayoutOptions::default());
    check_invariants(&g, &l);
    assert_eq!(l.groups.len(), 3);
    for (i, a) in l.groups.iter().enumerate() {
        for b in &l.groups[i + 1..] {
            assert!(a.y + a.height <= b.y + 1e-6, "lanes overlap: {a:?} {b:?}");
        }
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let band = l.groups.iter().find(|b| Some(b.group) == n.group).unwrap();
        let p = &l.nodes[i];
        assert!(
            p.y - n.height / 2.0 >= band.y - 1e-6
                && p.y + n.height / 2.0 <= band.y + band.height + 1e-6,
            "{} is outside its lane",
            names[i]
        );
    }
}

#[test]
fn synthetic_meshes_lay_out_cleanly() {
    for (size, seed) in [(50, 1), (200, 2), (500, 3)] {
        let (_, g) = synthetic_layout_graph(size, seed);
        let l = layout(&g, &LayoutOptions::default());
        check_invariants(&g, &l);
    }
}

#[test]
fn straight_line_crossings_count_proper_intersections() {
    let points = [
        (0.0, 0.0),
        (10.0, 10.0),
        (0.0, 10.0),
        (10.0, 0.0),
        (-5.0, 20.0),
    ];
    // 0-1 and 2-3 cross; 0-4 shares an end with 0-1 and passes 2-3 by.
    assert_eq!(
        straight_line_crossings(&points, &[(0, 1), (2, 3), (0, 4)]),
        1
    );
    assert_eq!(straight_line_crossings(&points, &[(0, 1), (0, 4)]), 0);
}

#[test]
fn folded_ports_keep_their_products_name() {
    use crate::testing::fixture;
    use crate::{Neighbourhood, NodeId};
    let g = fixture("sales.orders -> finance.ledger");
    let sub = g
        .neighbourhood(&Neighbourhood::around(NodeId::product("finance.ledger")))
        .unwrap();
    let placed = SubgraphLayout::default().place(&sub);
    let labels: Vec<(&str, &str)> = placed
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str()))
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(
        labels.contains(&("product:sales.orders", "sales.orders")),
        "{labels:?}"
    );
    assert_eq!(placed.edges.len(), 1);
    assert_eq!(
        placed.edges[0].label.as_deref(),
        Some("from-sales-orders, out")
    );
}

#[test]
fn columns_get_a_lane_per_dataset() {
    use crate::{ColumnEdge, ColumnRef, DatasetRef, LineageGraph, NodeId, Scope};
    let mut g = LineageGraph::new();
    let edge = |a: &str, b: &str, f: &str| ColumnEdge {
        from: ColumnRef::new("db", a, f),
        to: ColumnRef::new("db", b, f),
    };
    g.set_column_lineage(
        &DatasetRef::new("db", "b"),
        vec![edge("a", "b", "x"), edge("a", "b", "y")],
    );
    let sub = g.reach(
        &[
            NodeId::column("db", "b", "x"),
            NodeId::column("db", "b", "y"),
        ],
        2,
        0,
        Scope::Columns,
    );
    let placed = SubgraphLayout {
        group_by_domain: true,
        ..SubgraphLayout::default()
    }
    .place(&sub);
    let lanes: Vec<&str> = placed.groups.iter().map(|g| g.domain.as_str()).collect();
    assert_eq!(lanes.len(), 2, "{lanes:?}");
}

#[test]
fn a_grown_drawing_keeps_its_order_and_puts_new_nodes_beside_their_neighbours() {
    let (names, before) = graph("a b\nc d\ne f", &[]);
    let drawn = layout(&before, &LayoutOptions::default());
    let y = |l: &Layout, name: &str| l.nodes[names.iter().position(|n| n == name).unwrap()].y;
    let previous: Vec<(String, f64)> = names.iter().map(|n| (n.clone(), y(&drawn, n))).collect();
    // `x` is new and hangs off `c`, the middle row; `w` is new and reaches nothing drawn.
    let (names, after) = graph("a b\nc d\ne f\nc x\nw", &[]);
    let hints: Vec<Option<f64>> = names
        .iter()
        .map(|n| previous.iter().find(|(p, _)| p == n).map(|(_, y)| *y))
        .collect();
    let y = |l: &Layout, name: &str| l.nodes[names.iter().position(|n| n == name).unwrap()].y;
    let grown = relayout(&after, &LayoutOptions::default(), &hints);
    check_invariants(&after, &grown);
    for (upper, lower) in [("a", "c"), ("c", "e"), ("b", "d"), ("d", "f")] {
        assert!(
            y(&grown, upper) < y(&grown, lower),
            "{upper} stays above {lower}"
        );
    }
    // Beside its neighbour's row: between the rows above and below, in the next layer.
    assert!(y(&grown, "b") < y(&grown, "x") && y(&grown, "x") < y(&grown, "f"));
    let layer =
        |l: &Layout, name: &str| l.nodes[names.iter().position(|n| n == name).unwrap()].layer;
    assert_eq!(layer(&grown, "x"), layer(&grown, "d"));
    // What reaches nothing drawn goes last in its layer.
    assert!(
        ["a", "c", "e"]
            .iter()
            .all(|n| y(&grown, n) < y(&grown, "w"))
    );
    assert_eq!(grown, relayout(&after, &LayoutOptions::default(), &hints));
}

#[test]
fn a_grown_mesh_keeps_nearly_the_crossings_of_a_full_layout() {
    let (_, g) = synthetic_layout_graph(500, 3);
    let full = layout(&g, &LayoutOptions::interactive());
    // The last 40 nodes are new; the rest keep their places.
    let hints: Vec<Option<f64>> = full
        .nodes
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 40 < g.nodes.len()).then_some(p.y))
        .collect();
    let grown = relayout(&g, &LayoutOptions::interactive(), &hints);
    check_invariants(&g, &grown);
    assert!(
        grown.crossings <= full.crossings + full.crossings / 10,
        "{} crossings grown, {} laid out anew",
        grown.crossings,
        full.crossings
    );
    // Drawn nodes that stay in one layer keep their order in it.
    let kept: Vec<usize> = (0..g.nodes.len()).filter(|&i| hints[i].is_some()).collect();
    for &a in &kept {
        for &b in &kept {
            let (fa, fb, ga, gb) = (full.nodes[a], full.nodes[b], grown.nodes[a], grown.nodes[b]);
            if fa.layer == fb.layer && ga.layer == gb.layer && ga.layer == fa.layer && fa.y < fb.y {
                assert!(ga.y < gb.y, "{a} was above {b} and is no more");
            }
        }
    }
    // Hinted with the full layout itself (long edges' bends placed anew), about the same.
    let same: Vec<Option<f64>> = full.nodes.iter().map(|p| Some(p.y)).collect();
    let again = relayout(&g, &LayoutOptions::interactive(), &same);
    assert!(again.crossings <= full.crossings + full.crossings / 20);
}
