//! `meshwork export` and `meshwork import`: the whole registry as YAML files (a directory index
//! plus every product and contract document exactly as published), and back, idempotently.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use store::{DomainFields, Expect, NewUser, TeamFields};

use crate::actor::Actor;
use crate::error::{Result, WorkbenchError};
use crate::publish::{Mode, SourceDoc, Submission};
use crate::{Workbench, audit_event};

/// One file of an export, relative to the export directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedFile {
    pub path: String,
    pub content: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub domains: usize,
    pub users: usize,
    pub teams: usize,
    pub products_written: usize,
    pub contracts_written: usize,
    pub unchanged: usize,
    pub policies_written: usize,
    pub waivers_written: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Index {
    meshwork: u32,
    domains: Vec<IndexDomain>,
    users: Vec<IndexUser>,
    teams: Vec<IndexTeam>,
    products: Vec<IndexDocument>,
    contracts: Vec<IndexDocument>,
    /// The policies (every version) and waivers, when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    governance: Option<String>,
}

/// `governance.yaml` of an export.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct GovernanceFile {
    /// Every version of every policy, oldest first.
    policies: Vec<serde_json::Value>,
    #[serde(default)]
    waivers: Vec<store::WaiverRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct IndexDomain {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    parent: Option<String>,
    color: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct IndexUser {
    username: String,
    display_name: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    is_admin: bool,
    /// The argon2 hash, so that people can still sign in after a restore.
    #[serde(default)]
    password_hash: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct IndexTeam {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
    domain: String,
    #[serde(default)]
    members: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct IndexDocument {
    id: String,
    file: String,
    #[serde(default)]
    team: Option<String>,
}

/// File names keep ids readable; `:` (common in URNs) is the only character escaped.
fn file_name(id: &str, kind: &str, format: domain::DocumentFormat) -> String {
    format!("{}.{kind}.{}", id.replace(':', "%3A"), format.as_str())
}

impl Workbench {
    /// The whole registry as files: `meshwork.yaml` (domains, users, teams, ownership) and each
    /// product and contract document exactly as last published.
    pub async fn export_registry(&self, actor: &Actor) -> Result<Vec<ExportedFile>> {
        actor.require_admin("export the registry")?;
        let mut index = Index {
            meshwork: 1,
            ..Index::default()
        };
        let mut files = Vec::new();
        for d in self.store.list_domains().await? {
            index.domains.push(IndexDomain {
                id: d.id,
                name: d.name,
                description: d.description,
                parent: d.parent_id,
                color: d.color,
            });
        }
        let users = self.store.list_users().await?;
        let usernames: HashMap<String, String> = users
            .iter()
            .map(|u| (u.id.clone(), u.username.clone()))
            .collect();
        for u in users {
            index.users.push(IndexUser {
                username: u.username,
                display_name: u.display_name,
                email: u.email,
                is_admin: u.is_admin,
                password_hash: u.password_hash,
            });
        }
        for t in self.store.list_teams().await? {
            let members = self
                .store
                .team_members(&t.id)
                .await?
                .into_iter()
                .map(|m| {
                    (
                        usernames.get(&m.user_id).cloned().unwrap_or(m.username),
                        m.role,
                    )
                })
                .collect();
            index.teams.push(IndexTeam {
                id: t.id,
                name: t.name,
                description: t.description,
                domain: t.domain_id,
                members,
            });
        }
        for c in self.store.list_contracts().await? {
            let file = format!("contracts/{}", file_name(&c.id, "odcs", c.source_format));
            files.push(ExportedFile {
                path: file.clone(),
                content: c.source,
            });
            index.contracts.push(IndexDocument {
                id: c.id,
                file,
                team: c.team_id,
            });
        }
        for row in self.store.list_products(None, None).await? {
            let Some(p) = self.store.get_product(&row.id).await? else {
                continue;
            };
            let file = format!("products/{}", file_name(&row.id, "odps", p.source_format));
            files.push(ExportedFile {
                path: file.clone(),
                content: p.source,
            });
            index.products.push(IndexDocument {
                id: row.id,
                file,
                team: Some(row.team_id),
            });
        }
        let history = self.store.policy_history().await?;
        let waivers = self.store.waivers().await?;
        if !history.is_empty() || !waivers.is_empty() {
            let mut versions: Vec<&store::PolicyRow> = history.iter().collect();
            versions.sort_by(|a, b| (&a.id, a.version).cmp(&(&b.id, b.version)));
            let governance = GovernanceFile {
                policies: versions
                    .iter()
                    .filter_map(|r| serde_json::from_str(&r.document).ok())
                    .collect(),
                waivers,
            };
            let text = serde_yaml_ng::to_string(&governance)
                .map_err(|e| WorkbenchError::Unavailable(e.to_string()))?;
            files.push(ExportedFile {
                path: String::from("governance.yaml"),
                content: format!("# Policies (every version) and waivers.\n{text}"),
            });
            index.governance = Some(String::from("governance.yaml"));
        }
        let index_text = serde_yaml_ng::to_string(&index)
            .map_err(|e| WorkbenchError::Unavailable(e.to_string()))?;
        files.insert(
            0,
            ExportedFile {
                path: String::from("meshwork.yaml"),
                content: format!(
                    "# Meshwork registry export. Import with: meshwork import <dir>\n{index_text}"
                ),
            },
        );
        Ok(files)
    }

    /// Loads an export. Entries that already match are left alone, so importing twice changes
    /// nothing the second time.
    pub async fn import_registry(
        &self,
        actor: &Actor,
        files: &HashMap<String, String>,
    ) -> Result<ImportReport> {
        actor.require_admin("import a registry")?;
        let index_text = files.get("meshwork.yaml").ok_or_else(|| {
            WorkbenchError::bad_request("meshwork.yaml is missing from the import")
        })?;
        let index: Index = serde_yaml_ng::from_str(index_text)
            .map_err(|e| WorkbenchError::bad_request(format!("meshwork.yaml: {e}")))?;
        let mut report = ImportReport::default();

        // Parents before children.
        let mut pending: Vec<&IndexDomain> = index.domains.iter().collect();
        let mut done: HashSet<String> = self
            .store
            .list_domains()
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect();
        let existing_domains: HashMap<String, store::DomainRecord> = self
            .store
            .list_domains()
            .await?
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut rest = Vec::new();
            for d in pending {
                if d.parent.as_ref().is_some_and(|p| !done.contains(p)) {
                    rest.push(d);
                    continue;
                }
                let fields = DomainFields {
                    name: d.name.clone(),
                    description: d.description.clone(),
                    parent_id: d.parent.clone(),
                    color: d.color.clone(),
                };
                let same = existing_domains.get(&d.id).is_some_and(|e| {
                    e.name == fields.name
                        && e.description == fields.description
                        && e.parent_id == fields.parent_id
                        && e.color == fields.color
                });
                if !same {
                    let event = audit_event(
                        actor,
                        "domain.imported",
                        "domain",
                        &d.id,
                        format!("imported domain '{}'", d.id),
                    );
                    self.store
                        .save_domain(&d.id, &fields, Expect::Any, &event)
                        .await?;
                    report.domains += 1;
                }
                done.insert(d.id.clone());
            }
            if rest.len() == before {
                return Err(WorkbenchError::bad_request(
                    "meshwork.yaml: domain parents form a cycle or name unknown domains",
                ));
            }
            pending = rest;
        }
        for u in &index.users {
            if self
                .store
                .get_user_by_username(&u.username)
                .await?
                .is_none()
            {
                let new = NewUser {
                    id: uuid::Uuid::now_v7().to_string(),
                    username: u.username.clone(),
                    display_name: u.display_name.clone(),
                    email: u.email.clone(),
                    password_hash: u.password_hash.clone(),
                    is_admin: u.is_admin,
                };
                self.store
                    .create_user(
                        &new,
                        &audit_event(
                            actor,
                            "user.imported",
                            "user",
                            &u.username,
                            format!("imported user '{}'", u.username),
                        ),
                    )
                    .await?;
                report.users += 1;
            }
        }
        for t in &index.teams {
            let fields = TeamFields {
                name: t.name.clone(),
                description: t.description.clone(),
                domain_id: t.domain.clone(),
            };
            let same = self.store.get_team(&t.id).await?.is_some_and(|e| {
                e.name == fields.name
                    && e.description == fields.description
                    && e.domain_id == fields.domain_id
            });
            if !same {
                self.store
                    .save_team(
                        &t.id,
                        &fields,
                        Expect::Any,
                        &audit_event(
                            actor,
                            "team.imported",
                            "team",
                            &t.id,
                            format!("imported team '{}'", t.id),
                        ),
                    )
                    .await?;
                report.teams += 1;
            }
            let current: HashMap<String, String> = self
                .store
                .team_members(&t.id)
                .await?
                .into_iter()
                .map(|m| (m.username, m.role))
                .collect();
            for (username, role) in &t.members {
                if current.get(username) == Some(role) {
                    continue;
                }
                let Some(user) = self.store.get_user_by_username(username).await? else {
                    return Err(WorkbenchError::bad_request(format!(
                        "meshwork.yaml: team '{}' lists unknown user '{username}'",
                        t.id
                    )));
                };
                self.store
                    .set_member(
                        &t.id,
                        &user.id,
                        role,
                        &audit_event(
                            actor,
                            "team.member_set",
                            "team",
                            &t.id,
                            format!("imported membership of {username}"),
                        ),
                    )
                    .await?;
            }
        }

        let read = |file: &str| -> Result<SourceDoc> {
            let text = files.get(file).ok_or_else(|| {
                WorkbenchError::bad_request(format!(
                    "{file} is listed in meshwork.yaml but missing"
                ))
            })?;
            SourceDoc::parse(text).map_err(|e| WorkbenchError::bad_request(format!("{file}: {e}")))
        };
        // Contracts of output ports go with their product (so they get its team); the others first.
        let mut port_contracts: HashMap<String, Vec<SourceDoc>> = HashMap::new();
        let mut product_docs = Vec::new();
        let mut offered: HashMap<String, String> = HashMap::new();
        for p in &index.products {
            let source = read(&p.file)?;
            let doc: domain::DataProductDoc = serde_json::from_value(source.value.clone())
                .map_err(|e| WorkbenchError::bad_request(format!("{}: {e}", p.file)))?;
            for port in &doc.output_ports {
                if let Some(c) = &port.contract_id {
                    offered.insert(c.clone(), p.id.clone());
                }
            }
            product_docs.push((p, source, doc));
        }
        for c in &index.contracts {
            let source = read(&c.file)?;
            match offered.get(&c.id) {
                Some(product) => port_contracts
                    .entry(product.clone())
                    .or_default()
                    .push(source),
                None => {
                    let result = self
                        .publish(
                            actor,
                            Submission {
                                product: None,
                                contracts: vec![source],
                                expect: Expect::Any,
                                mode: Mode::Overwrite,
                                team: c.team.clone(),
                            },
                        )
                        .await?;
                    count(&mut report, &result);
                }
            }
        }
        // Upstream products before the products that read them.
        let mut remaining = product_docs;
        let mut published: HashSet<String> = HashSet::new();
        while !remaining.is_empty() {
            let before = remaining.len();
            let mut rest = Vec::new();
            for (entry, source, doc) in remaining {
                let waits = doc
                    .input_ports
                    .iter()
                    .filter_map(|i| i.contract_id.as_ref())
                    .filter_map(|c| offered.get(c))
                    .any(|up| up != &doc.id && !published.contains(up));
                if waits {
                    rest.push((entry, source, doc));
                    continue;
                }
                let contracts = port_contracts.remove(&entry.id).unwrap_or_default();
                let result = self
                    .publish(
                        actor,
                        Submission {
                            product: Some(source),
                            contracts,
                            expect: Expect::Any,
                            mode: Mode::Overwrite,
                            team: entry.team.clone(),
                        },
                    )
                    .await?;
                count(&mut report, &result);
                published.insert(entry.id.clone());
            }
            if rest.len() == before {
                return Err(WorkbenchError::bad_request(
                    "the exported products depend on each other in a cycle",
                ));
            }
            remaining = rest;
        }
        if let Some(file) = &index.governance {
            let text = files.get(file).ok_or_else(|| {
                WorkbenchError::bad_request(format!(
                    "{file} is listed in meshwork.yaml but missing"
                ))
            })?;
            let governance: GovernanceFile = serde_yaml_ng::from_str(text)
                .map_err(|e| WorkbenchError::bad_request(format!("{file}: {e}")))?;
            let (policies, waivers) = self
                .import_governance(actor, &governance.policies, &governance.waivers)
                .await
                .map_err(|e| match e {
                    WorkbenchError::BadRequest(m) => {
                        WorkbenchError::BadRequest(format!("{file}: {m}"))
                    }
                    other => other,
                })?;
            report.policies_written = policies;
            report.waivers_written = waivers;
        }
        Ok(report)
    }
}

fn count(report: &mut ImportReport, result: &views::PublishResult) {
    if result.unchanged {
        report.unchanged += 1;
    } else {
        report.products_written += usize::from(result.product_id.is_some());
        report.contracts_written += result.contracts.len();
    }
}
