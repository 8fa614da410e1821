//! Lineage benchmarks on synthetic meshes (see `lineage::testing::synthetic_mesh`): traversal,
//! impact analysis, paths, neighbourhoods and incremental updates at 10,000 products and about
//! 50,000 edges, and layout at 100, 1,000 and 5,000 nodes. First a latency report (p50, p95, p99
//! over many different start nodes, which criterion's mean hides), then criterion's own runs.
//! Nothing is asserted: the figures go to docs/benchmarks.md.

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion};
use std::collections::HashMap;

use lineage::layout::{LayoutOptions, SubgraphLayout, layout};
use lineage::testing::{Rng, synthetic_layout_graph, synthetic_mesh};
use lineage::{LineageGraph, Neighbourhood, NodeId, Scope};

fn mesh(products: usize) -> (LineageGraph, Vec<String>) {
    let specs = synthetic_mesh(products, 5.0, 42);
    let ids: Vec<String> = specs.iter().map(|s| s.id.clone()).collect();
    let mut graph = LineageGraph::new();
    for spec in specs {
        graph.upsert_product(spec);
    }
    (graph, ids)
}

fn percentiles(label: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    println!(
        "| {label} | {} | {:.3} | {:.3} | {:.3} |",
        samples.len(),
        at(0.5),
        at(0.95),
        at(0.99)
    );
}

/// Latency over many start nodes, in milliseconds.
fn report() {
    for size in [1_000usize, 10_000, 100_000] {
        let build = Instant::now();
        let (graph, ids) = mesh(size);
        let built = build.elapsed();
        let edges = graph.declared_dependencies().len();
        println!(
            "\n### {size} products, {edges} declared dependencies ({} nodes, {} edges in the graph; built in {:.0} ms)\n",
            graph.node_count(),
            graph.edge_count(),
            built.as_secs_f64() * 1000.0
        );
        println!("| operation | samples | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|");
        let mut rng = Rng::new(7);
        let picks: Vec<NodeId> = (0..500)
            .map(|_| NodeId::product(&ids[rng.below(ids.len())]))
            .collect();
        let time = |f: &mut dyn FnMut(&NodeId)| -> Vec<f64> {
            picks
                .iter()
                .map(|p| {
                    let t = Instant::now();
                    f(p);
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect()
        };
        percentiles(
            "upstream, depth 3",
            time(&mut |p| {
                black_box(graph.upstream(p, 3, Scope::Products));
            }),
        );
        percentiles(
            "downstream, depth 3",
            time(&mut |p| {
                black_box(graph.downstream(p, 3, Scope::Products));
            }),
        );
        percentiles(
            "neighbourhood (1 up, 1 down, fan-out 25)",
            time(&mut |p| {
                black_box(graph.neighbourhood(&Neighbourhood::around(p.clone())));
            }),
        );
        percentiles(
            "impact analysis (all downstream, with paths)",
            time(&mut |p| {
                black_box(graph.impact(p, Scope::Products));
            }),
        );
        let mut other = Rng::new(9);
        percentiles(
            "shortest path between two products",
            time(&mut |p| {
                let q = NodeId::product(&ids[other.below(ids.len())]);
                black_box(graph.path(p, &q, Scope::Products));
            }),
        );
        let mut g = graph.clone();
        let specs: Vec<_> = picks
            .iter()
            .filter_map(|p| g.product(p.product_id().unwrap()).cloned())
            .collect();
        let mut spec_iter = specs.into_iter();
        percentiles(
            "incremental update (republish one product)",
            time(&mut |_| {
                if let Some(s) = spec_iter.next() {
                    g.upsert_product(s);
                }
            }),
        );
        if size <= 10_000 {
            let t = Instant::now();
            black_box(graph.domain_map());
            println!(
                "| domain map (whole mesh) | 1 | {:.3} | | |",
                t.elapsed().as_secs_f64() * 1000.0
            );
            let t = Instant::now();
            black_box(graph.cycles(Scope::Products));
            println!(
                "| cycle detection (whole mesh) | 1 | {:.3} | | |",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// The server's part of an expand in the explorer, stage by stage: the mesh and view of
/// `cargo xtask bench browser` (10,000 products, 2.5 inputs each, a focus with about 1,000
/// products two levels up and four down, every neighbour shown), then one node expanded at a
/// time, each picture grown from the one before it as the workbench does.
fn expand_report() {
    let mut graph = LineageGraph::new();
    for spec in synthetic_mesh(10_000, 2.5, 42) {
        graph.upsert_product(spec);
    }
    let focus = NodeId::product("support.p3069");
    let query = |expanded: Vec<NodeId>| Neighbourhood {
        upstream: 2,
        downstream: 4,
        fan_out: 1_000,
        max_nodes: 5_000,
        expanded,
        ..Neighbourhood::around(focus.clone())
    };
    let layout = SubgraphLayout {
        group_by_domain: false,
        fold_ports: true,
        options: LayoutOptions::interactive(),
    };
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let sub = graph
        .neighbourhood(&query(Vec::new()))
        .expect("the focus exists");
    let walked = ms(t);
    let t = Instant::now();
    let mut picture = layout.place(&sub);
    println!(
        "\n### Expand in the explorer (10,000 products, {} picture nodes; whole layout {:.1} ms, walk {walked:.1} ms)\n",
        picture.nodes.len(),
        ms(t)
    );
    let candidates: Vec<NodeId> = picture
        .nodes
        .iter()
        .filter(|n| n.hidden_upstream + n.hidden_downstream > 0)
        .filter_map(|n| NodeId::parse(&n.id).ok())
        .collect();
    let (mut walks, mut places) = (Vec::new(), Vec::new());
    let mut expanded = Vec::new();
    for node in candidates.iter().skip(candidates.len() / 2).take(20) {
        expanded.push(node.clone());
        let t = Instant::now();
        let sub = graph
            .neighbourhood(&query(expanded.clone()))
            .expect("the focus exists");
        walks.push(ms(t));
        let drawn: HashMap<&str, f64> =
            picture.nodes.iter().map(|n| (n.id.as_str(), n.y)).collect();
        let t = Instant::now();
        let grown = layout.place_after(&sub, &drawn);
        places.push(ms(t));
        picture = grown;
    }
    println!("| stage | samples | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|");
    percentiles("walk (neighbourhood with the expanded nodes)", walks);
    percentiles("grow the picture (`place_after`)", places);
}

fn benches(c: &mut Criterion) {
    let (graph, ids) = mesh(10_000);
    let hub = NodeId::product(&ids[ids.len() / 10]);
    let mut group = c.benchmark_group("10k products");
    group.bench_function("downstream depth 3", |b| {
        b.iter(|| black_box(graph.downstream(&hub, 3, Scope::Products)))
    });
    group.bench_function("impact", |b| {
        b.iter(|| black_box(graph.impact(&hub, Scope::Products)))
    });
    group.bench_function("neighbourhood", |b| {
        b.iter(|| black_box(graph.neighbourhood(&Neighbourhood::around(hub.clone()))))
    });
    group.finish();
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    for size in [100usize, 1_000, 5_000] {
        let (_, g) = synthetic_layout_graph(size, 42);
        group.bench_with_input(BenchmarkId::from_parameter(size), &g, |b, g| {
            b.iter(|| black_box(layout(g, &LayoutOptions::default())))
        });
    }
    group.finish();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench -p lineage --bench lineage -- expand`: the expand report alone.
    if args.iter().any(|a| a == "expand") {
        expand_report();
        return;
    }
    if !args.iter().any(|a| a == "--list") {
        expand_report();
        report();
    }
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
