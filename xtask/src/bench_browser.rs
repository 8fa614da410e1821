//! `cargo xtask bench browser`: the lineage explorer in Chromium with about a thousand visible
//! nodes, on a synthetic mesh (`meshwork synth`): expand, pan and zoom latency, measured in the
//! page by `end2end/bench/explorer.mjs`.

use crate::setup::{Needs, setup};
use crate::util::{Result, free_port, output, run, run_in, start_server};

pub fn bench_browser() -> Result {
    setup(Needs { python: false, ..Needs::all() })?;
    run("cargo", &["leptos", "build", "--release", "--precompress"], &[])?;
    let scratch = std::env::temp_dir().join(format!("meshwork-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let data = scratch.join("data").display().to_string();
    run("target/release/meshwork", &["synth", "--data-dir", &data, "--products", "3000", "--inputs", "2"], &[])?;
    let server = start_server(
        "target/release/meshwork",
        free_port()?,
        &data,
        &["--anonymous-read"],
        &[("MESHWORK_LOG", "warn")],
        &scratch.join("server.log").display().to_string(),
    )?;
    // The focus: the product with the most downstream products within three levels, up to ~1000.
    let focus = output(
        "curl",
        &["-s", &format!("{}/api/v1/graph/search?q=.p1&limit=50", server.url)],
    )
    .unwrap_or_default();
    let candidates: Vec<String> = focus
        .split("\"id\":\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_owned))
        .filter(|id| id.starts_with("product:"))
        .collect();
    let mut best = (0usize, String::new());
    for id in candidates {
        let body = output(
            "curl",
            &["-s", &format!("{}/api/v1/graph?focus={id}&upstream=0&downstream=3&fan_out=1000&max_nodes=1200", server.url)],
        )
        .unwrap_or_default();
        let count = body.matches("\"kind\":\"product\"").count();
        if count <= 1_200 && count > best.0 {
            best = (count, id);
        }
    }
    println!("\nFocus {} ({} products within three levels downstream)", best.1, best.0);
    run_in("end2end", "node", &["bench/explorer.mjs"], &[("BASE_URL", &server.url), ("FOCUS", &best.1)])?;
    drop(server);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
