//! Wizard drafts and the product lifecycle (status changes).

use domain::{DataProductDoc, DocumentFormat, ProductStatus};
use store::{DraftRecord, Expect};
use views::{DraftInput, DraftView, PublishResult, WizardState};

use crate::actor::Actor;
use crate::error::{Result, WorkbenchError};
use crate::publish::{SourceDoc, product_write};
use crate::{Workbench, audit_event};

/// Largest wizard state accepted, in bytes of JSON.
pub const MAX_DRAFT_BYTES: usize = 512 * 1024;

fn draft_view(d: DraftRecord) -> DraftView {
    DraftView {
        state: serde_json::from_str(&d.state).unwrap_or(serde_json::Value::Null),
        id: d.id,
        product_id: d.product_id,
        title: d.title,
        revision: d.revision,
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

impl Workbench {
    pub async fn list_drafts(&self, actor: &Actor) -> Result<Vec<DraftView>> {
        let user = actor
            .user()
            .ok_or_else(|| WorkbenchError::forbidden("drafts belong to people; sign in"))?;
        Ok(self
            .store
            .list_drafts(&user.id)
            .await?
            .into_iter()
            .map(draft_view)
            .collect())
    }

    pub async fn get_draft(&self, actor: &Actor, id: &str) -> Result<DraftView> {
        let user = actor
            .user()
            .ok_or_else(|| WorkbenchError::forbidden("drafts belong to people; sign in"))?;
        self.store
            .get_draft(id, &user.id)
            .await?
            .map(draft_view)
            .ok_or_else(|| WorkbenchError::not_found(format!("draft '{id}' not found")))
    }

    /// Creates (no `revision`) or replaces (with the `revision` it was read at) a draft.
    pub async fn save_draft(
        &self,
        actor: &Actor,
        id: Option<&str>,
        input: &DraftInput,
    ) -> Result<DraftView> {
        let user = actor
            .user()
            .ok_or_else(|| WorkbenchError::forbidden("drafts belong to people; sign in"))?;
        let state = serde_json::to_string(&input.state).unwrap_or_default();
        if state.len() > MAX_DRAFT_BYTES {
            return Err(WorkbenchError::bad_request(format!(
                "the draft is larger than {} KiB",
                MAX_DRAFT_BYTES / 1024
            )));
        }
        if serde_json::from_value::<WizardState>(input.state.clone()).is_err() {
            return Err(WorkbenchError::bad_request("state is not a wizard state"));
        }
        let title = input.title.trim();
        let title = if title.is_empty() {
            "Untitled data product"
        } else {
            title
        };
        domain::text::check_line(title, 200)
            .map_err(|e| WorkbenchError::bad_request(format!("title {e}")))?;
        let record = DraftRecord {
            id: id
                .map(str::to_owned)
                .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            user_id: user.id.clone(),
            product_id: input.product_id.clone(),
            title: title.to_owned(),
            state,
            revision: 0,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let expect = match (id, input.revision) {
            (_, Some(r)) => Expect::Revision(r),
            (None, None) => Expect::New,
            (Some(_), None) => Expect::Any,
        };
        Ok(draft_view(self.store.save_draft(&record, expect).await?))
    }

    pub async fn delete_draft(&self, actor: &Actor, id: &str) -> Result<()> {
        let user = actor
            .user()
            .ok_or_else(|| WorkbenchError::forbidden("drafts belong to people; sign in"))?;
        Ok(self.store.delete_draft(id, &user.id).await?)
    }

    /// The wizard state that edits an existing product: its current documents, as stored.
    pub async fn wizard_for(&self, actor: &Actor, id: &str) -> Result<WizardState> {
        let record =
            self.store.get_product(id).await?.ok_or_else(|| {
                WorkbenchError::not_found(format!("data product '{id}' not found"))
            })?;
        actor.require_team_write(&record.row.team_id, &format!("edit data product '{id}'"))?;
        let product: DataProductDoc = serde_json::from_str(&record.document)
            .map_err(|e| WorkbenchError::Unavailable(e.to_string()))?;
        let mut contracts = Vec::new();
        for port in &product.output_ports {
            let contract = match &port.contract_id {
                Some(cid) => match self.store.get_contract(cid).await? {
                    Some(c) => serde_json::from_str(&c.document).ok(),
                    None => None,
                },
                None => None,
            };
            contracts.push(contract.unwrap_or_else(|| {
                domain::DataContractDoc::skeleton(
                    port.contract_id.as_deref().unwrap_or_default(),
                    &port.name,
                    &product,
                )
            }));
        }
        Ok(WizardState {
            step: 1,
            product,
            contracts,
            editing: Some(id.to_owned()),
            base_revision: Some(record.row.revision),
            id_edited: true,
        })
    }

    /// Moves a product through its lifecycle (deprecate, retire, reactivate). The document gets
    /// the new status as a new revision of the same version.
    pub async fn change_status(
        &self,
        actor: &Actor,
        id: &str,
        status: &str,
        revision: Option<i64>,
    ) -> Result<PublishResult> {
        let record =
            self.store.get_product(id).await?.ok_or_else(|| {
                WorkbenchError::not_found(format!("data product '{id}' not found"))
            })?;
        actor.require_team_write(&record.row.team_id, &format!("change the status of '{id}'"))?;
        let target = ProductStatus::parse(status)
            .map_err(|e| WorkbenchError::bad_request(format!("status {e}")))?;
        let current = ProductStatus::parse(&record.row.status).unwrap_or(ProductStatus::Draft);
        if !current.transitions().contains(&target) {
            let allowed: Vec<&str> = current.transitions().iter().map(|s| s.as_str()).collect();
            return Err(WorkbenchError::Conflict {
                message: format!(
                    "a {} product cannot become {}; allowed: {}",
                    current.as_str(),
                    target.as_str(),
                    if allowed.is_empty() {
                        String::from("none")
                    } else {
                        allowed.join(", ")
                    }
                ),
                current_revision: Some(record.row.revision),
            });
        }
        let mut value: serde_json::Value = serde_json::from_str(&record.document)
            .map_err(|e| WorkbenchError::Unavailable(e.to_string()))?;
        value["status"] = serde_json::Value::String(target.as_str().to_owned());
        let text = match record.source_format {
            DocumentFormat::Yaml => domain::to_yaml(&value),
            DocumentFormat::Json => serde_json::to_string_pretty(&value).unwrap_or_default(),
        };
        let source = SourceDoc {
            text,
            format: record.source_format,
            value,
        };
        let doc: DataProductDoc = serde_json::from_value(source.value.clone())
            .map_err(|e| WorkbenchError::Unavailable(e.to_string()))?;
        // A status change is a write like any other: the policies see the product as it would be.
        let (outcomes, policy_findings) = self
            .admit(Some((&doc, record.row.team_id.as_str())), &[], &[])
            .await?;
        let expect = Expect::Revision(revision.unwrap_or(record.row.revision));
        let write = product_write(&doc, &source, record.row.team_id.clone(), actor, expect);
        let event = audit_event(
            actor,
            "product.status_changed",
            "product",
            id,
            format!(
                "changed status of '{id}' from {} to {}",
                current.as_str(),
                target.as_str()
            ),
        );
        let published = self
            .store
            .publish(&store::Publication {
                products: vec![write],
                contracts: Vec::new(),
                audit: vec![event],
            })
            .await?;
        self.after_publication(&published.touched).await;
        self.record_standings(&outcomes).await;
        Ok(PublishResult {
            product_id: Some(id.to_owned()),
            revision: published.products.first().map(|p| p.1),
            version: Some(record.row.version),
            contracts: Vec::new(),
            unchanged: false,
            findings: policy_findings
                .iter()
                .map(crate::governance::as_finding)
                .collect(),
            policy_findings,
        })
    }
}
