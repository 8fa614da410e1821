//! Crossing reduction: the order of the nodes inside each layer. Layer-by-layer sweeps place
//! each node at the weighted median of its neighbours in the layer before, then adjacent pairs
//! are swapped while that removes crossings (the transposition of Gansner et al.); the best order
//! seen is kept. Crossings are counted with a Fenwick tree in O(E log V) per layer pair.

/// A layered graph with every edge between adjacent layers (long edges already split by dummy
/// vertices).
pub struct Layered {
    /// The vertices of each layer, in their current order.
    pub layers: Vec<Vec<usize>>,
    /// The neighbours of each vertex in the layer above (`up`) and below (`down`).
    pub up: Vec<Vec<usize>>,
    pub down: Vec<Vec<usize>>,
    /// The group of each vertex (0 when not grouping); a layer keeps each group together, groups
    /// in `group_rank` order.
    pub group: Vec<usize>,
}

impl Layered {
    fn positions(&self) -> Vec<usize> {
        let n = self.up.len();
        let mut pos = vec![0; n];
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        pos
    }

    /// Crossings between every pair of adjacent layers.
    pub fn crossings(&self) -> usize {
        let pos = self.positions();
        (1..self.layers.len())
            .map(|k| bilayer_crossings(&self.layers[k - 1], &self.down, &pos, self.layers[k].len()))
            .sum()
    }
}

/// Crossings between a layer and the next: edges sorted by their upper end, then the inversions
/// among their lower ends (Barth, Jünger and Mutzel).
fn bilayer_crossings(
    upper: &[usize],
    down: &[Vec<usize>],
    pos: &[usize],
    lower_len: usize,
) -> usize {
    let mut tree = vec![0usize; lower_len + 1];
    let mut seen = 0usize;
    let mut crossings = 0usize;
    let mut ends: Vec<usize> = Vec::new();
    for &u in upper {
        ends.clear();
        ends.extend(down[u].iter().map(|&w| pos[w]));
        ends.sort_unstable();
        // Count earlier edges that end after each of these ends, then add these.
        for &e in &ends {
            crossings += seen - prefix(&tree, e + 1);
        }
        for &e in &ends {
            let mut i = e + 1;
            while i <= lower_len {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
        seen += ends.len();
    }
    crossings
}

fn prefix(tree: &[usize], mut i: usize) -> usize {
    let mut sum = 0;
    while i > 0 {
        sum += tree[i];
        i -= i & i.wrapping_neg();
    }
    sum
}

/// Median sweeps for each shuffled restart (the first start and the one from the sinks get all).
const RESTART_SWEEPS: usize = 6;

/// Orders every layer to reduce crossings; `iterations` bounds the median sweeps. Median sweeps
/// with transposition first (stopping after eight without progress, as dot does), then sifting
/// (Matuszewski et al.: each vertex tried at every place in its layer and left at the best)
/// for a few rounds. With `restarts`, small graphs also start from the sinks and from shuffled
/// orders (seeded, so the result stays deterministic) and keep the best.
pub fn reduce_crossings(
    g: &mut Layered,
    group_rank: &[usize],
    iterations: usize,
    restarts: bool,
    sift_rounds: usize,
) {
    let groups = g.group.clone();
    let rank_of = |v: usize| group_rank.get(groups[v]).copied().unwrap_or(0);
    let mut starts = vec![g.layers.clone()];
    if restarts && g.up.len() <= 1_500 {
        let sinks: Vec<usize> = (0..g.up.len()).filter(|&v| g.down[v].is_empty()).collect();
        let mut from_sinks = Layered {
            layers: g.layers.clone(),
            up: g.up.clone(),
            down: g.down.clone(),
            group: g.group.clone(),
        };
        initial_order_from(&mut from_sinks, &sinks, false);
        starts.push(from_sinks.layers);
    }
    // Small graphs can afford restarts from shuffled orders (seeded, so still deterministic).
    let shuffles = if restarts {
        (1_500 / g.up.len().max(1)).min(8)
    } else {
        0
    };
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..shuffles {
        let mut layers = g.layers.clone();
        for layer in &mut layers {
            for i in (1..layer.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                layer.swap(i, (seed % (i as u64 + 1)) as usize);
            }
        }
        starts.push(layers);
    }
    let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
    for (i, mut start) in starts.into_iter().enumerate() {
        for layer in &mut start {
            layer.sort_by_key(|&v| rank_of(v));
        }
        g.layers = start;
        // Restarts are many and cheap: fewer sweeps, the sifting does most of the work.
        let sweeps = if i < 2 {
            iterations
        } else {
            iterations.min(RESTART_SWEEPS)
        };
        let count = improve(g, &groups, group_rank, sweeps, sift_rounds);
        if best.as_ref().is_none_or(|(c, _)| count < *c) {
            best = Some((count, g.layers.clone()));
        }
    }
    if let Some((_, layers)) = best {
        g.layers = layers;
    }
}

/// One start's improvement; leaves the best order found in `g` and returns its crossings.
fn improve(
    g: &mut Layered,
    groups: &[usize],
    group_rank: &[usize],
    iterations: usize,
    sift_rounds: usize,
) -> usize {
    let mut best = g.layers.clone();
    let mut best_count = g.crossings();
    if best_count == 0 {
        return 0;
    }
    let mut stale = 0;
    for iteration in 0..iterations {
        let downward = iteration % 2 == 0;
        median_sweep(g, groups, group_rank, downward);
        transpose(g, groups, iteration % 4 >= 2);
        let count = g.crossings();
        if count < best_count {
            best_count = count;
            best = g.layers.clone();
            stale = 0;
            if count == 0 {
                return 0;
            }
        } else {
            stale += 1;
            if stale >= 8 {
                break;
            }
        }
    }
    g.layers = best.clone();
    let mut stale = 0;
    for round in 0..sift_rounds {
        sift(g, groups, round % 2 == 0);
        transpose(g, groups, false);
        let count = g.crossings();
        if count < best_count {
            best_count = count;
            best = g.layers.clone();
            stale = 0;
        } else {
            stale += 1;
            if stale >= 2 {
                break;
            }
        }
    }
    g.layers = best;
    best_count
}

/// Sifting, layer by layer: every vertex (most connected first) is moved through every place
/// inside its group's run, and left where the crossings with both neighbouring layers are
/// fewest. Swapping two neighbours changes the crossings by a difference of pair counts, so a
/// vertex costs O(layer size × degree).
fn sift(g: &mut Layered, groups: &[usize], downward: bool) {
    let mut pos = g.positions();
    let sorted = |list: &[usize], pos: &[usize]| {
        let mut v: Vec<usize> = list.iter().map(|&w| pos[w]).collect();
        v.sort_unstable();
        v
    };
    let count = g.layers.len();
    let sequence: Vec<usize> = if downward {
        (0..count).collect()
    } else {
        (0..count).rev().collect()
    };
    for k in sequence {
        let layer = g.layers[k].clone();
        if layer.len() < 3 {
            continue;
        }
        let up_pos: Vec<Vec<usize>> = layer.iter().map(|&v| sorted(&g.up[v], &pos)).collect();
        let down_pos: Vec<Vec<usize>> = layer.iter().map(|&v| sorted(&g.down[v], &pos)).collect();
        // Slot i of `order` holds the index (into `layer`) of the vertex now at place i.
        let mut order: Vec<usize> = (0..layer.len()).collect();
        let cost = |a: usize, b: usize| {
            pair_crossings(&up_pos[a], &up_pos[b]) + pair_crossings(&down_pos[a], &down_pos[b])
        };
        let mut by_degree: Vec<usize> = (0..layer.len()).collect();
        by_degree.sort_by_key(|&i| std::cmp::Reverse(up_pos[i].len() + down_pos[i].len()));
        for v in by_degree {
            if up_pos[v].is_empty() && down_pos[v].is_empty() {
                continue;
            }
            let at = order
                .iter()
                .position(|&x| x == v)
                .expect("vertex in its layer");
            let group = groups[layer[v]];
            let mut lo = at;
            while lo > 0 && groups[layer[order[lo - 1]]] == group {
                lo -= 1;
            }
            let mut hi = at;
            while hi + 1 < order.len() && groups[layer[order[hi + 1]]] == group {
                hi += 1;
            }
            // Crossings relative to the current place: moving left past u changes them by
            // cost(v, u) - cost(u, v).
            let mut best_place = at;
            let mut best_delta: i64 = 0;
            let mut delta: i64 = 0;
            for i in (lo..at).rev() {
                let u = order[i];
                delta += cost(v, u) as i64 - cost(u, v) as i64;
                if delta < best_delta {
                    best_delta = delta;
                    best_place = i;
                }
            }
            delta = 0;
            for (i, &u) in order.iter().enumerate().take(hi + 1).skip(at + 1) {
                delta += cost(u, v) as i64 - cost(v, u) as i64;
                if delta < best_delta {
                    best_delta = delta;
                    best_place = i;
                }
            }
            if best_place != at {
                let moved = order.remove(at);
                order.insert(best_place, moved);
            }
        }
        let reordered: Vec<usize> = order.iter().map(|&i| layer[i]).collect();
        for (i, &v) in reordered.iter().enumerate() {
            pos[v] = i;
        }
        g.layers[k] = reordered;
    }
}

/// Reorders each layer by the weighted median position of its neighbours in the previous layer
/// (the one above when sweeping down). Vertices without such neighbours keep their place.
fn median_sweep(g: &mut Layered, groups: &[usize], group_rank: &[usize], downward: bool) {
    let mut pos = g.positions();
    let count = g.layers.len();
    let sequence: Vec<usize> = if downward {
        (1..count).collect()
    } else {
        (0..count.saturating_sub(1)).rev().collect()
    };
    let mut values: Vec<f64> = Vec::new();
    for k in sequence {
        let layer = &g.layers[k];
        values.clear();
        for &v in layer {
            let neighbours = if downward { &g.up[v] } else { &g.down[v] };
            values.push(median(neighbours, &pos));
        }
        // Fixed vertices keep their slots; the others are sorted into the remaining ones.
        let mut movable: Vec<(usize, f64, usize)> = layer
            .iter()
            .enumerate()
            .filter(|&(i, _)| values[i] >= 0.0)
            .map(|(i, &v)| {
                (
                    group_rank.get(groups[v]).copied().unwrap_or(0),
                    values[i],
                    v,
                )
            })
            .collect();
        movable.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut next = movable.into_iter().map(|m| m.2);
        let reordered: Vec<usize> = layer
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if values[i] >= 0.0 {
                    next.next().unwrap_or(v)
                } else {
                    v
                }
            })
            .collect();
        // Fixed vertices may now sit inside another group's run; a stable sort by group rank
        // puts every group back together without disturbing the order within it.
        let mut reordered = reordered;
        reordered.sort_by_key(|&v| group_rank.get(groups[v]).copied().unwrap_or(0));
        for (i, &v) in reordered.iter().enumerate() {
            pos[v] = i;
        }
        g.layers[k] = reordered;
    }
}

/// Gansner's weighted median: the middle position, or for an even count the two middle ones
/// weighted towards the side where the neighbours are packed more tightly. -1 for none.
fn median(neighbours: &[usize], pos: &[usize]) -> f64 {
    let mut p: Vec<f64> = neighbours.iter().map(|&w| pos[w] as f64).collect();
    p.sort_by(f64::total_cmp);
    let m = p.len() / 2;
    match p.len() {
        0 => -1.0,
        n if n % 2 == 1 => p[m],
        2 => (p[0] + p[1]) / 2.0,
        n => {
            let left = p[m - 1] - p[0];
            let right = p[n - 1] - p[m];
            if left + right == 0.0 {
                (p[m - 1] + p[m]) / 2.0
            } else {
                (p[m - 1] * right + p[m] * left) / (left + right)
            }
        }
    }
}

/// Transpositions over an order that is otherwise kept (a drawing that grew): only pairs with
/// a vertex that is not `kept` (a new node, a bend) may swap, so kept vertices keep their order.
pub fn tidy(g: &mut Layered, kept: &[bool]) {
    let groups = g.group.clone();
    transpose_with(g, &groups, false, Some(kept));
}

/// Swaps adjacent vertices of the same group while that lowers the crossings with both
/// neighbouring layers; with `equal`, also when it keeps them the same, to leave a plateau.
fn transpose(g: &mut Layered, groups: &[usize], equal: bool) {
    transpose_with(g, groups, equal, None);
}

fn transpose_with(g: &mut Layered, groups: &[usize], equal: bool, kept: Option<&[bool]>) {
    let mut pos = g.positions();
    let n = g.up.len();
    // Neighbour positions per vertex, sorted; they only change when the neighbouring layer does,
    // so they are refreshed for the two layers around a changed one.
    let sorted = |list: &[usize], pos: &[usize]| {
        let mut v: Vec<usize> = list.iter().map(|&w| pos[w]).collect();
        v.sort_unstable();
        v
    };
    let mut up_pos: Vec<Vec<usize>> = (0..n).map(|v| sorted(&g.up[v], &pos)).collect();
    let mut down_pos: Vec<Vec<usize>> = (0..n).map(|v| sorted(&g.down[v], &pos)).collect();
    let layer_count = g.layers.len();
    let mut dirty = vec![true; layer_count];
    for pass in 0..8 {
        let mut improved = false;
        for k in 0..layer_count {
            if !dirty[k] {
                continue;
            }
            dirty[k] = false;
            let mut changed = false;
            let len = g.layers[k].len();
            for i in 0..len.saturating_sub(1) {
                let (v, w) = (g.layers[k][i], g.layers[k][i + 1]);
                if groups[v] != groups[w] || kept.is_some_and(|k| k[v] && k[w]) {
                    continue;
                }
                let before = pair_crossings(&up_pos[v], &up_pos[w])
                    + pair_crossings(&down_pos[v], &down_pos[w]);
                if before == 0 {
                    continue;
                }
                let after = pair_crossings(&up_pos[w], &up_pos[v])
                    + pair_crossings(&down_pos[w], &down_pos[v]);
                if after < before || (equal && after == before && pass == 0) {
                    g.layers[k].swap(i, i + 1);
                    pos[v] = i + 1;
                    pos[w] = i;
                    changed = true;
                }
            }
            if changed {
                improved = true;
                dirty[k] = true;
                // The neighbours in the layers around saw positions change.
                for kk in [k.wrapping_sub(1), k + 1] {
                    if kk < layer_count {
                        dirty[kk] = true;
                        for &x in &g.layers[kk] {
                            if kk < k {
                                down_pos[x] = sorted(&g.down[x], &pos);
                            } else {
                                up_pos[x] = sorted(&g.up[x], &pos);
                            }
                        }
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between the edges of `v` and `w` towards one layer when `v` comes first: pairs
/// with `v`'s end after `w`'s. Both lists are sorted.
fn pair_crossings(v: &[usize], w: &[usize]) -> usize {
    let mut count = 0;
    let mut j = 0;
    for &a in v {
        while j < w.len() && w[j] < a {
            j += 1;
        }
        count += j;
    }
    count
}

/// The first order: a breadth-first walk from the sources, in input order, appends each vertex
/// to its layer when it is first reached.
pub fn initial_order(g: &mut Layered, sources: &[usize]) {
    initial_order_from(g, sources, true);
}

/// A breadth-first first order from `roots`, walking down (from sources) or up (from sinks).
fn initial_order_from(g: &mut Layered, roots: &[usize], downward: bool) {
    let n = g.up.len();
    let mut layer_of = vec![0; n];
    for (k, layer) in g.layers.iter().enumerate() {
        for &v in layer {
            layer_of[v] = k;
        }
    }
    let mut seen = vec![false; n];
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); g.layers.len()];
    let mut queue = std::collections::VecDeque::new();
    let everything: Vec<usize> = g.layers.iter().flatten().copied().collect();
    for &s in roots.iter().chain(everything.iter()) {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            layers[layer_of[v]].push(v);
            let next = if downward { &g.down[v] } else { &g.up[v] };
            for &w in next {
                if !seen[w] {
                    seen[w] = true;
                    queue.push_back(w);
                }
            }
        }
    }
    g.layers = layers;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layered(layers: Vec<Vec<usize>>, edges: &[(usize, usize)]) -> Layered {
        let n = layers.iter().map(Vec::len).sum();
        let mut g = Layered {
            layers,
            up: vec![Vec::new(); n],
            down: vec![Vec::new(); n],
            group: vec![0; n],
        };
        for &(a, b) in edges {
            g.down[a].push(b);
            g.up[b].push(a);
        }
        g
    }

    #[test]
    fn counts_crossings() {
        // 0 1 / 2 3 with 0→3 and 1→2: one crossing; adding 0→2 adds none, 1→3 adds one.
        let g = layered(vec![vec![0, 1], vec![2, 3]], &[(0, 3), (1, 2)]);
        assert_eq!(g.crossings(), 1);
        let g = layered(
            vec![vec![0, 1], vec![2, 3]],
            &[(0, 3), (1, 2), (0, 2), (1, 3)],
        );
        assert_eq!(g.crossings(), 1);
    }

    #[test]
    fn removes_avoidable_crossings() {
        let mut g = layered(
            vec![vec![0, 1, 2], vec![3, 4, 5]],
            &[(0, 5), (1, 4), (2, 3)],
        );
        assert_eq!(g.crossings(), 3);
        reduce_crossings(&mut g, &[0], 8, true, 4);
        assert_eq!(g.crossings(), 0);
    }

    #[test]
    fn pairs_count_like_the_whole() {
        assert_eq!(pair_crossings(&[2, 3], &[0, 1]), 4);
        assert_eq!(pair_crossings(&[0, 1], &[2, 3]), 0);
        assert_eq!(pair_crossings(&[1], &[1]), 0);
    }
}
