//! The signed-in user, for the layout and for pages that adapt to it.

use leptos::prelude::*;
use views::SessionView;

use crate::error::UiError;

#[server(prefix = "/rpc", endpoint = "session")]
pub async fn get_session() -> Result<SessionView, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.session_view(&actor).await?)
}
