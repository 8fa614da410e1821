//! Stored script injection, as a whole class: a mesh whose every user-controlled string carries
//! an injection payload (`fixtures/injection/mesh.json`: closing `</title>`, `</script>`,
//! `</style>`, `</textarea>`, attribute breakers, `javascript:` and `data:` URLs, SVG
//! `<foreignObject>`, markdown links and images) is published through the API, and every page
//! that shows it is rendered on the server. No payload may appear unescaped, no element may carry
//! an event handler or a script URL, and every script must carry the response's nonce. The
//! Playwright spec `injection.spec.ts` replays the same mesh in Chromium, after hydration.

use http::{Method, StatusCode};
use scraper::{ElementRef, Html};
use serde_json::Value;

use crate::support::{ADMIN_TOKEN, PASSWORD, Reply, TestApp, fixture};

/// The nonce the response's Content-Security-Policy allows.
fn policy_nonce(reply: &Reply) -> String {
    let policy = reply
        .headers
        .get(http::header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        policy.contains("script-src 'self' 'nonce-") && !policy.contains("'unsafe-inline' 'wasm"),
        "the policy allows only Meshwork's own scripts: {policy}"
    );
    policy
        .split_once("'nonce-")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(n, _)| n.to_owned())
        .unwrap_or_default()
}

/// Everything that would let a payload run, found in one page.
fn dangers(html: &str, nonce: &str, payloads: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for p in payloads {
        if html.contains(p.as_str()) {
            found.push(format!("the payload {p:?} appears unescaped"));
        }
    }
    let doc = Html::parse_document(html);
    for node in doc.tree.nodes() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "iframe" | "object" | "embed" | "foreignobject" | "base" | "frame"
        ) {
            found.push(format!("a <{name}> element"));
        }
        if name == "script" && el.value().attr("nonce") != Some(nonce) {
            found.push(format!(
                "a script without the page's nonce: {}",
                el.html().chars().take(120).collect::<String>()
            ));
        }
        for (attr, value) in el.value().attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!("<{name} {attr}=…>: an event handler"));
            }
            let value = value.trim().to_ascii_lowercase();
            let is_url = matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcdoc" | "data"
            );
            if is_url
                && (value.starts_with("javascript:")
                    || value.starts_with("data:")
                    || value.starts_with("vbscript:")
                    || attr == "srcdoc")
            {
                found.push(format!("<{name} {attr}={value:?}>: a script URL"));
            }
        }
    }
    found
}

#[tokio::test]
async fn no_user_controlled_string_can_inject_script() {
    let app = TestApp::spawn().await;
    let mesh: Value = serde_json::from_str(&fixture("injection/mesh.json")).unwrap();
    for r in mesh["requests"].as_array().unwrap() {
        let method = Method::from_bytes(r["method"].as_str().unwrap().as_bytes()).unwrap();
        let path = r["path"].as_str().unwrap();
        let reply = app
            .send_json(method, path, Some(ADMIN_TOKEN), &r["body"])
            .await;
        assert!(
            reply.status.is_success(),
            "{path}: {} {}",
            reply.status,
            reply.body
        );
    }
    let user = &mesh["user"];
    let session = app
        .workbench
        .sign_in(
            user["username"].as_str().unwrap(),
            user["password"].as_str().unwrap(),
        )
        .await
        .unwrap()
        .0;
    // A token whose name is a payload, for the tokens page.
    let payloads: Vec<String> = mesh["payloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let cookie = format!("{}={session}", server::auth::SESSION_COOKIE);
    let token = app
        .request(
            Method::POST,
            "/api/v1/tokens",
            None,
            &[("cookie", &cookie), ("content-type", "application/json")],
            &serde_json::json!({ "name": payloads[4] }).to_string(),
        )
        .await;
    assert_eq!(token.status, StatusCode::CREATED, "{}", token.body);
    let _ = PASSWORD;

    let mut problems = Vec::new();
    for page in mesh["pages"].as_array().unwrap() {
        let path = page.as_str().unwrap();
        let reply = app
            .request(Method::GET, path, None, &[("cookie", &cookie)], "")
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            reply.body.contains("evil") || reply.body.contains("Evil") || path == "/register",
            "{path} does not show the evil mesh"
        );
        let nonce = policy_nonce(&reply);
        for d in dangers(&reply.body, &nonce, &payloads) {
            problems.push(format!("{path}: {d}"));
        }
    }
    // The REST and compatibility reads are JSON or YAML, never HTML, and carry a policy that
    // allows nothing.
    for path in [
        "/api/v1/products/evil.orders",
        "/api/dataproducts/evil.orders",
    ] {
        let reply = app
            .request(Method::GET, path, None, &[("cookie", &cookie)], "")
            .await;
        let kind = reply
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(!kind.contains("html"), "{path} answers {kind}");
        assert_eq!(
            reply
                .headers
                .get(http::header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.as_bytes()),
            Some(&b"nosniff"[..])
        );
        // Were one opened as a document anyway, nothing in it may run.
        assert_eq!(
            reply
                .headers
                .get(http::header::CONTENT_SECURITY_POLICY)
                .map(|v| v.as_bytes()),
            Some(server::csp::API_POLICY.as_bytes()),
            "{path}"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    app.finish().await;
}
