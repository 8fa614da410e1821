//! The test harness: the whole router on a fresh database, a small directory (domains, teams,
//! alice in sales-analytics, bob in finance-core), and request helpers.

#![allow(dead_code)] // Not every test binary uses every helper.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Method, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use server::AppState;
use server::state::Settings;
use store::testing::TestDb;
use tower::ServiceExt;
use views::{DomainInput, MemberInput, TeamInput, TokenInput, UserInput};
use workbench::{Actor, Workbench, WorkbenchConfig};

pub const ADMIN_TOKEN: &str = "test-admin-token";
pub const PASSWORD: &str = "meshwork-test";

pub struct TestApp {
    pub router: Router,
    pub workbench: Workbench,
    pub alice: String,
    pub bob: String,
    db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Reply {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }
}

pub fn fixture(path: &str) -> String {
    let full = format!("{}/../fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A valid ODPS document owned by `team`, in domain `sales`, reading `shop.orders`.
pub fn product_json(id: &str, team: &str) -> Value {
    json!({
        "apiVersion": "v1.1.0",
        "kind": "DataProduct",
        "id": id,
        "name": "Daily sales",
        "version": "1.0.0",
        "status": "active",
        "domain": "sales",
        "type": "aggregate",
        "description": { "purpose": "Revenue per **day**.", "usage": "Join on revenue_date." },
        "tags": ["finance", "daily"],
        "team": { "name": team },
        "inputPorts": [{ "name": "orders", "version": "1.0.0", "contractId": "urn:datacontract:shop:orders" }],
        "outputPorts": [{ "name": "tables", "type": "table", "version": "1.0.0", "contractId": format!("urn:datacontract:sales:{}", id.trim_start_matches("sales.")) }],
    })
}

pub fn contract_json(id: &str) -> Value {
    json!({
        "apiVersion": "v3.2.0", "kind": "DataContract", "id": id, "name": "Customer revenue", "version": "1.0.0", "status": "active",
        "servers": [{ "server": "production", "type": "postgres", "host": "db", "port": 5432, "database": "analytics", "schema": "public" }],
        "schema": [{ "name": "customer_revenue", "physicalType": "table", "properties": [
            { "name": "customer_id", "logicalType": "integer", "primaryKey": true, "primaryKeyPosition": 1, "required": true, "classification": "internal" },
            { "name": "revenue_date", "logicalType": "date", "primaryKey": true, "primaryKeyPosition": 2, "required": true },
            { "name": "amount", "logicalType": "number", "classification": "confidential" },
            { "name": "email", "logicalType": "string", "classification": "restricted", "customProperties": [{ "property": "pii", "value": true }] }
        ], "quality": [{ "type": "library", "metric": "rowCount", "mustBeGreaterThan": 0 }] }],
        "slaProperties": [{ "property": "latency", "value": 1, "unit": "d" }, { "property": "availability", "value": "99.9%" }]
    })
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let db = TestDb::from_env().await;
        let workbench = Workbench::new(
            db.store.clone(),
            WorkbenchConfig {
                anonymous_read: false,
                admin_token: Some(ADMIN_TOKEN.to_owned()),
                no_read_cache: false,
            },
        );
        let system = Actor::system();
        for (id, name) in [("sales", "Sales"), ("shop", "Shop"), ("finance", "Finance")] {
            workbench
                .create_domain(
                    &system,
                    &DomainInput {
                        id: id.to_owned(),
                        name: name.to_owned(),
                        description: String::new(),
                        parent_id: None,
                        color: None,
                    },
                )
                .await
                .unwrap();
        }
        for (id, domain) in [
            ("sales-analytics", "sales"),
            ("shop-team", "shop"),
            ("finance-core", "finance"),
        ] {
            workbench
                .create_team(
                    &system,
                    &TeamInput {
                        id: id.to_owned(),
                        name: id.to_owned(),
                        description: String::new(),
                        domain_id: domain.to_owned(),
                    },
                )
                .await
                .unwrap();
        }
        let mut tokens = Vec::new();
        for (user, team) in [("alice", "sales-analytics"), ("bob", "finance-core")] {
            workbench
                .create_user(
                    &system,
                    &UserInput {
                        username: user.to_owned(),
                        display_name: user.to_owned(),
                        email: None,
                        password: Some(PASSWORD.to_owned()),
                        is_admin: false,
                    },
                )
                .await
                .unwrap();
            workbench
                .set_member(
                    &system,
                    team,
                    user,
                    &MemberInput {
                        role: String::from("owner"),
                    },
                )
                .await
                .unwrap();
            let actor = workbench
                .authenticate_session(&workbench.sign_in(user, PASSWORD).await.unwrap().0)
                .await
                .unwrap()
                .unwrap();
            tokens.push(
                workbench
                    .create_token(
                        &actor,
                        &TokenInput {
                            name: String::from("tests"),
                            team_id: None,
                        },
                    )
                    .await
                    .unwrap()
                    .secret,
            );
        }
        // The upstream contract every test product reads.
        let orders =
            workbench::SourceDoc::parse(&fixture("dataproducts/shop-orders.odcs.yaml")).unwrap();
        workbench
            .publish(
                &system,
                workbench::Submission {
                    product: None,
                    contracts: vec![orders],
                    expect: workbench::Expect::New,
                    mode: workbench::Mode::Checked,
                    team: Some(String::from("shop-team")),
                },
            )
            .await
            .unwrap();
        let upstream = json!({
            "apiVersion": "v1.1.0", "kind": "DataProduct", "id": "shop.orders", "name": "Shop orders", "version": "1.0.0", "status": "active", "domain": "shop",
            "team": { "name": "shop-team" }, "outputPorts": [{ "name": "orders", "type": "table", "version": "1.0.0", "contractId": "urn:datacontract:shop:orders" }]
        });
        workbench
            .publish(
                &system,
                workbench::Submission {
                    product: Some(workbench::SourceDoc::from_value(upstream).unwrap()),
                    contracts: Vec::new(),
                    expect: workbench::Expect::New,
                    mode: workbench::Mode::Checked,
                    team: None,
                },
            )
            .await
            .unwrap();

        let state = AppState::new(
            workbench.clone(),
            server::cli::leptos_options("127.0.0.1:0".parse().unwrap()),
            Arc::new(Settings::default()),
        );
        let bob = tokens.pop().unwrap();
        let alice = tokens.pop().unwrap();
        TestApp {
            router: server::app(state),
            workbench,
            alice,
            bob,
            db,
        }
    }

    /// The router of another server process over the same database, just started: nothing is in
    /// its memory yet (its lineage graph loads on first use).
    pub fn restarted(&self) -> Router {
        let workbench = Workbench::new(
            self.workbench.store().clone(),
            WorkbenchConfig {
                anonymous_read: false,
                admin_token: Some(ADMIN_TOKEN.to_owned()),
                no_read_cache: false,
            },
        );
        server::app(AppState::new(
            workbench,
            server::cli::leptos_options("127.0.0.1:0".parse().unwrap()),
            Arc::new(Settings::default()),
        ))
    }

    pub async fn finish(self) {
        self.db.finish().await;
    }

    pub async fn request_bytes(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        send(&self.router, method, path, token, headers, body).await
    }
}

/// One request to `router`.
pub async fn send(
    router: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Reply {
    let mut builder = http::Request::builder().method(method).uri(path);
    if let Some(t) = token {
        builder = builder.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let response = router
        .clone()
        .oneshot(builder.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

impl TestApp {
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        self.request_bytes(method, path, token, headers, body.as_bytes().to_vec())
            .await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.request(Method::GET, path, token, &[], "").await
    }

    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Reply {
        self.send_json_with(method, path, token, body, &[]).await
    }

    pub async fn send_json_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.request(method, path, token, &all, &body.to_string())
            .await
    }

    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: &str,
    ) -> Reply {
        self.request(method, path, token, &[("content-type", content_type)], body)
            .await
    }

    /// Registers `id` for `team` (with a contract for its output port).
    pub async fn create_product(&self, id: &str, team: &str) {
        let contract = contract_json(&format!(
            "urn:datacontract:sales:{}",
            id.trim_start_matches("sales.")
        ));
        let bundle = json!({ "product": product_json(id, team), "contracts": [contract] });
        self.send_json(Method::POST, "/api/v1/products", Some(ADMIN_TOKEN), &bundle)
            .await
            .expect(StatusCode::CREATED);
    }
}
