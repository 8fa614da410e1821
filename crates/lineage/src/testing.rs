//! Graphs to test and measure with: small ones written as text, and synthetic meshes of any
//! size with the shape of real ones (domains, a layered DAG, skewed fan-in and fan-out).

use crate::LineageGraph;
use crate::layout::{LayoutGraph, LayoutNode};
use crate::model::{DatasetRef, InputPortSpec, OutputPortSpec, ProductSpec};

/// A mesh from lines of `upstream -> downstream` product ids (`sales.orders -> finance.revenue`);
/// a line with one id declares a product without inputs. The domain is the part before the first
/// dot; every product has one output port `out` with contract `c:<id>`, served as the dataset
/// `warehouse:<id>`.
pub fn fixture(text: &str) -> LineageGraph {
    let mut specs: Vec<ProductSpec> = Vec::new();
    let find = |id: &str, specs: &mut Vec<ProductSpec>| -> usize {
        if let Some(i) = specs.iter().position(|s| s.id == id) {
            return i;
        }
        specs.push(product(id));
        specs.len() - 1
    };
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        match line.split_once("->") {
            Some((a, b)) => {
                let (a, b) = (a.trim(), b.trim());
                find(a, &mut specs);
                let j = find(b, &mut specs);
                specs[j].input_ports.push(InputPortSpec {
                    name: format!("from-{}", a.replace('.', "-")),
                    contract_id: Some(format!("c:{a}")),
                    external_source: None,
                });
            }
            None => {
                find(line, &mut specs);
            }
        }
    }
    let mut graph = LineageGraph::new();
    for spec in specs {
        graph.upsert_product(spec);
    }
    graph
}

/// The product a fixture line names.
pub fn product(id: &str) -> ProductSpec {
    let domain = id.split('.').next().unwrap_or(id).to_owned();
    ProductSpec {
        id: id.to_owned(),
        name: id.to_owned(),
        team: format!("{domain}-team"),
        domain,
        status: String::from("active"),
        product_type: None,
        output_ports: vec![OutputPortSpec {
            name: String::from("out"),
            port_type: Some(String::from("table")),
            contract_id: Some(format!("c:{id}")),
            datasets: vec![DatasetRef::new("warehouse", id)],
        }],
        input_ports: Vec::new(),
    }
}

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same mesh everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / ((1u64 << 53) as f64)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const DOMAINS: &[&str] = &[
    "sales",
    "customers",
    "payments",
    "logistics",
    "marketing",
    "finance",
    "warehousing",
    "product",
    "support",
    "hr",
    "risk",
    "supply",
];

/// A synthetic mesh of `n` products with about `edges_per_product` declared input ports each.
///
/// Products come in five levels (source-aligned at the bottom, consumer-aligned at the top);
/// each reads from lower levels only, so the declared lineage is a DAG. Upstream choices are
/// skewed: a few core products are read by hundreds, most by a handful, and most reads stay in
/// the product's own domain.
pub fn synthetic_mesh(n: usize, edges_per_product: f64, seed: u64) -> Vec<ProductSpec> {
    let mut rng = Rng::new(seed);
    let domain_count = (n / 150).clamp(6, 120);
    let domain_name = |d: usize| {
        let base = DOMAINS[d % DOMAINS.len()];
        if d < DOMAINS.len() {
            base.to_owned()
        } else {
            format!("{base}{}", d / DOMAINS.len())
        }
    };
    let levels = 5;
    // 35 % source-aligned, then fewer products per level.
    let share = [0.35, 0.25, 0.18, 0.12, 0.10];
    let mut level_of = Vec::with_capacity(n);
    for (l, s) in share.iter().enumerate() {
        let count = if l == levels - 1 {
            n - level_of.len()
        } else {
            (n as f64 * s).round() as usize
        };
        level_of.extend(std::iter::repeat_n(l, count.min(n - level_of.len())));
    }
    let mut specs: Vec<ProductSpec> = Vec::with_capacity(n);
    // By level: indices of products, and a popularity weight per product.
    let mut by_level: Vec<Vec<usize>> = vec![Vec::new(); levels];
    let mut popularity: Vec<f64> = Vec::with_capacity(n);
    for (i, &level) in level_of.iter().enumerate() {
        let d = rng.below(domain_count);
        let domain = domain_name(d);
        let id = format!("{domain}.p{i}");
        let ports = 1 + usize::from(rng.chance(0.3)) + usize::from(rng.chance(0.1));
        specs.push(ProductSpec {
            id: id.clone(),
            name: format!("Product {i}"),
            team: format!("{domain}-team-{}", rng.below(3)),
            domain,
            status: String::from("active"),
            product_type: Some(String::from(match level {
                0 => "sourceAligned",
                4 => "consumerAligned",
                _ => "aggregate",
            })),
            output_ports: (0..ports)
                .map(|k| OutputPortSpec {
                    name: format!("out{k}"),
                    port_type: Some(String::from("table")),
                    contract_id: Some(format!("c:{id}:{k}")),
                    datasets: vec![DatasetRef::new(
                        "postgres://warehouse:5432",
                        format!("dwh.{id}.out{k}"),
                    )],
                })
                .collect(),
            input_ports: Vec::new(),
        });
        by_level[level].push(i);
        // Pareto-like popularity: most near 1, a few very large.
        let u = rng.unit().max(1e-9);
        popularity.push(u.powf(-0.9).min(400.0));
    }
    // Cumulative popularity per level for weighted choice.
    let cumulative: Vec<Vec<f64>> = by_level
        .iter()
        .map(|ids| {
            let mut acc = 0.0;
            ids.iter()
                .map(|&i| {
                    acc += popularity[i];
                    acc
                })
                .collect()
        })
        .collect();
    for i in 0..n {
        let level = level_of[i];
        if level == 0 {
            continue;
        }
        // Fan-in: geometric around the mean, sometimes wide.
        let mean = edges_per_product * n as f64 / (n as f64 * (1.0 - share[0]));
        let mut inputs = 1;
        while inputs < 60 && rng.chance(1.0 - 1.0 / mean.max(1.01)) {
            inputs += 1;
        }
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..inputs * 3 {
            if chosen.len() >= inputs {
                break;
            }
            // Mostly the level right below, sometimes further down.
            let from_level = if rng.chance(0.7) {
                level - 1
            } else {
                rng.below(level)
            };
            let ids = &by_level[from_level];
            if ids.is_empty() {
                continue;
            }
            let total = *cumulative[from_level].last().unwrap_or(&1.0);
            let pick = rng.unit() * total;
            let mut j = ids[cumulative[from_level]
                .partition_point(|&c| c < pick)
                .min(ids.len() - 1)];
            // Two thirds of the reads stay in the domain when the domain has a candidate.
            if specs[j].domain != specs[i].domain && rng.chance(0.66) {
                let same: Vec<usize> = ids
                    .iter()
                    .copied()
                    .filter(|&k| specs[k].domain == specs[i].domain)
                    .take(64)
                    .collect();
                if !same.is_empty() {
                    j = same[rng.below(same.len())];
                }
            }
            if !chosen.contains(&j) {
                chosen.push(j);
            }
        }
        for j in chosen {
            let port = rng.below(specs[j].output_ports.len());
            let contract = specs[j].output_ports[port].contract_id.clone();
            let name = format!("in-{j}-{port}");
            specs[i].input_ports.push(InputPortSpec {
                name,
                contract_id: contract,
                external_source: None,
            });
        }
    }
    specs
}

/// The product-to-product graph of a synthetic mesh, for layout: one node per product, one edge
/// per declared dependency.
pub fn synthetic_layout_graph(products: usize, seed: u64) -> (Vec<String>, LayoutGraph) {
    let specs = synthetic_mesh(products, 1.6, seed);
    let index: std::collections::HashMap<&str, usize> = specs
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.output_ports
                .iter()
                .filter_map(move |p| p.contract_id.as_deref().map(|c| (c, i)))
        })
        .collect();
    let mut graph = LayoutGraph::default();
    let mut names = Vec::new();
    for s in &specs {
        names.push(s.id.clone());
        let chars = s.name.chars().count() as f64;
        graph.nodes.push(LayoutNode {
            width: (chars * 7.2 + 44.0).clamp(150.0, 230.0),
            height: 44.0,
            group: None,
        });
    }
    let mut edges = std::collections::BTreeSet::new();
    for (i, s) in specs.iter().enumerate() {
        for input in &s.input_ports {
            if let Some(&j) = input.contract_id.as_deref().and_then(|c| index.get(c)) {
                edges.insert((j, i));
            }
        }
    }
    graph.edges = edges.into_iter().collect();
    (names, graph)
}
