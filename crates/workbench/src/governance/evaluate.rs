//! Evaluating the registry's policies: on one publication (before anything is stored), on
//! documents sent for a check, and over the whole registry (after a policy or waiver change,
//! nightly, on demand), with each product's standing stored.

use std::collections::{BTreeMap, HashMap};

use domain::{DataContractDoc, DataProductDoc};
use governance::report::{Evaluated, Standing};
use governance::{Context, Options, Policy, Subject, Waiver};
use serde_json::{Value, json};
use store::{EvaluationRun, EvaluationWrite, ResultRow};

use super::today;
use crate::Workbench;
use crate::error::{Result, WorkbenchError};
use views::PolicyFinding;

/// The policies and waivers in force, read once per evaluation.
#[derive(Clone, Debug, Default)]
pub(crate) struct Rules {
    pub policies: Vec<Policy>,
    pub waivers: Vec<Waiver>,
}

/// What the context of a subject is built from: the registry, read in bulk (a full run) or just
/// the parts one publication touches.
#[derive(Default)]
pub(crate) struct Lookup {
    pub domains: Vec<String>,
    /// Stored contracts by id.
    pub contracts: HashMap<String, DataContractDoc>,
    /// For a contract id: the product offering it, and that product's status.
    pub producers: HashMap<String, (String, String)>,
    /// For a product id: its consumers (product ids).
    pub consumers: HashMap<String, Vec<String>>,
    /// Contract ids known to exist without their documents (an offline bundle).
    pub known: std::collections::HashSet<String>,
}

/// One subject's evaluation.
pub(crate) struct Outcome {
    pub evaluated: Evaluated,
    pub findings: Vec<governance::Finding>,
    /// Evaluated with a stand-in product (a contract no product offers): nothing to store.
    pub stand_in: bool,
}

impl Lookup {
    /// The context of a product about to be stored with `submitted` contracts.
    fn context(
        &self,
        product: &DataProductDoc,
        submitted: &[DataContractDoc],
        team: &str,
        day: &str,
    ) -> Context {
        let mut cx = Context {
            today: day.to_owned(),
            known_domains: self.domains.clone(),
            ..Context::default()
        };
        for port in &product.output_ports {
            if let Some(id) = &port.contract_id
                && (self.contracts.contains_key(id) || self.known.contains(id))
            {
                cx.known_contracts.push(id.clone());
            }
        }
        for c in submitted {
            if let Some(previous) = self.contracts.get(&c.id) {
                cx.previous_contracts.insert(c.id.clone(), previous.clone());
            }
        }
        let mut inputs = Vec::new();
        for port in &product.input_ports {
            if let Some((producer, status)) = port
                .contract_id
                .as_ref()
                .and_then(|id| self.producers.get(id))
                && producer != &product.id
            {
                cx.input_statuses.insert(producer.clone(), status.clone());
                inputs.push(json!({"product": producer, "status": status, "port": port.name}));
            }
        }
        cx.facts.insert(String::from("team"), json!({ "id": team }));
        cx.facts
            .insert(String::from("inputs"), Value::Array(inputs));
        cx.facts.insert(
            String::from("consumers"),
            json!(self.consumers.get(&product.id).cloned().unwrap_or_default()),
        );
        cx
    }

    /// The contracts a product is evaluated with: those submitted, then the stored ones its
    /// output ports name.
    fn contracts_of(
        &self,
        product: &DataProductDoc,
        submitted: &[DataContractDoc],
    ) -> Vec<DataContractDoc> {
        let mut out: Vec<DataContractDoc> = submitted.to_vec();
        for port in &product.output_ports {
            if let Some(id) = &port.contract_id
                && !out.iter().any(|c| &c.id == id)
                && let Some(c) = self.contracts.get(id)
            {
                out.push(c.clone());
            }
        }
        out
    }
}

/// Evaluates one product (with its contracts) against the rules.
pub(crate) fn evaluate_product(
    rules: &Rules,
    lookup: &Lookup,
    product: &DataProductDoc,
    submitted: &[DataContractDoc],
    team: &str,
    options: Options,
) -> Outcome {
    let day = today();
    let contracts = lookup.contracts_of(product, submitted);
    let cx = lookup.context(product, submitted, team, &day);
    let subject = Subject {
        product,
        contracts: &contracts,
    };
    let applicable = governance::engine::applicable(subject, &rules.policies, options)
        .into_iter()
        .map(|(p, _)| p.id.clone())
        .collect();
    let findings = governance::evaluate(subject, &rules.policies, &rules.waivers, &cx, options);
    Outcome {
        evaluated: Evaluated {
            product: product.id.clone(),
            domain: product.domain.clone().unwrap_or_default(),
            team: team.to_owned(),
            applicable,
            findings: findings.clone(),
        },
        findings,
        stand_in: false,
    }
}

/// A stand-in product for a contract that no product offers yet: the contract's own findings
/// are still worth knowing.
pub(crate) fn stand_in(contract: &DataContractDoc) -> DataProductDoc {
    let value = json!({
        "apiVersion": "v1.0.0",
        "kind": "DataProduct",
        "id": contract.id,
        "status": contract.status.clone().unwrap_or_else(|| String::from("draft")),
        "domain": contract.domain,
        "outputPorts": [{"name": "contract", "contractId": contract.id}],
    });
    serde_json::from_value(value).unwrap_or_default()
}

/// The standing stored for an evaluated product.
pub(crate) fn result_row(run: &str, outcome: &Outcome) -> (ResultRow, Vec<(String, String)>) {
    let e = &outcome.evaluated;
    let mut failing: Vec<(String, String)> = e
        .applicable
        .iter()
        .filter(|p| e.standing(p) == Standing::Failing)
        .map(|p| (e.product.clone(), p.clone()))
        .collect();
    failing.sort();
    failing.dedup();
    let row = ResultRow {
        product_id: e.product.clone(),
        run_id: run.to_owned(),
        domain_id: e.domain.clone(),
        team_id: e.team.clone(),
        evaluated_at: store::now(),
        failing: failing.len() as i64,
        warnings: e
            .findings
            .iter()
            .filter(|f| f.waived_by.is_none() && f.severity == domain::Severity::Warning)
            .count() as i64,
        waived: e.findings.iter().filter(|f| f.waived_by.is_some()).count() as i64,
        state: e.state().to_owned(),
        evaluated: serde_json::to_string(e).unwrap_or_default(),
    };
    (row, failing)
}

/// The registry read in bulk for a full run.
pub(crate) struct Registry {
    /// (product, team) by id.
    pub products: BTreeMap<String, (DataProductDoc, String)>,
    pub lookup: Lookup,
}

impl Workbench {
    /// The policies and waivers in force: every policy's newest version (drafts included; the
    /// engine decides) and the approved waivers.
    pub(crate) async fn rules(&self) -> Result<Rules> {
        let policies = self
            .store
            .policies()
            .await?
            .iter()
            .filter_map(|row| match serde_json::from_str::<Policy>(&row.document) {
                Ok(p) => Some(p),
                Err(e) => {
                    tracing::error!(policy = %row.id, error = %e, "a stored policy cannot be read");
                    None
                }
            })
            .collect();
        let waivers = self
            .store
            .waivers()
            .await?
            .into_iter()
            .filter(|w| w.status == "approved")
            .map(|w| Waiver {
                id: w.id,
                policy: w.policy_id,
                product: w.product_id,
                reason: w.reason,
                requested_by: w.requested_by,
                approved_by: w.decided_by,
                expires: w.expires,
            })
            .collect();
        Ok(Rules { policies, waivers })
    }

    /// The ids of the registry's domains.
    pub(crate) async fn domain_ids(&self) -> Result<Vec<String>> {
        Ok(self
            .store
            .list_domains()
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect())
    }

    /// What one publication touches: the domains, the stored versions of the contracts it
    /// submits or names, and the producers of what it reads.
    pub(crate) async fn lookup_for(
        &self,
        product: Option<&DataProductDoc>,
        contracts: &[DataContractDoc],
    ) -> Result<Lookup> {
        let mut lookup = Lookup {
            domains: self.domain_ids().await?,
            ..Lookup::default()
        };
        let mut wanted: Vec<String> = contracts.iter().map(|c| c.id.clone()).collect();
        let mut reads = Vec::new();
        if let Some(p) = product {
            wanted.extend(p.output_ports.iter().filter_map(|o| o.contract_id.clone()));
            reads.extend(p.input_ports.iter().filter_map(|i| i.contract_id.clone()));
        }
        wanted.sort();
        wanted.dedup();
        for id in wanted {
            if let Some(record) = self.store.get_contract(&id).await?
                && let Ok(doc) = serde_json::from_str::<DataContractDoc>(&record.document)
            {
                lookup.contracts.insert(id, doc);
            }
        }
        reads.sort();
        reads.dedup();
        if !reads.is_empty() {
            for offered in self.store.ports_by_contract(&reads).await? {
                if let Some(contract) = offered.port.contract_id.clone() {
                    lookup
                        .producers
                        .insert(contract, (offered.port.product_id, offered.status));
                }
            }
        }
        if let Some(p) = product {
            let consumers = self.store.consumers(&p.id).await?;
            lookup.consumers.insert(
                p.id.clone(),
                consumers.into_iter().map(|c| c.product.id).collect(),
            );
        }
        Ok(lookup)
    }

    /// The whole registry, read in bulk.
    pub(crate) async fn registry(&self) -> Result<Registry> {
        let mut lookup = Lookup {
            domains: self.domain_ids().await?,
            ..Lookup::default()
        };
        for record in self.store.list_contracts().await? {
            if let Ok(doc) = serde_json::from_str::<DataContractDoc>(&record.document) {
                lookup.contracts.insert(record.id, doc);
            }
        }
        let mut products = BTreeMap::new();
        for (id, _domain, team, document) in self.store.product_documents().await? {
            match serde_json::from_str::<DataProductDoc>(&document) {
                Ok(doc) => {
                    products.insert(id, (doc, team));
                }
                Err(e) => {
                    tracing::error!(product = %id, error = %e, "a stored product cannot be read")
                }
            }
        }
        for (id, (doc, _)) in &products {
            let status = doc.status.clone().unwrap_or_default();
            for port in &doc.output_ports {
                if let Some(c) = &port.contract_id {
                    lookup
                        .producers
                        .insert(c.clone(), (id.clone(), status.clone()));
                }
            }
        }
        for (id, (doc, _)) in &products {
            for port in &doc.input_ports {
                if let Some((producer, _)) = port
                    .contract_id
                    .as_ref()
                    .and_then(|c| lookup.producers.get(c))
                    && producer != id
                {
                    lookup
                        .consumers
                        .entry(producer.clone())
                        .or_default()
                        .push(id.clone());
                }
            }
        }
        Ok(Registry { products, lookup })
    }

    /// Evaluates the whole registry with `rules` (not stored).
    pub(crate) fn evaluate_registry(
        registry: &Registry,
        rules: &Rules,
        options: Options,
    ) -> Vec<Outcome> {
        registry
            .products
            .values()
            .map(|(doc, team)| evaluate_product(rules, &registry.lookup, doc, &[], team, options))
            .collect()
    }

    /// Evaluates every product with the rules in force and stores the run: each product's
    /// standing, since when it fails what, and today's snapshot of the matrix. Idempotent: running
    /// it twice gives the same standings.
    pub async fn reevaluate(&self, reason: &str) -> Result<views::RunView> {
        let started_at = store::now();
        let rules = self.rules().await?;
        let registry = self.registry().await?;
        // Thousands of products are seconds of CPU at worst: off the async workers.
        let (outcomes, rules) = tokio::task::spawn_blocking(move || {
            let outcomes = Self::evaluate_registry(&registry, &rules, Options::default());
            (outcomes, rules)
        })
        .await
        .map_err(|e| WorkbenchError::Unavailable(format!("evaluation failed: {e}")))?;
        let run_id = uuid::Uuid::new_v4().to_string();
        let mut write = EvaluationWrite {
            full: true,
            ..EvaluationWrite::default()
        };
        let mut findings = 0;
        let mut blocking = 0;
        for o in &outcomes {
            findings += o.findings.len() as i64;
            blocking += o.findings.iter().filter(|f| f.blocking).count() as i64;
            let (row, failing) = result_row(&run_id, o);
            write.results.push(row);
            write.failing.extend(failing);
        }
        let evaluated: Vec<Evaluated> = outcomes.into_iter().map(|o| o.evaluated).collect();
        write.daily = super::report::snapshot(&today(), &evaluated, &rules.policies);
        let run = EvaluationRun {
            id: run_id,
            started_at,
            finished_at: store::now(),
            reason: reason.to_owned(),
            products: evaluated.len() as i64,
            findings,
            blocking,
        };
        write.run = Some(run.clone());
        self.store.record_evaluation(&write).await?;
        Ok(super::run_view(run))
    }

    /// Stores the standings of products just published (the nightly run recomputes them all).
    pub(crate) async fn record_standings(&self, outcomes: &[Outcome]) {
        let mut write = EvaluationWrite::default();
        for o in outcomes.iter().filter(|o| !o.stand_in) {
            let (row, failing) = result_row("publication", o);
            write.results.push(row);
            write.failing.extend(failing);
        }
        if let Err(e) = self.store.record_evaluation(&write).await {
            // The publication is stored; its standing is recomputed by the next run.
            tracing::warn!(error = %e, "could not store the governance standing of a publication");
        }
    }

    /// Evaluates a submission as it would be stored: the product with its contracts, or for
    /// contracts sent alone, every product offering them (a stand-in when none does).
    pub(crate) async fn evaluate_submission(
        &self,
        product: Option<(&DataProductDoc, &str)>,
        contracts: &[DataContractDoc],
        options: Options,
    ) -> Result<Vec<Outcome>> {
        self.evaluate_submission_with(product, contracts, &[], options)
            .await
    }

    /// The gate in front of every write: the organisation's policies on the documents as they
    /// would be stored. A blocking finding refuses the write (422, with `findings` — what was
    /// already found — and the policy findings); otherwise the outcomes, to record once the
    /// write is stored, and the findings to report with it.
    pub(crate) async fn admit(
        &self,
        product: Option<(&DataProductDoc, &str)>,
        contracts: &[DataContractDoc],
        findings: &[domain::Finding],
    ) -> Result<(Vec<Outcome>, Vec<PolicyFinding>)> {
        let outcomes = self
            .evaluate_submission(product, contracts, Options::default())
            .await?;
        let policy_findings = super::policy_views(&outcomes);
        if policy_findings.iter().any(|f| f.blocking) {
            return Err(WorkbenchError::refused(findings.to_vec(), policy_findings));
        }
        Ok((outcomes, policy_findings))
    }

    /// [`Workbench::evaluate_submission`] with `base` standing in for the published versions
    /// of those contracts (`meshwork check --base`).
    async fn evaluate_submission_with(
        &self,
        product: Option<(&DataProductDoc, &str)>,
        contracts: &[DataContractDoc],
        base: &[DataContractDoc],
        options: Options,
    ) -> Result<Vec<Outcome>> {
        let rules = self.rules().await?;
        if rules.policies.is_empty() {
            return Ok(Vec::new());
        }
        let mut lookup = self.lookup_for(product.map(|p| p.0), contracts).await?;
        for b in base {
            lookup.contracts.insert(b.id.clone(), b.clone());
        }
        if let Some((doc, team)) = product {
            return Ok(vec![evaluate_product(
                &rules, &lookup, doc, contracts, team, options,
            )]);
        }
        let mut outcomes = Vec::new();
        for c in contracts {
            let offering = self
                .store
                .ports_by_contract(std::slice::from_ref(&c.id))
                .await?;
            let mut owners: Vec<String> =
                offering.iter().map(|o| o.port.product_id.clone()).collect();
            owners.sort();
            owners.dedup();
            if owners.is_empty() {
                let doc = stand_in(c);
                let mut o =
                    evaluate_product(&rules, &lookup, &doc, std::slice::from_ref(c), "", options);
                let document = format!("contract:{}", c.id);
                o.findings.retain(|f| f.document == document);
                o.evaluated.findings.retain(|f| f.document == document);
                o.stand_in = true;
                outcomes.push(o);
                continue;
            }
            for id in owners {
                let Some(record) = self.store.get_product(&id).await? else {
                    continue;
                };
                let Ok(doc) = serde_json::from_str::<DataProductDoc>(&record.document) else {
                    continue;
                };
                let mut own = self.lookup_for(Some(&doc), std::slice::from_ref(c)).await?;
                own.domains = lookup.domains.clone();
                for b in base {
                    own.contracts.insert(b.id.clone(), b.clone());
                }
                outcomes.push(evaluate_product(
                    &rules,
                    &own,
                    &doc,
                    std::slice::from_ref(c),
                    &record.row.team_id,
                    options,
                ));
            }
        }
        Ok(outcomes)
    }

    /// `POST /api/v1/governance/evaluate` and `meshwork check --server`: the policy findings a
    /// publication of these documents would get, without writing anything. Documents that are
    /// not valid ODPS / ODCS are a 422 with their findings.
    pub async fn evaluate_sources(
        &self,
        actor: &crate::Actor,
        product: Option<&crate::SourceDoc>,
        contracts: &[crate::SourceDoc],
        base: &[crate::SourceDoc],
        strict: bool,
    ) -> Result<views::Evaluation> {
        actor.require_read()?;
        let docs = Documents::check(product, contracts, base)?;
        let team = docs.team();
        let outcomes = self
            .evaluate_submission_with(
                docs.product.as_ref().map(|p| (p, team.as_str())),
                &docs.contracts,
                &docs.base,
                Options {
                    strict,
                    ..Options::default()
                },
            )
            .await?;
        let mut result = evaluation(outcomes);
        let pairs: Vec<_> = docs
            .contracts
            .iter()
            .filter_map(|d| {
                contracts
                    .iter()
                    .find(|c| c.value.get("id").and_then(|v| v.as_str()) == Some(d.id.as_str()))
                    .map(|c| (d, &c.value))
            })
            .collect();
        result.notices = self.breaking_notices(&pairs).await?;
        Ok(result)
    }
}

/// Documents sent for a check, validated.
struct Documents {
    product: Option<DataProductDoc>,
    contracts: Vec<DataContractDoc>,
    base: Vec<DataContractDoc>,
}

impl Documents {
    /// Validates the documents as a publication would: invalid ones are a 422 with their findings.
    fn check(
        product: Option<&crate::SourceDoc>,
        contracts: &[crate::SourceDoc],
        base: &[crate::SourceDoc],
    ) -> Result<Documents> {
        let mut findings = Vec::new();
        let product = product.and_then(|p| {
            let check = domain::check_product(&p.value);
            findings.extend(check.findings);
            check.doc
        });
        let mut docs = Vec::new();
        for c in contracts {
            let check = domain::check_contract(&c.value);
            findings.extend(check.findings);
            docs.extend(check.doc);
        }
        if product.is_none() && docs.is_empty() && findings.is_empty() {
            return Err(WorkbenchError::bad_request(
                "nothing to evaluate: send a data product (product) or data contracts (contracts)",
            ));
        }
        if domain::finding::has_errors(&findings) {
            return Err(WorkbenchError::invalid(findings));
        }
        // The base versions only need to be readable: they were published once.
        let base = base
            .iter()
            .filter_map(|b| serde_json::from_value::<DataContractDoc>(b.value.clone()).ok())
            .collect();
        Ok(Documents {
            product,
            contracts: docs,
            base,
        })
    }

    fn team(&self) -> String {
        self.product
            .as_ref()
            .and_then(|p| p.team_name())
            .unwrap_or_default()
            .to_owned()
    }
}

/// Outcomes as the wire's evaluation: findings deduplicated (a contract offered by two products
/// is reported once per finding).
fn evaluation(outcomes: Vec<Outcome>) -> views::Evaluation {
    let findings = super::policy_views(&outcomes);
    let products = outcomes.into_iter().map(|o| o.evaluated.product).collect();
    views::Evaluation {
        blocked: findings.iter().any(|f| f.blocking),
        products,
        findings,
        notices: Vec::new(),
    }
}

/// What `meshwork check --bundle` evaluates against, offline: the policy set and what it needs
/// to know of the registry (domains, contract ids, who offers which contract and in what status).
/// Exported by `GET /api/v1/governance/bundle` and `meshwork policy export`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    pub policies: Vec<Policy>,
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    #[serde(default)]
    pub domains: Vec<String>,
    /// Contract ids in the registry.
    #[serde(default)]
    pub contracts: Vec<String>,
    /// For a contract id: the product offering it and that product's status.
    #[serde(default)]
    pub producers: BTreeMap<String, (String, String)>,
}

impl Workbench {
    /// The policy bundle for offline checks (active waivers included).
    pub async fn policy_bundle(&self, actor: &crate::Actor) -> Result<Bundle> {
        actor.require_read()?;
        let rules = self.rules().await?;
        let registry = self.registry().await?;
        let today = today();
        let mut contracts: Vec<String> = registry.lookup.contracts.keys().cloned().collect();
        contracts.sort();
        let mut domains = registry.lookup.domains.clone();
        domains.sort();
        Ok(Bundle {
            policies: rules.policies,
            waivers: rules
                .waivers
                .into_iter()
                .filter(|w| w.is_active(&today))
                .collect(),
            domains,
            contracts,
            producers: registry.lookup.producers.into_iter().collect(),
        })
    }
}

/// `meshwork check --bundle`: the same evaluation as the server's, from a bundle, offline.
pub fn check_offline(
    bundle: &Bundle,
    product: Option<&crate::SourceDoc>,
    contracts: &[crate::SourceDoc],
    base: &[crate::SourceDoc],
    strict: bool,
) -> Result<views::Evaluation> {
    let docs = Documents::check(product, contracts, base)?;
    let rules = Rules {
        policies: bundle.policies.clone(),
        waivers: bundle.waivers.clone(),
    };
    let mut lookup = Lookup {
        domains: bundle.domains.clone(),
        producers: bundle.producers.clone().into_iter().collect(),
        known: bundle.contracts.iter().cloned().collect(),
        ..Lookup::default()
    };
    for b in &docs.base {
        lookup.contracts.insert(b.id.clone(), b.clone());
    }
    let options = Options {
        strict,
        ..Options::default()
    };
    if rules.policies.is_empty() {
        return Ok(evaluation(Vec::new()));
    }
    let team = docs.team();
    let outcomes = match &docs.product {
        Some(p) => vec![evaluate_product(
            &rules,
            &lookup,
            p,
            &docs.contracts,
            &team,
            options,
        )],
        None => docs
            .contracts
            .iter()
            .map(|c| {
                let stand = stand_in(c);
                let mut o = evaluate_product(
                    &rules,
                    &lookup,
                    &stand,
                    std::slice::from_ref(c),
                    "",
                    options,
                );
                let document = format!("contract:{}", c.id);
                o.findings.retain(|f| f.document == document);
                o
            })
            .collect(),
    };
    Ok(evaluation(outcomes))
}
