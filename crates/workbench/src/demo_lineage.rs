//! The demo's observed lineage: one pipeline per product, reported as OpenLineage events through
//! the same ingestion as real producers. Each job reads its product's declared upstream ports
//! (and external sources) and writes the product's datasets, with schemas, column lineage where
//! field names carry through, and recent completed runs, so freshness is visible. Three spots of
//! drift are planted for the product pages to show: an undeclared read, a declared input that is
//! never read, and a failing job.

use serde_json::{Value, json};

use crate::Workbench;
use crate::actor::Actor;
use crate::demo::{PRODUCTS, Spec, contract, domain_of, product};
use crate::error::Result;

/// A job that reads a product nobody declared.
const UNDECLARED: (&str, &str) = ("finance.monthly-pnl", "sales.daily-sales");
/// A declared input the job never reads.
const NEVER_READ: (&str, &str) = ("customers.customer-360", "logistics.shipments");
/// A job whose latest run failed.
const FAILING: &str = "logistics.route-plans";

const PRODUCER: &str = "https://github.com/meshwork/demo";
const RUN_EVENT: &str = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

/// The OpenLineage datasets a demo product's output ports are served as.
fn datasets_of(spec: &Spec) -> Vec<(String, String)> {
    let doc: domain::DataProductDoc =
        serde_json::from_value(product(spec, spec.version)).expect("demo products are valid");
    let mut out = Vec::new();
    for (port, suffix, topic) in [(0, "", false), (1, "-events", true)] {
        let Some(p) = doc.output_ports.get(port) else {
            continue;
        };
        let c: domain::DataContractDoc =
            serde_json::from_value(contract(spec, spec.version, suffix, topic))
                .expect("demo contracts are valid");
        out.extend(
            domain::naming::port_datasets(p, Some(&c))
                .into_iter()
                .map(|d| (d.namespace, d.name)),
        );
    }
    out
}

fn fields_of(spec: &Spec) -> Vec<(&'static str, &'static str)> {
    spec.fields
        .split_whitespace()
        .map(|f| {
            let mut parts = f.split(':');
            (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or("string"),
            )
        })
        .collect()
}

/// An external source (`salesforce://Account`, `sftp://carriers/rates`) as a dataset.
fn external_dataset(source: &str) -> (String, String) {
    match source.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('/') {
            Some((authority, path)) => (format!("{scheme}://{authority}"), path.to_owned()),
            None => (scheme.to_owned(), rest.to_owned()),
        },
        None => (String::from("external"), source.to_owned()),
    }
}

fn time(minutes_ago: i64) -> String {
    let at = time::OffsetDateTime::now_utc() - time::Duration::minutes(minutes_ago);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// How long ago a product's last run completed: well inside its freshness, except for a few.
fn minutes_ago(spec: &Spec, index: usize) -> i64 {
    let (value, unit, _, _) = spec.sla;
    let window = i64::from(value)
        * match unit {
            "m" => 1,
            "h" => 60,
            "d" => 60 * 24,
            _ => 60,
        };
    if spec.status == "proposed" || spec.id == "sales.basket-analysis" {
        // Stale: past its freshness window.
        window * 3
    } else {
        (window / 3).max(2) + (index as i64 % 7)
    }
}

impl Workbench {
    /// Reports the demo's pipelines. Skipped when they were reported before.
    pub(crate) async fn load_demo_lineage(&self, actor: &Actor) -> Result<usize> {
        if self
            .store
            .lineage_job("dbt://acme-sales", "daily_sales.build")
            .await?
            .is_some()
        {
            return Ok(0);
        }
        let mut sent = 0;
        for (index, spec) in PRODUCTS.iter().enumerate() {
            for event in events(spec, index) {
                self.receive_lineage(actor, event.to_string().as_bytes())
                    .await?;
                sent += 1;
            }
        }
        Ok(sent)
    }
}

fn events(spec: &Spec, index: usize) -> Vec<Value> {
    let domain = domain_of(spec.id);
    let namespace = if spec.kind == "sourceAligned" {
        format!("airbyte://acme-{domain}")
    } else {
        format!("dbt://acme-{domain}")
    };
    let job = json!({
        "namespace": namespace,
        "name": format!("{}.build", spec.table),
        "facets": {
            "jobType": { "_producer": PRODUCER, "_schemaURL": "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json", "processingType": "BATCH", "integration": if spec.kind == "sourceAligned" { "AIRBYTE" } else { "DBT" }, "jobType": if spec.kind == "sourceAligned" { "SYNC" } else { "MODEL" } },
            "documentation": { "_producer": PRODUCER, "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/DocumentationJobFacet.json", "description": format!("Builds {}.", spec.name) },
        },
    });
    // Inputs: the declared upstream ports (but one), the planted undeclared read, externals.
    let mut reads: Vec<(&Spec, (String, String))> = Vec::new();
    for up in spec.inputs {
        if (spec.id, *up) == NEVER_READ {
            continue;
        }
        if let Some(u) = PRODUCTS.iter().find(|p| p.id == *up)
            && let Some(d) = datasets_of(u).into_iter().next()
        {
            reads.push((u, d));
        }
    }
    if spec.id == UNDECLARED.0
        && let Some(u) = PRODUCTS.iter().find(|p| p.id == UNDECLARED.1)
        && let Some(d) = datasets_of(u).into_iter().next()
    {
        reads.push((u, d));
    }
    let mut inputs: Vec<Value> = reads
        .iter()
        .map(|(u, (ns, name))| {
            json!({ "namespace": ns, "name": name, "facets": { "schema": schema(u) } })
        })
        .collect();
    inputs.extend(spec.external.iter().map(|source| {
        let (ns, name) = external_dataset(source);
        json!({ "namespace": ns, "name": name })
    }));
    // Column lineage where a field of the same name comes from upstream.
    let mut lineage = serde_json::Map::new();
    for (field, _) in fields_of(spec) {
        let sources: Vec<Value> = reads
            .iter()
            .filter(|(u, _)| fields_of(u).iter().any(|(f, _)| *f == field))
            .map(|(_, (ns, name))| {
                json!({ "namespace": ns, "name": name, "field": field,
                    "transformations": [{ "type": "DIRECT", "subtype": "IDENTITY", "description": "", "masking": false }] })
            })
            .collect();
        if !sources.is_empty() {
            lineage.insert(field.to_owned(), json!({ "inputFields": sources }));
        }
    }
    let outputs: Vec<Value> = datasets_of(spec)
        .into_iter()
        .map(|(ns, name)| {
            let mut facets = json!({ "schema": schema(spec) });
            if !lineage.is_empty() {
                facets["columnLineage"] = json!({ "_producer": PRODUCER, "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json", "fields": lineage });
            }
            json!({ "namespace": ns, "name": name, "facets": facets })
        })
        .collect();
    let ago = minutes_ago(spec, index);
    let run = |state: &str, at: i64, run_id: &str, error: Option<&str>| {
        let mut run = json!({ "runId": run_id, "facets": {} });
        if let Some(message) = error {
            run["facets"]["errorMessage"] = json!({ "_producer": PRODUCER, "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json", "message": message, "programmingLanguage": "SQL" });
        }
        json!({
            "eventType": state, "eventTime": time(at), "producer": PRODUCER, "schemaURL": RUN_EVENT,
            "run": run, "job": job, "inputs": inputs, "outputs": if state == "START" { json!([]) } else { json!(outputs) },
        })
    };
    let first = uuid::Uuid::now_v7().to_string();
    let mut out = vec![
        run("START", ago + 6, &first, None),
        run("COMPLETE", ago, &first, None),
    ];
    if spec.id == FAILING {
        let failed = uuid::Uuid::now_v7().to_string();
        out.push(run("START", 3, &failed, None));
        out.push(run(
            "FAIL",
            1,
            &failed,
            Some("relation \"warehousing.pick_lists\" is locked by a concurrent load"),
        ));
    }
    out
}

fn schema(spec: &Spec) -> Value {
    let fields: Vec<Value> = fields_of(spec)
        .into_iter()
        .map(|(name, kind)| json!({ "name": name, "type": kind.to_uppercase() }))
        .collect();
    json!({ "_producer": PRODUCER, "_schemaURL": "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json", "fields": fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_event_is_valid_openlineage() {
        for (i, spec) in PRODUCTS.iter().enumerate() {
            for event in events(spec, i) {
                crate::graph::check_event(&event).unwrap_or_else(|f| panic!("{}: {f:?}", spec.id));
            }
        }
        assert_eq!(
            external_dataset("sftp://carriers/rates"),
            (String::from("sftp://carriers"), String::from("rates"))
        );
        assert_eq!(
            external_dataset("salesforce://Account"),
            (String::from("salesforce"), String::from("Account"))
        );
    }
}
