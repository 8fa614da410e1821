//! Publishing: a product document and the contracts of its output ports are parsed, checked
//! against the official schemas and Meshwork's rules, resolved against the registry, authorized,
//! and stored in one transaction — or refused with every finding and nothing written.

use std::collections::{HashMap, HashSet};

use domain::finding::{has_errors, normalize};
use domain::odps::EXTERNAL_SOURCE_PROPERTY;
use domain::{
    DataContractDoc, DataProductDoc, DocumentFormat, Finding, PortType, ProductStatus, ProductType,
    check_contract, check_product,
};
use serde_json::Value;
use store::{
    ContractWrite, Expect, FieldRow, InputPortRow, NewAudit, OutputPortRow, ProductWrite,
    Publication,
};
use views::{ContractRevision, PublishResult};

use crate::actor::{Actor, Principal};
use crate::error::{Result, WorkbenchError};
use crate::{Workbench, audit_event};

/// Where a publication comes from; it decides how strictly revisions are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The REST API and the wizard: optimistic concurrency through the expected revision.
    Checked,
    /// The Data Contract / Data Product CLI API and `meshwork import`: the document wins.
    Overwrite,
}

/// A document as received: its text (kept verbatim for lossless export) and its parsed value.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceDoc {
    pub text: String,
    pub format: DocumentFormat,
    pub value: Value,
}

impl SourceDoc {
    /// Parses YAML or JSON text; a document that cannot be read is a 400 saying where.
    pub fn parse(text: &str) -> Result<SourceDoc> {
        let (value, format) = domain::parse_document(text).map_err(|e| {
            let at = match (e.line, e.column) {
                (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                _ => String::new(),
            };
            WorkbenchError::bad_request(format!("{}{at}", e.message))
        })?;
        Ok(SourceDoc {
            text: text.to_owned(),
            format,
            value,
        })
    }

    /// A document that arrived as JSON inside a larger body; its text is the pretty JSON.
    pub fn from_value(value: Value) -> Result<SourceDoc> {
        match value {
            Value::String(text) => SourceDoc::parse(&text),
            Value::Object(_) => Ok(SourceDoc {
                text: serde_json::to_string_pretty(&value).unwrap_or_default(),
                format: DocumentFormat::Json,
                value,
            }),
            other => Err(WorkbenchError::bad_request(format!(
                "a document must be an object (or a string of YAML), not {}",
                domain::document::kind_of(&other)
            ))),
        }
    }
}

/// What to publish.
#[derive(Clone, Debug)]
pub struct Submission {
    pub product: Option<SourceDoc>,
    pub contracts: Vec<SourceDoc>,
    /// The revision the product write expects (`Expect::New` to create).
    pub expect: Expect,
    pub mode: Mode,
    /// The owning team when the product document does not name one (`meshwork import`).
    pub team: Option<String>,
}

struct Checked<T> {
    source: SourceDoc,
    doc: T,
}

impl Workbench {
    /// Publishes a product and/or contracts. Every problem is reported at once; nothing is
    /// written unless everything is valid and allowed.
    pub async fn publish(&self, actor: &Actor, submission: Submission) -> Result<PublishResult> {
        self.publish_inner(actor, submission, false).await
    }

    /// Checks a submission exactly as [`Workbench::publish`] would, without storing anything;
    /// returns the warnings (errors come back as `WorkbenchError::Invalid`).
    pub async fn dry_run(&self, actor: &Actor, submission: Submission) -> Result<Vec<Finding>> {
        Ok(self.publish_inner(actor, submission, true).await?.findings)
    }

    async fn publish_inner(
        &self,
        actor: &Actor,
        submission: Submission,
        dry: bool,
    ) -> Result<PublishResult> {
        actor.require_signed_in()?;
        // The cycle check and the write happen under one lock, so two publications on this
        // instance cannot close a cycle between them.
        let _gate = if submission.product.is_some() && !dry {
            Some(self.lineage.publish_gate.lock().await)
        } else {
            None
        };
        let mut findings = Vec::new();

        let product = match submission.product {
            Some(source) => {
                let check = check_product(&source.value);
                findings.extend(check.findings);
                check.doc.map(|doc| Checked { source, doc })
            }
            None => None,
        };
        let mut contracts = Vec::new();
        let mut seen = HashSet::new();
        for source in submission.contracts {
            let check = check_contract(&source.value);
            findings.extend(check.findings);
            if let Some(doc) = check.doc {
                if !seen.insert(doc.id.clone()) {
                    findings.push(
                        Finding::error(
                            "duplicate",
                            "/id",
                            format!("contract '{}' is submitted twice", doc.id),
                        )
                        .in_document(format!("contract:{}", doc.id)),
                    );
                    continue;
                }
                contracts.push(Checked { source, doc });
            }
        }
        if product.is_none() && contracts.is_empty() && findings.is_empty() {
            return Err(WorkbenchError::bad_request(
                "nothing to publish: send a data product or a data contract",
            ));
        }

        // Who owns what, and may this actor change it.
        let mut product_team = None;
        let mut existing_product = None;
        if let Some(p) = &product {
            existing_product = self.store.get_product(&p.doc.id).await?;
            if let Some(existing) = &existing_product {
                actor.require_team_write(
                    &existing.row.team_id,
                    &format!("change data product '{}'", p.doc.id),
                )?;
            }
            product_team = self
                .resolve_product_team(
                    actor,
                    &p.doc,
                    submission.team.as_deref(),
                    existing_product.as_ref(),
                    &mut findings,
                )
                .await?;
            if let Some(team) = &product_team {
                actor.require_team_write(
                    team,
                    &format!("publish data products for team '{team}'"),
                )?;
            }
            self.check_product_references(
                &p.doc,
                &contracts,
                existing_product.as_ref(),
                &mut findings,
            )
            .await?;
            self.check_cycle(&p.doc, &mut findings).await?;
        }
        let mut contract_owners = HashMap::new();
        for c in &contracts {
            let owner = self
                .resolve_contract_team(
                    actor,
                    &c.doc,
                    product.as_ref().map(|p| &p.doc),
                    product_team.as_deref(),
                )
                .await?;
            let existing = self.store.get_contract(&c.doc.id).await?;
            let document = format!("contract:{}", c.doc.id);
            if let Some(existing) = &existing {
                if let Some(team) = &existing.team_id {
                    actor.require_team_write(
                        team,
                        &format!("change data contract '{}'", c.doc.id),
                    )?;
                }
                version_not_lower(&existing.version, &c.doc.version, &document, &mut findings);
            }
            match &owner {
                Some(team) => actor.require_team_write(team, &format!("publish data contracts for team '{team}'"))?,
                None if existing.as_ref().and_then(|e| e.team_id.clone()).is_none() && !actor.is_admin() => findings.push(
                    Finding::error("owner", "/team", format!("Meshwork cannot tell which team owns contract '{}'", c.doc.id))
                        .fix("set team.name to your team's id, or publish the contract together with the data product whose output port uses it")
                        .in_document(document.clone()),
                ),
                None => {}
            }
            contract_owners.insert(
                c.doc.id.clone(),
                owner.or_else(|| existing.and_then(|e| e.team_id)),
            );
        }

        normalize(&mut findings);
        if has_errors(&findings) {
            return Err(WorkbenchError::invalid(findings));
        }

        // The organisation's policies, on the documents as they would be stored.
        let submitted: Vec<DataContractDoc> = contracts.iter().map(|c| c.doc.clone()).collect();
        let (outcomes, policy_findings) = self
            .admit(
                product
                    .as_ref()
                    .map(|p| (&p.doc, product_team.as_deref().unwrap_or_default())),
                &submitted,
                &findings,
            )
            .await?;
        findings.extend(policy_findings.iter().map(crate::governance::as_finding));
        // Who a consumer-breaking contract version breaks, told before it is published.
        let pairs: Vec<_> = contracts
            .iter()
            .map(|c| (&c.doc, &c.source.value))
            .collect();
        findings.extend(self.breaking_notices(&pairs).await?);
        if dry {
            return Ok(PublishResult {
                product_id: None,
                revision: None,
                version: None,
                contracts: Vec::new(),
                unchanged: true,
                findings,
                policy_findings,
            });
        }

        // Build the writes, skipping documents equal to what is stored (re-pushes are no-ops).
        let mut publication = Publication::default();
        let mut result = PublishResult {
            product_id: None,
            revision: None,
            version: None,
            contracts: Vec::new(),
            unchanged: true,
            findings: findings.clone(),
            policy_findings,
        };
        for c in &contracts {
            let existing = self.store.get_contract(&c.doc.id).await?;
            let json = serde_json::to_string(&c.source.value).unwrap_or_default();
            if let Some(e) = &existing
                && same_json(&e.document, &c.source.value)
            {
                result.contracts.push(ContractRevision {
                    id: c.doc.id.clone(),
                    revision: e.revision,
                });
                continue;
            }
            let team_id = contract_owners.get(&c.doc.id).cloned().flatten();
            let domain_id = match &c.doc.domain {
                Some(d) if self.store.get_domain(d).await?.is_some() => Some(d.clone()),
                _ => None,
            };
            // A contract published on its own takes the submission's precondition; contracts in a
            // bundle are covered by the product's.
            let alone = product.is_none() && contracts.len() == 1;
            let contract_expect = match (&existing, submission.mode, submission.expect) {
                (None, _, Expect::Revision(_)) if alone => Expect::Revision(0),
                (None, _, _) => Expect::New,
                (Some(_), Mode::Overwrite, _) => Expect::Any,
                (Some(e), Mode::Checked, Expect::Any) => Expect::Revision(e.revision),
                (Some(_), Mode::Checked, checked) if alone => checked,
                (Some(e), Mode::Checked, _) => Expect::Revision(e.revision),
            };
            publication.audit.push(NewAudit {
                diff: existing
                    .as_ref()
                    .map(|e| diff(&e.document, &c.source.value)),
                ..audit_event(
                    actor,
                    if existing.is_some() {
                        "contract.updated"
                    } else {
                        "contract.created"
                    },
                    "contract",
                    &c.doc.id,
                    format!(
                        "published contract '{}' version {}",
                        c.doc.id, c.doc.version
                    ),
                )
            });
            publication.contracts.push(ContractWrite {
                id: c.doc.id.clone(),
                name: c.doc.name.clone(),
                version: c.doc.version.clone(),
                status: c.doc.status.as_deref().map(|s| {
                    ProductStatus::parse(s)
                        .map(|v| v.as_str().to_owned())
                        .unwrap_or_else(|_| s.to_owned())
                }),
                domain_id,
                team_id,
                document: json,
                source: c.source.text.clone(),
                source_format: c.source.format,
                fields: field_rows(&c.doc),
                actor: actor.name(),
                expect: contract_expect,
            });
        }
        if let Some(p) = &product {
            let team_id = product_team.clone().unwrap_or_default();
            result.product_id = Some(p.doc.id.clone());
            result.version = p.doc.version.clone();
            let unchanged = existing_product.as_ref().is_some_and(|e| {
                same_json(&e.document, &p.source.value) && e.row.team_id == team_id
            });
            match (&existing_product, unchanged) {
                (Some(e), true) => result.revision = Some(e.row.revision),
                _ => {
                    let product_expect =
                        match (&existing_product, submission.mode, submission.expect) {
                            // Updating something that does not exist is a 404 from the store.
                            (None, _, Expect::Revision(_)) => Expect::Revision(0),
                            (None, _, _) => Expect::New,
                            (Some(_), Mode::Overwrite, _) => Expect::Any,
                            (Some(e), Mode::Checked, Expect::Any) => {
                                Expect::Revision(e.row.revision)
                            }
                            (Some(_), Mode::Checked, checked) => checked,
                        };
                    publication.audit.push(NewAudit {
                        diff: existing_product
                            .as_ref()
                            .map(|e| diff(&e.document, &p.source.value)),
                        ..audit_event(
                            actor,
                            if existing_product.is_some() {
                                "product.updated"
                            } else {
                                "product.created"
                            },
                            "product",
                            &p.doc.id,
                            format!(
                                "published '{}' version {}",
                                p.doc.id,
                                p.doc.version.clone().unwrap_or_default()
                            ),
                        )
                    });
                    publication.products.push(product_write(
                        &p.doc,
                        &p.source,
                        team_id,
                        actor,
                        product_expect,
                    ));
                }
            }
        }
        if publication.products.is_empty() && publication.contracts.is_empty() {
            return Ok(result);
        }
        result.unchanged = false;
        let published = self.store.publish(&publication).await?;
        self.after_publication(&published.touched).await;
        self.record_standings(&outcomes).await;
        for (id, revision) in published.contracts {
            result.contracts.push(ContractRevision { id, revision });
        }
        if let Some((_, revision)) = published.products.first() {
            result.revision = Some(*revision);
        }
        result.contracts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(result)
    }

    /// The team that owns a product: the one the document names, else the current owner, else
    /// the only team the actor acts for.
    async fn resolve_product_team(
        &self,
        actor: &Actor,
        doc: &DataProductDoc,
        given: Option<&str>,
        existing: Option<&store::ProductRecord>,
        findings: &mut Vec<Finding>,
    ) -> Result<Option<String>> {
        let named = doc.team_name().or(given).map(str::to_owned);
        let team = match (named, existing) {
            (Some(name), _) => Some(name),
            (None, Some(e)) => Some(e.row.team_id.clone()),
            (None, None) => {
                let teams = actor.team_ids();
                match (teams.len(), &actor.principal) {
                    (1, _) => Some(teams[0].clone()),
                    (_, Principal::User { .. }) if teams.len() > 1 => {
                        findings.push(
                            Finding::error("team", "/team/name", "the owning team is not named")
                                .fix(format!(
                                    "set team.name to one of your teams: {}",
                                    teams.join(", ")
                                )),
                        );
                        None
                    }
                    _ => {
                        findings.push(
                            Finding::error("team", "/team/name", "the owning team is not named")
                                .fix("set team.name to the id of the team that owns the product"),
                        );
                        None
                    }
                }
            }
        };
        let Some(team) = team else { return Ok(None) };
        if self.store.get_team(&team).await?.is_none() {
            let mine = actor.team_ids();
            let hint = if mine.is_empty() {
                String::from("ask a platform admin to create the team")
            } else {
                format!("your teams are: {}", mine.join(", "))
            };
            findings.push(
                Finding::error(
                    "reference",
                    "/team/name",
                    format!("team '{team}' does not exist"),
                )
                .fix(hint),
            );
            return Ok(None);
        }
        Ok(Some(team))
    }

    async fn check_product_references(
        &self,
        doc: &DataProductDoc,
        contracts: &[Checked<DataContractDoc>],
        existing: Option<&store::ProductRecord>,
        findings: &mut Vec<Finding>,
    ) -> Result<()> {
        if let Some(d) = &doc.domain
            && domain::Slug::parse(d).is_ok()
            && self.store.get_domain(d).await?.is_none()
        {
            let known: Vec<String> = self
                .store
                .list_domains()
                .await?
                .into_iter()
                .map(|d| d.id)
                .take(12)
                .collect();
            findings.push(
                Finding::error(
                    "reference",
                    "/domain",
                    format!("domain '{d}' does not exist"),
                )
                .fix(if known.is_empty() {
                    String::from("ask a platform admin to create it")
                } else {
                    format!("use one of: {}", known.join(", "))
                }),
            );
        }
        if let (Some(e), Some(v)) = (existing, &doc.version) {
            version_not_lower(&e.row.version, v, "product", findings);
        }
        let submitted: HashSet<&str> = contracts.iter().map(|c| c.doc.id.as_str()).collect();
        for (i, port) in doc.output_ports.iter().enumerate() {
            let Some(cid) = &port.contract_id else {
                continue;
            };
            if domain::DocumentId::parse(cid).is_err() {
                continue;
            }
            let offered = self
                .store
                .ports_by_contract(std::slice::from_ref(cid))
                .await?;
            if let Some(other) = offered.iter().find(|o| o.port.product_id != doc.id) {
                findings.push(
                    Finding::error("reference", format!("/outputPorts/{i}/contractId"), format!("contract '{cid}' is already published by output port '{}' of data product '{}'", other.port.name, other.port.product_id))
                        .fix("give this output port a contract of its own"),
                );
                continue;
            }
            if !submitted.contains(cid.as_str()) && self.store.get_contract(cid).await?.is_none() {
                findings.push(
                    Finding::warning("reference", format!("/outputPorts/{i}/contractId"), format!("contract '{cid}' is not published yet; the port shows no schema until it is"))
                        .fix("publish the contract too (PUT /api/datacontracts/{id}, or in the same bundle)"),
                );
            }
        }
        for (i, port) in doc.input_ports.iter().enumerate() {
            let Some(cid) = &port.contract_id else {
                continue;
            };
            if domain::DocumentId::parse(cid).is_err() || submitted.contains(cid.as_str()) {
                continue;
            }
            let offered = !self
                .store
                .ports_by_contract(std::slice::from_ref(cid))
                .await?
                .is_empty();
            let published = offered || self.store.get_contract(cid).await?.is_some();
            if !published {
                findings.push(
                    Finding::error("reference", format!("/inputPorts/{i}/contractId"), format!("input port '{}' reads contract '{cid}', which no data product offers", port.name))
                        .fix(format!("pick an existing upstream output port, or declare an external source with the custom property {EXTERNAL_SOURCE_PROPERTY}")),
                );
            }
        }
        Ok(())
    }

    /// Refuses input ports that would close a cycle in the declared product lineage, naming
    /// the cycle.
    async fn check_cycle(&self, doc: &DataProductDoc, findings: &mut Vec<Finding>) -> Result<()> {
        let outputs: Vec<lineage::OutputPortSpec> = doc
            .output_ports
            .iter()
            .map(|p| lineage::OutputPortSpec {
                name: p.name.clone(),
                contract_id: p.contract_id.clone(),
                ..lineage::OutputPortSpec::default()
            })
            .collect();
        let inputs: Vec<lineage::InputPortSpec> = doc
            .input_ports
            .iter()
            .map(|p| lineage::InputPortSpec {
                name: p.name.clone(),
                contract_id: p.contract_id.clone(),
                external_source: None,
            })
            .collect();
        let graph = self.graph().await?;
        let Some(cycle) = graph.cycle_if_registered(&doc.id, &outputs, &inputs) else {
            return Ok(());
        };
        // The input that closes it reads the product just before this one in the cycle.
        let closing = &cycle[cycle.len() - 2];
        let own: HashSet<&str> = outputs
            .iter()
            .filter_map(|o| o.contract_id.as_deref())
            .collect();
        let index = doc
            .input_ports
            .iter()
            .position(|i| {
                i.contract_id.as_deref().is_some_and(|c| {
                    own.contains(c)
                        || graph.port_of_contract(c).and_then(|p| p.product_id())
                            == Some(closing.as_str())
                })
            })
            .unwrap_or(0);
        let name = doc
            .input_ports
            .get(index)
            .map(|i| i.name.as_str())
            .unwrap_or_default();
        findings.push(
            Finding::error(
                "cycle",
                format!("/inputPorts/{index}/contractId"),
                format!("input port '{name}' would close a cycle: {}", cycle.join(" → ")),
            )
            .fix("data products must form a DAG: read a port of a product that is not downstream of this one, or remove this input port"),
        );
        Ok(())
    }

    /// Brings the lineage graph up to date with a publication that was stored.
    pub(crate) async fn after_publication(&self, touched: &[String]) {
        if let Err(e) = self.products_changed(touched).await {
            // Stored, but the graph is behind until it reloads: say so, do not fail the write.
            tracing::warn!(error = %e, "published, but could not update the lineage graph");
        }
    }

    /// The team that owns a contract: the team of the product whose output port uses it (in this
    /// submission or already registered), else the team the contract names, else the actor's
    /// only team.
    async fn resolve_contract_team(
        &self,
        actor: &Actor,
        doc: &DataContractDoc,
        product: Option<&DataProductDoc>,
        product_team: Option<&str>,
    ) -> Result<Option<String>> {
        if let (Some(p), Some(team)) = (product, product_team)
            && p.output_ports
                .iter()
                .any(|o| o.contract_id.as_deref() == Some(doc.id.as_str()))
        {
            return Ok(Some(team.to_owned()));
        }
        if let Some(offered) = self
            .store
            .ports_by_contract(std::slice::from_ref(&doc.id))
            .await?
            .into_iter()
            .next()
        {
            return Ok(Some(offered.team_id));
        }
        if let Some(name) = doc.team_name()
            && self.store.get_team(name).await?.is_some()
        {
            return Ok(Some(name.to_owned()));
        }
        let teams = actor.team_ids();
        Ok((teams.len() == 1).then(|| teams[0].clone()))
    }
}

fn version_not_lower(current: &str, new: &str, document: &str, findings: &mut Vec<Finding>) {
    if let (Ok(old), Ok(next)) = (semver::Version::parse(current), semver::Version::parse(new))
        && next < old
    {
        findings.push(
            Finding::error(
                "semver",
                "/version",
                format!("version {new} is lower than the published version {current}"),
            )
            .fix(format!(
                "publish {} or higher",
                domain::version::next_patch(current)
            ))
            .in_document(document),
        );
    }
}

fn same_json(stored: &str, value: &Value) -> bool {
    serde_json::from_str::<Value>(stored).is_ok_and(|v| &v == value)
}

/// A unified diff of two documents rendered as YAML, for the audit trail.
pub(crate) fn diff(old_json: &str, new: &Value) -> String {
    let old = serde_json::from_str::<Value>(old_json)
        .map(|v| domain::to_yaml(&v))
        .unwrap_or_default();
    let new = domain::to_yaml(new);
    let text = similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(2)
        .header("before", "after")
        .to_string();
    if text.len() > 20_000 {
        let cut: String = text.chars().take(20_000).collect();
        format!("{cut}\n… (diff shortened)")
    } else {
        text
    }
}

pub(crate) fn product_write(
    doc: &DataProductDoc,
    source: &SourceDoc,
    team_id: String,
    actor: &Actor,
    expect: Expect,
) -> ProductWrite {
    let canonical = |raw: &str, parse: fn(&str) -> std::result::Result<&'static str, String>| {
        parse(raw)
            .map(str::to_owned)
            .unwrap_or_else(|_| raw.to_owned())
    };
    ProductWrite {
        id: doc.id.clone(),
        name: doc.name.clone().unwrap_or_else(|| doc.id.clone()),
        domain_id: doc.domain.clone().unwrap_or_default(),
        team_id,
        status: canonical(doc.status.as_deref().unwrap_or("draft"), |s| {
            ProductStatus::parse(s).map(|v| v.as_str())
        }),
        product_type: doc
            .product_type_raw()
            .map(|t| canonical(t, |s| ProductType::parse(s).map(|v| v.as_str()))),
        version: doc.version.clone().unwrap_or_default(),
        purpose: doc
            .description
            .as_ref()
            .and_then(|d| d.purpose.clone())
            .unwrap_or_default(),
        tags: doc.tags.clone(),
        document: serde_json::to_string(&source.value).unwrap_or_default(),
        source: source.text.clone(),
        source_format: source.format,
        output_ports: doc
            .output_ports
            .iter()
            .enumerate()
            .map(|(i, p)| OutputPortRow {
                product_id: doc.id.clone(),
                name: p.name.clone(),
                position: i as i64,
                port_type: p
                    .port_type
                    .as_deref()
                    .map(|t| canonical(t, |s| PortType::parse(s).map(|v| v.as_str()))),
                version: p.version.clone().unwrap_or_default(),
                description: p.description.clone(),
                contract_id: p.contract_id.clone(),
            })
            .collect(),
        input_ports: doc
            .input_ports
            .iter()
            .enumerate()
            .map(|(i, p)| InputPortRow {
                product_id: doc.id.clone(),
                name: p.name.clone(),
                position: i as i64,
                version: p.version.clone(),
                contract_id: p.contract_id.clone(),
                external_source: p.external_source().map(str::to_owned),
            })
            .collect(),
        actor: actor.name(),
        expect,
    }
}

fn field_rows(doc: &DataContractDoc) -> Vec<FieldRow> {
    doc.fields()
        .into_iter()
        .map(|(path, p)| FieldRow {
            object_name: path.split('.').next().unwrap_or_default().to_owned(),
            field_name: p.name.clone(),
            logical_type: p.logical_type.clone(),
            physical_type: p.physical_type.clone(),
            required: p.required.unwrap_or(false) || p.primary_key.unwrap_or(false),
            primary_key: p.primary_key.unwrap_or(false),
            classification: p.classification.as_ref().map(|c| c.to_lowercase()),
            pii: p.is_pii(),
            description: p.description.clone(),
            path,
        })
        .collect()
}
