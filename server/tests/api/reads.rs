//! The read caches (the server's response cache, the workbench's remembered tokens, sessions
//! and names): a read after a write sees the write, every caller gets the answer computed for
//! them, pages carry the nonce of their own response, an unchanged answer is a 304, and on
//! PostgreSQL another instance's write reaches this instance's cached answers through the change
//! feed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{Method, StatusCode};
use serde_json::json;
use server::AppState;
use server::state::Settings;
use store::Store;
use store::testing::TestDb;
use workbench::{Workbench, WorkbenchConfig};

use crate::support::{ADMIN_TOKEN, Reply, TestApp, contract_json, product_json, send};

fn etag(reply: &Reply) -> String {
    reply.headers["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_read_after_a_write_sees_the_write() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    for _ in 0..3 {
        let read = app
            .get("/api/v1/products/sales.daily", Some(&app.alice))
            .await
            .expect(StatusCode::OK);
        assert_eq!(read.json()["card"]["version"], "1.0.0");
    }
    let page = app
        .get("/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    assert!(page.body.contains("Daily sales"));

    let mut doc = product_json("sales.daily", "sales-analytics");
    doc["version"] = json!("1.1.0");
    doc["name"] = json!("Daily sales, renamed");
    let read = app
        .get("/api/v1/products/sales.daily", Some(&app.alice))
        .await;
    app.send_json_with(
        Method::PUT,
        "/api/v1/products/sales.daily",
        Some(&app.alice),
        &doc,
        &[("if-match", &etag(&read))],
    )
    .await
    .expect(StatusCode::OK);

    let read = app
        .get("/api/v1/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    assert_eq!(read.json()["card"]["version"], "1.1.0");
    let page = app
        .get("/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    assert!(
        page.body.contains("Daily sales, renamed"),
        "the page was served from before the write"
    );
    let found = app
        .get("/api/v1/search?q=renamed", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.json()["total"], 1);
    app.finish().await;
}

/// Team and domain names are remembered too (every card and page turns ids into names): a
/// renamed team shows under its new name at once.
#[tokio::test]
async fn a_renamed_team_is_shown_by_its_new_name_at_once() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let read = app
        .get("/api/v1/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    let before = read.json()["card"]["team_name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(before, "Sales Insight");
    app.send_json(
        Method::PUT,
        "/api/v1/teams/sales-analytics",
        Some(ADMIN_TOKEN),
        &json!({ "name": "Sales Insight", "domain_id": "sales" }),
    )
    .await
    .expect(StatusCode::OK);
    let read = app
        .get("/api/v1/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    assert_eq!(read.json()["card"]["team_name"], "Sales Insight");
    let page = app
        .get("/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    assert!(
        page.body.contains("Sales Insight"),
        "the page still names the old team"
    );
    app.finish().await;
}

#[tokio::test]
async fn every_caller_gets_the_answer_computed_for_them() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    // Alice's team owns it; Bob's does not. Asked alternately, each keeps their own answer.
    for _ in 0..2 {
        let alice = app
            .get("/api/v1/products/sales.daily", Some(&app.alice))
            .await
            .expect(StatusCode::OK);
        let bob = app
            .get("/api/v1/products/sales.daily", Some(&app.bob))
            .await
            .expect(StatusCode::OK);
        assert_eq!(alice.json()["can_edit"], true);
        assert_eq!(bob.json()["can_edit"], false);
        assert_ne!(etag(&alice), etag(&bob));
    }
    // Nobody signed in, and anonymous reading is off: refused, cache or not.
    assert_eq!(
        app.get("/api/v1/products/sales.daily", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}

#[tokio::test]
async fn a_page_from_the_cache_carries_its_own_nonce() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let mut nonces = Vec::new();
    for _ in 0..3 {
        let page = app
            .get("/products/sales.daily", Some(&app.alice))
            .await
            .expect(StatusCode::OK);
        let nonce = policy_nonce(&page.headers);
        let scripts = page.body.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(
            page.body.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "every inline script carries this response's nonce"
        );
        nonces.push(nonce);
    }
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a fresh nonce every time");
    app.finish().await;
}

/// The nonce of a page's Content-Security-Policy.
fn policy_nonce(headers: &http::HeaderMap) -> String {
    headers["content-security-policy"]
        .to_str()
        .unwrap()
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_page_for_a_browser_is_gzip_around_its_own_nonce() {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use std::io::Read;
    use tower::ServiceExt;

    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let plain = app
        .get("/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    let plain_nonce = policy_nonce(&plain.headers);
    let mut nonces = Vec::new();
    // As Chromium asks, and as one that accepts gzip only after brotli.
    for encoding in [
        "gzip, deflate, br, zstd",
        "br;q=1, gzip;q=0.5",
        "gzip, deflate, br, zstd",
    ] {
        let request = http::Request::get("/products/sales.daily")
            .header("authorization", format!("Bearer {}", app.alice))
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap();
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-encoding"], "gzip", "{encoding}");
        assert!(
            headers.get_all("vary").iter().any(|v| v
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")),
            "{encoding}: {headers:?}"
        );
        let compressed = response.into_body().collect().await.unwrap().to_bytes();
        let mut page = String::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_string(&mut page)
            .expect("a valid gzip body");
        assert!(compressed.len() < page.len() / 2, "compressed");
        let nonce = policy_nonce(&headers);
        assert_eq!(
            page.replace(&nonce, &plain_nonce),
            plain.body,
            "the same page as uncompressed, with this response's nonce in place of that one's"
        );
        assert!(page.matches(&format!("nonce=\"{nonce}\"")).count() > 0);
        nonces.push(nonce);
    }
    nonces.push(plain_nonce);
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a fresh nonce every time");
    // Refusing gzip is heard: the page comes as the client asked (brotli).
    let refused = app
        .request(
            Method::GET,
            "/products/sales.daily",
            Some(&app.alice),
            &[("accept-encoding", "br, gzip;q=0")],
            "",
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(refused.headers["content-encoding"], "br");
    app.finish().await;
}

#[tokio::test]
async fn an_unchanged_answer_is_not_sent_again() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let first = app
        .get("/api/v1/products/sales.daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    let tag = etag(&first);
    assert!(
        tag.starts_with("\"1."),
        "the revision, then the content: {tag}"
    );
    assert_eq!(first.headers["cache-control"], "private, no-cache");
    let again = app
        .request(
            Method::GET,
            "/api/v1/products/sales.daily",
            Some(&app.alice),
            &[("if-none-match", &tag)],
            "",
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(etag(&again), tag);
    let search = app
        .get("/api/v1/search?q=daily", Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    let again = app
        .request(
            Method::GET,
            "/api/v1/search?q=daily",
            Some(&app.alice),
            &[("if-none-match", &etag(&search))],
            "",
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // A consumer appears: the product's revision is the same, its content is not.
    let mut reader = product_json("sales.weekly", "sales-analytics");
    reader["inputPorts"] = json!([{ "name": "daily", "version": "1.0.0", "contractId": "urn:datacontract:sales:daily" }]);
    let reader =
        json!({ "product": reader, "contracts": [contract_json("urn:datacontract:sales:weekly")] });
    app.send_json(Method::POST, "/api/v1/products", Some(ADMIN_TOKEN), &reader)
        .await
        .expect(StatusCode::CREATED);
    let changed = app
        .request(
            Method::GET,
            "/api/v1/products/sales.daily",
            Some(&app.alice),
            &[("if-none-match", &tag)],
            "",
        )
        .await
        .expect(StatusCode::OK);
    assert!(etag(&changed).starts_with("\"1."));
    assert_ne!(etag(&changed), tag);
    assert_eq!(changed.json()["consumers"][0]["product_id"], "sales.weekly");
    // The ETag of a read is still good for If-Match: it names the revision.
    let mut doc = product_json("sales.daily", "sales-analytics");
    doc["version"] = json!("1.0.1");
    app.send_json_with(
        Method::PUT,
        "/api/v1/products/sales.daily",
        Some(&app.alice),
        &doc,
        &[("if-match", &etag(&changed))],
    )
    .await
    .expect(StatusCode::OK);
    app.finish().await;
}

#[tokio::test]
async fn a_signed_out_session_is_not_remembered() {
    let app = TestApp::spawn().await;
    let signed_in = app
        .send_json(
            Method::POST,
            "/api/v1/session",
            None,
            &json!({ "username": "alice", "password": crate::support::PASSWORD }),
        )
        .await
        .expect(StatusCode::OK);
    let cookie = signed_in.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let me = |cookie: String| {
        let router = app.router.clone();
        async move {
            send(
                &router,
                Method::GET,
                "/api/v1/me",
                None,
                &[("cookie", &cookie)],
                Vec::new(),
            )
            .await
        }
    };
    for _ in 0..2 {
        assert_eq!(me(cookie.clone()).await.json()["user"]["username"], "alice");
    }
    send(
        &app.router,
        Method::DELETE,
        "/api/v1/session",
        None,
        &[("cookie", &cookie)],
        Vec::new(),
    )
    .await;
    assert!(
        me(cookie.clone()).await.json()["user"].is_null(),
        "the session ended everywhere at once"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_remembered_answer_is_not_given_to_a_revoked_token() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let created = app
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            Some(&app.alice),
            &json!({ "name": "ci" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["token"]["id"].as_str().unwrap().to_owned();
    // Read often enough to be remembered, by the token and by the same token as an API key.
    for _ in 0..3 {
        app.get("/api/v1/products/sales.daily", Some(&secret))
            .await
            .expect(StatusCode::OK);
        app.request(
            Method::GET,
            "/api/v1/products/sales.daily",
            None,
            &[("x-api-key", &secret)],
            "",
        )
        .await
        .expect(StatusCode::OK);
    }
    // The same request with other credentials, or none, is not given the token's answer.
    assert_eq!(
        app.get("/api/v1/products/sales.daily", Some("not-a-token"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/products/sales.daily", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.request(
        Method::DELETE,
        &format!("/api/v1/tokens/{id}"),
        Some(&app.alice),
        &[],
        "",
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/products/sales.daily", Some(&secret))
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "revoked is revoked at once, remembered answer or not"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_remembered_answer_carries_what_every_answer_carries() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    for (path, accept) in [
        ("/api/v1/products/sales.daily", "application/json"),
        ("/products/sales.daily", "text/html"),
    ] {
        for encoding in ["", "gzip"] {
            let headers: Vec<(&str, &str)> = [("accept", accept), ("accept-encoding", encoding)]
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let mut replies = Vec::new();
            for _ in 0..3 {
                let reply = app
                    .request(Method::GET, path, Some(&app.alice), &headers, "")
                    .await
                    .expect(StatusCode::OK);
                replies.push(reply);
            }
            let names = |r: &Reply| {
                let mut names: Vec<String> =
                    r.headers.keys().map(|k| k.as_str().to_owned()).collect();
                names.sort();
                names
            };
            let first = &replies[0];
            for reply in &replies[1..] {
                assert_eq!(names(reply), names(first), "{path} {encoding}");
                for name in [
                    "content-type",
                    "x-content-type-options",
                    "referrer-policy",
                    "vary",
                ] {
                    assert_eq!(
                        reply.headers.get(name),
                        first.headers.get(name),
                        "{path} {encoding}: {name}"
                    );
                }
                assert_eq!(
                    reply.headers.get("content-encoding").map(|v| v.as_bytes()),
                    (!encoding.is_empty()).then_some(encoding.as_bytes()),
                    "{path} {encoding}"
                );
                if accept == "application/json" {
                    assert_eq!(
                        reply.headers["content-security-policy"],
                        first.headers["content-security-policy"]
                    );
                    assert_eq!(reply.headers["etag"], first.headers["etag"]);
                    assert_eq!(reply.body, first.body, "{path} {encoding}");
                }
            }
        }
    }
    app.finish().await;
}

/// The router of an instance over `store`, following the change feed.
async fn instance(store: Store) -> axum::Router {
    let workbench = Workbench::new(
        store,
        WorkbenchConfig {
            anonymous_read: false,
            admin_token: Some(ADMIN_TOKEN.to_owned()),
            no_read_cache: false,
        },
    );
    workbench.start_lineage().await.unwrap();
    server::app(AppState::new(
        workbench,
        server::cli::leptos_options("127.0.0.1:0".parse().unwrap()),
        Arc::new(Settings::default()),
    ))
}

/// Two instances on one PostgreSQL: B has the product's page and JSON in its cache when A
/// changes the product; B's answers change as soon as the change feed brings the news.
#[tokio::test]
async fn another_instances_write_reaches_the_cached_answers() {
    let db = TestDb::postgres().await;
    let a = instance(db.store.clone()).await;
    let b = instance(Store::connect(&db.url).await.unwrap()).await;
    let admin = Some(ADMIN_TOKEN);
    for (path, body) in [
        ("/api/v1/domains", json!({ "id": "sales", "name": "Sales" })),
        (
            "/api/v1/teams",
            json!({ "id": "sales-analytics", "name": "Sales Analytics", "domain_id": "sales" }),
        ),
    ] {
        let reply = send(
            &a,
            Method::POST,
            path,
            admin,
            &[("content-type", "application/json")],
            body.to_string().into_bytes(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let mut doc = product_json("sales.daily", "sales-analytics");
    doc["inputPorts"] = json!([]);
    let bundle = json!({ "product": doc.clone(), "contracts": [contract_json("urn:datacontract:sales:daily")] });
    let post = |router: &axum::Router,
                method: Method,
                path: &str,
                doc: &serde_json::Value,
                headers: Vec<(&'static str, String)>| {
        let (router, path, body) = (
            router.clone(),
            path.to_owned(),
            doc.to_string().into_bytes(),
        );
        async move {
            let mut all: Vec<(&str, &str)> = vec![("content-type", "application/json")];
            all.extend(headers.iter().map(|(k, v)| (*k, v.as_str())));
            send(&router, method, &path, admin, &all, body).await
        }
    };
    let created = post(&a, Method::POST, "/api/v1/products", &bundle, vec![]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);

    let start = Instant::now();
    loop {
        let read = send(
            &b,
            Method::GET,
            "/api/v1/products/sales.daily",
            admin,
            &[],
            Vec::new(),
        )
        .await;
        if read.status == StatusCode::OK {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "B never saw the product: {}",
            read.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // B's answers are cached now.
    for _ in 0..3 {
        let read = send(
            &b,
            Method::GET,
            "/api/v1/products/sales.daily",
            admin,
            &[],
            Vec::new(),
        )
        .await;
        assert_eq!(read.json()["card"]["name"], "Daily sales");
        send(
            &b,
            Method::GET,
            "/products/sales.daily",
            admin,
            &[],
            Vec::new(),
        )
        .await;
    }

    doc["version"] = json!("1.1.0");
    doc["name"] = json!("Daily sales from A");
    let changed = post(
        &a,
        Method::PUT,
        "/api/v1/products/sales.daily",
        &doc,
        vec![("if-match", String::from("\"1\""))],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let written = Instant::now();
    loop {
        let json = send(
            &b,
            Method::GET,
            "/api/v1/products/sales.daily",
            admin,
            &[],
            Vec::new(),
        )
        .await;
        let page = send(
            &b,
            Method::GET,
            "/products/sales.daily",
            admin,
            &[],
            Vec::new(),
        )
        .await;
        if json.json()["card"]["name"] == "Daily sales from A"
            && page.body.contains("Daily sales from A")
        {
            break;
        }
        // The feed takes milliseconds; the cache's age limit (10 s) would be the wrong reason.
        assert!(
            written.elapsed() < workbench::READ_CACHE_MAX_AGE / 2,
            "B still answers from before A's write"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("B saw A's write after {:?}", written.elapsed());
    db.finish().await;
}
