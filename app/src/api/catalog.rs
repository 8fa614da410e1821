//! Catalog, product pages and lifecycle changes.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use views::{ProductDetail, PublishResult, SearchParams, SearchResults};

use crate::error::UiError;

#[server(prefix = "/rpc", endpoint = "search", input = Json)]
pub async fn search_products(params: SearchParams) -> Result<SearchResults, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.search(&actor, &params).await?)
}

#[server(prefix = "/rpc", endpoint = "product")]
pub async fn get_product(id: String) -> Result<ProductDetail, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.product_detail(&actor, &id).await?)
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
