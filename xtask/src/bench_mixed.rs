//! `cargo xtask bench mixed`: 60 s of reads and writes together at 128 connections on the demo
//! mesh (SQLite), counting errors and sampling the server's resident memory every 5 s. Writes
//! re-publish products through the Entropy-compatible API (which changes what every cached read
//! depends on) and post OpenLineage runs
//! (which changes the lineage graph); reads are product JSON, product pages, search and lineage.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::bench::Wrk;
use crate::util::{Result, build_site, exists, free_port, output, run, scratch, start_server};

const SCRIPT: &str = r#"
-- Reads and writes mixed: of every 20 requests, 2 publish a product, 2 post an OpenLineage run,
-- and 16 read (product JSON, product pages, search, a lineage view).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
ids = {}
function init(args)
  for id in string.gmatch(os.getenv("MESHWORK_PRODUCTS"), "[^,]+") do
    table.insert(ids, id)
  end
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("MESHWORK_TOKEN")
end
-- A request's headers: the token and content negotiation of every request, and its own.
local function with(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra) do h[k] = v end
  return h
end
function request()
  counter = counter + 1
  local slot = counter % 20
  local id = ids[(counter * 7 + tid) % #ids + 1]
  if slot == 0 or slot == 10 then
    -- Re-published as CI does (the Entropy-compatible PUT the Data Product CLI uses).
    local n = (counter + tid * 13) % 40
    local body = string.format([[{"apiVersion":"v1.0.0","kind":"DataProduct","id":"sales.mixed-%d","name":"Mixed load %d","version":"1.0.0","status":"active","domain":"sales","team":{"name":"sales-analytics"},"description":{"purpose":"Published again and again by the mixed benchmark (thread %d, request %d)."},"tags":["bench"],"outputPorts":[{"name":"table","type":"table","version":"1.0.0","contractId":"urn:datacontract:mixed:%d"}]}]],
      n, n, tid, counter, n)
    return wrk.format("PUT", "/api/dataproducts/sales.mixed-" .. n, with({["Content-Type"] = "application/json"}), body)
  elseif slot == 5 or slot == 15 then
    local job = counter % 50
    local body = string.format([[{"eventTime":"2026-01-15T10:%02d:%02d.%06dZ","eventType":"COMPLETE","producer":"https://github.com/meshwork/bench","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent","run":{"runId":"%08x-0000-4000-8000-%012x"},"job":{"namespace":"mixed","name":"job-%d"},"inputs":[{"namespace":"postgres://db.mixed:5432","name":"shop.public.orders_%d"}],"outputs":[{"namespace":"postgres://db.mixed:5432","name":"analytics.public.revenue_%d"}]}]],
      math.floor(counter / 60) % 60, counter % 60, counter % 1000000, tid, counter, job, job, job)
    return wrk.format("POST", "/api/v1/lineage", with({["Content-Type"] = "application/json"}), body)
  elseif slot % 4 == 1 then
    return wrk.format("GET", "/products/" .. id, with({["Accept"] = "text/html"}))
  elseif slot % 4 == 2 then
    return wrk.format("GET", "/api/v1/search?q=customer")
  elseif slot == 3 then
    return wrk.format("GET", "/api/v1/graph?focus=product:" .. id .. "&upstream=2&downstream=2")
  else
    return wrk.format("GET", "/api/v1/products/" .. id)
  end
end
"#;

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

pub fn bench_mixed() -> Result {
    if !exists("/usr/bin/wrk") {
        run("apt-get", &["install", "-y", "wrk"], &[])?;
    }
    build_site(true)?;
    let binary = "target/release/meshwork";
    let scratch = scratch("mixed")?;
    let data = scratch.join("data").display().to_string();
    run(binary, &["demo", "--data-dir", &data], &[])?;
    let script = scratch.join("mixed.lua");
    std::fs::write(&script, SCRIPT).map_err(|e| e.to_string())?;
    let token = "bench-admin-token";
    let server = start_server(
        binary,
        free_port()?,
        &data,
        &[],
        &[("MESHWORK_ADMIN_TOKEN", token), ("MESHWORK_LOG", "warn")],
        &scratch.join("server.log").display().to_string(),
    )?;
    let listing = output(
        "curl",
        &[
            "-s",
            "-H",
            &format!("Authorization: Bearer {token}"),
            &format!("{}/api/v1/products?limit=200", server.url),
        ],
    )
    .unwrap_or_default();
    let products: Vec<String> = serde_json::from_str::<serde_json::Value>(&listing)
        .ok()
        .and_then(|v| {
            let list = v.get("items").cloned().unwrap_or(v);
            list.as_array().map(|items| {
                items
                    .iter()
                    .filter_map(|p| p["id"].as_str().map(String::from))
                    .collect()
            })
        })
        .unwrap_or_default();
    if products.is_empty() {
        return Err(format!("no products listed: {listing}"));
    }
    // The products the load re-publishes, first published with their contracts.
    for n in 0..40 {
        let bundle = format!(
            r#"{{"product":{{"apiVersion":"v1.0.0","kind":"DataProduct","id":"sales.mixed-{n}","name":"Mixed load {n}","version":"1.0.0","status":"active","domain":"sales","team":{{"name":"sales-analytics"}},"description":{{"purpose":"Published again and again by the mixed benchmark."}},"outputPorts":[{{"name":"table","type":"table","version":"1.0.0","contractId":"urn:datacontract:mixed:{n}"}}]}},"contracts":[{{"apiVersion":"v3.0.2","kind":"DataContract","id":"urn:datacontract:mixed:{n}","name":"mixed-{n}","version":"1.0.0","status":"active","schema":[{{"name":"t","physicalType":"table","properties":[{{"name":"k","logicalType":"integer"}}]}}]}}]}}"#
        );
        let status = output(
            "curl",
            &[
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                &format!("Authorization: Bearer {token}"),
                "-H",
                "Content-Type: application/json",
                "-d",
                &bundle,
                &format!("{}/api/v1/products", server.url),
            ],
        )
        .unwrap_or_default();
        if status != "201" {
            return Err(format!("publishing sales.mixed-{n} answered {status}"));
        }
    }
    let pid = server.child.id();
    let before = rss_kib(pid);
    let mut wrk = Command::new("wrk")
        .args([
            "-t2",
            "-c128",
            "-d60s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
        ])
        .arg(&script)
        .arg(&server.url)
        .env("MESHWORK_TOKEN", token)
        .env("MESHWORK_PRODUCTS", products.join(","))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("wrk: {e}"))?;
    let start = Instant::now();
    let mut samples = vec![(0u64, before)];
    while wrk.try_wait().map_err(|e| e.to_string())?.is_none() {
        std::thread::sleep(Duration::from_millis(250));
        let at = start.elapsed().as_secs();
        if at >= samples.last().map_or(0, |s| s.0) + 5 {
            samples.push((at, rss_kib(pid)));
        }
    }
    let out = wrk.wait_with_output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    std::thread::sleep(Duration::from_secs(5));
    let after = rss_kib(pid);
    let report = Wrk::parse(&text);
    println!(
        "\n## Mixed reads and writes (wrk, 2 threads, 128 connections, 60 s, SQLite, demo mesh)\n"
    );
    println!("| figure | value |\n|---|---|");
    println!("| requests | {} |", report.requests);
    println!("| requests/s | {:.0} |", report.rps);
    println!("| latency p50 / p99 | {} / {} |", report.p50, report.p99);
    println!("| errors (non-2xx, socket) | {} |", report.errors);
    println!(
        "| resident memory, every 5 s (MB) | {} |",
        samples
            .iter()
            .map(|(at, kib)| format!("{at} s: {:.0}", *kib as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "| resident memory 5 s after the load | {:.0} MB |",
        after as f64 / 1024.0
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
