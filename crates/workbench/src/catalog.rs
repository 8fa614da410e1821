//! Reading the catalog: search with facets, product pages, contracts, versions, documents and the
//! upstream-port picker.

use std::collections::BTreeMap;

use domain::{DataContractDoc, DataProductDoc, DocumentFormat, DocumentId, ProductStatus};
use store::{ProductRow, RevisionRecord, SearchQuery, SearchSort};
use views::{
    AuditView, ConsumerView, ContractView, DescriptionView, FacetValue, FacetsView, FieldView,
    IdCheck, InputPortView, OutputPortView, PortRef, ProductCard, ProductDetail, QualityView,
    SchemaObjectView, SearchParams, SearchResults, ServerView, SlaView, SupportView, VersionView,
};

use crate::actor::Actor;
use crate::directory::Names;
use crate::error::{Result, WorkbenchError};
use crate::{Workbench, markdown};

/// Largest page of search results.
pub const MAX_PAGE: usize = 200;

pub(crate) fn card(p: ProductRow, names: &Names, governance: Option<String>) -> ProductCard {
    ProductCard {
        governance,
        domain_name: names.domain_name(&p.domain_id),
        domain_color: names.domain_color(&p.domain_id),
        team_name: names.team_name(&p.team_id),
        summary: markdown::excerpt(&p.purpose, 180),
        id: p.id,
        name: p.name,
        domain_id: p.domain_id,
        team_id: p.team_id,
        status: p.status,
        product_type: p.product_type,
        version: p.version,
        tags: p.tags,
        classifications: p.classifications,
        output_ports: p.output_ports,
        input_ports: p.input_ports,
        updated_at: p.updated_at,
    }
}

/// A governance state as the catalog's facet shows it.
fn governance_label(state: &str) -> String {
    String::from(match state {
        "passing" => "Meets every policy",
        "warnings" => "Findings to fix",
        "failing" => "Blocking findings",
        "unevaluated" => "Not evaluated",
        other => other,
    })
}

fn facet(
    values: Vec<store::FacetCount>,
    selected: &[String],
    label: impl Fn(&str) -> String,
) -> Vec<FacetValue> {
    values
        .into_iter()
        .map(|f| FacetValue {
            label: label(&f.value),
            selected: selected.iter().any(|s| s.eq_ignore_ascii_case(&f.value)),
            value: f.value,
            count: f.count,
        })
        .collect()
}

fn status_label(s: &str) -> String {
    ProductStatus::parse(s)
        .map(|v| v.label().to_owned())
        .unwrap_or_else(|_| s.to_owned())
}

fn type_label(s: &str) -> String {
    domain::ProductType::parse(s)
        .map(|v| v.label().to_owned())
        .unwrap_or_else(|_| s.to_owned())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The output port views of a product with the contracts they publish.
fn sla_label(property: &str) -> String {
    match property.to_ascii_lowercase().as_str() {
        "latency" | "freshness" => String::from("Freshness"),
        "frequency" => String::from("Update frequency"),
        "availability" => String::from("Availability"),
        "retention" => String::from("Retention"),
        other => capitalised(other),
    }
}

pub(crate) fn contract_view(doc: &DataContractDoc, record: &store::ContractRecord) -> ContractView {
    let objects = doc
        .schema
        .iter()
        .map(|o| {
            let mut fields = Vec::new();
            let mut quality: Vec<QualityView> = o
                .quality
                .iter()
                .map(|q| QualityView {
                    field: None,
                    rule: q.summary(),
                    dimension: q.dimension.clone(),
                    severity: q.severity.clone(),
                })
                .collect();
            fn walk(
                props: &[domain::odcs::SchemaProperty],
                depth: u32,
                fields: &mut Vec<FieldView>,
                quality: &mut Vec<QualityView>,
            ) {
                for p in props {
                    fields.push(FieldView {
                        name: p.name.clone(),
                        depth,
                        logical_type: p.logical_type.clone(),
                        physical_type: p.physical_type.clone(),
                        required: p.required.unwrap_or(false) || p.primary_key.unwrap_or(false),
                        primary_key: p.primary_key.unwrap_or(false),
                        unique: p.unique.unwrap_or(false),
                        classification: p.classification.as_ref().map(|c| c.to_lowercase()),
                        pii: p.is_pii(),
                        description: p.description.clone(),
                    });
                    quality.extend(p.quality.iter().map(|q| QualityView {
                        field: Some(p.name.clone()),
                        rule: q.summary(),
                        dimension: q.dimension.clone(),
                        severity: q.severity.clone(),
                    }));
                    walk(&p.properties, depth + 1, fields, quality);
                }
            }
            walk(&o.properties, 0, &mut fields, &mut quality);
            SchemaObjectView {
                name: o.name.clone(),
                physical_name: o.physical_name.clone(),
                physical_type: o.physical_type.clone(),
                description: o.description.clone(),
                fields,
                quality,
            }
        })
        .collect();
    ContractView {
        id: doc.id.clone(),
        name: doc.name.clone(),
        version: doc.version.clone(),
        status: doc.status.clone(),
        revision: record.revision,
        servers: doc
            .servers
            .iter()
            .map(|s| ServerView {
                server: s.server.clone(),
                server_type: s.server_type.clone(),
                environment: s.environment.clone(),
                location: s.location(),
            })
            .collect(),
        objects,
        sla: doc
            .sla_properties
            .iter()
            .map(|s| SlaView {
                property: s.property.clone(),
                label: sla_label(&s.property),
                value: s.display_value(),
            })
            .collect(),
        team_id: record.team_id.clone(),
        updated_at: record.updated_at.clone(),
    }
}

/// One entry per semantic version: its newest revision, newest version first.
pub(crate) fn versions(revisions: &[RevisionRecord]) -> Vec<VersionView> {
    let mut by_version: BTreeMap<String, (RevisionRecord, i64)> = BTreeMap::new();
    for r in revisions {
        let entry = by_version
            .entry(r.version.clone())
            .or_insert_with(|| (r.clone(), 0));
        if r.revision > entry.0.revision {
            entry.0 = r.clone();
        }
        entry.1 += 1;
    }
    let mut out: Vec<VersionView> = by_version
        .into_values()
        .map(|(r, n)| VersionView {
            version: r.version,
            revision: r.revision,
            status: r.status,
            published_at: r.created_at,
            published_by: r.created_by,
            revisions: n,
        })
        .collect();
    out.sort_by(|a, b| {
        let (va, vb) = (
            semver::Version::parse(&a.version).ok(),
            semver::Version::parse(&b.version).ok(),
        );
        vb.cmp(&va).then_with(|| b.revision.cmp(&a.revision))
    });
    out
}

impl Workbench {
    pub async fn search(&self, actor: &Actor, params: &SearchParams) -> Result<SearchResults> {
        actor.require_read()?;
        let sort = match params.sort.as_deref() {
            None | Some("") | Some("relevance") => SearchSort::Relevance,
            Some("name") => SearchSort::Name,
            Some("updated") => SearchSort::Updated,
            Some(other) => {
                return Err(WorkbenchError::bad_request(format!(
                    "sort '{other}' is not one of relevance, name or updated"
                )));
            }
        };
        let limit = params.limit.unwrap_or(24);
        if limit == 0 || limit > MAX_PAGE {
            return Err(WorkbenchError::bad_request(format!(
                "limit must be between 1 and {MAX_PAGE}"
            )));
        }
        let offset = params.offset.unwrap_or(0);
        if let Some(q) = &params.q
            && q.chars().count() > 500
        {
            return Err(WorkbenchError::bad_request(
                "q is longer than 500 characters",
            ));
        }
        let query = SearchQuery {
            text: params.q.clone().filter(|q| !q.trim().is_empty()),
            domains: params.domain.clone(),
            teams: params.team.clone(),
            statuses: params.status.clone(),
            types: params.product_type.clone(),
            tags: params.tag.clone(),
            classifications: params.classification.clone(),
            governance: params.governance.clone(),
            sort,
            limit,
            offset,
        };
        let page = self.store.search(&query).await?;
        let names = self.names().await?;
        let f = page.facets;
        Ok(SearchResults {
            total: page.total,
            items: page
                .items
                .into_iter()
                .zip(page.governance)
                .map(|(p, g)| card(p, &names, Some(g)))
                .collect(),
            facets: FacetsView {
                domain: facet(f.domain, &params.domain, |v| names.domain_name(v)),
                team: facet(f.team, &params.team, |v| names.team_name(v)),
                status: facet(f.status, &params.status, status_label),
                product_type: facet(f.product_type, &params.product_type, type_label),
                tag: facet(f.tag, &params.tag, str::to_owned),
                classification: facet(f.classification, &params.classification, capitalised),
                governance: facet(f.governance, &params.governance, governance_label),
            },
            limit,
            offset,
        })
    }

    pub async fn product_detail(&self, actor: &Actor, id: &str) -> Result<ProductDetail> {
        actor.require_read()?;
        let record =
            self.store.get_product(id).await?.ok_or_else(|| {
                WorkbenchError::not_found(format!("data product '{id}' not found"))
            })?;
        let doc: DataProductDoc = serde_json::from_str(&record.document)
            .map_err(|e| WorkbenchError::Unavailable(format!("stored document unreadable: {e}")))?;
        let names = self.names().await?;

        let mut output_ports = Vec::new();
        for port in self.store.output_ports(id).await? {
            let contract = match &port.contract_id {
                Some(cid) => self.contract_view(cid).await?,
                None => None,
            };
            output_ports.push(OutputPortView {
                name: port.name,
                port_type: port.port_type,
                version: port.version,
                description: port.description,
                contract_id: port.contract_id,
                contract,
            });
        }
        let mut input_ports = Vec::new();
        for port in self.store.input_ports(id).await? {
            let upstream = match &port.contract_id {
                Some(cid) => self
                    .store
                    .ports_by_contract(std::slice::from_ref(cid))
                    .await?
                    .into_iter()
                    .next()
                    .map(|o| port_ref(o, &names)),
                None => None,
            };
            input_ports.push(InputPortView {
                name: port.name,
                version: port.version,
                contract_id: port.contract_id,
                external_source: port.external_source,
                upstream,
            });
        }
        let consumers = self
            .store
            .consumers(id)
            .await?
            .into_iter()
            .map(|c| ConsumerView {
                domain_color: names.domain_color(&c.product.domain_id),
                product_id: c.product.id,
                product_name: c.product.name,
                domain_id: c.product.domain_id,
                team_id: c.product.team_id,
                status: c.product.status,
                input_port: c.input_port,
                output_port: c.output_port,
            })
            .collect();
        let owners = self
            .store
            .team_members(&record.row.team_id)
            .await?
            .into_iter()
            .map(|m| views::MemberView {
                username: m.username,
                display_name: m.display_name,
                role: m.role,
            })
            .collect();
        let versions = versions(&self.store.product_revision_list(id).await?);
        let description = doc.description.clone().unwrap_or_default();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let can_edit = actor.is_admin() || actor.is_member_of(&record.row.team_id);
        let transitions = match ProductStatus::parse(&record.row.status) {
            Ok(s) if can_edit => s
                .transitions()
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            _ => Vec::new(),
        };
        Ok(ProductDetail {
            revision: record.row.revision,
            description: DescriptionView {
                purpose_html: markdown::render(&text(&description.purpose)),
                usage_html: markdown::render(&text(&description.usage)),
                limitations_html: markdown::render(&text(&description.limitations)),
                purpose: text(&description.purpose),
                usage: text(&description.usage),
                limitations: text(&description.limitations),
            },
            owners,
            output_ports,
            input_ports,
            consumers,
            versions,
            support: doc
                .support
                .iter()
                .map(|s| SupportView {
                    channel: s.channel.clone(),
                    url: s.url.clone(),
                    tool: s.tool.clone(),
                })
                .collect(),
            can_edit,
            transitions,
            api_version: doc.api_version.clone(),
            created_at: record.row.created_at.clone(),
            created_by: record.created_by.clone(),
            updated_by: record.updated_by.clone(),
            card: card(record.row, &names, None),
        })
    }

    async fn contract_view(&self, contract_id: &str) -> Result<Option<ContractView>> {
        let Some(record) = self.store.get_contract(contract_id).await? else {
            return Ok(None);
        };
        let doc: DataContractDoc = serde_json::from_str(&record.document)
            .map_err(|e| WorkbenchError::Unavailable(format!("stored contract unreadable: {e}")))?;
        Ok(Some(contract_view(&doc, &record)))
    }

    /// A contract as the API shows it.
    pub async fn get_contract(&self, actor: &Actor, id: &str) -> Result<ContractView> {
        actor.require_read()?;
        self.contract_view(id)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("data contract '{id}' not found")))
    }

    pub async fn list_contracts(&self, actor: &Actor) -> Result<Vec<ContractView>> {
        actor.require_read()?;
        let mut out = Vec::new();
        for record in self.store.list_contracts().await? {
            if let Ok(doc) = serde_json::from_str::<DataContractDoc>(&record.document) {
                out.push(contract_view(&doc, &record));
            }
        }
        Ok(out)
    }

    /// The versions of a product (latest revision per semantic version), newest first.
    pub async fn product_versions(&self, actor: &Actor, id: &str) -> Result<Vec<VersionView>> {
        actor.require_read()?;
        self.require_product(id).await?;
        Ok(versions(&self.store.product_revision_list(id).await?))
    }

    pub async fn contract_versions(&self, actor: &Actor, id: &str) -> Result<Vec<VersionView>> {
        actor.require_read()?;
        if self.store.get_contract(id).await?.is_none() {
            return Err(WorkbenchError::not_found(format!(
                "data contract '{id}' not found"
            )));
        }
        Ok(versions(&self.store.contract_revisions(id).await?))
    }

    pub(crate) async fn require_product(&self, id: &str) -> Result<store::ProductRecord> {
        self.store
            .get_product(id)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("data product '{id}' not found")))
    }

    /// A product's ODPS document: the text exactly as published (`format` = None), or converted
    /// to YAML or JSON; the current revision, a given revision, or the latest of a version.
    pub async fn product_document(
        &self,
        actor: &Actor,
        id: &str,
        selector: DocSelector<'_>,
        format: Option<DocumentFormat>,
    ) -> Result<(String, DocumentFormat)> {
        actor.require_read()?;
        let record = self.require_product(id).await?;
        let (source, source_format) = match selector {
            DocSelector::Current => (record.source, record.source_format),
            DocSelector::Revision(n) => {
                let r = self.store.product_revision(id, n).await?.ok_or_else(|| {
                    WorkbenchError::not_found(format!("revision {n} of '{id}' not found"))
                })?;
                (r.source, r.source_format)
            }
            DocSelector::Version(v) => {
                let revisions = self.store.product_revisions(id).await?;
                let r = revisions
                    .into_iter()
                    .find(|r| r.version == v)
                    .ok_or_else(|| {
                        WorkbenchError::not_found(format!("version {v} of '{id}' not found"))
                    })?;
                (r.source, r.source_format)
            }
        };
        convert(source, source_format, format)
    }

    /// A contract's ODCS document, as [`Workbench::product_document`].
    pub async fn contract_document(
        &self,
        actor: &Actor,
        id: &str,
        selector: DocSelector<'_>,
        format: Option<DocumentFormat>,
    ) -> Result<(String, DocumentFormat)> {
        actor.require_read()?;
        let record =
            self.store.get_contract(id).await?.ok_or_else(|| {
                WorkbenchError::not_found(format!("data contract '{id}' not found"))
            })?;
        let (source, source_format) = match selector {
            DocSelector::Current => (record.source, record.source_format),
            DocSelector::Revision(n) => {
                let r = self
                    .store
                    .contract_revisions(id)
                    .await?
                    .into_iter()
                    .find(|r| r.revision == n)
                    .ok_or_else(|| {
                        WorkbenchError::not_found(format!("revision {n} of '{id}' not found"))
                    })?;
                (r.source, r.source_format)
            }
            DocSelector::Version(v) => {
                let r = self
                    .store
                    .contract_revisions(id)
                    .await?
                    .into_iter()
                    .find(|r| r.version == v)
                    .ok_or_else(|| {
                        WorkbenchError::not_found(format!("version {v} of '{id}' not found"))
                    })?;
                (r.source, r.source_format)
            }
        };
        convert(source, source_format, format)
    }

    /// Whether a new product may take this id.
    pub async fn check_product_id(&self, actor: &Actor, id: &str) -> Result<IdCheck> {
        actor.require_signed_in()?;
        if let Err(e) = DocumentId::parse(id) {
            return Ok(IdCheck {
                id: id.to_owned(),
                valid: false,
                available: false,
                message: Some(format!("the id {e}")),
            });
        }
        let taken = self.store.product_exists(id).await?;
        Ok(IdCheck {
            id: id.to_owned(),
            valid: true,
            available: !taken,
            message: taken.then(|| format!("'{id}' is already taken by another data product")),
        })
    }

    /// Output ports across the mesh for the upstream picker, filtered by text.
    pub async fn port_options(
        &self,
        actor: &Actor,
        text: &str,
        limit: i64,
    ) -> Result<Vec<PortRef>> {
        actor.require_read()?;
        let names = self.names().await?;
        Ok(self
            .store
            .search_output_ports(text.trim(), limit.clamp(1, 200))
            .await?
            .into_iter()
            .map(|o| port_ref(o, &names))
            .collect())
    }

    /// The audit trail of a product, newest first.
    pub async fn product_history(&self, actor: &Actor, id: &str) -> Result<Vec<AuditView>> {
        actor.require_read()?;
        self.require_product(id).await?;
        Ok(self
            .store
            .audit_for("product", id, 200)
            .await?
            .into_iter()
            .map(audit_view)
            .collect())
    }

    /// The newest audit events across the registry (admins).
    pub async fn recent_audit(&self, actor: &Actor, limit: i64) -> Result<Vec<AuditView>> {
        actor.require_admin("read the whole audit trail")?;
        Ok(self
            .store
            .audit_recent(limit.clamp(1, 1000))
            .await?
            .into_iter()
            .map(audit_view)
            .collect())
    }
}

/// Which revision of a document to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocSelector<'a> {
    Current,
    Revision(i64),
    Version(&'a str),
}

fn convert(
    source: String,
    source_format: DocumentFormat,
    want: Option<DocumentFormat>,
) -> Result<(String, DocumentFormat)> {
    match want {
        None => Ok((source, source_format)),
        Some(f) if f == source_format => Ok((source, source_format)),
        Some(f) => {
            let (value, _) = domain::parse_document(&source).map_err(|e| {
                WorkbenchError::Unavailable(format!("stored document unreadable: {e}"))
            })?;
            let text = match f {
                DocumentFormat::Yaml => domain::to_yaml(&value),
                DocumentFormat::Json => serde_json::to_string_pretty(&value).unwrap_or_default(),
            };
            Ok((text, f))
        }
    }
}

pub(crate) fn port_ref(o: store::OfferedPort, names: &Names) -> PortRef {
    PortRef {
        domain_color: names.domain_color(&o.domain_id),
        product_id: o.port.product_id,
        product_name: o.product_name,
        domain_id: o.domain_id,
        team_id: o.team_id,
        status: o.status,
        port_name: o.port.name,
        port_type: o.port.port_type,
        version: o.port.version,
        contract_id: o.port.contract_id,
    }
}

fn audit_view(a: store::AuditRecord) -> AuditView {
    AuditView {
        id: a.id,
        at: a.at,
        actor: a.actor,
        action: a.action,
        subject_kind: a.subject_kind,
        subject_id: a.subject_id,
        summary: a.summary,
        diff: a.diff,
    }
}
