//! `meshwork synth`: a synthetic mesh of any size for benchmarks (the browser's explorer with a
//! thousand visible nodes, say), published through the same use cases as real products, so
//! everything about it is real but its names.

use serde_json::json;
use store::{DomainFields, Expect, TeamFields};

use crate::actor::Actor;
use crate::error::Result;
use crate::publish::{Mode, SourceDoc, Submission};
use crate::{DOMAIN_PALETTE, Workbench, audit_event};

impl Workbench {
    /// Publishes `products` synthetic products (see `lineage::testing::synthetic_mesh`) with
    /// their domains and teams. Returns how many were published; products already there are
    /// skipped.
    pub async fn load_synthetic(&self, products: usize, edges_per_product: f64) -> Result<usize> {
        let actor = Actor::system();
        let specs = lineage::testing::synthetic_mesh(products, edges_per_product, 42);
        let mut domains: Vec<&str> = specs.iter().map(|s| s.domain.as_str()).collect();
        domains.sort_unstable();
        domains.dedup();
        for (i, d) in domains.iter().enumerate() {
            if self.store.get_domain(d).await?.is_none() {
                let fields = DomainFields {
                    name: format!("{}{}", d[..1].to_uppercase(), &d[1..]),
                    description: String::from("A synthetic domain."),
                    parent_id: None,
                    color: DOMAIN_PALETTE[i % DOMAIN_PALETTE.len()].to_owned(),
                };
                let event = audit_event(
                    &actor,
                    "domain.created",
                    "domain",
                    d,
                    format!("created domain '{d}'"),
                );
                self.store
                    .save_domain(d, &fields, Expect::New, &event)
                    .await?;
            }
        }
        let mut teams: Vec<(&str, &str)> = specs
            .iter()
            .map(|s| (s.team.as_str(), s.domain.as_str()))
            .collect();
        teams.sort_unstable();
        teams.dedup();
        for (t, d) in teams {
            if self.store.get_team(t).await?.is_none() {
                let fields = TeamFields {
                    name: t.to_owned(),
                    description: String::from("A synthetic team."),
                    domain_id: d.to_owned(),
                };
                let event = audit_event(
                    &actor,
                    "team.created",
                    "team",
                    t,
                    format!("created team '{t}'"),
                );
                self.store
                    .save_team(t, &fields, Expect::New, &event)
                    .await?;
            }
        }
        let mut published = 0;
        for spec in specs {
            if self.store.product_exists(&spec.id).await? {
                continue;
            }
            let contracts: Vec<SourceDoc> = spec
                .output_ports
                .iter()
                .filter_map(|p| {
                    let id = p.contract_id.clone()?;
                    let table = format!("{}_{}", spec.id.replace(['.', '-'], "_"), p.name);
                    let doc = json!({
                        "apiVersion": "v3.0.2", "kind": "DataContract", "id": id, "version": "1.0.0", "status": "active",
                        "servers": [{ "server": "production", "type": "postgres", "host": "warehouse", "port": 5432, "database": "dwh", "schema": spec.domain }],
                        "schema": [{ "name": table, "properties": [
                            { "name": "id", "logicalType": "integer", "primaryKey": true, "required": true },
                            { "name": "value", "logicalType": "number" },
                        ] }],
                    });
                    SourceDoc::from_value(doc).ok()
                })
                .collect();
            let mut product = json!({
                "apiVersion": "v1.1.0", "kind": "DataProduct", "id": spec.id, "name": spec.name, "version": "1.0.0",
                "status": "active", "domain": spec.domain, "type": spec.product_type, "team": { "name": spec.team },
                "description": { "purpose": "A synthetic data product." },
                "outputPorts": spec.output_ports.iter().map(|p| json!({ "name": p.name, "type": "table", "version": "1.0.0", "contractId": p.contract_id })).collect::<Vec<_>>(),
            });
            if !spec.input_ports.is_empty() {
                product["inputPorts"] = spec
                    .input_ports
                    .iter()
                    .map(|i| json!({ "name": i.name, "version": "1.0.0", "contractId": i.contract_id }))
                    .collect();
            }
            self.publish(
                &actor,
                Submission {
                    product: Some(SourceDoc::from_value(product)?),
                    contracts,
                    expect: Expect::Any,
                    mode: Mode::Overwrite,
                    team: None,
                },
            )
            .await?;
            published += 1;
        }
        Ok(published)
    }
}
