//! Lineage over HTTP: OpenLineage ingestion (the shared fixtures, gzip, both auth headers,
//! repeats, every bad input), the Marquez-compatible reads, the mapping of observed datasets to
//! ports (freshness, drift), cycle rejection, and Meshwork's graph API.

use std::io::Write;

use http::{Method, StatusCode};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use crate::support::{ADMIN_TOKEN, TestApp, fixture};

const FIXTURES: &[&str] = &[
    "01_run_start_env_apikey.json",
    "02_run_complete_columnlineage.json",
    "03_run_fail_errormessage.json",
    "04_dataset_event.json",
    "05_job_event.json",
    "06_run_complete_dq_assertions.json",
    "07_dataset_event_custom_endpoint.json",
    "08_dataset_event_url_prefix_trailing_slash.json",
    "09_dataset_event_leading_slash_endpoint_drops_prefix.json",
    "10_run_event_yaml_gzip_custom_header.json",
];

const PG: &str = "postgres://pg.example.internal:5432";

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn post_event(app: &TestApp, body: &str) -> crate::support::Reply {
    app.request(
        Method::POST,
        "/api/v1/lineage",
        Some(&app.alice),
        &[("content-type", "application/json")],
        body,
    )
    .await
}

async fn post_all_fixtures(app: &TestApp) {
    for name in FIXTURES {
        let body = fixture(&format!("openlineage/{name}"));
        let reply = if name.contains("gzip") {
            app.request_bytes(
                Method::POST,
                "/api/v1/lineage",
                None,
                &[
                    ("content-type", "application/json"),
                    ("content-encoding", "gzip"),
                    ("x-api-key", &app.alice),
                ],
                gzip(&body),
            )
            .await
        } else {
            post_event(app, &body).await
        };
        assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.body);
    }
}

#[tokio::test]
async fn openlineage_events_are_stored_once_and_read_back_as_marquez_does() {
    let app = TestApp::spawn().await;
    post_all_fixtures(&app).await;
    // Sending one again is fine and changes nothing.
    let again = post_event(
        &app,
        &fixture("openlineage/02_run_complete_columnlineage.json"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json()["status"], "duplicate");
    let count = app.workbench.store().lineage_event_count().await.unwrap();
    assert_eq!(
        count,
        FIXTURES.len() as i64 - 3,
        "the three identical DatasetEvents are one event"
    );

    // Marquez's lineage endpoint, with the namespace's `://` and port in the node id.
    let node = format!("dataset:{PG}:analytics.public.customer_revenue");
    let lineage = app
        .get(
            &format!("/api/v1/lineage?nodeId={}&depth=2", enc(&node)),
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let graph = lineage["graph"].as_array().unwrap();
    let ids: Vec<&str> = graph.iter().map(|n| n["id"].as_str().unwrap()).collect();
    for id in [
        node.as_str(),
        "job:sales-domain:customer_revenue.build",
        "dataset:postgres://pg.example.internal:5432:shop.public.orders",
        "dataset:postgres://pg.example.internal:5432:shop.public.customers",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let job = graph
        .iter()
        .find(|n| n["id"] == "job:sales-domain:customer_revenue.build")
        .unwrap();
    assert_eq!(job["type"], "JOB");
    assert_eq!(
        job["outEdges"],
        json!([{"origin": "job:sales-domain:customer_revenue.build", "destination": node}])
    );
    assert_eq!(job["inEdges"].as_array().unwrap().len(), 2);
    assert_eq!(
        job["data"]["latestRun"]["state"], "FAILED",
        "the newest run failed"
    );
    let revenue = graph.iter().find(|n| n["id"] == node.as_str()).unwrap();
    assert_eq!(revenue["type"], "DATASET");
    assert_eq!(revenue["data"]["fields"][1]["name"], "total_amount");
    // The same id unencoded works too; an unknown one is 404, a malformed one 400.
    let raw = app
        .get(&format!("/api/v1/lineage?nodeId={node}"), Some(&app.alice))
        .await;
    assert_eq!(raw.status, StatusCode::OK);
    app.get(
        &format!("/api/v1/lineage?nodeId=dataset:{PG}:nope"),
        Some(&app.alice),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    app.get("/api/v1/lineage?nodeId=table:x", Some(&app.alice))
        .await
        .expect(StatusCode::BAD_REQUEST);
    app.get("/api/v1/lineage", Some(&app.alice))
        .await
        .expect(StatusCode::BAD_REQUEST);

    // Column lineage of one output field, and of a whole dataset.
    let field = format!("datasetField:{PG}:analytics.public.customer_revenue:customer_id");
    let columns = app
        .get(
            &format!("/api/v1/column-lineage?nodeId={}", enc(&field)),
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let nodes = columns["graph"].as_array().unwrap();
    let target = nodes.iter().find(|n| n["id"] == field.as_str()).unwrap();
    assert_eq!(target["type"], "DATASET_FIELD");
    let inputs: Vec<&str> = target["data"]["inputFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["dataset"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["shop.public.customers", "shop.public.orders"]);
    assert_eq!(
        target["data"]["inputFields"][0]["transformationType"],
        "DIRECT"
    );
    let whole = app
        .get(
            &format!("/api/v1/column-lineage?nodeId={}", enc(&node)),
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(whole["graph"].as_array().unwrap().len() > nodes.len());

    // The listings marquez-python reads.
    let namespaces = app
        .get("/api/v1/namespaces", Some(&app.alice))
        .await
        .expect(StatusCode::OK)
        .json();
    let names: Vec<&str> = namespaces["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dq", PG, "sales-domain"]);
    let datasets = app
        .get(
            &format!("/api/v1/namespaces/{}/datasets", enc(PG)),
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(datasets["totalCount"], 3);
    let dataset = app
        .get(
            &format!(
                "/api/v1/namespaces/{}/datasets/{}",
                enc(PG),
                "shop.public.orders"
            ),
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        dataset["id"],
        json!({"namespace": PG, "name": "shop.public.orders"})
    );
    let jobs = app
        .get("/api/v1/namespaces/sales-domain/jobs", Some(&app.alice))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(jobs["jobs"][0]["name"], "customer_revenue.build");
    assert_eq!(
        jobs["jobs"][0]["outputs"],
        json!([{"namespace": PG, "name": "analytics.public.customer_revenue"}])
    );
    let runs = app
        .get(
            "/api/v1/namespaces/sales-domain/jobs/customer_revenue.build/runs",
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let states: Vec<(&str, &str)> = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["state"].as_str().unwrap(),
                r["errorMessage"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(states.contains(&("COMPLETED", "")), "{states:?}");
    assert!(
        states
            .iter()
            .any(|(s, m)| *s == "FAILED" && m.contains("does not exist")),
        "{states:?}"
    );
    let run_id = runs["runs"][0]["id"].as_str().unwrap();
    app.get(&format!("/api/v1/jobs/runs/{run_id}"), Some(&app.alice))
        .await
        .expect(StatusCode::OK);
    app.get("/api/v1/namespaces/nope/jobs/nope/runs", Some(&app.alice))
        .await
        .expect(StatusCode::NOT_FOUND);
    app.get("/api/v1/namespaces/dq/datasets?limit=0", Some(&app.alice))
        .await
        .expect(StatusCode::BAD_REQUEST);
    // Reading needs a caller like everything else.
    app.get("/api/v1/namespaces", None)
        .await
        .expect(StatusCode::UNAUTHORIZED);
    app.finish().await;
}

#[tokio::test]
async fn bad_openlineage_input_gets_a_4xx_with_the_reason() {
    let app = TestApp::spawn().await;
    let run = fixture("openlineage/02_run_complete_columnlineage.json");
    // Without credentials.
    let anonymous = app
        .request(
            Method::POST,
            "/api/v1/lineage",
            None,
            &[("content-type", "application/json")],
            &run,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    // Not JSON, truncated JSON, not gzip, an unknown encoding.
    let reply = post_event(&app, "{\"eventTime\": ")
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not JSON")
    );
    post_event(&app, "<xml/>")
        .await
        .expect(StatusCode::BAD_REQUEST);
    let bad_gzip = app
        .request(
            Method::POST,
            "/api/v1/lineage",
            Some(&app.alice),
            &[("content-encoding", "gzip")],
            "not gzip",
        )
        .await;
    assert_eq!(
        bad_gzip.status,
        StatusCode::BAD_REQUEST,
        "{}",
        bad_gzip.body
    );
    let brotli = app
        .request(
            Method::POST,
            "/api/v1/lineage",
            Some(&app.alice),
            &[("content-encoding", "br")],
            &run,
        )
        .await;
    assert_eq!(
        brotli.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        brotli.body
    );
    // Breaking the spec: every problem at once, with its path.
    let mut event: Value = serde_json::from_str(&run).unwrap();
    event["eventType"] = json!("FINISHED");
    event["run"]["runId"] = json!("run-1");
    event["job"].as_object_mut().unwrap().remove("name");
    event["outputs"][0]["namespace"] = json!("");
    let reply = post_event(&app, &event.to_string())
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let paths: Vec<String> = reply.json()["error"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/eventType",
            "/run/runId",
            "/job/name",
            "/outputs/0/namespace"
        ]
    );
    // Odd unicode in names is kept as it is; control characters are refused.
    let mut unicode: Value = serde_json::from_str(&run).unwrap();
    unicode["job"]["name"] = json!("Ümsatz 💶 job");
    unicode["run"]["runId"] = json!("0194f2c1-6d3e-7b1a-9f0e-3c2d1b0a9f8e");
    post_event(&app, &unicode.to_string())
        .await
        .expect(StatusCode::CREATED);
    app.get(
        &format!(
            "/api/v1/namespaces/sales-domain/jobs/{}",
            enc("Ümsatz 💶 job")
        ),
        Some(&app.alice),
    )
    .await
    .expect(StatusCode::OK);
    unicode["job"]["name"] = json!("line\nbreak");
    post_event(&app, &unicode.to_string())
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    // A body too large is 413, and nothing was half-written along the way.
    let huge = format!("{{\"padding\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    post_event(&app, &huge)
        .await
        .expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.workbench.store().lineage_event_count().await.unwrap(),
        1
    );
    app.finish().await;
}

/// A product whose output port is served from the fixtures' Postgres, reading shop orders
/// (also on that Postgres) through its input port.
async fn register_revenue(app: &TestApp) {
    let server = json!([{ "server": "prod", "type": "postgres", "host": "pg.example.internal", "port": 5432, "database": "analytics", "schema": "public" }]);
    let shop = json!([{ "server": "prod", "type": "postgres", "host": "pg.example.internal", "port": 5432, "database": "shop", "schema": "public" }]);
    let mut orders: Value =
        serde_yaml_ng::from_str(&fixture("dataproducts/shop-orders.odcs.yaml")).unwrap();
    orders["servers"] = shop;
    // As the Data Contract CLI publishes it: the pushed document wins.
    app.send_json(
        Method::PUT,
        "/api/datacontracts/urn:datacontract:shop:orders",
        Some(ADMIN_TOKEN),
        &orders,
    )
    .await
    .expect(StatusCode::OK);
    let bundle = json!({
        "product": {
            "apiVersion": "v1.1.0", "kind": "DataProduct", "id": "sales.customer-revenue", "name": "Customer revenue",
            "version": "1.0.0", "status": "active", "domain": "sales", "type": "aggregate", "team": {"name": "sales-analytics"},
            "inputPorts": [
                {"name": "orders", "version": "1.0.0", "contractId": "urn:datacontract:shop:orders"},
                {"name": "fx", "customProperties": [{"property": "externalSource", "value": "s3://fx/rates"}]},
            ],
            "outputPorts": [{"name": "table", "type": "table", "version": "1.0.0", "contractId": "urn:datacontract:sales:customer-revenue"}],
        },
        "contracts": [{
            "apiVersion": "v3.2.0", "kind": "DataContract", "id": "urn:datacontract:sales:customer-revenue", "version": "1.0.0", "status": "active",
            "servers": server,
            "schema": [{"name": "customer_revenue", "properties": [{"name": "customer_id", "logicalType": "integer"}]}],
        }],
    });
    app.send_json(Method::POST, "/api/v1/products", Some(&app.alice), &bundle)
        .await
        .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn observed_runs_refresh_ports_and_show_drift() {
    let app = TestApp::spawn().await;
    register_revenue(&app).await;
    let before = app
        .get(
            "/api/v1/products/sales.customer-revenue/drift",
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(before["observed"], false);
    assert_eq!(before["findings"], json!([]));

    post_all_fixtures(&app).await;
    let freshness = app
        .get(
            "/api/v1/products/sales.customer-revenue/freshness",
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(freshness[0]["port"], "table");
    assert_eq!(
        freshness[0]["datasets"][0]["name"],
        "analytics.public.customer_revenue"
    );
    assert_eq!(
        freshness[0]["last_refresh_at"],
        "2025-01-15T10:03:00.000000Z"
    );

    // The job reads orders (declared) and customers, which is outside the mesh and undeclared.
    let drift = app
        .get(
            "/api/v1/products/sales.customer-revenue/drift",
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(drift["observed"], true);
    assert_eq!(
        drift["writers"],
        json!(["sales-domain/customer_revenue.build"])
    );
    let kinds: Vec<(&str, &str)> = drift["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap(),
                f["dataset"][1].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(kinds, [("undeclared_external", "shop.public.customers")]);

    // The observed dataset is the port's, for everyone who looks.
    let port_dataset = format!("dataset:{PG}:analytics.public.customer_revenue");
    let graph = app
        .get(
            &format!(
                "/api/v1/graph?focus={}&scope=all&upstream=3&downstream=0",
                enc(&port_dataset)
            ),
            Some(&app.alice),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let ids: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"product:sales.customer-revenue"), "{ids:?}");
    assert!(
        ids.contains(&"job:sales-domain:customer_revenue.build"),
        "{ids:?}"
    );
    app.get("/api/v1/products/nope/drift", Some(&app.alice))
        .await
        .expect(StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test]
async fn an_input_port_that_closes_a_cycle_is_refused_with_the_cycle_named() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    // shop.orders reading sales.daily, which reads shop.orders, closes a cycle.
    let shop = json!({
        "apiVersion": "v1.1.0", "kind": "DataProduct", "id": "shop.orders", "name": "Shop orders", "version": "1.0.1", "status": "active", "domain": "shop",
        "team": { "name": "shop-team" },
        "inputPorts": [{"name": "daily", "contractId": "urn:datacontract:sales:daily"}],
        "outputPorts": [{ "name": "orders", "type": "table", "version": "1.0.0", "contractId": "urn:datacontract:shop:orders" }],
    });
    let current = app
        .get("/api/v1/products/shop.orders", Some(ADMIN_TOKEN))
        .await;
    let etag = current.headers["etag"].to_str().unwrap().to_owned();
    let reply = app
        .send_json_with(
            Method::PUT,
            "/api/v1/products/shop.orders",
            Some(ADMIN_TOKEN),
            &shop,
            &[("if-match", &etag)],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let finding = reply.json()["error"]["findings"][0].clone();
    assert_eq!(finding["rule"], "cycle");
    assert_eq!(finding["path"], "/inputPorts/0/contractId");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("shop.orders → sales.daily → shop.orders"),
        "{finding}"
    );
    // Nothing was written.
    let after = app
        .get("/api/v1/products/shop.orders", Some(ADMIN_TOKEN))
        .await;
    assert_eq!(after.headers["etag"], etag.as_str());
    app.finish().await;
}

#[tokio::test]
async fn the_graph_api_lays_out_neighbourhoods_and_lists_impact() {
    let app = TestApp::spawn().await;
    app.create_product("sales.daily", "sales-analytics").await;
    app.create_product("sales.weekly", "sales-analytics").await;
    let focus = "product:shop.orders";
    let view = app
        .get(
            &format!("/api/v1/graph?focus={focus}&downstream=2&group=true"),
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let nodes = view["nodes"].as_array().unwrap();
    let ids: Vec<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.contains(&"product:sales.daily") && ids.contains(&"product:sales.weekly"));
    // Positioned, without overlaps, with lanes per domain and a legend.
    for (i, a) in nodes.iter().enumerate() {
        for b in &nodes[i + 1..] {
            let apart_x = (a["x"].as_f64().unwrap() - b["x"].as_f64().unwrap()).abs() * 2.0
                >= a["width"].as_f64().unwrap() + b["width"].as_f64().unwrap();
            let apart_y = (a["y"].as_f64().unwrap() - b["y"].as_f64().unwrap()).abs() * 2.0
                >= a["height"].as_f64().unwrap() + b["height"].as_f64().unwrap();
            assert!(apart_x || apart_y, "{a} overlaps {b}");
        }
    }
    assert_eq!(view["edges"].as_array().unwrap().len(), 2);
    assert_eq!(view["groups"].as_array().unwrap().len(), 2);
    assert_eq!(view["legend"].as_array().unwrap().len(), 2);
    assert_eq!(
        nodes
            .iter()
            .find(|n| n["id"] == "product:sales.daily")
            .unwrap()["href"],
        "/products/sales.daily"
    );

    let dot = app
        .get(
            &format!("/api/v1/graph?focus={focus}&downstream=1&format=dot"),
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK);
    assert!(
        dot.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/vnd.graphviz")
    );
    assert!(dot.body.starts_with("digraph lineage {"));

    let impact = app
        .get(
            &format!("/api/v1/graph/impact?node={focus}"),
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let rows: Vec<(&str, u64, &str)> = impact["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["product_id"].as_str().unwrap(),
                e["depth"].as_u64().unwrap(),
                e["team_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("sales.daily", 1, "sales-analytics"),
            ("sales.weekly", 1, "sales-analytics")
        ]
    );
    let csv = app
        .get(
            &format!("/api/v1/graph/impact?node={focus}&format=csv"),
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(
        csv.body.lines().next().unwrap(),
        "product_id,name,domain,team,status,depth,observed,path"
    );
    assert_eq!(csv.body.lines().count(), 3);

    let path = app
        .get(
            "/api/v1/graph/path?from=product:sales.daily&to=product:shop.orders",
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        path["nodes"].as_array().unwrap().first().unwrap(),
        "product:shop.orders"
    );
    assert_eq!(
        path["nodes"].as_array().unwrap().last().unwrap(),
        "product:sales.daily"
    );
    // Siblings share no declared flow. (Their ports name the same table, so in the joined view
    // they are the same data, and a path exists there.)
    app.get(
        "/api/v1/graph/path?from=product:sales.daily&to=product:sales.weekly&scope=products",
        Some(&app.bob),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    app.get(
        "/api/v1/graph/path?from=product:sales.daily&to=product:sales.weekly",
        Some(&app.bob),
    )
    .await
    .expect(StatusCode::OK);

    let map = app
        .get("/api/v1/graph/domains", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        map["flows"],
        json!([{
            "from": "shop", "to": "sales", "count": 2, "declared": 2, "observed_only": 0,
            "examples": [["shop.orders", "sales.daily"], ["shop.orders", "sales.weekly"]],
            "points": map["flows"][0]["points"].clone(),
        }])
    );
    let search = app
        .get("/api/v1/graph/search?q=week", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(search[0]["id"], "product:sales.weekly");
    assert_eq!(
        app.get("/api/v1/graph/cycles", Some(&app.bob))
            .await
            .expect(StatusCode::OK)
            .json(),
        json!([])
    );

    // Bad queries say what to fix.
    for (query, status) in [
        ("/api/v1/graph?focus=product:nope", StatusCode::NOT_FOUND),
        ("/api/v1/graph?focus=nope", StatusCode::BAD_REQUEST),
        ("/api/v1/graph", StatusCode::BAD_REQUEST),
        (
            "/api/v1/graph?focus=product:shop.orders&upstream=99",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/graph?focus=product:shop.orders&upstream=-1",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/graph?focus=product:shop.orders&scope=everything",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/graph?focus=product:shop.orders&format=svg",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/graph/impact?node=product:shop.orders&format=xls",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        app.get(query, Some(&app.bob)).await.expect(status);
    }
    app.finish().await;
}
