//! The HTTP API driven in process (no socket): authentication, permissions, publication, every
//! bad-input path, optimistic concurrency, the compatibility API and the OpenAPI document. Each
//! test gets a fresh database (SQLite, or PostgreSQL with `MESHWORK_TEST_DB=postgres`).

#[path = "api/governance.rs"]
mod governance;
#[path = "api/injection.rs"]
mod injection;
#[path = "api/lineage.rs"]
mod lineage;
#[path = "api/pages.rs"]
mod pages;
#[path = "api/reads.rs"]
mod reads;
mod support;

use http::{Method, StatusCode};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use support::{TestApp, fixture, product_json};

#[tokio::test]
async fn health_probes_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    let ready = app.get("/readyz", None).await;
    assert_eq!(
        (ready.status, ready.json()["status"].clone()),
        (StatusCode::OK, json!("ok"))
    );
    app.finish().await;
}

#[tokio::test]
async fn reading_needs_a_signed_in_caller_unless_anonymous_read_is_on() {
    let app = TestApp::spawn().await;
    let anonymous = app.get("/api/v1/search", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.json()["error"]["code"], "unauthenticated");
    assert!(anonymous.headers.contains_key("www-authenticate"));
    assert_eq!(
        app.get("/api/v1/search", Some(&app.alice)).await.status,
        StatusCode::OK
    );

    let bad = app.get("/api/v1/search", Some("mw_not-a-token")).await;
    assert_eq!(
        bad.status,
        StatusCode::UNAUTHORIZED,
        "a wrong token is refused, not treated as anonymous"
    );

    // Both headers work.
    let via_key = app
        .request(
            Method::GET,
            "/api/v1/me",
            None,
            &[("x-api-key", app.alice.as_str())],
            "",
        )
        .await;
    assert_eq!(via_key.json()["user"]["username"], "alice");
    let admin = app.get("/api/v1/me", Some(support::ADMIN_TOKEN)).await;
    assert_eq!(admin.json()["kind"], "admin-token");
    app.finish().await;
}

#[tokio::test]
async fn sessions_use_an_http_only_cookie_and_end_on_sign_out() {
    let app = TestApp::spawn().await;
    let wrong = app
        .send_json(
            Method::POST,
            "/api/v1/session",
            None,
            &json!({"username": "alice", "password": "nope"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let ok = app
        .send_json(
            Method::POST,
            "/api/v1/session",
            None,
            &json!({"username": "alice", "password": support::PASSWORD}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let cookie = ok.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    let me = app
        .request(
            Method::GET,
            "/api/v1/me",
            None,
            &[("cookie", pair.as_str())],
            "",
        )
        .await;
    assert_eq!(me.json()["user"]["username"], "alice");
    let out = app
        .request(
            Method::DELETE,
            "/api/v1/session",
            None,
            &[("cookie", pair.as_str())],
            "",
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = app
        .request(
            Method::GET,
            "/api/v1/me",
            None,
            &[("cookie", pair.as_str())],
            "",
        )
        .await;
    assert_eq!(after.json()["kind"], "anonymous");

    // The sign-in page's form post redirects, and never to another site.
    let form = app
        .request(
            Method::POST,
            "/auth/signin",
            None,
            &[("content-type", "application/x-www-form-urlencoded")],
            "username=alice&password=meshwork-test&next=//evil.example",
        )
        .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert_eq!(form.headers["location"], "/");
    app.finish().await;
}

#[tokio::test]
async fn a_product_is_registered_with_its_contracts_and_read_back() {
    let app = TestApp::spawn().await;
    let bundle = json!({ "product": product_json("sales.customer-revenue", "sales-analytics"), "contracts": [support::contract_json("urn:datacontract:sales:customer-revenue")] });
    let created = app
        .send_json(Method::POST, "/api/v1/products", Some(&app.alice), &bundle)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.headers["etag"], "\"1\"");
    assert_eq!(
        created.headers["location"],
        "/api/v1/products/sales.customer-revenue"
    );

    let detail = app
        .get("/api/v1/products/sales.customer-revenue", Some(&app.bob))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    let d = detail.json();
    assert_eq!(d["card"]["team_id"], "sales-analytics");
    assert_eq!(d["can_edit"], false, "bob is not in the owning team");
    assert_eq!(
        d["output_ports"][0]["contract"]["objects"][0]["fields"][3]["classification"],
        "restricted"
    );
    assert_eq!(
        d["output_ports"][0]["contract"]["sla"][0]["label"],
        "Freshness"
    );
    assert_eq!(d["input_ports"][0]["upstream"]["product_id"], "shop.orders");

    let consumers = app
        .get("/api/v1/products/shop.orders", Some(&app.alice))
        .await
        .json();
    assert_eq!(
        consumers["consumers"][0]["product_id"],
        "sales.customer-revenue"
    );

    let found = app
        .get(
            "/api/v1/search?q=revenue_date&classification=restricted",
            Some(&app.bob),
        )
        .await
        .json();
    assert_eq!(found["total"], 1, "{found}");
    let document = app
        .get(
            "/api/v1/products/sales.customer-revenue/document?format=yaml",
            Some(&app.bob),
        )
        .await;
    assert_eq!(
        document.headers["content-type"],
        "application/yaml; charset=utf-8"
    );
    assert!(document.body.contains("id: sales.customer-revenue"));
    app.finish().await;
}

#[tokio::test]
async fn yaml_bodies_are_stored_verbatim_and_exported_losslessly() {
    let app = TestApp::spawn().await;
    let yaml = fixture("dataproducts/customer-revenue.odps.yaml");
    // shop:orders (the input) is published by the harness, owned by shop-team.
    let created = app
        .send_raw(
            Method::POST,
            "/api/v1/products",
            Some(&app.alice),
            "application/yaml",
            &yaml,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let exported = app
        .get(
            "/api/v1/products/sales.customer-revenue/document",
            Some(&app.alice),
        )
        .await;
    assert_eq!(
        exported.body, yaml,
        "the original text comes back byte for byte"
    );
    app.finish().await;
}

#[tokio::test]
async fn only_the_owning_team_or_an_admin_may_change_a_product() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let mut doc = product_json("sales.daily", "sales-analytics");
    doc["version"] = json!("1.1.0");
    let by_bob = app
        .send_json_with(
            Method::PUT,
            "/api/v1/products/sales.daily",
            Some(&app.bob),
            &doc,
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(by_bob.status, StatusCode::FORBIDDEN);
    assert!(
        by_bob.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sales-analytics")
    );

    // Nor may bob take it over by naming his own team.
    let mut hijack = doc.clone();
    hijack["team"] = json!({ "name": "finance-core" });
    assert_eq!(
        app.send_json_with(
            Method::PUT,
            "/api/v1/products/sales.daily",
            Some(&app.bob),
            &hijack,
            &[("if-match", "\"1\"")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let by_admin = app
        .send_json_with(
            Method::PUT,
            "/api/v1/products/sales.daily",
            Some(support::ADMIN_TOKEN),
            &doc,
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(by_admin.status, StatusCode::OK, "{}", by_admin.body);
    let history = app
        .get("/api/v1/products/sales.daily/history", Some(&app.alice))
        .await
        .json();
    assert_eq!(history[0]["actor"], "admin-token");
    assert!(
        history[0]["diff"]
            .as_str()
            .unwrap()
            .contains("+version: 1.1.0"),
        "{history}"
    );
    app.finish().await;
}

#[tokio::test]
async fn stale_writes_get_409_with_the_current_revision() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let mut doc = product_json("sales.daily", "sales-analytics");
    doc["name"] = json!("Daily (first editor)");
    let first = app
        .send_json_with(
            Method::PUT,
            "/api/v1/products/sales.daily",
            Some(&app.alice),
            &doc,
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    doc["name"] = json!("Daily (second editor)");
    let second = app
        .send_json_with(
            Method::PUT,
            "/api/v1/products/sales.daily",
            Some(&app.alice),
            &doc,
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.json()["error"]["current_revision"], 2);
    let missing = app
        .send_json(
            Method::PUT,
            "/api/v1/products/sales.daily",
            Some(&app.alice),
            &doc,
        )
        .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let bad = app
        .send_json_with(
            Method::PUT,
            "/api/v1/products/sales.daily",
            Some(&app.alice),
            &doc,
            &[("if-match", "\"banana\"")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let duplicate = app
        .send_json(
            Method::POST,
            "/api/v1/products",
            Some(&app.alice),
            &product_json("sales.daily", "sales-analytics"),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(
        app.get("/api/v1/products/sales.daily", Some(&app.alice))
            .await
            .json()["card"]["name"],
        "Daily (first editor)"
    );
    app.finish().await;
}

#[tokio::test]
async fn invalid_documents_get_every_finding_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let mut doc = product_json("sales.broken", "sales-analytics");
    doc["version"] = json!("1.0");
    doc["status"] = json!("live");
    doc["type"] = json!("hub");
    doc["domain"] = json!("atlantis");
    doc["inputPorts"] = json!([{ "name": "x", "contractId": "urn:nowhere" }]);
    doc["name"] = json!("Bad\u{202e}name");
    let contract = json!({ "apiVersion": "v3.2.0", "kind": "DataContract", "id": "urn:datacontract:sales:broken", "version": "one", "schema": [{ "name": "t", "properties": [{ "name": "a", "logicalType": "text" }] }] });
    let response = app
        .send_json(
            Method::POST,
            "/api/v1/products",
            Some(&app.alice),
            &json!({ "product": doc, "contracts": [contract] }),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    let body = response.json();
    assert_eq!(body["error"]["code"], "invalid");
    let paths: Vec<String> = body["error"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["document"].as_str().unwrap(),
                f["path"].as_str().unwrap()
            )
        })
        .collect();
    for want in [
        "product /version",
        "product /status",
        "product /type",
        "product /domain",
        "product /inputPorts/0/contractId",
        "product /name",
        "contract:urn:datacontract:sales:broken /version",
    ] {
        assert!(
            paths.iter().any(|p| p == want),
            "missing {want} in {paths:#?}"
        );
    }
    assert!(
        body["error"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"]
                .as_str()
                .unwrap()
                .starts_with("/schema/0/properties/0")),
        "{body}"
    );
    assert_eq!(
        app.get("/api/v1/products/sales.broken", Some(&app.alice))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(
            "/api/v1/contracts/urn:datacontract:sales:broken",
            Some(&app.alice)
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "nothing half-written"
    );
    app.finish().await;
}

#[tokio::test]
async fn malformed_bodies_get_clear_4xx_answers() {
    let app = TestApp::spawn().await;
    let cases: &[(&str, &str, StatusCode, &str)] = &[
        (
            "application/json",
            "{\"kind\": ",
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
        (
            "application/yaml",
            "id: x\n  oops: [",
            StatusCode::BAD_REQUEST,
            "malformed YAML",
        ),
        (
            "application/yaml",
            "- a list\n",
            StatusCode::BAD_REQUEST,
            "must be a mapping",
        ),
        ("application/json", "", StatusCode::BAD_REQUEST, "empty"),
        (
            "application/json",
            "{\"id\": \"\\ud800\"}",
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
    ];
    for (content_type, body, status, text) in cases {
        let r = app
            .send_raw(
                Method::POST,
                "/api/v1/products",
                Some(&app.alice),
                content_type,
                body,
            )
            .await;
        assert_eq!(r.status, *status, "{body:?}: {}", r.body);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(text),
            "{body:?}: {}",
            r.body
        );
    }
    let not_utf8 = app
        .request_bytes(
            Method::POST,
            "/api/v1/products",
            Some(&app.alice),
            &[("content-type", "application/json")],
            vec![0xff, 0xfe],
        )
        .await;
    assert_eq!(not_utf8.status, StatusCode::BAD_REQUEST);
    let huge = format!("{{\"id\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let too_big = app
        .send_raw(
            Method::POST,
            "/api/v1/products",
            Some(&app.alice),
            "application/json",
            &huge,
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_big.json()["error"]["code"], "payload_too_large");
    let wrong_shape = app
        .send_json(
            Method::POST,
            "/api/v1/domains",
            Some(support::ADMIN_TOKEN),
            &json!({ "name": 42 }),
        )
        .await;
    assert_eq!(wrong_shape.status, StatusCode::BAD_REQUEST);
    let wrong_type = app
        .send_raw(
            Method::POST,
            "/api/v1/domains",
            Some(support::ADMIN_TOKEN),
            "text/plain",
            "{}",
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let bad_query = app.get("/api/v1/search?limit=lots", Some(&app.alice)).await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    let bad_sort = app
        .get("/api/v1/search?sort=random", Some(&app.alice))
        .await;
    assert_eq!(bad_sort.status, StatusCode::BAD_REQUEST);
    app.finish().await;
}

#[tokio::test]
async fn wrong_methods_and_unknown_paths_answer_in_the_error_shape() {
    let app = TestApp::spawn().await;
    let r = app
        .request(
            Method::DELETE,
            "/api/v1/products",
            Some(&app.alice),
            &[],
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json()["error"]["code"], "method_not_allowed");
    let r = app
        .request(
            Method::PATCH,
            "/api/datacontracts/x",
            Some(&app.alice),
            &[],
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let r = app.get("/api/v2/anything", Some(&app.alice)).await;
    assert_eq!(
        (r.status, r.json()["error"]["code"].clone()),
        (StatusCode::NOT_FOUND, json!("not_found"))
    );
    let r = app.get("/api/v1/products/nope", Some(&app.alice)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test]
async fn directory_changes_need_the_right_role() {
    let app = TestApp::spawn().await;
    let domain = json!({ "id": "hr", "name": "People", "description": "HR data" });
    assert_eq!(
        app.send_json(Method::POST, "/api/v1/domains", Some(&app.alice), &domain)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let created = app
        .send_json(
            Method::POST,
            "/api/v1/domains",
            Some(support::ADMIN_TOKEN),
            &domain,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(created.json()["color"].as_str().unwrap().starts_with('#'));
    assert_eq!(
        app.send_json(
            Method::POST,
            "/api/v1/domains",
            Some(support::ADMIN_TOKEN),
            &domain
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let bad_id = app
        .send_json(
            Method::POST,
            "/api/v1/domains",
            Some(support::ADMIN_TOKEN),
            &json!({ "id": "Human Resources", "name": "x" }),
        )
        .await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_id.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("id ")
    );
    assert_eq!(
        app.request(
            Method::DELETE,
            "/api/v1/domains/sales",
            Some(support::ADMIN_TOKEN),
            &[],
            ""
        )
        .await
        .status,
        StatusCode::CONFLICT,
        "sales still has teams"
    );

    // Team owners manage their members; members do not.
    let member = json!({ "role": "member" });
    assert_eq!(
        app.send_json(
            Method::PUT,
            "/api/v1/teams/sales-analytics/members/bob",
            Some(&app.alice),
            &member
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.send_json(
            Method::PUT,
            "/api/v1/teams/sales-analytics/members/alice",
            Some(&app.bob),
            &member
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let team = app
        .get("/api/v1/teams/sales-analytics", Some(&app.bob))
        .await
        .json();
    assert_eq!(team["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.send_json(
            Method::PUT,
            "/api/v1/teams/sales-analytics/members/bob",
            Some(&app.alice),
            &json!({ "role": "boss" })
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    app.finish().await;
}

#[tokio::test]
async fn tokens_are_shown_once_stored_hashed_and_revocable() {
    let app = TestApp::spawn().await;
    let created = app
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            Some(&app.alice),
            &json!({ "name": "ci", "team_id": "sales-analytics" }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let secret = created.json()["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("mw_"));
    let listed = app.get("/api/v1/tokens", Some(&app.alice)).await;
    assert!(!listed.body.contains(&secret), "secrets are never listed");
    // Owners are listed by name: alice's own token shows her name, not her user id.
    let mine = listed.json();
    let own = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["owner_kind"] == "user")
        .expect("alice's own token is listed");
    assert_eq!(own["owner_name"], "alice", "{own}");
    assert_ne!(own["owner_id"], "alice", "{own}");
    // The team token publishes for its team without naming it.
    let mut doc = product_json("sales.from-ci", "sales-analytics");
    doc.as_object_mut().unwrap().remove("team");
    let published = app
        .send_json(Method::POST, "/api/v1/products", Some(&secret), &doc)
        .await;
    assert_eq!(published.status, StatusCode::CREATED, "{}", published.body);
    assert_eq!(
        app.get("/api/v1/products/sales.from-ci", Some(&app.alice))
            .await
            .json()["card"]["team_id"],
        "sales-analytics"
    );
    // Bob cannot make tokens for a team he does not own.
    assert_eq!(
        app.send_json(
            Method::POST,
            "/api/v1/tokens",
            Some(&app.bob),
            &json!({ "name": "x", "team_id": "sales-analytics" })
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let id = created.json()["token"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.request(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&app.bob),
            &[],
            ""
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.request(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&app.alice),
            &[],
            ""
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&secret)).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}

#[tokio::test]
async fn the_lifecycle_moves_forward_and_is_audited() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let r = app
        .send_json(
            Method::POST,
            "/api/v1/products/sales.daily/status",
            Some(&app.alice),
            &json!({ "status": "deprecated", "revision": 1 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let detail = app
        .get("/api/v1/products/sales.daily", Some(&app.alice))
        .await
        .json();
    assert_eq!(detail["card"]["status"], "deprecated");
    assert_eq!(detail["transitions"], json!(["active", "retired"]));
    let doc = app
        .get(
            "/api/v1/products/sales.daily/document?format=json",
            Some(&app.alice),
        )
        .await
        .json();
    assert_eq!(doc["status"], "deprecated", "the document says so too");
    let stale = app
        .send_json(
            Method::POST,
            "/api/v1/products/sales.daily/status",
            Some(&app.alice),
            &json!({ "status": "retired", "revision": 1 }),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let unknown = app
        .send_json(
            Method::POST,
            "/api/v1/products/sales.daily/status",
            Some(&app.alice),
            &json!({ "status": "zombie" }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let by_bob = app
        .send_json(
            Method::POST,
            "/api/v1/products/sales.daily/status",
            Some(&app.bob),
            &json!({ "status": "retired" }),
        )
        .await;
    assert_eq!(by_bob.status, StatusCode::FORBIDDEN);
    let versions = app
        .get("/api/v1/products/sales.daily/versions", Some(&app.alice))
        .await
        .json();
    assert_eq!(versions[0]["revisions"], 2);
    app.finish().await;
}

#[tokio::test]
async fn markdown_cannot_inject_script() {
    let app = TestApp::spawn().await;
    let mut doc = product_json("sales.xss", "sales-analytics");
    doc["description"]["purpose"] =
        json!("Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>");
    app.send_json(Method::POST, "/api/v1/products", Some(&app.alice), &doc)
        .await
        .expect(StatusCode::CREATED);
    let html = app
        .get("/api/v1/products/sales.xss", Some(&app.alice))
        .await
        .json()["description"]["purpose_html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !html.contains("<script") && !html.contains("javascript:") && !html.contains("onerror"),
        "{html}"
    );
    let page = app.get("/products/sales.xss", Some(&app.alice)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert(1)</script>"),
        "the page escapes it too"
    );
    app.finish().await;
}

#[tokio::test]
async fn drafts_are_private_and_guarded() {
    let app = TestApp::spawn().await;
    let state = json!({ "step": 2, "product": { "apiVersion": "v1.1.0", "kind": "DataProduct", "id": "" }, "contracts": [], "editing": null, "base_revision": null, "id_edited": false });
    let created = app
        .send_json(
            Method::POST,
            "/api/v1/drafts",
            Some(&app.alice),
            &json!({ "title": "Half done", "state": state }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/drafts/{id}"), Some(&app.bob))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let saved = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/drafts/{id}"),
            Some(&app.alice),
            &json!({ "title": "Done", "state": state, "revision": 1 }),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    let stale = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/drafts/{id}"),
            Some(&app.alice),
            &json!({ "title": "Again", "state": state, "revision": 1 }),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let junk = app
        .send_json(
            Method::POST,
            "/api/v1/drafts",
            Some(&app.alice),
            &json!({ "title": "x", "state": [1, 2] }),
        )
        .await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get("/api/v1/drafts", Some(&app.alice))
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.finish().await;
}

#[tokio::test]
async fn the_compatibility_api_speaks_like_entropy_data() {
    let app = TestApp::spawn().await;
    let contract = fixture("contracts/odcs-v3-customer-revenue.v1.yaml");
    let contract_json: Value = serde_yaml_ng::from_str(&contract).unwrap();
    // As datacontract-cli sends it: JSON, raw ':' in the path, x-api-key.
    let put = app
        .request(
            Method::PUT,
            "/api/datacontracts/urn:datacontract:sales:customer-revenue",
            None,
            &[
                ("x-api-key", app.alice.as_str()),
                ("content-type", "application/json"),
            ],
            &contract_json.to_string(),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let wrong_key = app
        .request(
            Method::PUT,
            "/api/datacontracts/urn:datacontract:sales:customer-revenue",
            None,
            &[("x-api-key", "wrong"), ("content-type", "application/json")],
            &contract_json.to_string(),
        )
        .await;
    assert_eq!(wrong_key.status, StatusCode::UNAUTHORIZED);
    // Read back, percent-encoded, as YAML and as JSON.
    let yaml = app
        .request(
            Method::GET,
            "/api/datacontracts/urn%3Adatacontract%3Asales%3Acustomer-revenue",
            None,
            &[
                ("x-api-key", app.alice.as_str()),
                ("accept", "application/yaml"),
            ],
            "",
        )
        .await;
    assert_eq!(yaml.status, StatusCode::OK);
    assert!(
        yaml.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/yaml")
    );
    assert!(
        yaml.body
            .contains("id: urn:datacontract:sales:customer-revenue")
    );
    let json = app
        .request(
            Method::GET,
            "/api/datacontracts/urn%3Adatacontract%3Asales%3Acustomer-revenue",
            None,
            &[
                ("x-api-key", app.alice.as_str()),
                ("accept", "application/json"),
            ],
            "",
        )
        .await;
    assert_eq!(
        json.json()["schema"][0]["properties"][0]["name"],
        "customer_id"
    );

    let foreign = app
        .send_raw(
            Method::PUT,
            "/api/datacontracts/urn:datacontract:shop:orders",
            Some(&app.alice),
            "application/yaml",
            &fixture("dataproducts/shop-orders.odcs.yaml"),
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::FORBIDDEN,
        "shop-team owns that contract"
    );
    let product: Value =
        serde_yaml_ng::from_str(&fixture("dataproducts/customer-revenue.odps.yaml")).unwrap();
    let put = app
        .request(
            Method::PUT,
            "/api/dataproducts/sales.customer-revenue",
            None,
            &[
                ("x-api-key", app.alice.as_str()),
                ("content-type", "application/json"),
                ("host", "mesh.example"),
            ],
            &product.to_string(),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(
        put.headers["location-html"],
        "http://mesh.example/products/sales.customer-revenue"
    );
    // Pushing the same document again is exactly 200 and changes nothing.
    let again = app
        .request(
            Method::PUT,
            "/api/dataproducts/sales.customer-revenue",
            None,
            &[
                ("x-api-key", app.alice.as_str()),
                ("content-type", "application/json"),
            ],
            &product.to_string(),
        )
        .await;
    assert_eq!(
        (again.status, again.json()["unchanged"].clone()),
        (StatusCode::OK, json!(true))
    );
    let mismatch = app
        .request(
            Method::PUT,
            "/api/dataproducts/other-id",
            None,
            &[
                ("x-api-key", app.alice.as_str()),
                ("content-type", "application/json"),
            ],
            &product.to_string(),
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    let read = app
        .request(
            Method::GET,
            "/api/dataproducts/sales.customer-revenue",
            None,
            &[("x-api-key", app.alice.as_str())],
            "",
        )
        .await;
    assert_eq!(
        read.json()["outputPorts"][0]["contractId"],
        "urn:datacontract:sales:customer-revenue"
    );
    let detail = app
        .get("/api/v1/products/sales.customer-revenue", Some(&app.alice))
        .await
        .json();
    assert_eq!(
        detail["output_ports"][0]["contract"]["id"], "urn:datacontract:sales:customer-revenue",
        "the earlier contract is linked"
    );
    app.finish().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/openapi.json", None).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/products",
        "/api/v1/products/{id}",
        "/api/v1/search",
        "/api/v1/domains",
        "/api/v1/teams/{id}/members/{username}",
        "/api/v1/tokens",
        "/api/v1/ports",
        "/api/datacontracts/{id}",
        "/api/dataproducts/{id}",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(p), "{p} is not documented");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["apiKey"].is_object());
    app.finish().await;
}

#[tokio::test]
async fn pages_render_on_the_server_before_any_wasm() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    let catalog = app.get("/", Some(&app.alice)).await;
    assert_eq!(catalog.status, StatusCode::OK);
    assert!(
        catalog.body.contains("Daily sales")
            && catalog.body.contains("data-product=\"sales.daily\""),
        "the catalog HTML lists the product"
    );
    let product = app.get("/products/sales.daily", Some(&app.alice)).await;
    assert!(
        product.body.contains("<h1>Daily sales</h1>"),
        "{}",
        &product.body[..product.body.len().min(3000)]
    );
    let missing = app.get("/no/such/page", Some(&app.alice)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    app.finish().await;
}
