//! Catalog, product pages and lifecycle changes.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use views::{PublishResult, SearchParams, SearchResults};

use crate::pages::product::ProductPageView;

use crate::error::UiError;

#[server(prefix = "/rpc", endpoint = "search", input = Json)]
pub async fn search_products(params: SearchParams) -> Result<SearchResults, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.search(&actor, &params).await?)
}

/// A product page: its read-only parts rendered here, its actions as data.
#[server(prefix = "/rpc", endpoint = "product")]
pub async fn product_page(id: String) -> Result<ProductPageView, UiError> {
    use crate::lineage::product::{LineageParts, focus_args};
    let (wb, actor) = super::ssr::actor().await?;
    let detail = wb.product_detail(&actor, &id).await?;
    let args = focus_args(&id);
    let query = workbench::ExploreQuery {
        focus: args.focus,
        ..workbench::ExploreQuery::default()
    };
    let graph = wb.explore(&actor, &query).await.map_err(UiError::from);
    let observed = async {
        let drift = wb.drift(&actor, &id).await?;
        let fresh = wb.port_freshness(&actor, &id).await?;
        Ok::<_, UiError>((drift, fresh))
    }
    .await;
    let governance = wb.product_governance(&actor, &id).await?;
    Ok(crate::pages::product::render(
        detail,
        LineageParts { graph, observed },
        governance,
    ))
}

#[server(prefix = "/rpc", endpoint = "product-status")]
pub async fn change_status(
    id: String,
    status: String,
    revision: i64,
) -> Result<PublishResult, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb
        .change_status(&actor, &id, &status, Some(revision))
        .await?)
}
