//! The OpenAPI 3.1 description of the whole HTTP API, generated from the handlers.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{api, compat, marquez};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Meshwork API",
        version = "1",
        description = "The self-serve data mesh workbench: data products (ODPS), data contracts (ODCS), domains, teams and tokens; lineage (OpenLineage in, Marquez-compatible reads out).\n\nAuthenticate with `Authorization: Bearer <token>`, `x-api-key: <token>`, or the session cookie of the web UI. Every error has the shape `{\"error\": {\"code\", \"message\", \"findings\", \"current_revision\"}}`."
    ),
    paths(
        api::health::healthz, api::health::readyz,
        api::session::me, api::session::sign_in, api::session::sign_out,
        api::directory::list_domains, api::directory::create_domain, api::directory::get_domain, api::directory::update_domain, api::directory::delete_domain,
        api::directory::list_teams, api::directory::create_team, api::directory::get_team, api::directory::update_team, api::directory::delete_team,
        api::directory::set_member, api::directory::remove_member,
        api::directory::list_users, api::directory::create_user, api::directory::get_user, api::directory::update_user,
        api::tokens::list, api::tokens::create, api::tokens::revoke,
        api::products::search, api::products::list, api::products::create, api::products::get, api::products::update,
        api::products::document, api::products::versions, api::products::history, api::products::change_status,
        api::products::ports, api::products::id_check,
        api::contracts::list, api::contracts::get, api::contracts::put, api::contracts::document, api::contracts::versions,
        api::drafts::list, api::drafts::create, api::drafts::get, api::drafts::save, api::drafts::delete,
        api::audit::recent, api::audit::settings, api::audit::update_settings,
        api::governance::list_policies, api::governance::create_policy, api::governance::get_policy, api::governance::update_policy,
        api::governance::delete_policy, api::governance::dry_run, api::governance::list_waivers, api::governance::request_waiver,
        api::governance::decide_waiver, api::governance::evaluate, api::governance::bundle, api::governance::runs, api::governance::run_now,
        api::governance::report, api::governance::product_state, api::governance::contract_diff,
        compat::put_contract, compat::get_contract, compat::put_product, compat::get_product,
        api::lineage::receive, api::lineage::graph, api::lineage::impact, api::lineage::path, api::lineage::domains,
        api::lineage::cycles, api::lineage::search, api::lineage::drift, api::lineage::freshness,
        marquez::lineage, marquez::column_lineage, marquez::namespaces, marquez::namespace, marquez::datasets,
        marquez::dataset, marquez::jobs, marquez::job, marquez::runs, marquez::run,
    ),
    modifiers(&Security),
    tags(
        (name = "products", description = "Data products: search, registration, documents, versions, lifecycle"),
        (name = "contracts", description = "Data contracts (ODCS)"),
        (name = "domains"), (name = "teams"), (name = "users"), (name = "tokens"), (name = "drafts"), (name = "session"), (name = "audit"), (name = "health"),
        (name = "settings"),
        (name = "governance", description = "Federated computational governance: policies, waivers, evaluation, dry-runs, the compliance report"),
        (name = "compatibility", description = "The Entropy Data API used by datacontract-cli and dataproduct-cli"),
        (name = "lineage", description = "OpenLineage ingestion and the lineage graph: neighbourhoods, impact, paths, the mesh map, drift"),
        (name = "marquez", description = "Marquez-compatible reads of observed lineage, for marquez-python"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::SESSION_COOKIE))),
        );
        openapi.security = Some(vec![
            utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new()),
            utoipa::openapi::security::SecurityRequirement::new("apiKey", Vec::<String>::new()),
            utoipa::openapi::security::SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
    }
}

/// `GET /api/openapi.json`.
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
