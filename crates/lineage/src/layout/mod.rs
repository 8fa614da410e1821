//! A layered (Sugiyama-style) layout, left to right: cycles broken by reversing back edges,
//! layers by longest path then balanced, long edges split by dummy vertices, crossings reduced
//! by median sweeps and transposition, coordinates by weighted isotonic regression, edges routed
//! through their dummies. Optionally each group (a domain) gets its own horizontal lane.
//!
//! The layout is deterministic: the same graph in the same order gives the same picture.

mod order;
mod place;
mod rank;
mod subgraph;

pub use subgraph::{
    PositionedEdge, PositionedGraph, PositionedGroup, PositionedNode, SubgraphLayout,
};

use order::Layered;

/// What to lay out: sizes, optional groups, and edges by node index.
#[derive(Clone, Debug, Default)]
pub struct LayoutGraph {
    pub nodes: Vec<LayoutNode>,
    pub edges: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, Debug)]
pub struct LayoutNode {
    pub width: f64,
    pub height: f64,
    pub group: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
pub struct LayoutOptions {
    /// Space between nodes of one layer.
    pub node_gap: f64,
    /// Space between layers.
    pub layer_gap: f64,
    /// Space between two groups' lanes.
    pub group_gap: f64,
    /// Padding inside a lane, around its nodes.
    pub group_padding: f64,
    pub margin: f64,
    /// Crossing-reduction iterations (each a median sweep and transposition).
    pub iterations: usize,
    /// Also try other starting orders on small graphs (fewer crossings, more time).
    pub restarts: bool,
    /// Rounds of sifting after the sweeps.
    pub sift_rounds: usize,
    /// Coordinate sweeps.
    pub sweeps: usize,
}

impl Default for LayoutOptions {
    fn default() -> LayoutOptions {
        LayoutOptions {
            node_gap: 18.0,
            layer_gap: 72.0,
            group_gap: 28.0,
            group_padding: 14.0,
            margin: 24.0,
            iterations: 24,
            restarts: true,
            sift_rounds: 4,
            sweeps: 9,
        }
    }
}

impl LayoutOptions {
    /// For pictures drawn while someone waits (the explorer): one start, less sifting.
    pub fn interactive() -> LayoutOptions {
        LayoutOptions {
            iterations: 8,
            restarts: false,
            sift_rounds: 1,
            sweeps: 6,
            ..LayoutOptions::default()
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Placed>,
    /// One route per input edge, in input order.
    pub edges: Vec<Route>,
    /// One lane per group present, top to bottom.
    pub groups: Vec<GroupBand>,
    pub width: f64,
    pub height: f64,
    /// Crossings between adjacent layers after ordering (long edges counted through their
    /// dummies).
    pub crossings: usize,
    pub layers: usize,
}

/// A node's centre, its layer and its place in the layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub layer: usize,
    pub order: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// From the source's edge to the target's, through the bends.
    pub points: Vec<(f64, f64)>,
    /// The edge was turned around to break a cycle; it runs right to left.
    pub reversed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupBand {
    pub group: usize,
    pub y: f64,
    pub height: f64,
}

pub fn layout(g: &LayoutGraph, opts: &LayoutOptions) -> Layout {
    arrange(g, opts, None)
}

/// The layout of a graph that grew (or shrank) from one already on screen: the nodes that were
/// drawn keep their order in their layer, by `previous` (each node's former `y`, `None` for a
/// new node): a new node goes where its drawn neighbours are, a long edge's bends between its
/// ends, and transpositions that move only new nodes and bends tidy their crossings. The
/// crossing reduction that costs nearly all of [`layout`]'s time is skipped, and the drawn
/// nodes keep their order in each layer (a node may change layer when the new ones push it).
pub fn relayout(g: &LayoutGraph, opts: &LayoutOptions, previous: &[Option<f64>]) -> Layout {
    arrange(g, opts, Some(previous))
}

fn arrange(g: &LayoutGraph, opts: &LayoutOptions, previous: Option<&[Option<f64>]>) -> Layout {
    let n = g.nodes.len();
    if n == 0 {
        return Layout::default();
    }
    // 1. Cycles: self-loops aside, back edges reversed.
    let proper: Vec<usize> = (0..g.edges.len())
        .filter(|&i| g.edges[i].0 != g.edges[i].1)
        .collect();
    let proper_edges: Vec<(usize, usize)> = proper.iter().map(|&i| g.edges[i]).collect();
    let reversed = rank::break_cycles(n, &proper_edges);
    let mut dag: Vec<(usize, usize)> = proper_edges
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    dag.sort_unstable();
    dag.dedup();

    // 2. Layers.
    let layer = rank::assign_layers(n, &dag);
    let layer_count = layer.iter().max().map_or(1, |m| m + 1);

    // 3. Dummies for long edges; every edge of `Layered` joins adjacent layers.
    let group_of = |v: usize| g.nodes[v].group.map_or(0, |x| x + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    let mut vertex_layer: Vec<usize> = layer.clone();
    let mut group: Vec<usize> = (0..n).map(group_of).collect();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains: std::collections::HashMap<(usize, usize), Vec<usize>> =
        std::collections::HashMap::with_capacity(dag.len());
    for (v, &l) in layer.iter().enumerate() {
        layers[l].push(v);
    }
    for &(a, b) in &dag {
        let span = layer[b] - layer[a];
        let mut chain = vec![a];
        for step in 1..span {
            let d = up.len();
            up.push(Vec::new());
            down.push(Vec::new());
            vertex_layer.push(layer[a] + step);
            group.push(if step * 2 <= span {
                group_of(a)
            } else {
                group_of(b)
            });
            layers[layer[a] + step].push(d);
            chain.push(d);
        }
        chain.push(b);
        for w in chain.windows(2) {
            down[w[0]].push(w[1]);
            up[w[1]].push(w[0]);
        }
        chains.insert((a, b), chain);
    }
    let total = up.len();
    let dummy: Vec<bool> = (0..total).map(|v| v >= n).collect();

    // 4. Order.
    let mut lg = Layered {
        layers,
        up,
        down,
        group: group.clone(),
    };
    let group_rank = match previous {
        None => {
            let sources: Vec<usize> = (0..n).filter(|&v| lg.up[v].is_empty()).collect();
            order::initial_order(&mut lg, &sources);
            let group_rank = rank_groups(&lg, n, &group);
            order::reduce_crossings(
                &mut lg,
                &group_rank,
                opts.iterations,
                opts.restarts,
                opts.sift_rounds,
            );
            group_rank
        }
        Some(previous) => {
            let keys = order_keys(n, &dag, &chains, previous, lg.up.len());
            for layer in &mut lg.layers {
                layer.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(a.cmp(&b)));
            }
            let group_rank = rank_groups(&lg, n, &group);
            for layer in &mut lg.layers {
                layer.sort_by_key(|&v| group_rank[group[v]]);
            }
            let kept: Vec<bool> = (0..lg.up.len())
                .map(|v| v < n && previous.get(v).copied().flatten().is_some())
                .collect();
            order::tidy(&mut lg, &kept);
            group_rank
        }
    };
    let crossings = lg.crossings();

    // 5. Coordinates: y inside a layer, x per layer.
    let size: Vec<f64> = (0..total)
        .map(|v| if v < n { g.nodes[v].height } else { 2.0 })
        .collect();
    let placement = place::Placement {
        layers: &lg.layers,
        up: &lg.up,
        down: &lg.down,
        size: &size,
        dummy: &dummy,
        group: &group,
        gap: opts.node_gap,
        group_gap: opts.group_gap + 2.0 * opts.group_padding,
        sweeps: opts.sweeps,
        lanes: g.nodes.iter().any(|v| v.group.is_some()),
    };
    let mut y = placement.run();
    let mut layer_width = vec![0.0f64; layer_count];
    for v in 0..n {
        layer_width[layer[v]] = layer_width[layer[v]].max(g.nodes[v].width);
    }
    let mut x_layer = vec![0.0; layer_count];
    let mut at = opts.margin;
    for k in 0..layer_count {
        x_layer[k] = at + layer_width[k] / 2.0;
        at += layer_width[k] + opts.layer_gap;
    }
    let width = at - opts.layer_gap + opts.margin;

    // 6. Lanes: every group's nodes kept in one horizontal band.
    let grouped = g.nodes.iter().any(|v| v.group.is_some());
    let mut bands = Vec::new();
    if grouped {
        bands = lanes(&lg, n, &group, &group_rank, &size, &mut y, opts);
    }

    // 7. Normalise so the drawing starts at the margin.
    let top = (0..total)
        .map(|v| y[v] - size[v] / 2.0)
        .chain(bands.iter().map(|b: &GroupBand| b.y))
        .fold(f64::INFINITY, f64::min);
    let shift = opts.margin - top;
    for v in y.iter_mut() {
        *v += shift;
    }
    for b in &mut bands {
        b.y += shift;
    }
    let bottom = (0..total)
        .map(|v| y[v] + size[v] / 2.0)
        .chain(bands.iter().map(|b| b.y + b.height))
        .fold(0.0, f64::max);
    let height = bottom + opts.margin;

    let mut order_in_layer = vec![0; total];
    for layer in &lg.layers {
        for (i, &v) in layer.iter().enumerate() {
            order_in_layer[v] = i;
        }
    }
    let nodes: Vec<Placed> = (0..n)
        .map(|v| Placed {
            x: x_layer[layer[v]],
            y: y[v],
            layer: layer[v],
            order: order_in_layer[v],
        })
        .collect();

    // 8. Routes: right side of the source, through the dummies, to the left side of the target.
    let point = |v: usize, side: f64| {
        if v < n {
            (
                x_layer[vertex_layer[v]] + side * g.nodes[v].width / 2.0,
                y[v],
            )
        } else {
            (x_layer[vertex_layer[v]], y[v])
        }
    };
    let edges = g
        .edges
        .iter()
        .enumerate()
        .map(|(i, &(a, b))| {
            if a == b {
                let (cx, cy) = (x_layer[layer[a]], y[a]);
                let (w, h) = (g.nodes[a].width / 2.0, g.nodes[a].height / 2.0);
                return Route {
                    points: vec![
                        (cx + w, cy - h / 2.0),
                        (cx + w + 16.0, cy - h - 10.0),
                        (cx + w / 2.0, cy - h - 14.0),
                        (cx + w / 3.0, cy - h),
                    ],
                    reversed: false,
                };
            }
            let is_reversed = proper
                .binary_search(&i)
                .map(|k| reversed[k])
                .unwrap_or(false);
            let key = if is_reversed { (b, a) } else { (a, b) };
            let chain = &chains[&key];
            let last = chain.len() - 1;
            let mut points: Vec<(f64, f64)> = chain
                .iter()
                .enumerate()
                .map(|(k, &v)| match k {
                    0 => point(v, 1.0),
                    k if k == last => point(v, -1.0),
                    _ => point(v, 0.0),
                })
                .collect();
            if is_reversed {
                points.reverse();
            }
            Route {
                points,
                reversed: is_reversed,
            }
        })
        .collect();

    Layout {
        nodes,
        edges,
        groups: bands,
        width,
        height,
        crossings,
        layers: layer_count,
    }
}

/// Where each vertex goes in its layer when a drawing grows: a drawn node at its former place,
/// a new node at the mean of its placed neighbours (repeated outwards, so a chain of new nodes
/// follows the drawn node it hangs from), a long edge's bends evenly between its ends. A node
/// that reaches no drawn one goes last.
fn order_keys(
    real: usize,
    dag: &[(usize, usize)],
    chains: &std::collections::HashMap<(usize, usize), Vec<usize>>,
    previous: &[Option<f64>],
    total: usize,
) -> Vec<f64> {
    let mut key: Vec<Option<f64>> = (0..real)
        .map(|v| previous.get(v).copied().flatten())
        .collect();
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); real];
    for &(a, b) in dag {
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    loop {
        let found: Vec<(usize, f64)> = (0..real)
            .filter(|&v| key[v].is_none())
            .filter_map(|v| {
                let placed: Vec<f64> = neighbours[v].iter().filter_map(|&w| key[w]).collect();
                (!placed.is_empty()).then(|| (v, placed.iter().sum::<f64>() / placed.len() as f64))
            })
            .collect();
        if found.is_empty() {
            break;
        }
        for (v, k) in found {
            key[v] = Some(k);
        }
    }
    let last = key.iter().flatten().fold(0.0f64, |m, &k| m.max(k)) + 1.0;
    let mut keys: Vec<f64> = key.into_iter().map(|k| k.unwrap_or(last)).collect();
    keys.resize(total, last);
    for chain in chains.values() {
        let (a, b) = (keys[chain[0]], keys[chain[chain.len() - 1]]);
        let span = (chain.len() - 1) as f64;
        for (i, &d) in chain
            .iter()
            .enumerate()
            .skip(1)
            .take(chain.len().saturating_sub(2))
        {
            keys[d] = a + (b - a) * i as f64 / span;
        }
    }
    keys
}

/// Groups ranked by the mean relative position of their nodes in the first order, so that lanes
/// come in the order the flow suggests. Group 0 (no group) ranks first.
fn rank_groups(lg: &Layered, real: usize, group: &[usize]) -> Vec<usize> {
    let groups = group.iter().max().map_or(1, |m| m + 1);
    let mut sum = vec![0.0f64; groups];
    let mut count = vec![0usize; groups];
    for layer in &lg.layers {
        let len = layer.len().max(1) as f64;
        for (i, &v) in layer.iter().enumerate() {
            if v < real {
                sum[group[v]] += (i as f64 + 0.5) / len;
                count[group[v]] += 1;
            }
        }
    }
    let mut ids: Vec<usize> = (0..groups).collect();
    let mean = |g: usize| {
        if g == 0 {
            -1.0
        } else if count[g] == 0 {
            2.0
        } else {
            sum[g] / count[g] as f64
        }
    };
    ids.sort_by(|&a, &b| mean(a).total_cmp(&mean(b)).then(a.cmp(&b)));
    let mut rank = vec![0; groups];
    for (r, &g) in ids.iter().enumerate() {
        rank[g] = r;
    }
    rank
}

/// Room at the top of a lane for its name.
const LANE_LABEL: f64 = 14.0;

/// Moves each lane down until it clears the one above, and returns the lanes' bands. Every
/// layer is ordered by lane, so shifting whole lanes keeps every order and gap.
fn lanes(
    lg: &Layered,
    real: usize,
    group: &[usize],
    group_rank: &[usize],
    size: &[f64],
    y: &mut [f64],
    opts: &LayoutOptions,
) -> Vec<GroupBand> {
    let groups = group_rank.len();
    let mut by_rank: Vec<usize> = (0..groups).collect();
    by_rank.sort_by_key(|&g| group_rank[g]);
    let mut bounds: Vec<Option<(f64, f64)>> = vec![None; groups];
    for v in 0..real {
        let (top, bottom) = (y[v] - size[v] / 2.0, y[v] + size[v] / 2.0);
        let b = bounds[group[v]].get_or_insert((top, bottom));
        b.0 = b.0.min(top);
        b.1 = b.1.max(bottom);
    }
    let mut shift = vec![0.0; groups];
    let mut floor = f64::NEG_INFINITY;
    let mut running = 0.0f64;
    for &g in &by_rank {
        let Some((top, bottom)) = bounds[g] else {
            shift[g] = running;
            continue;
        };
        let top = top - opts.group_padding - LANE_LABEL + running;
        if top < floor {
            running += floor - top;
        }
        shift[g] = running;
        floor = bottom + opts.group_padding + running + opts.group_gap;
    }
    for layer in &lg.layers {
        for &v in layer {
            y[v] += shift[group[v]];
        }
    }
    by_rank
        .iter()
        .filter(|&&g| g != 0)
        .filter_map(|&g| {
            let (top, bottom) = bounds[g]?;
            Some(GroupBand {
                group: g - 1,
                y: top + shift[g] - opts.group_padding - LANE_LABEL,
                height: bottom - top + 2.0 * opts.group_padding + LANE_LABEL,
            })
        })
        .collect()
}

/// Straight-line crossings of a drawing: pairs of edges, each a segment between the centres of
/// its nodes, that properly intersect. Every engine in the benchmarks is scored with this, from
/// its final node positions alone.
pub fn straight_line_crossings(points: &[(f64, f64)], edges: &[(usize, usize)]) -> usize {
    type Segment = ((f64, f64), (f64, f64), usize, usize);
    let segs: Vec<Segment> = edges
        .iter()
        .filter(|(a, b)| a != b)
        .map(|&(a, b)| {
            let (p, q) = (points[a], points[b]);
            if p.0 <= q.0 {
                (p, q, a, b)
            } else {
                (q, p, b, a)
            }
        })
        .collect();
    // Sorted by left end, a segment only meets those that start before it ends.
    let mut order: Vec<usize> = (0..segs.len()).collect();
    order.sort_by(|&i, &j| segs[i].0.0.total_cmp(&segs[j].0.0));
    let mut count = 0;
    for (k, &i) in order.iter().enumerate() {
        let (p1, p2, a1, b1) = segs[i];
        for &j in &order[k + 1..] {
            let (q1, q2, a2, b2) = segs[j];
            if q1.0 > p2.0 {
                break;
            }
            if a1 == a2 || a1 == b2 || b1 == a2 || b1 == b2 {
                continue;
            }
            if proper_intersection(p1, p2, q1, q2) {
                count += 1;
            }
        }
    }
    count
}

fn proper_intersection(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let d1 = cross(q1, q2, p1);
    let d2 = cross(q1, q2, p2);
    let d3 = cross(p1, p2, q1);
    let d4 = cross(p1, p2, q2);
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

#[cfg(test)]
mod tests;
