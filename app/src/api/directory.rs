//! Domains, teams and tokens.

use leptos::prelude::*;
use views::{CreatedToken, DomainDetail, DomainView, TeamDetail, TeamView, TokenView};

use crate::error::UiError;

#[server(prefix = "/rpc", endpoint = "domains")]
pub async fn list_domains() -> Result<Vec<DomainView>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.list_domains(&actor).await?)
}

#[server(prefix = "/rpc", endpoint = "domain")]
pub async fn get_domain(id: String) -> Result<DomainDetail, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.domain_detail(&actor, &id).await?)
}

#[server(prefix = "/rpc", endpoint = "teams")]
pub async fn list_teams() -> Result<Vec<TeamView>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.list_teams(&actor).await?)
}

#[server(prefix = "/rpc", endpoint = "team")]
pub async fn get_team(id: String) -> Result<TeamDetail, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.team_detail(&actor, &id).await?)
}

#[server(prefix = "/rpc", endpoint = "tokens")]
pub async fn list_tokens() -> Result<Vec<TokenView>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.list_tokens(&actor).await?)
}

#[server(prefix = "/rpc", endpoint = "token-create")]
pub async fn create_token(name: String, team_id: Option<String>) -> Result<CreatedToken, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    let team_id = team_id.filter(|t| !t.is_empty());
    Ok(wb
        .create_token(&actor, &views::TokenInput { name, team_id })
        .await?)
}

#[server(prefix = "/rpc", endpoint = "token-revoke")]
pub async fn revoke_token(id: String) -> Result<(), UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.revoke_token(&actor, &id).await?)
}
