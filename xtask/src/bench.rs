//! `cargo xtask bench [http | lineage | layout | ingest | browser | mixed]` (all of them without
//! an argument). `http`: start-up time, idle memory, first-load transfer size of the catalog page,
//! and the reads at the limit — product JSON, product page HTML and search, with a token and with
//! a session cookie — each next to a bare axum handler answering a body of the same size and to
//! Meshwork without its read caches, all in the same run. The others are in their own modules. Figures go to
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
    if all || which == "mixed" {
        crate::bench_mixed::bench_mixed()?;
    }
    if !matches!(
        which,
        "all" | "http" | "lineage" | "layout" | "ingest" | "browser" | "mixed"
    ) {
        return Err(format!(
            "unknown benchmark '{which}': http, lineage, layout, ingest, browser or mixed"
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

    let _ = server.kill();
    let _ = server.wait();
    reads(binary, &data)?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// What `wrk --latency` reports.
pub(crate) struct Wrk {
    pub rps: f64,
    pub p50: String,
    pub p99: String,
    /// The "N requests in …" line.
    pub requests: String,
    /// Non-2xx answers and socket errors, or "none".
    pub errors: String,
}

impl Wrk {
    pub(crate) fn parse(out: &str) -> Wrk {
        let find = |prefix: &str| {
            out.lines()
                .find(|l| l.trim_start().starts_with(prefix))
                .and_then(|l| l.split_whitespace().nth(1))
                .unwrap_or("?")
                .to_owned()
        };
        let errors = out
            .lines()
            .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
            .map(|l| l.trim().to_owned())
            .collect::<Vec<_>>()
            .join("; ");
        Wrk {
            rps: find("Requests/sec").parse().unwrap_or(0.0),
            p50: find("50%"),
            p99: find("99%"),
            requests: out
                .lines()
                .find(|l| l.contains("requests in"))
                .map(|l| l.trim().to_owned())
                .unwrap_or_default(),
            errors: if errors.is_empty() {
                String::from("none")
            } else {
                errors
            },
        }
    }
}

/// `wrk` with 2 threads for 10 s at `connections`, sending `headers` (one per flag).
fn wrk(url: &str, headers: &[&str], connections: &str) -> Wrk {
    let mut args = vec!["-t2", "-c", connections, "-d", "10s", "--latency"];
    for h in headers {
        args.extend(["-H", h]);
    }
    args.push(url);
    Wrk::parse(&output("wrk", &args).unwrap_or_default())
}

/// Reads at the limit: each read measured three times in one run — a bare axum handler answering
/// a body of the same size, Meshwork without its read caches (`--no-read-cache`, as before they
/// existed), and Meshwork as it ships — with the authentication a client really sends: an API
/// token, or the session cookie a browser sends.
fn reads(binary: &str, data: &str) -> Result {
    let token = output(
        binary,
        &[
            "token",
            "create",
            "--data-dir",
            data,
            "--name",
            "bench",
            "--user",
            "alice",
        ],
    )
    .ok_or("could not create a token for alice")?;
    let after_port = free_port()?;
    let mut after = spawn(binary, after_port, data)?;
    let before_port = free_port()?;
    let mut before = spawn_with(binary, before_port, data, &["--no-read-cache"])?;
    for port in [after_port, before_port] {
        let addr: SocketAddr = format!("127.0.0.1:{port}")
            .parse()
            .map_err(|e| format!("{e}"))?;
        while !http_ok(&addr, "/readyz") {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let base = format!("http://127.0.0.1:{after_port}");
    let signed_in = output(
        "curl",
        &[
            "-s",
            "-D",
            "-",
            "-o",
            "/dev/null",
            "-H",
            "Content-Type: application/json",
            "-d",
            r#"{"username":"alice","password":"meshwork-demo"}"#,
            &format!("{base}/api/v1/session"),
        ],
    )
    .unwrap_or_default();
    let cookie = signed_in
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie").then(|| {
                value
                    .trim()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        })
        .ok_or("signing in as alice set no cookie")?;
    let bearer = format!("Authorization: Bearer {token}");
    let cookie = format!("Cookie: {cookie}");
    println!(
        "\n## Reads on loopback (wrk, 2 threads, 32 connections, 10 s each; bare handler, before and after in one run)\n"
    );
    println!(
        "| read | auth | body | bare axum req/s (p99) | before: req/s (p99) | after: req/s (p50, p99) | after ÷ bare | errors |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    // The encoding asked for: none, or what Chromium asks for (the body is then the compressed
    // one, and the bare handler answers as many bytes).
    let browser = "Accept-Encoding: gzip, deflate, br, zstd";
    for (label, path, accept, encoding) in [
        (
            "product JSON `GET /api/v1/products/sales.orders`",
            "/api/v1/products/sales.orders",
            "application/json",
            None,
        ),
        (
            "product page HTML `GET /products/sales.orders`",
            "/products/sales.orders",
            "text/html",
            None,
        ),
        (
            "product page HTML, compressed as Chromium asks",
            "/products/sales.orders",
            "text/html",
            Some(browser),
        ),
        (
            "search `GET /api/v1/search?q=customer`",
            "/api/v1/search?q=customer",
            "application/json",
            None,
        ),
    ] {
        for (auth, header) in [("token", &bearer), ("cookie", &cookie)] {
            let accept_header = format!("Accept: {accept}");
            let mut headers = vec![header.as_str(), accept_header.as_str()];
            headers.extend(encoding);
            let mut curl = vec!["-s", "-o", "/dev/null", "-w", "%{size_download}"];
            for h in &headers {
                curl.extend(["-H", h]);
            }
            let url = format!("{base}{path}");
            curl.push(&url);
            let size: usize = output("curl", &curl)
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("could not read {path}"))?;
            let bare_port = free_port()?;
            let mut bare = Command::new("target/release/bare-axum")
                .args([format!("127.0.0.1:{bare_port}"), size.to_string()])
                .stdout(Stdio::null())
                .spawn()
                .map_err(|e| format!("bare-axum: {e}"))?;
            std::thread::sleep(Duration::from_millis(300));
            let base_run = wrk(
                &format!("http://127.0.0.1:{bare_port}{path}"),
                &headers[1..],
                "32",
            );
            let _ = bare.kill();
            let _ = bare.wait();
            let measure = |port: u16| {
                let url = format!("http://127.0.0.1:{port}{path}");
                wrk(&url, &headers, "32")
            };
            let old = measure(before_port);
            let new = measure(after_port);
            println!(
                "| {label} | {auth} | {:.1} KB | {:.0} ({}) | {:.0} ({}) | **{:.0}** ({}, **{}**) | {:.0} % | {} |",
                size as f64 / 1024.0,
                base_run.rps,
                base_run.p99,
                old.rps,
                old.p99,
                new.rps,
                new.p50,
                new.p99,
                100.0 * new.rps / base_run.rps.max(1.0),
                if old.errors == "none" && new.errors == "none" {
                    String::from("none")
                } else {
                    format!("before: {}; after: {}", old.errors, new.errors)
                },
            );
        }
    }
    for child in [&mut after, &mut before] {
        let _ = child.kill();
        let _ = child.wait();
    }
    Ok(())
}

fn spawn(binary: &str, port: u16, data: &str) -> Result<std::process::Child> {
    spawn_with(binary, port, data, &[])
}

fn spawn_with(binary: &str, port: u16, data: &str, extra: &[&str]) -> Result<std::process::Child> {
    Command::new(binary)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
            data,
            "--anonymous-read",
        ])
        .args(extra)
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("MESHWORK_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{binary}: {e}"))
}
