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
    // The server's part, side by side in this run, timed by curl (uncompressed): the view laid
    // out whole (by a second server that remembers nothing), grown by an expand from the
    // remembered view (what a click on "+N" costs), and the remembered view itself (Back).
    let forgetful = start_server(
        "target/release/meshwork",
        free_port()?,
        &data,
        &["--anonymous-read", "--no-read-cache"],
        &[("MESHWORK_LOG", "warn")],
        &scratch.join("forgetful.log").display().to_string(),
    )?;
    let args = |expand: &str| {
        format!(
            r#"{{"args":{{"focus":"{}","upstream":{up},"downstream":{down},"expand":[{expand}],"unlimited":[],"group":false,"ports":false,"max_nodes":5000,"fan_out":1000}}}}"#,
            best.1
        )
    };
    let curl = |url: &str, body: Option<&str>| -> Option<(f64, f64)> {
        let mut all = vec![
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{time_total} %{size_download}",
        ];
        if let Some(body) = body {
            all.extend_from_slice(&[
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "-d",
                body,
            ]);
        }
        all.push(url);
        let t = crate::util::output("curl", &all)?;
        let (time, size) = t.split_once(' ')?;
        Some((time.parse().ok()?, size.parse().ok()?))
    };
    let median = |mut times: Vec<(f64, f64)>| {
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        times.get(times.len() / 2).copied()
    };
    let rpc = |server: &crate::util::Server| format!("{}/rpc/lineage", server.url);
    let api = |server: &crate::util::Server| {
        format!(
            "{}/api/v1/graph?focus={}&upstream={up}&downstream={down}&fan_out=1000&max_nodes=5000",
            server.url, best.1
        )
    };
    let whole_rest = median(
        (0..7)
            .filter_map(|_| curl(&api(&forgetful), None))
            .collect(),
    );
    let whole = median(
        (0..7)
            .filter_map(|_| curl(&rpc(&forgetful), Some(&args(""))))
            .collect(),
    );
    // Expandable nodes of the view, seven of them from its middle.
    let view: serde_json::Value = crate::util::output("curl", &["-s", &api(&server)])
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let expandable: Vec<String> = view["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter(|n| {
                    n["kind"] == "product"
                        && (n["hidden_upstream"].as_u64() > Some(0)
                            || n["hidden_downstream"].as_u64() > Some(0))
                })
                .filter_map(|n| n["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let middle = expandable.len().saturating_sub(7) / 2;
    let _ = curl(&rpc(&server), Some(&args("")));
    let grown = median(
        expandable
            .iter()
            .skip(middle)
            .take(7)
            .filter_map(|id| curl(&rpc(&server), Some(&args(&format!("\"{id}\"")))))
            .collect(),
    );
    let remembered = median(
        (0..7)
            .filter_map(|_| curl(&rpc(&server), Some(&args(""))))
            .collect(),
    );
    drop(forgetful);
    println!(
        "\n| the server's part of the view (curl, median of 7) | time | size |\n|---|---|---|"
    );
    for (label, reply) in [
        (
            "REST shape (`GET /api/v1/graph`), laid out whole",
            whole_rest,
        ),
        ("compact shape (the explorer's), laid out whole", whole),
        (
            "compact, grown by an expand from the view on screen (seven different nodes)",
            grown,
        ),
        ("compact, remembered (Back to the view)", remembered),
    ] {
        if let Some((seconds, bytes)) = reply {
            println!(
                "| {label} | {:.1} ms | {:.0} KB |",
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
