//! Server-rendered pages under pressure: a server just started (nothing in memory, the lineage
//! graph not loaded) answering many concurrent first requests for product pages, each with its
//! concurrent resources, while both cores are kept busy and other routers are being built in the
//! same process (as every test of this binary does); and the same data always renders to the
//! same bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http::{Method, StatusCode};

use crate::support::{Reply, TestApp, send};

const PRODUCTS: &[&str] = &[
    "sales.daily",
    "sales.weekly",
    "sales.monthly",
    "sales.yearly",
];

/// The page with this response's nonce (fresh for every request) replaced by a fixed word.
fn without_nonce(reply: &Reply) -> String {
    let policy = reply
        .headers
        .get(http::header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .expect("every page carries a Content-Security-Policy");
    let nonce = policy
        .split_once("'nonce-")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(nonce, _)| nonce)
        .expect("the policy names the page's nonce");
    reply.body.replace(nonce, "NONCE")
}

/// Keeps every core busy until dropped, so that the renderer's tasks interleave as they do on a
/// loaded CI machine.
struct BusyCores(Arc<AtomicBool>, Vec<std::thread::JoinHandle<()>>);

impl BusyCores {
    fn start() -> BusyCores {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let threads = (0..cores)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut x: u64 = 1;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..10_000 {
                            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                        }
                        std::hint::black_box(x);
                    }
                })
            })
            .collect();
        BusyCores(stop, threads)
    }
}

impl Drop for BusyCores {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        for t in self.1.drain(..) {
            let _ = t.join();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_server_answers_many_concurrent_first_page_requests() {
    let app = TestApp::spawn().await;
    for id in PRODUCTS {
        app.create_product(id, "sales-analytics").await;
    }
    for round in 0..3 {
        // A server just started: its lineage graph is loaded by the first requests themselves.
        let router = app.restarted();
        let busy = BusyCores::start();
        let requests = (0..48).map(|i| {
            let router = router.clone();
            let token = app.alice.clone();
            let path = format!("/products/{}", PRODUCTS[i % PRODUCTS.len()]);
            tokio::spawn(async move {
                let reply = tokio::time::timeout(
                    Duration::from_secs(30),
                    send(&router, Method::GET, &path, Some(&token), &[], Vec::new()),
                )
                .await;
                (path, reply)
            })
        });
        let requests: Vec<_> = requests.collect();
        // Meanwhile, more routers are built in this process, as the other tests of this binary
        // do. Leptos walks the app once per router to list its routes and, while it does, holds
        // back every resource that starts loading anywhere in the process: a page rendered at
        // that moment used to wait for a resource that never loads.
        let building = {
            let routers: Vec<_> = (0..12).map(|_| app.restarted()).collect();
            routers.len()
        };
        assert_eq!(building, 12);
        let replies = futures_join(requests).await;
        drop(busy);
        for (path, reply) in replies {
            let reply = reply.unwrap_or_else(|_| {
                panic!("round {round}: GET {path} got no answer in 30 s (the page hangs)")
            });
            assert_eq!(reply.status, StatusCode::OK, "round {round}: GET {path}");
            assert!(
                reply.body.contains("<h1>Daily sales</h1>"),
                "round {round}: GET {path} rendered without its product"
            );
        }
    }
    app.finish().await;
}

async fn futures_join<T: Send + 'static>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("a request task panicked"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_data_renders_to_the_same_bytes() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    for path in [
        "/products/sales.daily",
        "/",
        "/domains/sales",
        "/teams/sales-analytics",
    ] {
        let first = app.get(path, Some(&app.alice)).await.expect(StatusCode::OK);
        let reference = without_nonce(&first);
        // Every resource is serialised into the page exactly once.
        let mut ids: Vec<&str> = reference
            .match_indices("__RESOLVED_RESOURCES[")
            .map(|(at, _)| {
                let rest = &reference[at + "__RESOLVED_RESOURCES[".len()..];
                &rest[..rest.find(']').unwrap_or(0)]
            })
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "{path}: a resource is serialised twice");
        // Sequential and concurrent renders of the same data are identical, byte for byte.
        for _ in 0..3 {
            let again = app.get(path, Some(&app.alice)).await;
            assert_eq!(
                without_nonce(&again),
                reference,
                "{path} rendered differently"
            );
        }
        let busy = BusyCores::start();
        let concurrent = (0..8).map(|_| {
            let router = app.router.clone();
            let token = app.alice.clone();
            tokio::spawn(async move {
                send(&router, Method::GET, path, Some(&token), &[], Vec::new()).await
            })
        });
        let replies = futures_join(concurrent.collect()).await;
        drop(busy);
        for reply in replies {
            assert_eq!(
                without_nonce(&reply),
                reference,
                "{path} rendered differently"
            );
        }
    }
    app.finish().await;
}

#[tokio::test]
async fn pages_of_missing_things_answer_404_with_the_friendly_panel() {
    let app = TestApp::spawn().await;
    for path in [
        "/products/nope",
        "/domains/nope",
        "/teams/nope",
        "/no/such/page",
    ] {
        let reply = app.get(path, Some(&app.alice)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            reply.body.contains("Back to the catalog") || reply.body.contains("Go to the catalog"),
            "{path}: {}",
            &reply.body[..reply.body.len().min(400)]
        );
    }
    // Impact analysis without a node explains itself instead of failing.
    let impact = app
        .get("/lineage/impact", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    assert!(impact.body.contains("Choose what to analyse"));
    assert!(!impact.body.contains("has no kind"));
}
