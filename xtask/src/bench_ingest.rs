//! `cargo xtask bench ingest`: OpenLineage ingestion over HTTP, on SQLite and on PostgreSQL.
//! `wrk` (a second process, on loopback) posts distinct RunEvents — 200 jobs, each reading one
//! dataset and writing another, with a schema facet — as fast as Meshwork acknowledges them.
//! Every acknowledged event is on disk (group commit), so events/s is what survives a crash.

use crate::bench::Wrk;
use crate::util::{Result, build_server, exists, free_port, output, run, scratch, start_server};

const SCRIPT: &str = r#"
-- Distinct OpenLineage RunEvents: a fresh run id each, 200 jobs, 400 datasets.
-- `setup` runs in the main Lua state; `tid` becomes a global of each thread's own state.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
function init(args)
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("MESHWORK_TOKEN")
end
function request()
  counter = counter + 1
  local job = counter % 200
  local body = string.format([[{"eventTime":"2025-01-15T10:%02d:%02d.%06dZ","eventType":"COMPLETE","producer":"https://github.com/meshwork/bench","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent","run":{"runId":"%08x-0000-4000-8000-%012x"},"job":{"namespace":"bench","name":"job-%d"},"inputs":[{"namespace":"postgres://db.bench:5432","name":"shop.public.orders_%d","facets":{"schema":{"_producer":"bench","_schemaURL":"https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json","fields":[{"name":"order_id","type":"BIGINT"},{"name":"customer_id","type":"BIGINT"},{"name":"amount","type":"NUMERIC(12,2)"}]}}}],"outputs":[{"namespace":"postgres://db.bench:5432","name":"analytics.public.revenue_%d"}]}]],
    math.floor(counter / 60) % 60, counter % 60, counter % 1000000, tid, counter, job, job, job)
  return wrk.format("POST", "/api/v1/lineage", nil, body)
end
"#;

fn wrk(url: &str, token: &str, script: &str) -> Result<Wrk> {
    let out = std::process::Command::new("wrk")
        .args(["-t2", "-c64", "-d10s", "--latency", "-s", script, url])
        .env("MESHWORK_TOKEN", token)
        .output()
        .map_err(|e| format!("wrk: {e}"))?;
    Ok(Wrk::parse(&String::from_utf8_lossy(&out.stdout)))
}

pub fn bench_ingest() -> Result {
    if !exists("/usr/bin/wrk") {
        run("apt-get", &["install", "-y", "wrk"], &[])?;
    }
    build_server()?;
    let scratch = scratch("ingest")?;
    let script = scratch.join("events.lua");
    std::fs::write(&script, SCRIPT).map_err(|e| e.to_string())?;
    let token = "bench-admin-token";
    println!(
        "\n## OpenLineage ingestion over HTTP (wrk, 2 threads, 64 connections, 10 s; distinct RunEvents)\n"
    );
    println!(
        "| database | events/s | p50 | p99 | errors | runs stored |\n|---|---|---|---|---|---|"
    );
    let database = format!("meshwork_bench_{}", std::process::id());
    let _ = output(
        "psql",
        &[
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-c",
            &format!("CREATE DATABASE {database}"),
        ],
    );
    for (label, url) in [
        ("SQLite", None),
        (
            "PostgreSQL",
            Some(format!("postgres://postgres@127.0.0.1:5432/{database}")),
        ),
    ] {
        let dir = scratch.join(label).display().to_string();
        let mut env = vec![("MESHWORK_ADMIN_TOKEN", token), ("MESHWORK_LOG", "warn")];
        if let Some(u) = &url {
            env.push(("DATABASE_URL", u.as_str()));
        }
        let server = start_server(
            "target/release/meshwork",
            free_port()?,
            &dir,
            &[],
            &env,
            &scratch.join(format!("{label}.log")).display().to_string(),
        )?;
        let Wrk {
            rps,
            p50,
            p99,
            errors,
            ..
        } = wrk(
            &format!("{}/api/v1/lineage", server.url),
            token,
            &script.display().to_string(),
        )?;
        // Every acknowledged event is a run of one of the 200 jobs: count them back.
        let mut stored = 0u64;
        for job in 0..200 {
            let body = output(
                "curl",
                &[
                    "-s",
                    "-H",
                    &format!("Authorization: Bearer {token}"),
                    &format!(
                        "{}/api/v1/namespaces/bench/jobs/job-{job}/runs?limit=1",
                        server.url
                    ),
                ],
            )
            .unwrap_or_default();
            stored += body
                .split("\"totalCount\":")
                .nth(1)
                .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
        let count = stored.to_string();
        println!("| {label} | {rps:.0} | {p50} | {p99} | {errors} | {count} |");
        drop(server);
    }
    let _ = output(
        "psql",
        &[
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-c",
            &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        ],
    );
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
