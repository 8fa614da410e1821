//! Policies and their lifecycle. Only platform admins write them. A draft is edited in place;
//! once a policy has left draft, every change is a new version. Enforcing a draft needs a
//! dry-run of that very version in the last seven days. Every change re-evaluates the registry.

use domain::Finding;
use governance::report::{DryRun, Evaluated, Standing};
use governance::{Options, Policy, State};
use serde_json::Value;
use store::PolicyRow;
use views::{FailingProduct, PolicyDetail, PolicyVersionView, PolicyView};

use super::evaluate::Rules;
use super::{day_from_today, days_since, today, view};
use crate::actor::Actor;
use crate::error::{Result, WorkbenchError};
use crate::{Workbench, audit_event};

/// How recent a dry-run must be to enforce a draft.
const DRY_RUN_DAYS: i64 = 7;

/// A policy id: lowercase words joined by hyphens (or dots for a domain's own policies).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// The stored row of one policy version, written by `by` at `at`.
pub(crate) fn policy_row(policy: &Policy, by: String, at: String) -> PolicyRow {
    PolicyRow {
        id: policy.id.clone(),
        version: i64::from(policy.version),
        state: policy.state.as_str().to_owned(),
        document: serde_json::to_string(policy).unwrap_or_default(),
        created_at: at,
        created_by: by,
    }
}

fn problem(path: &str, message: impl Into<String>) -> Finding {
    let mut f = Finding::error("policy", path, message);
    f.document = String::from("policy");
    f
}

/// Reads a policy document as sent (JSON or YAML), naming the field that is wrong.
pub(crate) fn parse_policy(value: &Value) -> Result<Policy> {
    let mut value = value.clone();
    if let Some(o) = value.as_object_mut() {
        // The version and (for a new policy) the state are Meshwork's to set.
        o.entry("version").or_insert(Value::from(1));
        o.entry("state").or_insert(Value::from("draft"));
        o.entry("rationale").or_insert(Value::from(""));
    }
    serde_json::from_value::<Policy>(value).map_err(|e| {
        let text = e.to_string();
        let hint = if text.contains("unknown variant") && text.contains("kind")
            || text.contains("variant")
        {
            format!(
                "{text}; kind must be one of the built-in kinds (see docs/governance.md) or rego"
            )
        } else {
            text
        };
        WorkbenchError::invalid(vec![problem(
            "",
            format!("the policy cannot be read: {hint}"),
        )])
    })
}

impl Workbench {
    /// Every policy at its newest version, with how many products pass and fail it.
    pub async fn list_policies(&self, actor: &Actor) -> Result<Vec<PolicyView>> {
        actor.require_read()?;
        let standings = self.standings().await?;
        let rows = self.store.policies().await?;
        Ok(rows.iter().map(|r| policy_view(r, &standings)).collect())
    }

    /// One policy: its versions, the products failing it, and its newest dry-run.
    pub async fn policy_detail(&self, actor: &Actor, id: &str) -> Result<PolicyDetail> {
        actor.require_read()?;
        let versions = self.store.policy_versions(id).await?;
        let Some(head) = versions.first() else {
            return Err(WorkbenchError::not_found(format!(
                "policy '{id}' not found"
            )));
        };
        let standings = self.standings().await?;
        let since = self.store.failing_since(None).await?;
        let names: std::collections::HashMap<String, String> = self
            .store
            .list_products(None, None)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let mut failing = Vec::new();
        for e in &standings {
            if e.standing(id) != Standing::Failing {
                continue;
            }
            let since = since
                .iter()
                .find(|s| s.product_id == e.product && s.policy_id == id)
                .map(|s| s.since.clone());
            failing.push(FailingProduct {
                product: e.product.clone(),
                name: names.get(&e.product).cloned().unwrap_or_default(),
                domain: e.domain.clone(),
                team: e.team.clone(),
                findings: e
                    .findings
                    .iter()
                    .filter(|f| f.policy == id)
                    .cloned()
                    .map(view)
                    .collect(),
                days_failing: since.as_deref().map(days_since).unwrap_or(0),
                since,
            });
        }
        Ok(PolicyDetail {
            current: policy_view(head, &standings),
            versions: versions
                .iter()
                .map(|r| PolicyVersionView {
                    version: r.version,
                    state: r.state.clone(),
                    policy: serde_json::from_str(&r.document).unwrap_or(Value::Null),
                    created_at: r.created_at.clone(),
                    created_by: r.created_by.clone(),
                })
                .collect(),
            failing,
            last_dry_run: self.last_dry_run(id, head.version).await?,
        })
    }

    /// Creates a policy (`expect` = `None`) or changes it (`expect` = the version the caller
    /// read). Returns the policy as stored; the registry is re-evaluated.
    pub async fn save_policy(
        &self,
        actor: &Actor,
        document: &Value,
        expect: Option<i64>,
    ) -> Result<PolicyView> {
        actor.require_admin("manage policies")?;
        let mut policy = parse_policy(document)?;
        let versions = self.store.policy_versions(&policy.id).await?;
        let head = versions.first();
        match (expect, head) {
            (None, Some(_)) => {
                return Err(WorkbenchError::Conflict {
                    message: format!(
                        "policy '{}' already exists; change it with PUT /api/v1/governance/policies/{}",
                        policy.id, policy.id
                    ),
                    current_revision: head.map(|h| h.version),
                });
            }
            (Some(_), None) => {
                return Err(WorkbenchError::not_found(format!(
                    "policy '{}' not found",
                    policy.id
                )));
            }
            (Some(want), Some(h)) if want != h.version => {
                return Err(store::StoreError::Stale {
                    what: format!("policy '{}'", policy.id),
                    current: h.version,
                }
                .into());
            }
            _ => {}
        }
        let previous: Option<Policy> = head.and_then(|h| serde_json::from_str(&h.document).ok());
        let ever_enabled = versions.iter().any(|v| v.state != "draft");
        policy.version = match head {
            None => 1,
            Some(h) if !ever_enabled && h.state == "draft" => h.version as u32,
            Some(h) => h.version as u32 + 1,
        };
        if let Some(p) = &previous {
            let mut same = policy.clone();
            same.version = p.version;
            if &same == p {
                return Ok(policy_view(
                    head.expect("head exists"),
                    &self.standings().await?,
                ));
            }
        }
        self.check_policy(&policy, previous.as_ref()).await?;
        let row = policy_row(&policy, actor.name(), store::now());
        let (action, summary) = match &previous {
            None => (
                "policy.created",
                format!("created policy '{}' ({})", policy.id, policy.state.as_str()),
            ),
            Some(p) if p.state != policy.state => (
                "policy.state_changed",
                format!(
                    "policy '{}' {} → {} (version {})",
                    policy.id,
                    p.state.as_str(),
                    policy.state.as_str(),
                    policy.version
                ),
            ),
            Some(_) => (
                "policy.updated",
                format!(
                    "changed policy '{}' (version {})",
                    policy.id, policy.version
                ),
            ),
        };
        let mut event = audit_event(actor, action, "policy", &policy.id, summary);
        event.diff = previous.as_ref().map(|p| {
            crate::publish::diff(
                &serde_json::to_string(p).unwrap_or_default(),
                &serde_json::to_value(&policy).unwrap_or_default(),
            )
        });
        self.store.put_policy(&row, expect, &event).await?;
        self.reevaluate(&format!("policy {} version {}", policy.id, policy.version))
            .await?;
        let standings = self.standings().await?;
        Ok(policy_view(&row, &standings))
    }

    /// Everything about a policy that can be wrong, each naming its field.
    async fn check_policy(&self, policy: &Policy, previous: Option<&Policy>) -> Result<()> {
        let mut problems = Vec::new();
        if !valid_id(&policy.id) {
            problems.push(problem(
                "/id",
                format!("'{}' is not a policy id: use lowercase letters, digits and hyphens, starting with a letter", policy.id),
            ));
        }
        if policy.title.trim().is_empty() {
            problems.push(problem("/title", "a policy needs a title"));
        }
        for (field, message) in policy.kind.validate() {
            problems.push(problem(&format!("/{}", field.replace('.', "/")), message));
        }
        let today = today();
        match policy.state {
            State::Grace => match policy.grace_until.as_deref() {
                None => problems.push(problem(
                    "/graceUntil",
                    "a policy in grace needs graceUntil: the day it starts blocking",
                )),
                Some(day) => {
                    if let Err(e) = governance::policy::parse_day(day) {
                        problems.push(problem("/graceUntil", e));
                    } else if day <= today.as_str()
                        && previous.and_then(|p| p.grace_until.as_deref()) != Some(day)
                    {
                        problems.push(problem(
                            "/graceUntil",
                            format!("the grace date {day} is not in the future (today is {today}); choose a later day, or enforce the policy"),
                        ));
                    }
                }
            },
            State::Deprecated => match policy.successor.as_deref() {
                None => problems.push(problem(
                    "/successor",
                    "a deprecated policy names its successor",
                )),
                Some(s) if self.store.policy_versions(s).await?.is_empty() => {
                    problems.push(problem(
                        "/successor",
                        format!("the successor policy '{s}' does not exist"),
                    ))
                }
                Some(_) => {}
            },
            _ => {}
        }
        if policy.state == State::Enforced
            && previous.is_none_or(|p| p.state == State::Draft)
            && self
                .last_dry_run(&policy.id, previous.map_or(0, |p| i64::from(p.version)))
                .await?
                .is_none_or(|at| days_since(&at) > DRY_RUN_DAYS)
        {
            problems.push(problem(
                "/state",
                format!("enforcing a draft needs a dry-run of it in the last {DRY_RUN_DAYS} days: run POST /api/v1/governance/policies/{}/dry-run (or the Dry-run button) first, or start it in grace", policy.id),
            ));
        }
        let domains = self.domain_ids().await?;
        for (field, list) in [
            ("domains", &policy.scope.domains),
            ("excludeDomains", &policy.scope.exclude_domains),
        ] {
            for (i, d) in list.iter().enumerate() {
                if !domains.contains(d) {
                    problems.push(problem(
                        &format!("/scope/{field}/{i}"),
                        format!("the scope names domain '{d}', which does not exist"),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(WorkbenchError::invalid(problems))
        }
    }

    /// Removes a policy that never took effect (only ever a draft); others are retired.
    pub async fn delete_policy(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require_admin("manage policies")?;
        let versions = self.store.policy_versions(id).await?;
        if versions.is_empty() {
            return Err(WorkbenchError::not_found(format!(
                "policy '{id}' not found"
            )));
        }
        if versions.iter().any(|v| v.state != "draft") {
            return Err(WorkbenchError::Conflict {
                message: format!(
                    "policy '{id}' has been in effect and stays for history; set its state to retired instead"
                ),
                current_revision: versions.first().map(|v| v.version),
            });
        }
        let event = audit_event(
            actor,
            "policy.deleted",
            "policy",
            id,
            format!("deleted draft policy '{id}'"),
        );
        self.store.delete_policy(id, &event).await?;
        Ok(())
    }

    /// A dry-run: how the registry would stand with `document` (a new or changed policy, run as
    /// if enforced). Recorded, so that the draft may be enforced.
    pub async fn dry_run_policy(&self, actor: &Actor, document: &Value) -> Result<DryRun> {
        actor.require_admin("run policy dry-runs")?;
        let mut candidate = parse_policy(document)?;
        let versions = self.store.policy_versions(&candidate.id).await?;
        if let Some(h) = versions.first() {
            candidate.version = h.version as u32;
        }
        let mut problems = Vec::new();
        for (field, message) in candidate.kind.validate() {
            problems.push(problem(&format!("/{}", field.replace('.', "/")), message));
        }
        if !problems.is_empty() {
            return Err(WorkbenchError::invalid(problems));
        }
        let rules = self.rules().await?;
        let registry = self.registry().await?;
        // Run as if enforced, whatever state it is in now: "what if it blocked?"
        candidate.state = State::Enforced;
        candidate.grace_until = None;
        let proposed = Rules {
            policies: rules
                .policies
                .iter()
                .filter(|p| p.id != candidate.id)
                .cloned()
                .chain(std::iter::once(candidate.clone()))
                .collect(),
            waivers: rules.waivers.clone(),
        };
        // Two registry-wide evaluations: off the async workers.
        let (before, after) = tokio::task::spawn_blocking(move || {
            (
                Self::evaluate_registry(&registry, &rules, Options::default()),
                Self::evaluate_registry(&registry, &proposed, Options::default()),
            )
        })
        .await
        .map_err(|e| WorkbenchError::Unavailable(format!("dry-run failed: {e}")))?;
        let before: Vec<Evaluated> = before.into_iter().map(|o| o.evaluated).collect();
        let after: Vec<Evaluated> = after.into_iter().map(|o| o.evaluated).collect();
        let result = governance::report::dry_run(&candidate.id, &before, &after);
        let event = audit_event(
            actor,
            "policy.dry_run",
            "policy",
            &candidate.id,
            format!(
                "dry-run of policy '{}' version {}: {} newly failing, {} newly passing of {} products",
                candidate.id,
                candidate.version,
                result.newly_failing.len(),
                result.newly_passing.len(),
                result.evaluated
            ),
        );
        self.store.record_audit(&event).await?;
        Ok(result)
    }

    /// When the newest dry-run of a policy's version `version` ran, if any.
    async fn last_dry_run(&self, id: &str, version: i64) -> Result<Option<String>> {
        let events = self.store.audit_for("policy", id, 50).await?;
        let marker = format!(" version {version}:");
        Ok(events
            .into_iter()
            .find(|e| e.action == "policy.dry_run" && e.summary.contains(&marker))
            .map(|e| e.at))
    }

    /// Each product's newest stored standing.
    pub(crate) async fn standings(&self) -> Result<Vec<Evaluated>> {
        Ok(self
            .store
            .governance_results()
            .await?
            .iter()
            .filter_map(|r| serde_json::from_str::<Evaluated>(&r.evaluated).ok())
            .collect())
    }

    /// The starter pack, installed once (the demo, and `meshwork policy starter`): most
    /// policies in a 30-day grace. Policies that exist already are left alone.
    pub async fn install_starter_pack(&self, actor: &Actor) -> Result<usize> {
        actor.require_admin("manage policies")?;
        let grace = day_from_today(30);
        let mut added = 0;
        for policy in governance::starter::starter_pack(&grace) {
            if !self.store.policy_versions(&policy.id).await?.is_empty() {
                continue;
            }
            let row = policy_row(&policy, actor.name(), store::now());
            let event = audit_event(
                actor,
                "policy.created",
                "policy",
                &policy.id,
                format!(
                    "installed starter policy '{}' ({})",
                    policy.id,
                    policy.state.as_str()
                ),
            );
            self.store.put_policy(&row, None, &event).await?;
            added += 1;
        }
        if added > 0 {
            self.reevaluate("starter pack installed").await?;
        }
        Ok(added)
    }
}

impl Workbench {
    /// Restores policy versions and waivers from an export (after its products): versions not
    /// stored yet are written as they were, waivers not stored yet are added; then every product
    /// is re-evaluated. Each policy is validated (kind, parameters, id) first; nothing is written
    /// if any is invalid. Returns (policy versions written, waivers written).
    pub(crate) async fn import_governance(
        &self,
        actor: &Actor,
        policies: &[Value],
        waivers: &[store::WaiverRecord],
    ) -> Result<(usize, usize)> {
        actor.require_admin("import policies")?;
        let mut parsed = Vec::new();
        for (i, value) in policies.iter().enumerate() {
            let policy = parse_policy(value).map_err(|_| {
                WorkbenchError::bad_request(format!("policy {} cannot be read as a policy", i + 1))
            })?;
            if !valid_id(&policy.id) {
                return Err(WorkbenchError::bad_request(format!(
                    "'{}' is not a policy id",
                    policy.id
                )));
            }
            if let Some((field, message)) = policy.kind.validate().into_iter().next() {
                return Err(WorkbenchError::bad_request(format!(
                    "policy '{}': {field}: {message}",
                    policy.id
                )));
            }
            parsed.push(policy);
        }
        parsed.sort_by(|a, b| (&a.id, a.version).cmp(&(&b.id, b.version)));
        let mut written = 0;
        for policy in parsed {
            let versions = self.store.policy_versions(&policy.id).await?;
            let head = versions.first().map(|v| v.version);
            if head.is_some_and(|h| h >= i64::from(policy.version)) {
                continue;
            }
            let row = policy_row(&policy, actor.name(), store::now());
            let event = audit_event(
                actor,
                "policy.imported",
                "policy",
                &policy.id,
                format!("imported policy '{}' version {}", policy.id, policy.version),
            );
            self.store.put_policy(&row, head, &event).await?;
            written += 1;
        }
        let mut added = 0;
        for w in waivers {
            if self.store.get_waiver(&w.id).await?.is_some() {
                continue;
            }
            let event = audit_event(
                actor,
                "waiver.imported",
                "waiver",
                &w.id,
                format!(
                    "imported waiver of '{}' for '{}'",
                    w.policy_id, w.product_id
                ),
            );
            self.store.insert_waiver(w, &event).await?;
            added += 1;
        }
        if written + added > 0 {
            self.reevaluate("import").await?;
        }
        Ok((written, added))
    }
}

fn policy_view(row: &PolicyRow, standings: &[Evaluated]) -> PolicyView {
    let mut view = PolicyView {
        policy: serde_json::from_str(&row.document).unwrap_or(Value::Null),
        created_at: row.created_at.clone(),
        created_by: row.created_by.clone(),
        applicable: 0,
        passing: 0,
        waived: 0,
        failing: 0,
    };
    for e in standings {
        match e.standing(&row.id) {
            Standing::NotApplicable => continue,
            Standing::Passing => view.passing += 1,
            Standing::Waived => view.waived += 1,
            Standing::Failing => view.failing += 1,
        }
        view.applicable += 1;
    }
    view
}
