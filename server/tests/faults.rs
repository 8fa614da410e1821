//! Faults survived, with the real `meshwork` binary:
//!
//! - killed with SIGKILL again and again in the middle of sustained OpenLineage ingestion and
//!   publications (SQLite): after every restart each acknowledged event and publication is
//!   there, nothing unacknowledged is there by halves, and SQLite's integrity check passes;
//! - its PostgreSQL going away under load: `/readyz` and the API answer 503 at once (not 500, and
//!   without hanging) while it is away, and everything comes back without a restart — including
//!   what another instance wrote meanwhile, in the lineage graph and in the caches.

mod faults {
    pub mod net;
}

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use faults::net::{Meshwork, Proxy, Scratch, call};
use serde_json::{Value, json};

async fn directory(port: u16) {
    for (path, body) in [
        (
            "/api/v1/domains",
            json!({ "id": "faults", "name": "Faults" }),
        ),
        (
            "/api/v1/teams",
            json!({ "id": "fault-team", "name": "Fault team", "domain_id": "faults" }),
        ),
    ] {
        let (status, body) = call(port, "POST", path, Some(&body.to_string()))
            .await
            .unwrap();
        assert_eq!(status, 201, "POST {path}: {body}");
    }
}

fn run_id(round: u32, task: u32, n: u32) -> String {
    format!("{round:08x}-{task:04x}-4000-8000-{n:012x}")
}

fn event(round: u32, task: u32, n: u32) -> String {
    json!({
        "eventTime": "2026-12-01T10:00:00Z", "eventType": "COMPLETE",
        "producer": "https://meshwork.test/faults",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": { "runId": run_id(round, task, n) },
        "job": { "namespace": "faults", "name": format!("job-{task}") },
        "inputs": [{ "namespace": "file://faults", "name": format!("in-{task}") }],
        "outputs": [{ "namespace": "file://faults", "name": format!("out-{round}-{task}-{n}") }],
    })
    .to_string()
}

fn product_id(round: u32, task: u32, n: u32) -> String {
    format!("faults.r{round}-t{task}-n{n}")
}

/// A product and its contract, published together in one request (one transaction).
fn bundle(id: &str, reads: Option<&str>) -> String {
    let slug = id.trim_start_matches("faults.");
    let inputs: Vec<Value> = reads
        .map(|r| json!({ "name": "upstream", "version": "1.0.0", "contractId": format!("urn:datacontract:faults:{}", r.trim_start_matches("faults.")) }))
        .into_iter()
        .collect();
    json!({
        "product": {
            "apiVersion": "v1.0.0", "kind": "DataProduct", "id": id, "name": format!("Fault {slug}"),
            "version": "1.0.0", "status": "active", "domain": "faults", "team": { "name": "fault-team" },
            "description": { "purpose": format!("Written while the server is being killed ({slug}).") },
            "tags": [format!("tag{}", slug.replace('-', ""))],
            "inputPorts": inputs,
            "outputPorts": [{ "name": "table", "type": "table", "version": "1.0.0", "contractId": format!("urn:datacontract:faults:{slug}") }],
        },
        "contracts": [{
            "apiVersion": "v3.0.2", "kind": "DataContract", "id": format!("urn:datacontract:faults:{slug}"),
            "name": slug, "version": "1.0.0", "status": "active",
            "schema": [{ "name": "t", "physicalType": "table", "properties": [{ "name": "k", "logicalType": "integer" }] }],
        }],
    })
    .to_string()
}

#[derive(Default)]
struct Outcome {
    acknowledged: Vec<String>,
    unacknowledged: Vec<String>,
}

/// Sends events (or publications) one after another until the server stops answering.
async fn keep_writing(port: u16, round: u32, task: u32, publications: bool) -> Outcome {
    let mut outcome = Outcome::default();
    for n in 0.. {
        let (id, reply) = if publications {
            let id = product_id(round, task, n);
            let reply = call(port, "POST", "/api/v1/products", Some(&bundle(&id, None))).await;
            (id, reply)
        } else {
            let reply = call(
                port,
                "POST",
                "/api/v1/lineage",
                Some(&event(round, task, n)),
            )
            .await;
            (run_id(round, task, n), reply)
        };
        match reply {
            Ok((200..=299, _)) => outcome.acknowledged.push(id),
            Ok((status, body)) => panic!("write refused with {status}: {body}"),
            Err(_) => {
                outcome.unacknowledged.push(id);
                break;
            }
        }
    }
    outcome
}

/// Whole or absent: a product present has its contract and its search row (one transaction).
async fn product_state(port: u16, id: &str) -> Option<bool> {
    let (status, body) = call(port, "GET", &format!("/api/v1/products/{id}"), None)
        .await
        .unwrap();
    match status {
        404 => None,
        200 => {
            let detail: Value = serde_json::from_str(&body).unwrap();
            let contract = !detail["output_ports"][0]["contract"].is_null();
            let tag = detail["card"]["tags"][0]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let (_, found) = call(port, "GET", &format!("/api/v1/search?tag={tag}"), None)
                .await
                .unwrap();
            let found: Value = serde_json::from_str(&found).unwrap();
            Some(contract && found["total"] == 1)
        }
        other => panic!("GET product {id}: {other} {body}"),
    }
}

async fn run_state(port: u16, id: &str) -> bool {
    let (status, body) = call(port, "GET", &format!("/api/v1/jobs/runs/{id}"), None)
        .await
        .unwrap();
    assert!(
        status == 200 || status == 404,
        "GET run {id}: {status} {body}"
    );
    status == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_write_keeps_everything_it_acknowledged() {
    let scratch = Scratch::new("faults-kill");
    let log = scratch.0.join("server.log");
    let mut server = Meshwork::start(&scratch.0, None, &log);
    server.ready().await;
    directory(server.port).await;

    let (mut events, mut publications) = (Outcome::default(), Outcome::default());
    for round in 0..4u32 {
        let port = server.port;
        let writers: Vec<_> = (0..8u32)
            .map(|task| tokio::spawn(keep_writing(port, round, task, task >= 6)))
            .collect();
        // Long enough for hundreds of writes; a different moment in every round.
        tokio::time::sleep(Duration::from_millis(900 + 350 * u64::from(round))).await;
        server.kill9();
        for (task, writer) in writers.into_iter().enumerate() {
            let outcome = writer.await.unwrap();
            let into = if task >= 6 {
                &mut publications
            } else {
                &mut events
            };
            into.acknowledged.extend(outcome.acknowledged);
            into.unacknowledged.extend(outcome.unacknowledged);
        }
        server = Meshwork::start(&scratch.0, None, &log);
        server.ready().await;

        for id in &events.acknowledged {
            assert!(
                run_state(server.port, id).await,
                "round {round}: acknowledged run {id} is missing"
            );
        }
        for id in &publications.acknowledged {
            assert_eq!(
                product_state(server.port, id).await,
                Some(true),
                "round {round}: acknowledged product {id} is missing or incomplete"
            );
        }
        for id in &publications.unacknowledged {
            assert_ne!(
                product_state(server.port, id).await,
                Some(false),
                "round {round}: unacknowledged product {id} is there by halves"
            );
        }
        for id in &events.unacknowledged {
            // Stored whole or not at all; either is right for an event nobody was told about.
            run_state(server.port, id).await;
        }
    }
    let mut present_unacknowledged = 0;
    for id in &events.unacknowledged {
        present_unacknowledged += usize::from(run_state(server.port, id).await);
    }
    server.kill9();

    let store = store::Store::open(&format!(
        "sqlite://{}",
        scratch.0.join("meshwork.db").display()
    ))
    .await
    .unwrap();
    assert_eq!(store.integrity_check().await.unwrap(), Vec::<String>::new());
    store.close().await;
    assert!(
        events.acknowledged.len() > 100,
        "too few events to mean anything: {}",
        events.acknowledged.len()
    );
    assert!(
        publications.acknowledged.len() > 4,
        "too few publications: {}",
        publications.acknowledged.len()
    );
    println!(
        "4 kills: {} events acknowledged, all present ({} more in flight at a kill, {} of them stored); \
         {} publications acknowledged, all present and whole ({} in flight, none by halves); integrity check ok",
        events.acknowledged.len(),
        events.unacknowledged.len(),
        present_unacknowledged,
        publications.acknowledged.len(),
        publications.unacknowledged.len(),
    );
}

/// Requests against the API while the database is away: how they were answered, and the
/// slowest answer.
async fn while_away(port: u16, seconds: u64) -> (Vec<u16>, Duration) {
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut statuses = Vec::new();
    let mut slowest = Duration::ZERO;
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        for (method, path, body) in [
            ("GET", "/readyz".to_owned(), None),
            ("GET", "/api/v1/products/faults.first".to_owned(), None),
            ("GET", "/products/faults.first".to_owned(), None),
            ("GET", format!("/api/v1/search?q=fault{n}"), None),
            ("POST", "/api/v1/lineage".to_owned(), Some(event(90, 1, n))),
        ] {
            let start = Instant::now();
            let (status, _) = call(port, method, &path, body.as_deref())
                .await
                .unwrap_or_else(|e| panic!("{method} {path} while the database is away: {e}"));
            slowest = slowest.max(start.elapsed());
            statuses.push(status);
        }
    }
    (statuses, slowest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_is_answered_with_503_and_survived() {
    let (url, admin_url, name) = store::testing::create_postgres_database().await;
    let upstream = url
        .split('@')
        .nth(1)
        .and_then(|h| h.split('/').next())
        .and_then(|h| h.parse().ok())
        .expect("the test PostgreSQL's address, host:port");
    let proxy = Proxy::new(upstream);
    proxy.start();
    let through_proxy = url.replace(&upstream.to_string(), &format!("127.0.0.1:{}", proxy.port));
    let scratch = Scratch::new("faults-pg");
    let mut server = Meshwork::start(
        &scratch.0,
        Some(&through_proxy),
        &scratch.0.join("server.log"),
    );
    server.ready().await;
    let port = server.port;
    directory(port).await;
    let (status, body) = call(
        port,
        "POST",
        "/api/v1/products",
        Some(&bundle("faults.first", None)),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{body}");

    // Load, then the database goes away in the middle of it.
    let stop = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..4u32)
        .map(|task| {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let _ = call(port, "POST", "/api/v1/lineage", Some(&event(80, task, n))).await;
                    let _ = call(port, "GET", "/api/v1/products/faults.first", None).await;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    proxy.stop();
    // The watchdog notices within a second or two; from then on everything is answered at once.
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    let (statuses, slowest) = while_away(port, 3).await;
    assert!(
        statuses.iter().all(|s| *s == 503),
        "while the database is away every answer is 503: {statuses:?}"
    );
    assert!(
        slowest < Duration::from_secs(1),
        "answered at once, not after waiting for the database: slowest {slowest:?}"
    );

    // Meanwhile another instance, which still reaches the database, publishes a product that
    // reads the first one.
    let other = workbench::Workbench::new(
        store::Store::open(&url).await.unwrap(),
        workbench::WorkbenchConfig::default(),
    );
    let second: Value =
        serde_json::from_str(&bundle("faults.second", Some("faults.first"))).unwrap();
    other
        .publish(
            &workbench::Actor::system(),
            workbench::Submission {
                product: Some(workbench::SourceDoc::from_value(second["product"].clone()).unwrap()),
                contracts: vec![
                    workbench::SourceDoc::from_value(second["contracts"][0].clone()).unwrap(),
                ],
                expect: workbench::Expect::New,
                mode: workbench::Mode::Checked,
                team: None,
            },
        )
        .await
        .unwrap();

    // The database comes back: no restart, and what was written meanwhile is seen everywhere.
    proxy.start();
    let start = Instant::now();
    loop {
        let ready = matches!(call(port, "GET", "/readyz", None).await, Ok((200, _)));
        let graph = call(
            port,
            "GET",
            "/api/v1/graph?focus=product:faults.first&downstream=1&upstream=0",
            None,
        )
        .await;
        let seen = matches!(&graph, Ok((200, body)) if body.contains("product:faults.second"));
        let page = call(port, "GET", "/api/v1/products/faults.first", None).await;
        let consumers = matches!(&page, Ok((200, body)) if body.contains("faults.second"));
        if ready && seen && consumers {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not recovered within 20 s: ready {ready}, graph {graph:?}, product {page:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, body) = call(port, "POST", "/api/v1/lineage", Some(&event(99, 0, 0)))
        .await
        .unwrap();
    assert_eq!(status, 201, "writes work again: {body}");

    drop(server);
    other.store().close().await;
    drop(proxy);
    store::testing::drop_postgres_database(&admin_url, &name).await;
}
