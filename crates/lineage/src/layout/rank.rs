//! The first two steps of the layered layout: make the graph acyclic by turning back edges
//! around, then give every node a layer so that every edge points to a later layer.

/// Turns the graph into a DAG: every edge that closes a cycle in a depth-first walk (visiting
/// nodes in input order) is reversed. Returns, per edge, whether it was reversed. Self-loops
/// must have been removed.
pub fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out_edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, &(a, b)) in edges.iter().enumerate() {
        out_edges[a].push((b, i));
    }
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        stack.push((root, 0));
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, e)) = out_edges[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// Layers for a DAG: longest path from the sources, then every node moved, within the room its
/// neighbours leave, to the side where it has more edges (a greedy step towards the shortest
/// total edge length that network simplex would find). Returns the layer of every node,
/// starting at 0.
pub fn assign_layers(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b) in dag {
        succ[a].push(b);
        pred[b].push(a);
        indeg[b] += 1;
    }
    // Kahn's topological order, sources in input order.
    let mut order = Vec::with_capacity(n);
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        order.push(v);
        for &w in &succ[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    debug_assert_eq!(order.len(), n, "assign_layers needs a DAG");
    let mut layer = vec![0usize; n];
    for &v in &order {
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    // Balance: a node with more outgoing than incoming edges moves as late as its successors
    // allow, one with more incoming as early as its predecessors allow.
    for _ in 0..4 {
        let mut moved = false;
        for &v in order.iter().rev() {
            let (ins, outs) = (pred[v].len(), succ[v].len());
            if outs > ins {
                let latest = succ[v]
                    .iter()
                    .map(|&w| layer[w])
                    .min()
                    .unwrap_or(layer[v] + 1)
                    - 1;
                if latest > layer[v] {
                    layer[v] = latest;
                    moved = true;
                }
            }
        }
        for &v in &order {
            let (ins, outs) = (pred[v].len(), succ[v].len());
            if ins > outs {
                let earliest = pred[v].iter().map(|&u| layer[u] + 1).max().unwrap_or(0);
                if earliest < layer[v] {
                    layer[v] = earliest;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    let min = layer.iter().copied().min().unwrap_or(0);
    for l in &mut layer {
        *l -= min;
    }
    layer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_edges_are_reversed_and_the_rest_kept() {
        // 0 → 1 → 2 → 0, and 2 → 3.
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3)];
        assert_eq!(break_cycles(4, &edges), [false, false, true, false]);
    }

    #[test]
    fn every_edge_points_to_a_later_layer() {
        let dag = [(0, 1), (1, 2), (0, 2), (3, 2), (4, 0)];
        let layer = assign_layers(5, &dag);
        for &(a, b) in &dag {
            assert!(layer[a] < layer[b], "{a}->{b}: {layer:?}");
        }
        // Node 3 feeds only node 2; it sits right before it rather than in the first layer.
        assert_eq!(layer[3] + 1, layer[2]);
    }
}
