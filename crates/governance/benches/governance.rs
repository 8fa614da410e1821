//! Governance benchmarks: the starter pack evaluated over a 10,000-product synthetic mesh on one
//! core (goal: ≤ 300 ms), the same with one Rego policy instead, and the report's matrix over the
//! results. Nothing is asserted: the figures go to docs/benchmarks.md.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

use domain::{DataContractDoc, DataProductDoc};
use governance::kinds::{Context, Subject};
use governance::report::{Evaluated, GroupBy, matrix};
use governance::{Kind, Options, Policy, evaluate};
use serde_json::json;

const DOMAINS: &[&str] = &[
    "sales",
    "finance",
    "customers",
    "logistics",
    "marketing",
    "hr",
    "risk",
    "product",
];

/// A deterministic mesh: products of every type, each with one contract of 12 properties,
/// varying in how complete they are (support, purpose length, descriptions, classifications).
fn mesh(n: usize) -> Vec<(DataProductDoc, Vec<DataContractDoc>)> {
    (0..n)
        .map(|i| {
            let domain = DOMAINS[i % DOMAINS.len()];
            let id = format!("{domain}.product-{i}");
            let contract_id = format!("urn:datacontract:{domain}:product-{i}");
            let kinds = ["sourceAligned", "aggregate", "consumerAligned"];
            let purpose = if i % 7 == 0 {
                String::from("Short.")
            } else {
                format!("Product {i} of {domain}: one row per business event, refreshed daily for reporting.")
            };
            let mut product = json!({
                "apiVersion": "v1.1.0", "kind": "DataProduct", "id": id, "name": format!("Product {i}"),
                "version": format!("1.{}.0", i % 5), "status": if i % 23 == 0 { "deprecated" } else { "active" },
                "domain": domain, "type": kinds[i % 3], "tags": ["reporting", if i % 11 == 0 { "misc" } else { "daily" }],
                "description": {"purpose": purpose, "usage": "Join on the id."},
                "team": {"name": format!("{domain}-team")},
                "outputPorts": [{"name": "table", "type": "table", "version": "1.0.0", "contractId": contract_id}],
                "inputPorts": if i > 10 { json!([{"name": "upstream", "version": "1.0.0", "contractId": format!("urn:datacontract:{}:product-{}", DOMAINS[(i - 10) % DOMAINS.len()], i - 10)}]) } else { json!([]) },
            });
            if i % 5 != 0 {
                product["support"] = json!([{"channel": format!("#{domain}"), "url": "https://chat.example/x"}]);
            }
            let properties: Vec<_> = (0..12)
                .map(|k| {
                    let name = match k {
                        0 => String::from("id"),
                        3 => String::from("customer_email"),
                        7 => String::from("birth_date"),
                        _ => format!("column_{k}"),
                    };
                    let class = if (k == 3 || k == 7) && i % 9 == 0 { "internal" } else if k == 3 || k == 7 { "restricted" } else { "internal" };
                    let mut p = json!({"name": name, "logicalType": "string", "classification": class});
                    if (i + k) % 4 != 0 {
                        p["description"] = json!(format!("Column {k} of product {i}."));
                    }
                    p
                })
                .collect();
            let contract = json!({
                "apiVersion": "v3.1.0", "kind": "DataContract", "id": contract_id, "version": "1.0.0",
                "status": "active", "domain": domain,
                "schema": [{"name": "events", "properties": properties,
                    "quality": if i % 6 == 0 { json!([]) } else { json!([{"metric": "rowCount", "mustBeGreaterThan": 0}]) }}],
                "slaProperties": if i % 8 == 0 { json!([]) } else { json!([{"property": "freshness", "value": 1, "unit": "d"}, {"property": "availability", "value": "99.5%"}]) },
            });
            (
                serde_json::from_value(product).expect("synthetic product"),
                vec![serde_json::from_value(contract).expect("synthetic contract")],
            )
        })
        .collect()
}

fn context(mesh: &[(DataProductDoc, Vec<DataContractDoc>)]) -> Context {
    let mut input_statuses = HashMap::new();
    for (p, _) in mesh.iter().take(20) {
        input_statuses.insert(p.id.clone(), p.status.clone().unwrap_or_default());
    }
    Context {
        today: String::from("2026-12-04"),
        known_domains: DOMAINS.iter().map(|d| (*d).to_owned()).collect(),
        known_contracts: Vec::new(),
        input_statuses,
        ..Context::default()
    }
}

fn run(
    label: &str,
    mesh: &[(DataProductDoc, Vec<DataContractDoc>)],
    policies: &[Policy],
) -> Vec<Evaluated> {
    let cx = context(mesh);
    let mut best = f64::MAX;
    let mut out = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        out = mesh
            .iter()
            .map(|(p, c)| {
                let subject = Subject {
                    product: p,
                    contracts: c,
                };
                let findings = evaluate(subject, policies, &[], &cx, Options::default());
                let applicable =
                    governance::engine::applicable(subject, policies, Options::default())
                        .into_iter()
                        .map(|(p, _)| p.id.clone())
                        .collect();
                Evaluated {
                    product: p.id.clone(),
                    domain: p.domain.clone().unwrap_or_default(),
                    team: String::new(),
                    applicable,
                    findings,
                }
            })
            .collect();
        best = best.min(started.elapsed().as_secs_f64() * 1000.0);
    }
    let findings: usize = out.iter().map(|e| e.findings.len()).sum();
    println!(
        "| {label} | {} | {} | {findings} | {best:.0} |",
        mesh.len(),
        policies.len()
    );
    black_box(&out);
    out
}

fn main() {
    let mesh = mesh(10_000);
    let pack = governance::starter::starter_pack("2027-01-31");
    println!("| evaluation | products | policies | findings | best of 5 (ms, one core) |");
    println!("|---|---|---|---|---|");
    let evaluated = run("starter pack", &mesh, &pack);
    let rego = Policy {
        kind: Kind::Rego {
            source: String::from(
                "package meshwork\n\nimport rego.v1\n\nviolations contains v if {\n  count(input.product.description.purpose) < 40\n  v := {\"path\": \"/description/purpose\", \"message\": \"the purpose is shorter than 40 characters\"}\n}\n",
            ),
        },
        ..pack[0].clone()
    };
    run("one Rego policy", &mesh, std::slice::from_ref(&rego));
    if std::env::var_os("PER_POLICY").is_some() {
        let cx = context(&mesh);
        for p in &pack {
            let started = Instant::now();
            for (prod, c) in &mesh {
                let subject = Subject {
                    product: prod,
                    contracts: c,
                };
                black_box(evaluate(
                    subject,
                    std::slice::from_ref(p),
                    &[],
                    &cx,
                    Options::default(),
                ));
            }
            println!(
                "{:32} {:.1} ms",
                p.id,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    let ids: Vec<String> = pack.iter().map(|p| p.id.clone()).collect();
    let started = Instant::now();
    let m = matrix(&evaluated, &ids, GroupBy::Domain);
    println!(
        "\nmatrix ({} domains × {} policies) from 10,000 evaluated products: {:.1} ms",
        m.rows.len(),
        m.columns.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}
