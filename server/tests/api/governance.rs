//! Governance over HTTP: only admins manage policies; a draft is enforced only after a dry-run;
//! bad policies are 4xx naming the field; an enforced error refuses every write path (REST, the
//! two CLI endpoints — in plain text unless JSON is asked for), nothing stored; grace warns with
//! its date; waivers are never approved by their requester; evaluate, diff and the report.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{ADMIN_TOKEN, TestApp, contract_json, product_json};

fn purpose_policy(state: &str) -> Value {
    json!({
        "id": "purpose-length",
        "title": "The purpose is described in at least 40 characters",
        "rationale": "Discovery starts with the purpose.",
        "severity": "error",
        "state": state,
        "owner": "platform-lead",
        "kind": "min-length",
        "parameters": { "field": "/description/purpose", "min": 40 }
    })
}

/// Creates `policy` as a draft, dry-runs it and enforces it.
async fn enforce(app: &TestApp, policy: Value) {
    let id = policy["id"].as_str().unwrap().to_owned();
    let mut draft = policy.clone();
    draft["state"] = json!("draft");
    app.send_json(
        Method::POST,
        "/api/v1/governance/policies",
        Some(ADMIN_TOKEN),
        &draft,
    )
    .await
    .expect(StatusCode::CREATED);
    app.send_json(
        Method::POST,
        &format!("/api/v1/governance/policies/{id}/dry-run"),
        Some(ADMIN_TOKEN),
        &draft,
    )
    .await
    .expect(StatusCode::OK);
    let mut enforced = policy;
    enforced["state"] = json!("enforced");
    app.send_json_with(
        Method::PUT,
        &format!("/api/v1/governance/policies/{id}"),
        Some(ADMIN_TOKEN),
        &enforced,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(StatusCode::OK);
}

fn bundle(id: &str) -> Value {
    json!({
        "product": product_json(id, "sales-analytics"),
        "contracts": [contract_json(&format!("urn:datacontract:sales:{}", id.trim_start_matches("sales.")))]
    })
}

#[tokio::test]
async fn only_admins_manage_policies_and_enforcing_a_draft_needs_a_dry_run() {
    let app = TestApp::spawn().await;
    let policies = "/api/v1/governance/policies";
    app.send_json(
        Method::POST,
        policies,
        Some(&app.alice),
        &purpose_policy("draft"),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    let created = app
        .send_json(
            Method::POST,
            policies,
            Some(ADMIN_TOKEN),
            &purpose_policy("draft"),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(created["policy"]["version"], 1);
    assert_eq!(created["policy"]["state"], "draft");
    app.send_json(
        Method::POST,
        policies,
        Some(ADMIN_TOKEN),
        &purpose_policy("draft"),
    )
    .await
    .expect(StatusCode::CONFLICT);
    let path = "/api/v1/governance/policies/purpose-length";
    // Changing needs the version read.
    app.send_json(
        Method::PUT,
        path,
        Some(ADMIN_TOKEN),
        &purpose_policy("enforced"),
    )
    .await
    .expect(StatusCode::PRECONDITION_REQUIRED);
    // Enforcing a draft without a dry-run is refused, naming the field.
    let refused = app
        .send_json_with(
            Method::PUT,
            path,
            Some(ADMIN_TOKEN),
            &purpose_policy("enforced"),
            &[("if-match", "\"1\"")],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .json();
    assert_eq!(
        refused["error"]["findings"][0]["path"], "/state",
        "{refused}"
    );
    // A dry-run shows who would fail, then the draft may be enforced.
    app.create_product("sales.short-purpose", "sales-analytics")
        .await;
    app.send_json(
        Method::POST,
        &format!("{path}/dry-run"),
        Some(&app.alice),
        &json!({}),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    let dry = app
        .request(
            Method::POST,
            &format!("{path}/dry-run"),
            Some(ADMIN_TOKEN),
            &[],
            "",
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        dry["newlyFailing"][0]["product"], "sales.short-purpose",
        "{dry}"
    );
    assert_eq!(dry["newlyFailing"][0]["wouldBlock"], true);
    let csv = app
        .request(
            Method::POST,
            &format!("{path}/dry-run?format=csv"),
            Some(ADMIN_TOKEN),
            &[],
            "",
        )
        .await
        .expect(StatusCode::OK);
    assert!(csv.body.starts_with("change,product,domain,team,would_block\nnewly failing,sales.short-purpose,sales,sales-analytics,true"), "{}", csv.body);
    let enforced = app
        .send_json_with(
            Method::PUT,
            path,
            Some(ADMIN_TOKEN),
            &purpose_policy("enforced"),
            &[("if-match", "\"1\"")],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        enforced["policy"]["version"], 1,
        "a draft becomes enforced in place"
    );
    // The new product and the upstream one, which has no purpose at all.
    assert_eq!(enforced["failing"], 2);
    // Once in effect, a change is a new version; the old one stays.
    let mut lowered = purpose_policy("enforced");
    lowered["parameters"]["min"] = json!(10);
    let v2 = app
        .send_json_with(
            Method::PUT,
            path,
            Some(ADMIN_TOKEN),
            &lowered,
            &[("if-match", "\"1\"")],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(v2["policy"]["version"], 2);
    assert_eq!(v2["failing"], 1);
    app.send_json_with(
        Method::PUT,
        path,
        Some(ADMIN_TOKEN),
        &lowered,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(StatusCode::CONFLICT);
    let detail = app.get(path, Some(&app.alice)).await.expect(StatusCode::OK);
    assert_eq!(detail.headers["etag"], "\"2\"");
    let detail = detail.json();
    assert_eq!(detail["versions"].as_array().unwrap().len(), 2);
    // A policy that has been in effect is retired, not deleted.
    app.request(Method::DELETE, path, Some(ADMIN_TOKEN), &[], "")
        .await
        .expect(StatusCode::CONFLICT);
    let list = app
        .get(policies, Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn bad_policies_are_refused_naming_the_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let policies = "/api/v1/governance/policies";
    let cases = [
        (
            json!({"kind": "id-pattern", "parameters": {"pattern": "([a-z"}}),
            "/parameters/pattern",
        ),
        (
            json!({"scope": {"domains": ["nowhere"]}}),
            "/scope/domains/0",
        ),
        (
            json!({"state": "grace", "graceUntil": "2020-01-01"}),
            "/graceUntil",
        ),
        (json!({"state": "grace"}), "/graceUntil"),
        (json!({"state": "deprecated"}), "/successor"),
        (json!({"id": "Bad Id"}), "/id"),
        (json!({"title": " "}), "/title"),
        (
            json!({"kind": "rego", "parameters": {"source": "package x\nviolations contains v if {"}}),
            "/parameters/source",
        ),
    ];
    for (change, path) in cases {
        let mut policy = purpose_policy("draft");
        for (k, v) in change.as_object().unwrap() {
            policy[k] = v.clone();
        }
        let reply = app
            .send_json(Method::POST, policies, Some(ADMIN_TOKEN), &policy)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY)
            .json();
        assert_eq!(
            reply["error"]["findings"][0]["path"], path,
            "{change}: {reply}"
        );
    }
    let mut unknown = purpose_policy("draft");
    unknown["kind"] = json!("no-such-kind");
    let reply = app
        .send_json(Method::POST, policies, Some(ADMIN_TOKEN), &unknown)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .json();
    assert!(
        reply["error"]["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-kind"),
        "{reply}"
    );
    let list = app
        .get(policies, Some(ADMIN_TOKEN))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(list, json!([]), "nothing half-written");
    app.finish().await;
}

#[tokio::test]
async fn an_enforced_error_refuses_every_write_path_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    enforce(&app, purpose_policy("enforced")).await;

    // REST: 422 with the policy findings, nothing stored.
    let refused = app
        .send_json(
            Method::POST,
            "/api/v1/products",
            Some(&app.alice),
            &bundle("sales.blocked"),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .json();
    let finding = &refused["error"]["policy_findings"][0];
    assert_eq!(finding["policy"], "purpose-length", "{refused}");
    assert_eq!(finding["blocking"], true);
    assert_eq!(finding["path"], "/description/purpose");
    assert_eq!(finding["applied_because"], json!(["all products"]));
    assert!(
        refused["error"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "policy:purpose-length"),
        "plain findings carry it too: {refused}"
    );
    app.get("/api/v1/products/sales.blocked", Some(&app.alice))
        .await
        .expect(StatusCode::NOT_FOUND);

    // The Data Product CLI endpoint: plain text the CLI prints readably.
    let doc = product_json("sales.blocked", "sales-analytics");
    let text = app
        .request(
            Method::PUT,
            "/api/dataproducts/sales.blocked",
            Some(&app.alice),
            &[("content-type", "application/json"), ("accept", "*/*")],
            &doc.to_string(),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        text.body
            .starts_with("Refused: 1 blocking governance finding"),
        "{}",
        text.body
    );
    assert!(text.body.contains("purpose-length"), "{}", text.body);
    assert!(
        !text.body.contains('[') && !text.body.contains(']'),
        "{}",
        text.body
    );
    assert!(
        text.body.lines().all(|l| l.chars().count() < 80),
        "{}",
        text.body
    );
    assert!(
        text.body
            .contains("Details: http://localhost/governance/policies/purpose-length"),
        "{}",
        text.body
    );
    // JSON when JSON is asked for.
    let json_reply = app
        .request(
            Method::PUT,
            "/api/dataproducts/sales.blocked",
            Some(&app.alice),
            &[
                ("content-type", "application/json"),
                ("accept", "application/json"),
            ],
            &doc.to_string(),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .json();
    assert_eq!(json_reply["error"]["code"], "invalid");
    app.get("/api/v1/products/sales.blocked", Some(&app.alice))
        .await
        .expect(StatusCode::NOT_FOUND);

    // Contracts: a PII policy refuses the Data Contract CLI endpoint and the REST one.
    enforce(
        &app,
        json!({"id": "pii", "title": "Personal data is confidential or restricted", "rationale": "GDPR.", "severity": "error",
               "kind": "pii-classified", "parameters": {"names": ["e[-_]?mail"]}}),
    )
    .await;
    let mut leaky = contract_json("urn:datacontract:sales:leaky");
    leaky["schema"][0]["properties"][3]["classification"] = json!("internal");
    let text = app
        .request(
            Method::PUT,
            "/api/datacontracts/urn:datacontract:sales:leaky",
            Some(&app.alice),
            &[("content-type", "application/json")],
            &leaky.to_string(),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.body.contains("- pii: "), "{}", text.body);
    let rest = app
        .send_json(
            Method::PUT,
            "/api/v1/contracts/urn:datacontract:sales:leaky",
            Some(&app.alice),
            &leaky,
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .json();
    assert_eq!(rest["error"]["policy_findings"][0]["policy"], "pii");
    app.get(
        "/api/v1/contracts/urn:datacontract:sales:leaky",
        Some(&app.alice),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test]
async fn grace_warns_with_its_date_and_waivers_are_never_self_approved() {
    let app = TestApp::spawn().await;
    let until = "2099-01-31";
    let mut graced = purpose_policy("grace");
    graced["graceUntil"] = json!(until);
    app.send_json(
        Method::POST,
        "/api/v1/governance/policies",
        Some(ADMIN_TOKEN),
        &graced,
    )
    .await
    .expect(StatusCode::CREATED);
    let published = app
        .send_json(
            Method::POST,
            "/api/v1/products",
            Some(&app.alice),
            &bundle("sales.graced"),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let finding = &published["policy_findings"][0];
    assert_eq!(finding["severity"], "warning", "{published}");
    assert_eq!(finding["declared"], "error");
    assert_eq!(finding["blocks_from"], until);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("blocks from 2099-01-31")
    );
    let state = app
        .get("/api/v1/products/sales.graced/governance", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(state["state"], "warnings", "{state}");
    assert_eq!(state["maturity"]["levels"][0], "Registered", "{state}");
    // The catalog knows the state: on the card, and as a facet.
    let search = app
        .get("/api/v1/products?governance=warnings", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    let ids: Vec<&str> = search["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"sales.graced"), "{search}");
    assert!(
        search["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["governance"] == "warnings"),
        "{search}"
    );
    let facet = search["facets"]["governance"].as_array().unwrap();
    assert!(
        facet
            .iter()
            .any(|f| f["value"] == "warnings" && f["selected"] == true),
        "{search}"
    );
    let passing = app
        .get("/api/v1/products?governance=passing", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(
        !passing["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "sales.graced"),
        "{passing}"
    );
    // The Governance section, drawn on the server: the report's matrix links the failing cell
    // to the policy's products in that domain; the policy page lists the product.
    let report = app
        .get("/governance", Some(&app.bob))
        .await
        .expect(StatusCode::OK);
    assert!(
        report
            .body
            .contains("/governance/policies/purpose-length?domain=sales"),
        "{}",
        &report.body[..report.body.len().min(3000)]
    );
    let policy = app
        .get(
            "/governance/policies/purpose-length?domain=sales",
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK);
    assert!(policy.body.contains("/products/sales.graced"));
    assert!(policy.body.contains("Grace · blocks from 2099-01-31"));
    app.get("/governance/policies/no-such-policy", Some(&app.bob))
        .await
        .expect(StatusCode::NOT_FOUND);
    // The product page says so, rendered on the server.
    let page = app
        .get("/products/sales.graced", Some(&app.bob))
        .await
        .expect(StatusCode::OK);
    assert!(
        page.body.contains("data-testid=\"governance\""),
        "{}",
        &page.body[..page.body.len().min(2000)]
    );
    assert!(page.body.contains("1 finding to fix"), "the standing");
    assert!(
        page.body.contains("blocks from 2099-01-31"),
        "the grace date"
    );

    // Grace ends: the policy is enforced (it has been in effect, no dry-run needed).
    let mut enforced = purpose_policy("enforced");
    enforced["graceUntil"] = Value::Null;
    app.send_json_with(
        Method::PUT,
        "/api/v1/governance/policies/purpose-length",
        Some(ADMIN_TOKEN),
        &enforced,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(StatusCode::OK);
    let state = app
        .get("/api/v1/products/sales.graced/governance", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        state["state"], "failing",
        "re-evaluated after the change: {state}"
    );

    // Waivers: asked by an owner of the product's team, with a reason and an expiry.
    let waivers = "/api/v1/governance/waivers";
    let ask = |expires: Value| json!({"policy": "purpose-length", "product": "sales.graced", "reason": "The purpose is being rewritten with the new owner.", "expires": expires});
    let no_expiry = app
        .send_json(Method::POST, waivers, Some(&app.alice), &ask(Value::Null))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .json();
    assert_eq!(no_expiry["error"]["findings"][0]["path"], "/expires");
    app.send_json(
        Method::POST,
        waivers,
        Some(&app.alice),
        &ask(json!("2001-01-01")),
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY);
    app.send_json(
        Method::POST,
        waivers,
        Some(&app.bob),
        &ask(json!("2099-01-01")),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    let expires = workbench_day(30);
    let waiver = app
        .send_json(
            Method::POST,
            waivers,
            Some(&app.alice),
            &ask(json!(expires)),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(waiver["status"], "requested");
    let decision = format!("{waivers}/{}/decision", waiver["id"].as_str().unwrap());
    app.send_json(
        Method::POST,
        &decision,
        Some(&app.alice),
        &json!({"decision": "approve"}),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    app.send_json(
        Method::POST,
        &decision,
        Some(&app.bob),
        &json!({"decision": "approve"}),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    let approved = app
        .send_json(
            Method::POST,
            &decision,
            Some(ADMIN_TOKEN),
            &json!({"decision": "approve", "note": "until the rewrite"}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(approved["status"], "approved");
    app.send_json(
        Method::POST,
        &decision,
        Some(ADMIN_TOKEN),
        &json!({"decision": "approve"}),
    )
    .await
    .expect(StatusCode::CONFLICT);
    let state = app
        .get("/api/v1/products/sales.graced/governance", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(state["state"], "passing", "{state}");
    assert_eq!(state["findings"][0]["waived_by"], waiver["id"]);
    // The waived product publishes again.
    let mut again = bundle("sales.graced");
    again["product"]["version"] = json!("1.0.1");
    app.send_json_with(
        Method::PUT,
        "/api/v1/products/sales.graced",
        Some(&app.alice),
        &again,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(StatusCode::OK);
    // The audit trail has the whole story.
    let audit = app
        .get("/api/v1/audit", Some(ADMIN_TOKEN))
        .await
        .expect(StatusCode::OK)
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"waiver.requested") && actions.contains(&"waiver.approved"),
        "{actions:?}"
    );
    app.finish().await;
}

/// A day `days` from today.
fn workbench_day(days: i64) -> String {
    let d = (time::OffsetDateTime::now_utc() + time::Duration::days(days)).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[tokio::test]
async fn evaluate_diff_and_report() {
    let app = TestApp::spawn().await;
    enforce(&app, purpose_policy("enforced")).await;
    // Evaluate without writing.
    let evaluation = app
        .send_json(
            Method::POST,
            "/api/v1/governance/evaluate",
            Some(&app.alice),
            &json!({"product": product_json("sales.candidate", "sales-analytics")}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(evaluation["blocked"], true, "{evaluation}");
    assert_eq!(evaluation["findings"][0]["policy"], "purpose-length");
    app.send_json(
        Method::POST,
        "/api/v1/governance/evaluate",
        Some(&app.alice),
        &json!({}),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    app.send_json(
        Method::POST,
        "/api/v1/governance/evaluate",
        Some(&app.alice),
        &json!({"product": {"kind": "DataProduct"}}),
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/api/v1/products/sales.candidate", Some(&app.alice))
        .await
        .expect(StatusCode::NOT_FOUND);

    // Two versions of a contract, and their diff: a removed field breaks consumers.
    let id = "urn:datacontract:sales:evolving";
    let v1 = contract_json(id);
    app.send_json(
        Method::PUT,
        &format!("/api/v1/contracts/{id}"),
        Some(&app.alice),
        &v1,
    )
    .await
    .expect(StatusCode::CREATED);
    let mut v2 = v1.clone();
    v2["version"] = json!("2.0.0");
    v2["schema"][0]["properties"]
        .as_array_mut()
        .unwrap()
        .remove(2);
    app.send_json_with(
        Method::PUT,
        &format!("/api/v1/contracts/{id}"),
        Some(&app.alice),
        &v2,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(StatusCode::OK);
    let diff = app
        .get(
            &format!("/api/v1/contracts/{id}/diff?from=1&to=2"),
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(diff["breaking"], true, "{diff}");
    let removed: Vec<&Value> = diff["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["level"] == "error")
        .collect();
    assert_eq!(
        removed[0]["path"], "schema.customer_revenue.properties.amount",
        "{diff}"
    );
    assert_eq!(removed[0]["rule"], "property-added-or-removed");
    let producer = app
        .get(
            &format!("/api/v1/contracts/{id}/diff?perspective=producer"),
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(producer["perspective"], "producer");
    app.get(
        &format!("/api/v1/contracts/{id}/diff?perspective=sideways"),
        Some(&app.bob),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    app.get(
        &format!("/api/v1/contracts/{id}/diff?from=7"),
        Some(&app.bob),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);

    // The report: JSON and CSV give the same numbers.
    let report = app
        .get(
            "/api/v1/governance/report?groupBy=domain,policy",
            Some(&app.bob),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        report["matrix"]["columns"],
        json!(["purpose-length"]),
        "{report}"
    );
    let rows = report["matrix"]["rows"].as_array().unwrap();
    assert!(rows.contains(&json!("shop")), "{report}");
    let total = &report["matrix"]["total"];
    let csv = app
        .get("/api/v1/governance/report?format=csv", Some(&app.bob))
        .await
        .expect(StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let last = csv.body.lines().last().unwrap().to_owned();
    assert!(
        last.starts_with(&format!(
            "*,*,{},{},{},{}",
            total["applicable"], total["passing"], total["waived"], total["failing"]
        )),
        "{last} vs {total}"
    );
    app.get("/api/v1/governance/report?groupBy=planet", Some(&app.bob))
        .await
        .expect(StatusCode::BAD_REQUEST);
    app.get("/api/v1/governance/report?from=2026-13-01", Some(&app.bob))
        .await
        .expect(StatusCode::BAD_REQUEST);
    let runs = app
        .get("/api/v1/governance/runs", Some(&app.bob))
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(!runs.as_array().unwrap().is_empty());
    app.request(
        Method::POST,
        "/api/v1/governance/runs",
        Some(&app.bob),
        &[],
        "",
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test]
async fn a_consumer_breaking_version_says_whom_it_breaks_before_it_is_published() {
    let app = TestApp::spawn().await;
    app.create_product("sales.upstream", "sales-analytics")
        .await;
    let mut reader = bundle("sales.reader");
    reader["product"]["inputPorts"] = json!([{ "name": "upstream", "version": "1.0.0", "contractId": "urn:datacontract:sales:upstream" }]);
    app.send_json(Method::POST, "/api/v1/products", Some(&app.alice), &reader)
        .await
        .expect(StatusCode::CREATED);
    let id = "urn:datacontract:sales:upstream";
    let mut v2 = contract_json(id);
    v2["version"] = json!("2.0.0");
    v2["schema"][0]["properties"]
        .as_array_mut()
        .unwrap()
        .remove(2);
    // Evaluating tells first…
    let evaluation = app
        .send_json(
            Method::POST,
            "/api/v1/governance/evaluate",
            Some(&app.alice),
            &json!({"contracts": [v2]}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let notice = &evaluation["notices"][0];
    assert_eq!(notice["rule"], "breaking-change", "{evaluation}");
    assert_eq!(notice["document"], format!("contract:{id}"));
    let message = notice["message"].as_str().unwrap();
    assert!(
        message.contains("breaks 1 consumer")
            && message.contains("sales.reader (team sales-analytics)"),
        "{message}"
    );
    // …and so does the publication, which goes through (no policy forbids it here).
    let published = app
        .send_json_with(
            Method::PUT,
            &format!("/api/v1/contracts/{id}"),
            Some(&app.alice),
            &v2,
            &[("if-match", "\"1\"")],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(
        published["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "breaking-change"),
        "{published}"
    );
    // A change that breaks nobody says nothing.
    let mut v3 = v2.clone();
    v3["version"] = json!("2.0.1");
    v3["description"] = json!({"purpose": "Same data, better words."});
    let quiet = app
        .send_json(
            Method::POST,
            "/api/v1/governance/evaluate",
            Some(&app.alice),
            &json!({"contracts": [v3]}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(quiet.get("notices").is_none(), "{quiet}");
    app.finish().await;
}

#[tokio::test]
async fn a_status_change_is_evaluated_like_any_write() {
    let app = TestApp::spawn().await;
    app.create_product("sales.ageing", "sales-analytics").await;
    enforce(
        &app,
        json!({"id": "successor", "title": "A deprecated product names its successor", "rationale": "Consumers need somewhere to go.",
               "severity": "error", "kind": "deprecation-successor"}),
    )
    .await;
    let refused = app
        .send_json(
            Method::POST,
            "/api/v1/products/sales.ageing/status",
            Some(&app.alice),
            &json!({"status": "deprecated"}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .json();
    assert_eq!(
        refused["error"]["policy_findings"][0]["policy"], "successor",
        "{refused}"
    );
    let card = app
        .get("/api/v1/products/sales.ageing", Some(&app.alice))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(card["card"]["status"], "active", "nothing stored");
    app.finish().await;
}
