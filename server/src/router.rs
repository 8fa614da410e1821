//! Every route of the server on one screen: the REST API, the compatibility API, health probes,
//! the sign-in form posts, and the Leptos pages and server functions.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Router, middleware};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::api::{
    audit, contracts, directory, drafts, governance, health, lineage, products, session, tokens,
};
use crate::error::{HttpError, api_not_found, method_not_allowed};
use crate::extract::BODY_LIMIT;
use crate::state::AppState;
use crate::{auth, cache, compat, csp, marquez, openapi};

/// The whole application. Tests call this and drive it with `oneshot`, without a socket.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/openapi.json", get(openapi::serve))
        .route("/api/v1/me", get(session::me))
        .route(
            "/api/v1/session",
            post(session::sign_in).delete(session::sign_out),
        )
        .route(
            "/api/v1/domains",
            get(directory::list_domains).post(directory::create_domain),
        )
        .route(
            "/api/v1/domains/{id}",
            get(directory::get_domain)
                .put(directory::update_domain)
                .delete(directory::delete_domain),
        )
        .route(
            "/api/v1/teams",
            get(directory::list_teams).post(directory::create_team),
        )
        .route(
            "/api/v1/teams/{id}",
            get(directory::get_team)
                .put(directory::update_team)
                .delete(directory::delete_team),
        )
        .route(
            "/api/v1/teams/{id}/members/{username}",
            put(directory::set_member).delete(directory::remove_member),
        )
        .route(
            "/api/v1/users",
            get(directory::list_users).post(directory::create_user),
        )
        .route(
            "/api/v1/users/{username}",
            get(directory::get_user).put(directory::update_user),
        )
        .route("/api/v1/tokens", get(tokens::list).post(tokens::create))
        .route("/api/v1/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route("/api/v1/search", get(products::search))
        .route(
            "/api/v1/products",
            get(products::list).post(products::create),
        )
        .route(
            "/api/v1/products/{id}",
            get(products::get).put(products::update),
        )
        .route("/api/v1/products/{id}/document", get(products::document))
        .route("/api/v1/products/{id}/versions", get(products::versions))
        .route("/api/v1/products/{id}/history", get(products::history))
        .route(
            "/api/v1/products/{id}/status",
            post(products::change_status),
        )
        .route("/api/v1/products/{id}/drift", get(lineage::drift))
        .route("/api/v1/products/{id}/freshness", get(lineage::freshness))
        .route("/api/v1/ports", get(products::ports))
        .route("/api/v1/id-check", get(products::id_check))
        .route("/api/v1/contracts", get(contracts::list))
        .route(
            "/api/v1/contracts/{id}",
            get(contracts::get).put(contracts::put),
        )
        .route("/api/v1/contracts/{id}/document", get(contracts::document))
        .route("/api/v1/contracts/{id}/versions", get(contracts::versions))
        .route("/api/v1/drafts", get(drafts::list).post(drafts::create))
        .route(
            "/api/v1/drafts/{id}",
            get(drafts::get).put(drafts::save).delete(drafts::delete),
        )
        .route(
            "/api/v1/governance/policies",
            get(governance::list_policies).post(governance::create_policy),
        )
        .route(
            "/api/v1/governance/policies/{id}",
            get(governance::get_policy)
                .put(governance::update_policy)
                .delete(governance::delete_policy),
        )
        .route(
            "/api/v1/governance/policies/{id}/dry-run",
            post(governance::dry_run),
        )
        .route(
            "/api/v1/governance/waivers",
            get(governance::list_waivers).post(governance::request_waiver),
        )
        .route(
            "/api/v1/governance/waivers/{id}/decision",
            post(governance::decide_waiver),
        )
        .route("/api/v1/governance/evaluate", post(governance::evaluate))
        .route("/api/v1/governance/bundle", get(governance::bundle))
        .route(
            "/api/v1/governance/runs",
            get(governance::runs).post(governance::run_now),
        )
        .route("/api/v1/governance/report", get(governance::report))
        .route(
            "/api/v1/products/{id}/governance",
            get(governance::product_state),
        )
        .route(
            "/api/v1/contracts/{id}/diff",
            get(governance::contract_diff),
        )
        .route("/api/v1/audit", get(audit::recent))
        .route(
            "/api/v1/settings",
            get(audit::settings).put(audit::update_settings),
        )
        .route("/api/v1/graph", get(lineage::graph))
        .route("/api/v1/graph/impact", get(lineage::impact))
        .route("/api/v1/graph/path", get(lineage::path))
        .route("/api/v1/graph/domains", get(lineage::domains))
        .route("/api/v1/graph/cycles", get(lineage::cycles))
        .route("/api/v1/graph/search", get(lineage::search))
        // OpenLineage producers post here; Marquez readers get from the same path.
        .route(
            "/api/v1/lineage",
            post(lineage::receive).get(marquez::lineage),
        )
        .route("/api/v1/column-lineage", get(marquez::column_lineage))
        .route("/api/v1/namespaces", get(marquez::namespaces))
        .route("/api/v1/namespaces/{namespace}", get(marquez::namespace))
        .route(
            "/api/v1/namespaces/{namespace}/datasets",
            get(marquez::datasets),
        )
        .route(
            "/api/v1/namespaces/{namespace}/datasets/{dataset}",
            get(marquez::dataset),
        )
        .route("/api/v1/namespaces/{namespace}/jobs", get(marquez::jobs))
        .route(
            "/api/v1/namespaces/{namespace}/jobs/{job}",
            get(marquez::job),
        )
        .route(
            "/api/v1/namespaces/{namespace}/jobs/{job}/runs",
            get(marquez::runs),
        )
        .route("/api/v1/jobs/runs/{id}", get(marquez::run))
        .route(
            "/api/datacontracts/{id}",
            get(compat::get_contract).put(compat::put_contract),
        )
        .route(
            "/api/dataproducts/{id}",
            get(compat::get_product).put(compat::put_product),
        )
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed);

    let leptos_options = state.leptos_options.clone();
    let workbench = state.workbench.clone();
    let routes = route_list();
    // What every page render and server function gets: the use cases and the request's nonce.
    let context = move || {
        provide_context(workbench.clone());
        csp::provide_request_nonce();
    };
    let router = Router::new()
        .merge(api)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/auth/signin", post(session::sign_in_form))
        .route("/auth/signout", post(session::sign_out_form))
        .leptos_routes_with_context(
            &state,
            routes,
            context.clone(),
            move || app::shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context,
            app::shell,
        ))
        // Inside authentication (it keys on the caller) and the security headers (the nonce).
        .layer(middleware::from_fn_with_state(
            Arc::new(cache::ResponseCache::new(
                state.workbench.clone(),
                !state.settings.no_read_cache,
            )),
            cache::serve,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .layer(middleware::from_fn(csp::secure_headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)));
    // Outside every other layer: a remembered read is answered before any of them runs.
    let router = if state.settings.no_read_cache {
        router
    } else {
        router.layer(cache::FrontLayer::new(cache::Front::new(
            state.workbench.clone(),
        )))
    };
    router.with_state(state)
}

/// The pages' routes, listed once per process. Leptos lists them by running the whole app, and
/// while it does it holds back every resource that starts loading anywhere in the process (a
/// process-wide flag, leptos-rs/leptos#4773): a page rendered at that moment would wait for ever
/// for a resource that never loads. Listed once, before the first router exists, no page can be
/// rendering while it happens.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: OnceLock<Vec<leptos_axum::AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// A panic is a bug: log it, and answer in the API's error shape without details.
fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(panic = %detail, "handler panicked");
    HttpError::new(
        "internal",
        "an unexpected error happened; it has been logged",
    )
    .into_response()
}
