use std::io::Write;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args[1].parse().unwrap();
    let (names, g) = lineage::testing::synthetic_layout_graph(n, 42);
    if args.get(2).map(String::as_str) == Some("dot") {
        let mut f = std::fs::File::create(format!("/tmp/g{n}.dot")).unwrap();
        writeln!(f, "digraph G {{\n  rankdir=LR;").unwrap();
        for (i, nd) in g.nodes.iter().enumerate() {
            writeln!(
                f,
                "  \"{}\" [width={:.3}, height={:.3}];",
                names[i],
                nd.width / 72.0,
                nd.height / 72.0
            )
            .unwrap();
        }
        for (a, b) in &g.edges {
            writeln!(f, "  \"{}\" -> \"{}\";", names[*a], names[*b]).unwrap();
        }
        writeln!(f, "}}").unwrap();
        return;
    }
    if args.get(2).map(String::as_str) == Some("score") {
        let plain = std::fs::read_to_string(&args[3]).unwrap();
        let idx: std::collections::HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let mut pts = vec![(0.0, 0.0); names.len()];
        for line in plain.lines() {
            let p: Vec<&str> = line.split_whitespace().collect();
            if p.first() == Some(&"node") {
                let i = idx[p[1].trim_matches('"')];
                pts[i] = (p[2].parse().unwrap(), p[3].parse().unwrap());
            }
        }
        println!(
            "straight crossings: {}",
            lineage::layout::straight_line_crossings(&pts, &g.edges)
        );
        return;
    }
    let t = std::time::Instant::now();
    let l = lineage::layout::layout(&g, &lineage::layout::LayoutOptions::default());
    let el = t.elapsed();
    let pts: Vec<(f64, f64)> = l.nodes.iter().map(|p| (p.x, p.y)).collect();
    let sc = lineage::layout::straight_line_crossings(&pts, &g.edges);
    let span: usize = g
        .edges
        .iter()
        .map(|&(a, b)| l.nodes[a].layer.abs_diff(l.nodes[b].layer))
        .sum();
    println!("span={span}");
    println!(
        "n={n} edges={} layers={} time={:?} layered_crossings={} straight={sc}",
        g.edges.len(),
        l.layers,
        el,
        l.crossings
    );
}
