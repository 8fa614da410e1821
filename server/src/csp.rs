//! The second wall against script injection: every response carries a Content-Security-Policy
//! that lets the browser run only Meshwork's own script files and the inline scripts Meshwork
//! wrote itself, recognised by a nonce drawn afresh for every request. The nonce travels to the
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
pub async fn secure_headers(mut req: Request, next: Next) -> Response {
    let nonce = Nonce::new().to_string();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy(&nonce)) {
        headers.insert(http::header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        http::header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        http::header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// The policy: scripts from this origin or with the nonce (and WebAssembly compiled by them);
/// no plugins, no `<base>`, no framing. Inline `style` attributes stay allowed because the pages
/// set custom properties (a domain's colour) with them; they cannot run script.
pub fn policy(nonce: &str) -> String {
    // Under `cargo leptos watch`, the live-reload script talks to its own port.
    let reload = if std::env::var_os("LEPTOS_WATCH").is_some() {
        " ws: wss:"
    } else {
        ""
    };
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
}
