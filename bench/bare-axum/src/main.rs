//! The baseline for the HTTP benchmarks: a bare axum handler answering a fixed JSON body of the
//! size of a product page, with no database, no authentication and no middleware. `cargo xtask
//! bench` runs it beside Meshwork so both are measured in the same run on the same machine.

use axum::Router;
use axum::http::header;
use axum::routing::get;

/// The allocator Meshwork's server uses, so that the baseline differs from it only by the work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| String::from("127.0.0.1:3999"));
    let size: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(8_000);
    let body: &'static str = Box::leak(
        format!(
            "{{\"padding\":\"{}\"}}",
            "x".repeat(size.saturating_sub(14))
        )
        .into_boxed_str(),
    );
    let app = Router::new().route(
        "/{*path}",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
