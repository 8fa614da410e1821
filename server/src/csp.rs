//! The second wall against script injection: every response carries a Content-Security-Policy
//! that lets the browser run only Meshwork's own script files and the inline scripts Meshwork
//! wrote itself, recognised by a nonce drawn afresh for every request (the REST API's JSON gets
//! a fixed policy that allows nothing at all, and no nonce). The nonce travels to the
//! Leptos renderer in the request's extensions, so the hydration script, the resources' data
//! scripts and the theme script carry the same value as the header.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use leptos::nonce::Nonce;

/// The nonce of this request's inline scripts.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Draws the request's nonce and sets the policy (and the usual companions) on the response.
/// The REST API answers JSON only, never a document with scripts: it gets a fixed policy that
/// allows nothing, and no nonce is drawn for it.
pub async fn secure_headers(mut req: Request, next: Next) -> Response {
    if is_api(req.uri().path()) {
        let mut res = next.run(req).await;
        res.headers_mut().insert(
            http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_POLICY),
        );
        companions(res.headers_mut());
        return res;
    }
    let nonce = Nonce::new().to_string();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy(&nonce)) {
        headers.insert(http::header::CONTENT_SECURITY_POLICY, value);
    }
    companions(headers);
    // For the cache's front, which writes a new nonce where this one is.
    res.extensions_mut().insert(CspNonce(nonce));
    res
}

/// The policy of the REST API's answers (JSON): nothing may load or run, nothing may frame it.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Whether `path` is the REST API (`/api` and below), whose answers are never documents.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

fn companions(headers: &mut http::HeaderMap) {
    headers.insert(
        http::header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        http::header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}

/// The policy: scripts from this origin or with the nonce (and WebAssembly compiled by them);
/// no plugins, no `<base>`, no framing. Inline `style` attributes stay allowed because the pages
/// set custom properties (a domain's colour) with them; they cannot run script.
pub fn policy(nonce: &str) -> String {
    // Under `cargo leptos watch`, the live-reload script talks to its own port.
    static RELOAD: std::sync::OnceLock<&str> = std::sync::OnceLock::new();
    let reload = RELOAD.get_or_init(|| {
        if std::env::var_os("LEPTOS_WATCH").is_some() {
            " ws: wss:"
        } else {
            ""
        }
    });
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self'; \
         connect-src 'self'{reload}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'"
    )
}

/// Gives the Leptos renderer this request's nonce (called in the renderer's context).
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(Nonce::from_value(nonce.0));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_scripts_need_the_nonce() {
        let p = super::policy("abc");
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        let scripts = p
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .expect("a script-src directive");
        assert!(!scripts.contains("'unsafe-inline'"), "{scripts}");
        assert!(!scripts.contains("'unsafe-eval'"), "{scripts}");
        assert!(p.contains("object-src 'none'"));
    }

    #[test]
    fn the_api_allows_nothing_and_pages_keep_their_nonce() {
        assert!(super::is_api("/api/v1/products/sales.orders"));
        assert!(super::is_api("/api"));
        assert!(!super::is_api("/apiary"));
        assert!(!super::is_api("/products/sales.orders"));
        assert!(super::API_POLICY.starts_with("default-src 'none'"));
    }
}
