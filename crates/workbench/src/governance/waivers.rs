//! Waivers: a product excused from one policy until a day. Requested by an owner of the
//! product's team with a reason and an expiry; approved by a platform admin or the policy's
//! owner, never by the requester; audited. An approved or revoked waiver re-evaluates the
//! registry; an expired one stops applying at the next evaluation (the nightly run at the latest).

use governance::Policy;
use store::WaiverRecord;
use views::{WaiverDecision, WaiverRequest, WaiverView};

use super::{day_from_today, today};
use crate::actor::Actor;
use crate::error::{Result, WorkbenchError};
use crate::{Workbench, audit_event};

/// The longest a waiver may run.
const MAX_DAYS: i64 = 366;

pub(crate) fn waiver_view(w: WaiverRecord, today: &str) -> WaiverView {
    let status = if w.status == "approved" && w.expires.as_str() < today {
        String::from("expired")
    } else {
        w.status
    };
    WaiverView {
        id: w.id,
        policy: w.policy_id,
        product: w.product_id,
        reason: w.reason,
        expires: w.expires,
        status,
        requested_by: w.requested_by,
        requested_at: w.requested_at,
        decided_by: w.decided_by,
        decided_at: w.decided_at,
        note: w.note,
    }
}

fn field(path: &str, message: impl Into<String>) -> WorkbenchError {
    let mut f = domain::Finding::error("waiver", path, message);
    f.document = String::from("waiver");
    WorkbenchError::invalid(vec![f])
}

impl Workbench {
    /// Every waiver, newest request first.
    pub async fn list_waivers(&self, actor: &Actor) -> Result<Vec<WaiverView>> {
        actor.require_read()?;
        let today = today();
        Ok(self
            .store
            .waivers()
            .await?
            .into_iter()
            .map(|w| waiver_view(w, &today))
            .collect())
    }

    /// Asks for a waiver (an owner of the product's team, or an admin).
    pub async fn request_waiver(
        &self,
        actor: &Actor,
        request: &WaiverRequest,
    ) -> Result<WaiverView> {
        actor.require_signed_in()?;
        let Some(product) = self.store.get_product(&request.product).await? else {
            return Err(field(
                "/product",
                format!("product '{}' does not exist", request.product),
            ));
        };
        actor.require_team_owner(
            &product.row.team_id,
            &format!("request waivers for '{}'", request.product),
        )?;
        if self
            .store
            .policy_versions(&request.policy)
            .await?
            .is_empty()
        {
            return Err(field(
                "/policy",
                format!("policy '{}' does not exist", request.policy),
            ));
        }
        if request.reason.trim().len() < 10 {
            return Err(field(
                "/reason",
                "say why the product cannot comply yet, and what the team will do (at least 10 characters)",
            ));
        }
        let Some(expires) = request.expires.as_deref().filter(|e| !e.trim().is_empty()) else {
            return Err(field(
                "/expires",
                "a waiver needs an expiry date (YYYY-MM-DD): waivers are temporary by design",
            ));
        };
        if let Err(e) = governance::policy::parse_day(expires) {
            return Err(field("/expires", e));
        }
        let today = today();
        let latest = day_from_today(MAX_DAYS);
        if expires < today.as_str() {
            return Err(field(
                "/expires",
                format!("the expiry {expires} is in the past (today is {today})"),
            ));
        }
        if expires > latest.as_str() {
            return Err(field(
                "/expires",
                format!("a waiver runs for at most {MAX_DAYS} days: expire it by {latest}"),
            ));
        }
        let record = WaiverRecord {
            id: format!("w-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]),
            policy_id: request.policy.clone(),
            product_id: request.product.clone(),
            reason: request.reason.trim().to_owned(),
            expires: expires.to_owned(),
            status: String::from("requested"),
            requested_by: actor.name(),
            requested_at: store::now(),
            decided_by: None,
            decided_at: None,
            note: None,
        };
        let event = audit_event(
            actor,
            "waiver.requested",
            "waiver",
            &record.id,
            format!(
                "requested a waiver of '{}' for '{}' until {expires}",
                record.policy_id, record.product_id
            ),
        );
        self.store.insert_waiver(&record, &event).await?;
        Ok(waiver_view(record, &today))
    }

    /// Approves, rejects or revokes a waiver.
    pub async fn decide_waiver(
        &self,
        actor: &Actor,
        id: &str,
        decision: &WaiverDecision,
    ) -> Result<WaiverView> {
        actor.require_signed_in()?;
        let Some(waiver) = self.store.get_waiver(id).await? else {
            return Err(WorkbenchError::not_found(format!(
                "waiver '{id}' not found"
            )));
        };
        let owner = self
            .store
            .policy_versions(&waiver.policy_id)
            .await?
            .first()
            .and_then(|p| serde_json::from_str::<Policy>(&p.document).ok())
            .and_then(|p| p.owner);
        let (from, to, verb) = match decision.decision.as_str() {
            "approve" => ("requested", "approved", "approved"),
            "reject" => ("requested", "rejected", "rejected"),
            "revoke" => ("approved", "revoked", "revoked"),
            other => {
                return Err(field(
                    "/decision",
                    format!("'{other}' is not a decision: use approve, reject or revoke"),
                ));
            }
        };
        if to == "revoked" && actor.name() == waiver.requested_by {
            // Giving up one's own waiver is always allowed.
        } else {
            actor.require_waiver_decider(owner.as_deref(), &waiver.requested_by)?;
        }
        if to == "approved" && waiver.expires < today() {
            return Err(field(
                "/expires",
                format!(
                    "the waiver expired on {}; ask for a new one",
                    waiver.expires
                ),
            ));
        }
        let event = audit_event(
            actor,
            &format!("waiver.{to}"),
            "waiver",
            id,
            format!(
                "{verb} the waiver of '{}' for '{}' (until {})",
                waiver.policy_id, waiver.product_id, waiver.expires
            ),
        );
        let note = decision.note.as_deref().filter(|n| !n.trim().is_empty());
        let decided = self
            .store
            .decide_waiver(id, from, to, &actor.name(), note, &event)
            .await?;
        if to != "rejected" {
            self.reevaluate(&format!("waiver {id} {to}")).await?;
        }
        Ok(waiver_view(decided, &today()))
    }
}
