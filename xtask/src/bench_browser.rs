//! `cargo xtask bench browser`: the lineage explorer in Chromium with about a thousand visible
//! nodes, on a synthetic mesh (`meshwork synth`): expand, pan and zoom latency, measured in the
//! page by `end2end/bench/explorer.mjs`.

use crate::setup::{Needs, setup};
use crate::util::{Result, free_port, run, run_in, scratch, start_server};

const PRODUCTS: usize = 10_000;
const INPUTS: f64 = 2.5;

pub fn bench_browser() -> Result {
    setup(Needs {
        python: false,
        ..Needs::all()
    })?;
    crate::util::build_site(true)?;
    let scratch = scratch("browser")?;
    let data = scratch.join("data").display().to_string();
    let (products, inputs) = (PRODUCTS.to_string(), INPUTS.to_string());
    run(
        "target/release/meshwork",
        &[
            "synth",
            "--data-dir",
            &data,
            "--products",
            &products,
            "--inputs",
            &inputs,
        ],
        &[],
    )?;
    let server = start_server(
        "target/release/meshwork",
        free_port()?,
        &data,
        &["--anonymous-read"],
        &[("MESHWORK_LOG", "warn")],
        &scratch.join("server.log").display().to_string(),
    )?;
    // The focus: the product whose three levels downstream come closest to 1,000 nodes, found on
    // the same synthetic mesh in memory.
    let mut graph = lineage::LineageGraph::new();
    for spec in lineage::testing::synthetic_mesh(PRODUCTS, INPUTS, 42) {
        graph.upsert_product(spec);
    }
    // A thousand visible nodes: the first product, levels up and levels down that come within
    // 3 % of it (else the closest). Products count; their ports are drawn inside them.
    let mut best = (0usize, String::new(), 0u32, 0u32);
    let candidates: Vec<String> = graph.products().map(|p| p.id.clone()).collect();
    'search: for id in &candidates {
        for up in 2..=6u32 {
            for down in 2..=6u32 {
                let focus = lineage::NodeId::product(id);
                let mut query = lineage::Neighbourhood::around(focus.clone());
                (
                    query.upstream,
                    query.downstream,
                    query.fan_out,
                    query.max_nodes,
                ) = (up, down, 1_000, 5_000);
                let count = graph
                    .neighbourhood(&query)
                    .map(|s| s.nodes.iter().filter(|n| n.id.kind() == "product").count())
                    .unwrap_or(0);
                if count.abs_diff(1_000) < best.0.abs_diff(1_000) {
                    best = (count, focus.to_string(), up, down);
                    if count.abs_diff(1_000) <= 30 {
                        break 'search;
                    }
                }
            }
        }
    }
    println!(
        "\nFocus {} ({} products within {} levels up and {} down)",
        best.1, best.0, best.2, best.3
    );
    let (up, down) = (best.2.to_string(), best.3.to_string());
    // The server's part of an expand: the same view as the explorer asks for, timed by curl.
    let api = format!(
        "{}/api/v1/graph?focus={}&upstream={up}&downstream={down}&fan_out=1000&max_nodes=5000",
        server.url, best.1
    );
    // The same view in the explorer's compact form (what the page asks for), beside the REST
    // shape, in the same run: time and size as curl sees them, uncompressed.
    let body = format!(
        r#"{{"args":{{"focus":"{}","upstream":{up},"downstream":{down},"expand":[],"unlimited":[],"group":false,"ports":false,"max_nodes":5000,"fan_out":1000}}}}"#,
        best.1
    );
    let rpc = format!("{}/rpc/lineage", server.url);
    let time = |args: &[&str]| -> Option<(f64, f64)> {
        let mut times: Vec<(f64, f64)> = (0..7)
            .filter_map(|_| {
                let mut all = vec![
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{time_total} %{size_download}",
                ];
                all.extend_from_slice(args);
                crate::util::output("curl", &all)
            })
            .filter_map(|t| {
                let (time, size) = t.split_once(' ')?;
                Some((time.parse().ok()?, size.parse().ok()?))
            })
            .collect();
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        times.get(times.len() / 2).copied()
    };
    for (label, reply) in [
        ("REST shape (GET /api/v1/graph)", time(&[&api])),
        (
            "compact shape (the explorer's server function)",
            time(&[
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "-d",
                &body,
                &rpc,
            ]),
        ),
    ] {
        if let Some((seconds, bytes)) = reply {
            println!(
                "\nThe server lays out and sends that view in {:.1} ms, {:.0} KB: {label} (median of 7, curl).",
                seconds * 1000.0,
                bytes / 1024.0
            );
        }
    }
    run_in(
        "end2end",
        "node",
        &["bench/explorer.mjs"],
        &[
            ("BASE_URL", &server.url),
            ("FOCUS", &best.1),
            ("UP", &up),
            ("DOWN", &down),
        ],
    )?;
    drop(server);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
