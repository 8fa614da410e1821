//! The registration wizard's calls: id checks, the upstream picker, drafts, validation and
//! publication.

use domain::Finding;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use views::{DraftView, IdCheck, PortRef, PublishResult, WizardState};

use crate::error::UiError;

/// What the wizard starts from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WizardSetup {
    pub state: WizardState,
    pub draft_id: Option<String>,
    pub draft_revision: Option<i64>,
    /// The teams the user may publish for: (id, name, domain id).
    pub teams: Vec<(String, String, String)>,
    /// Every domain: (id, name, colour).
    pub domains: Vec<(String, String, String)>,
    pub signed_in: bool,
}

/// Loads the wizard: a saved draft, an existing product to edit, or a new registration.
#[server(prefix = "/rpc", endpoint = "wizard-start")]
pub async fn wizard_start(
    draft: Option<String>,
    product: Option<String>,
) -> Result<WizardSetup, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    let signed_in = actor.user().is_some();
    let mut start = WizardSetup {
        state: WizardState {
            step: 1,
            ..WizardState::default()
        },
        draft_id: None,
        draft_revision: None,
        teams: Vec::new(),
        domains: Vec::new(),
        signed_in,
    };
    if !signed_in {
        return Ok(start);
    }
    let names = wb.list_teams(&actor).await?;
    start.teams = names
        .into_iter()
        .filter(|t| actor.is_admin() || actor.is_member_of(&t.id))
        .map(|t| (t.id, t.name, t.domain_id))
        .collect();
    start.domains = wb
        .list_domains(&actor)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name, d.color))
        .collect();
    if let Some(id) = draft.filter(|d| !d.is_empty()) {
        let d = wb.get_draft(&actor, &id).await?;
        start.state = serde_json::from_value(d.state).map_err(|e| {
            UiError(views::ApiError::new(
                "bad_request",
                format!("the draft cannot be read: {e}"),
            ))
        })?;
        start.draft_id = Some(d.id);
        start.draft_revision = Some(d.revision);
    } else if let Some(id) = product {
        start.state = wb.wizard_for(&actor, &id).await?;
    } else {
        start.state = crate::wizard::state::new_registration(
            start.teams.first().map(|t| (t.0.as_str(), t.2.as_str())),
        );
    }
    Ok(start)
}

#[server(prefix = "/rpc", endpoint = "id-check")]
pub async fn check_id(id: String) -> Result<IdCheck, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.check_product_id(&actor, &id).await?)
}

#[server(prefix = "/rpc", endpoint = "ports")]
pub async fn search_ports(text: String) -> Result<Vec<PortRef>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.port_options(&actor, &text, 30).await?)
}

/// Saves the wizard state as a draft (creating it when `id` is empty).
#[server(prefix = "/rpc", endpoint = "draft-save", input = Json)]
pub async fn save_draft(
    id: Option<String>,
    revision: Option<i64>,
    state: WizardState,
) -> Result<DraftView, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    let title = state
        .product
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| String::from("Untitled data product"));
    let input = views::DraftInput {
        title,
        product_id: state.editing.clone(),
        state: serde_json::to_value(&state).unwrap_or_default(),
        revision,
    };
    Ok(wb.save_draft(&actor, id.as_deref(), &input).await?)
}

#[server(prefix = "/rpc", endpoint = "draft-delete")]
pub async fn delete_draft(id: String) -> Result<(), UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    Ok(wb.delete_draft(&actor, &id).await?)
}

#[server(prefix = "/rpc", endpoint = "drafts")]
pub async fn list_drafts() -> Result<Vec<DraftView>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    if actor.user().is_none() {
        return Ok(Vec::new());
    }
    Ok(wb.list_drafts(&actor).await?)
}

/// Checks the wizard's documents on the server (official schemas and references) without
/// storing anything.
#[server(prefix = "/rpc", endpoint = "wizard-validate", input = Json)]
pub async fn validate_wizard(state: WizardState) -> Result<Vec<Finding>, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    let submission = crate::wizard::state::submission(&state, store_expect(&state))?;
    match wb.dry_run(&actor, submission).await {
        Ok(findings) => Ok(findings),
        Err(workbench::WorkbenchError::Invalid { findings, .. }) => Ok(findings),
        Err(e) => Err(e.into()),
    }
}

/// Publishes the wizard's documents with the chosen status; deletes the draft on success.
#[server(prefix = "/rpc", endpoint = "wizard-publish", input = Json)]
pub async fn publish_wizard(
    state: WizardState,
    draft_id: Option<String>,
) -> Result<PublishResult, UiError> {
    let (wb, actor) = super::ssr::actor().await?;
    let submission = crate::wizard::state::submission(&state, store_expect(&state))?;
    let result = wb.publish(&actor, submission).await?;
    if let Some(id) = draft_id.filter(|d| !d.is_empty()) {
        let _ = wb.delete_draft(&actor, &id).await;
    }
    Ok(result)
}

#[cfg(feature = "ssr")]
fn store_expect(state: &WizardState) -> workbench::Expect {
    match (&state.editing, state.base_revision) {
        (Some(_), Some(r)) => workbench::Expect::Revision(r),
        _ => workbench::Expect::New,
    }
}
