//! Coordinates: layers become columns (data flows left to right); inside a column each vertex
//! is pulled towards the weighted mean of its neighbours while keeping the order and the gaps,
//! which is a weighted isotonic regression solved exactly by pool-adjacent-violators. Long
//! edges weigh more, so they run straight.

/// Positions along the layer axis (`y`) for every vertex, given the order of each layer.
pub struct Placement<'a> {
    pub layers: &'a [Vec<usize>],
    pub up: &'a [Vec<usize>],
    pub down: &'a [Vec<usize>],
    /// Extent of each vertex along the layer axis.
    pub size: &'a [f64],
    pub dummy: &'a [bool],
    pub group: &'a [usize],
    pub gap: f64,
    pub group_gap: f64,
    pub sweeps: usize,
    /// Groups are lanes: place each among its own.
    pub lanes: bool,
}

impl Placement<'_> {
    /// The smallest distance between the centres of two neighbours in a layer.
    fn separation(&self, a: usize, b: usize) -> f64 {
        let gap = if self.group[a] != self.group[b] {
            self.group_gap
        } else if self.dummy[a] && self.dummy[b] {
            self.gap / 3.0
        } else {
            self.gap
        };
        (self.size[a] + self.size[b]) / 2.0 + gap
    }

    fn weight(&self, a: usize, b: usize) -> f64 {
        // With lanes, a node is placed among its own lane's neighbours; the lanes are stacked
        // afterwards, so pulls across lanes would only stretch them.
        if self.lanes && self.group[a] != self.group[b] {
            return 0.0;
        }
        match (self.dummy[a], self.dummy[b]) {
            (true, true) => 8.0,
            (true, false) | (false, true) => 2.0,
            (false, false) => 1.0,
        }
    }

    pub fn run(&self) -> Vec<f64> {
        let n = self.size.len();
        let mut y = vec![0.0; n];
        // Packed, each layer centred on 0.
        for layer in self.layers {
            let mut at = 0.0;
            for (i, &v) in layer.iter().enumerate() {
                if i > 0 {
                    at += self.separation(layer[i - 1], v);
                }
                y[v] = at;
            }
            let mid = at / 2.0;
            for &v in layer {
                y[v] -= mid;
            }
        }
        let count = self.layers.len();
        for sweep in 0..self.sweeps {
            // Down, up, then both sides at once, so neither direction dominates.
            let mode = sweep % 3;
            let sequence: Vec<usize> = match mode {
                0 => (1..count).collect(),
                1 => (0..count.saturating_sub(1)).rev().collect(),
                _ => (0..count).collect(),
            };
            for k in sequence {
                self.place_layer(k, mode, &mut y);
            }
        }
        y
    }

    fn place_layer(&self, k: usize, mode: usize, y: &mut [f64]) {
        let layer = &self.layers[k];
        let mut target = Vec::with_capacity(layer.len());
        let mut weight = Vec::with_capacity(layer.len());
        for &v in layer {
            let mut sum = 0.0;
            let mut total = 0.0;
            let sides: [&[usize]; 2] = match mode {
                0 => [&self.up[v], &[]],
                1 => [&self.down[v], &[]],
                _ => [&self.up[v], &self.down[v]],
            };
            for side in sides {
                for &w in side {
                    let wt = self.weight(v, w);
                    sum += wt * y[w];
                    total += wt;
                }
            }
            if total > 0.0 {
                target.push(sum / total);
                weight.push(total);
            } else {
                // Nothing pulls it: it stays, held lightly.
                target.push(y[v]);
                weight.push(0.05);
            }
        }
        // y_i = z_i + offset_i with z non-decreasing keeps every gap.
        let mut offset = vec![0.0; layer.len()];
        for i in 1..layer.len() {
            offset[i] = offset[i - 1] + self.separation(layer[i - 1], layer[i]);
        }
        let shifted: Vec<f64> = target.iter().zip(&offset).map(|(t, o)| t - o).collect();
        let z = isotonic(&shifted, &weight);
        for (i, &v) in layer.iter().enumerate() {
            y[v] = z[i] + offset[i];
        }
    }
}

/// Weighted least-squares fit of a non-decreasing sequence (pool adjacent violators).
pub fn isotonic(values: &[f64], weights: &[f64]) -> Vec<f64> {
    // Blocks of (mean, weight, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(values.len());
    for (&v, &w) in values.iter().zip(weights) {
        blocks.push((v, w, 1));
        while blocks.len() > 1 {
            let (m2, w2, l2) = blocks[blocks.len() - 1];
            let (m1, w1, l1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let total = w1 + w2;
            *blocks.last_mut().expect("two blocks") = ((m1 * w1 + m2 * w2) / total, total, l1 + l2);
        }
    }
    let mut out = Vec::with_capacity(values.len());
    for (m, _, l) in blocks {
        out.extend(std::iter::repeat_n(m, l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_violators() {
        assert_eq!(
            isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4]),
            [1.0, 2.5, 2.5, 4.0]
        );
        assert_eq!(isotonic(&[3.0, 1.0], &[3.0, 1.0]), [2.5, 2.5]);
    }

    #[test]
    fn a_chain_runs_straight_and_siblings_keep_their_gap() {
        // 0 → 1 → 2 in a line, and 3 beside 1.
        let layers = vec![vec![0], vec![1, 3], vec![2]];
        let up = vec![vec![], vec![0], vec![1], vec![]];
        let down = vec![vec![1], vec![2], vec![], vec![]];
        let size = vec![40.0; 4];
        let p = Placement {
            layers: &layers,
            up: &up,
            down: &down,
            size: &size,
            dummy: &[false; 4],
            group: &[0; 4],
            gap: 10.0,
            group_gap: 30.0,
            sweeps: 6,
            lanes: false,
        };
        let y = p.run();
        assert!(
            (y[0] - y[1]).abs() < 1e-6 && (y[1] - y[2]).abs() < 1e-6,
            "{y:?}"
        );
        assert!(y[3] - y[1] >= 50.0 - 1e-6, "{y:?}");
    }
}
