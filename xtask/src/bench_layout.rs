//! `cargo xtask bench layout`: Meshwork's layered layout next to Graphviz `dot`, dagre and elkjs,
//! on identical synthetic graphs of 100, 1,000 and 5,000 nodes. Every engine runs as a whole
//! process on the same DOT file (`meshwork layout FILE`, `dot -Tplain FILE`, `node dagre.mjs
//! FILE`, `node elk.mjs FILE`), and every engine's crossings are counted the same way: straight
//! segments between the final node centres.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use crate::util::{Result, build_server, exists, run, run_in, scratch};

const SIZES: &[usize] = &[100, 1_000, 5_000];
/// How long an engine may take on one graph before it is stopped (and reported as such).
const LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// Runs a command, returning its standard output, or `None` if it did not finish in time.
fn run_limited(argv: &[&str], limit: std::time::Duration) -> Result<Option<String>> {
    let out_path = std::env::temp_dir().join(format!("meshwork-layout-out-{}", std::process::id()));
    let file = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let mut child = Command::new(argv[0])
        .args(&argv[1..])
        .env("MESHWORK_LOG", "error")
        .stdout(file)
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", argv[0]))?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            if !status.success() {
                return Err(format!("`{}` failed ({status})", argv.join(" ")));
            }
            let text = std::fs::read_to_string(&out_path).map_err(|e| e.to_string())?;
            let _ = std::fs::remove_file(&out_path);
            return Ok(Some(text));
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_file(&out_path);
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_micros(250));
    }
}

/// Node names and the edges between them, as indices into the names.
type NamedEdges = (Vec<String>, Vec<(usize, usize)>);

/// Writes the graph of a synthetic mesh as DOT, sizes in inches as Graphviz reads them.
fn write_graph(size: usize, path: &std::path::Path) -> Result<NamedEdges> {
    let (names, g) = lineage::testing::synthetic_layout_graph(size, 42);
    let mut text = String::from("digraph G {\n  rankdir=LR;\n  nodesep=0.25;\n  ranksep=1.0;\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let _ = writeln!(
            text,
            "  \"{}\" [width={:.3}, height={:.3}];",
            names[i],
            n.width / 72.0,
            n.height / 72.0
        );
    }
    for &(a, b) in &g.edges {
        let _ = writeln!(text, "  \"{}\" -> \"{}\";", names[a], names[b]);
    }
    text.push_str("}\n");
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((names, g.edges))
}

/// Node centres from `-Tplain`-style output: `node NAME X Y W H …`.
fn positions(plain: &str, names: &[String]) -> Result<Vec<(f64, f64)>> {
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut out = vec![(f64::NAN, f64::NAN); names.len()];
    for line in plain.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.first() != Some(&"node") || parts.len() < 4 {
            continue;
        }
        let name = parts[1].trim_matches('"');
        if let Some(&i) = index.get(name) {
            let x: f64 = parts[2].parse().map_err(|_| format!("bad x in {line}"))?;
            let y: f64 = parts[3].parse().map_err(|_| format!("bad y in {line}"))?;
            out[i] = (x, y);
        }
    }
    if out.iter().any(|p| p.0.is_nan()) {
        return Err(String::from("the layout left nodes out"));
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub fn bench_layout() -> Result {
    if !exists("/usr/bin/dot") {
        run("apt-get", &["install", "-y", "graphviz"], &[])?;
    }
    if !exists("bench/layout/node_modules/elkjs") {
        run_in(
            "bench/layout",
            "npm",
            &["ci", "--no-audit", "--no-fund"],
            &[],
        )?;
    }
    build_server()?;
    let dir = scratch("layout")?;
    let dot_version = crate::util::output("dot", &["-V"]).unwrap_or_default();
    println!("\n## Layout: Meshwork, Graphviz dot, dagre, elkjs\n");
    println!(
        "Whole processes on the same graph file; time is the median wall time over the runs; crossings are straight segments between final node centres, counted the same way for every engine. {dot_version}\n"
    );
    println!(
        "| nodes | edges | engine | runs | median time | crossings | vs dot |\n|---|---|---|---|---|---|---|"
    );
    for &size in SIZES {
        let file = dir.join(format!("graph-{size}.dot"));
        let (names, edges) = write_graph(size, &file)?;
        let path = file.display().to_string();
        // dot first: the others are compared with it.
        let engines: Vec<(&str, Vec<&str>)> = vec![
            ("Graphviz dot", vec!["dot", "-Tplain", &path]),
            ("Meshwork", vec!["target/release/meshwork", "layout", &path]),
            ("dagre", vec!["node", "bench/layout/dagre.mjs", &path]),
            ("elkjs", vec!["node", "bench/layout/elk.mjs", &path]),
        ];
        let runs = match size {
            0..=200 => 7,
            201..=2_000 => 3,
            _ => 1,
        };
        let mut dot_crossings = None;
        for (label, argv) in engines {
            let mut times = Vec::new();
            let mut stdout = String::new();
            let mut gave_up = false;
            for _ in 0..runs {
                let start = Instant::now();
                match run_limited(&argv, LIMIT)? {
                    Some(out) => {
                        times.push(start.elapsed().as_secs_f64());
                        stdout = out;
                    }
                    None => {
                        gave_up = true;
                        break;
                    }
                }
            }
            if gave_up {
                println!(
                    "| {size} | {} | {label} | 1 | stopped after {} s | | |",
                    edges.len(),
                    LIMIT.as_secs()
                );
                continue;
            }
            let crossings =
                lineage::layout::straight_line_crossings(&positions(&stdout, &names)?, &edges);
            if label == "Graphviz dot" {
                dot_crossings = Some(crossings);
            }
            let versus = dot_crossings
                .filter(|_| label != "Graphviz dot")
                .map(|d| {
                    format!(
                        "{:+.1} %",
                        (crossings as f64 / d.max(1) as f64 - 1.0) * 100.0
                    )
                })
                .unwrap_or_default();
            let time = median(times);
            let shown = if time < 1.0 {
                format!("{:.0} ms", time * 1000.0)
            } else {
                format!("{time:.2} s")
            };
            println!(
                "| {size} | {} | {label} | {runs} | {shown} | {crossings} | {versus} |",
                edges.len()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
