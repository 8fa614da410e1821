//! `cargo xtask bench [http | lineage | layout | ingest | browser]` (all of them without an
//! argument). `http`: start-up time, idle memory, first-load transfer size of the catalog page,
//! and HTTP throughput and p99 latency of `GET /api/v1/products/{id}` and of search, next to a
//! bare axum handler measured in the same run. The others are in their own modules. Figures go to
//! docs/benchmarks.md by hand, with the machine they were taken on; nothing here is asserted.

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::setup::{Needs, setup};
use crate::util::{Result, exists, free_port, http_ok, output, run, scratch};

pub fn bench(args: &[String]) -> Result {
    let which = args.first().map(String::as_str).unwrap_or("all");
    let all = which == "all";
    machine();
    if all || which == "http" {
        http()?;
    }
    if all || which == "lineage" {
        run(
            "cargo",
            &[
                "bench",
                "--package",
                "lineage",
                "--bench",
                "lineage",
                "--",
                "--warm-up-time",
                "1",
                "--measurement-time",
                "3",
            ],
            &[],
        )?;
    }
    if all || which == "layout" {
        crate::bench_layout::bench_layout()?;
    }
    if all || which == "ingest" {
        crate::bench_ingest::bench_ingest()?;
    }
    if all || which == "browser" {
        crate::bench_browser::bench_browser()?;
    }
    if !matches!(
        which,
        "all" | "http" | "lineage" | "layout" | "ingest" | "browser"
    ) {
        return Err(format!(
            "unknown benchmark '{which}': http, lineage, layout, ingest or browser"
        ));
    }
    Ok(())
}

/// The machine the figures come from.
fn machine() {
    println!("\n## Machine\n");
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_owned();
    println!(
        "- CPU: {model}, {} cores",
        output("nproc", &[]).unwrap_or_default()
    );
    let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    println!("- {}", mem.lines().next().unwrap_or_default());
}

fn http() -> Result {
    setup(Needs {
        browser: false,
        node: false,
        python: false,
        ..Needs::all()
    })?;
    if !exists("/usr/bin/wrk") {
        run("apt-get", &["install", "-y", "wrk"], &[])?;
    }
    crate::util::build_site(true)?;
    run(
        "cargo",
        &["build", "--release", "--package", "bare-axum"],
        &[],
    )?;
    let binary = "target/release/meshwork";
    let scratch = scratch("bench")?;
    let data = scratch.join("data").display().to_string();
    run(binary, &["demo", "--data-dir", &data], &[])?;

    // Cold start: process start to /readyz answering, on the demo database.
    let mut starts = Vec::new();
    for _ in 0..7 {
        let port = free_port()?;
        let begin = Instant::now();
        let mut child = spawn(binary, port, &data)?;
        let addr: SocketAddr = format!("127.0.0.1:{port}")
            .parse()
            .map_err(|e| format!("{e}"))?;
        while !http_ok(&addr, "/readyz") {
            if begin.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                return Err(String::from("meshwork did not start"));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        starts.push(begin.elapsed().as_secs_f64() * 1000.0);
        let _ = child.kill();
        let _ = child.wait();
    }
    starts.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    println!(
        "\n## Start-up\n\n- cold start to ready (demo mesh, SQLite): median {:.0} ms, min {:.0} ms, max {:.0} ms over {} runs",
        starts[starts.len() / 2],
        starts[0],
        starts[starts.len() - 1],
        starts.len()
    );

    let port = free_port()?;
    let mut server = spawn(binary, port, &data)?;
    let base = format!("http://127.0.0.1:{port}");
    let addr: SocketAddr = format!("127.0.0.1:{port}")
        .parse()
        .map_err(|e| format!("{e}"))?;
    while !http_ok(&addr, "/readyz") {
        std::thread::sleep(Duration::from_millis(10));
    }

    // First load of the catalog, compressed as a browser would receive it.
    println!("\n## First load of the catalog page (compressed, brotli)\n");
    let html = output("curl", &["-s", &format!("{base}/")]).unwrap_or_default();
    let mut total = 0;
    let mut assets = vec![String::from("/")];
    for needle in [
        "/pkg/meshwork.css",
        "/pkg/meshwork.js",
        "/pkg/meshwork.wasm",
    ] {
        if html.contains(needle.trim_end_matches(".wasm")) {
            assets.push(needle.to_owned());
        }
    }
    println!("| resource | bytes transferred |\n|---|---|");
    for asset in &assets {
        let size = output(
            "curl",
            &[
                "-s",
                "-H",
                "Accept-Encoding: br, gzip",
                "-o",
                "/dev/null",
                "-w",
                "%{size_download}",
                &format!("{base}{asset}"),
            ],
        )
        .unwrap_or_default();
        let n: u64 = size.parse().unwrap_or(0);
        total += n;
        println!("| `{asset}` | {n} |");
    }
    println!(
        "| **total** | **{total}** ({:.0} KiB) |",
        total as f64 / 1024.0
    );

    // Warm the caches, then idle memory.
    for path in [
        "/",
        "/products/sales.orders",
        "/api/v1/search?q=customer",
        "/domains",
    ] {
        let _ = output("curl", &["-s", "-o", "/dev/null", &format!("{base}{path}")]);
    }
    std::thread::sleep(Duration::from_secs(2));
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.id())).unwrap_or_default();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .unwrap_or("VmRSS: ?")
        .to_owned();
    println!(
        "\n## Idle memory\n\n- after serving the catalog, a product page and a search: {}",
        rss.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")
    );

    // HTTP: Meshwork against a bare axum handler, same tool, same machine, same run.
    let bare_port = free_port()?;
    let product = output(
        "curl",
        &["-s", &format!("{base}/api/v1/products/sales.orders")],
    )
    .unwrap_or_default();
    let mut bare = Command::new("target/release/bare-axum")
        .args([format!("127.0.0.1:{bare_port}"), product.len().to_string()])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("bare-axum: {e}"))?;
    std::thread::sleep(Duration::from_millis(500));
    println!("\n## HTTP on loopback (wrk, 2 threads, 32 connections, 10 s)\n");
    println!("| endpoint | requests/s | p50 | p99 |\n|---|---|---|---|");
    for (label, url) in [
        (
            "bare axum handler (baseline)",
            format!("http://127.0.0.1:{bare_port}/api/v1/products/sales.orders"),
        ),
        (
            "`GET /api/v1/products/sales.orders`",
            format!("{base}/api/v1/products/sales.orders"),
        ),
        (
            "`GET /api/v1/search?q=customer`",
            format!("{base}/api/v1/search?q=customer"),
        ),
        (
            "`GET /api/v1/search?domain=sales&sort=name`",
            format!("{base}/api/v1/search?domain=sales&sort=name"),
        ),
    ] {
        let out = output("wrk", &["-t2", "-c32", "-d10s", "--latency", &url]).unwrap_or_default();
        let rps = out
            .lines()
            .find(|l| l.starts_with("Requests/sec"))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_owned();
        let pct = |p: &str| {
            out.lines()
                .find(|l| l.trim_start().starts_with(p))
                .and_then(|l| l.split_whitespace().nth(1))
                .unwrap_or("?")
                .to_owned()
        };
        println!("| {label} | {rps} | {} | {} |", pct("50%"), pct("99%"));
    }
    let _ = bare.kill();
    let _ = server.kill();
    let _ = bare.wait();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

fn spawn(binary: &str, port: u16, data: &str) -> Result<std::process::Child> {
    Command::new(binary)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
            data,
            "--anonymous-read",
        ])
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("MESHWORK_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{binary}: {e}"))
}
