//! Reading an OpenLineage event (spec 2-0-2): which kind it is (by `schemaURL`; `eventType` is
//! optional), whether it has what the spec requires, and what it says, as a store write. Every
//! problem is reported at once, with the path to the field.

use domain::Finding;
use serde_json::{Map, Value};
use store::lineage::{
    ColumnLineageRow, ColumnLineageWrite, DatasetKey, DatasetWrite, Direction, JobWrite,
    LineageEventWrite, ObservationWrite, RunWrite,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const RUN_STATES: &[&str] = &["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"];
/// Longer names than this are refused rather than stored.
const MAX_NAME: usize = 1_024;

/// Parses an event; the findings say everything that is wrong with it.
pub(crate) fn parse_event(value: &Value) -> Result<LineageEventWrite, Vec<Finding>> {
    let mut findings = Vec::new();
    let Some(root) = value.as_object() else {
        return Err(vec![Finding::error(
            "openlineage",
            "",
            format!(
                "an OpenLineage event is a JSON object, not {}",
                domain::document::kind_of(value)
            ),
        )]);
    };
    let kind = match kind_of(root) {
        Some(kind) => kind,
        None => {
            findings.push(
                Finding::error("openlineage", "/schemaURL", "cannot tell whether this is a RunEvent, a DatasetEvent or a JobEvent")
                    .fix("set schemaURL to https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent (or DatasetEvent, JobEvent)"),
            );
            return Err(findings);
        }
    };
    let event_time = match root.get("eventTime") {
        Some(Value::String(t)) => match OffsetDateTime::parse(t, &Rfc3339) {
            Ok(at) => Some(store::format_time(at)),
            Err(_) => {
                findings.push(
                    Finding::error(
                        "openlineage",
                        "/eventTime",
                        format!("'{t}' is not an ISO 8601 date-time with a time zone"),
                    )
                    .fix("send e.g. 2025-01-15T10:00:00+00:00"),
                );
                None
            }
        },
        _ => {
            findings.push(
                Finding::error("openlineage", "/eventTime", "eventTime is required")
                    .fix("send the time the event happened, e.g. 2025-01-15T10:00:00Z"),
            );
            None
        }
    };
    let producer = match root.get("producer") {
        Some(Value::String(p)) if !p.trim().is_empty() => Some(p.clone()),
        Some(Value::String(_)) | None => {
            findings.push(
                Finding::error("openlineage", "/producer", "producer is required")
                    .fix("send the URI of the integration that produced the event"),
            );
            None
        }
        Some(other) => {
            findings.push(Finding::error(
                "openlineage",
                "/producer",
                format!(
                    "producer must be a string, not {}",
                    domain::document::kind_of(other)
                ),
            ));
            None
        }
    };

    let mut write = LineageEventWrite {
        kind: kind.to_owned(),
        producer,
        ..LineageEventWrite::default()
    };
    match kind {
        "run" => {
            write.event_type = match root.get("eventType") {
                None | Some(Value::Null) => None,
                Some(Value::String(t)) if RUN_STATES.contains(&t.as_str()) => Some(t.clone()),
                Some(other) => {
                    findings.push(
                        Finding::error(
                            "openlineage",
                            "/eventType",
                            format!("eventType {other} is not one of {}", RUN_STATES.join(", ")),
                        )
                        .fix(
                            "send START, RUNNING, COMPLETE, ABORT, FAIL or OTHER, or leave it out",
                        ),
                    );
                    None
                }
            };
            write.run = run(root.get("run"), &mut findings);
            write.job = job(root.get("job"), &mut findings);
            datasets(root, &mut write, &mut findings);
        }
        "job" => {
            write.job = job(root.get("job"), &mut findings);
            datasets(root, &mut write, &mut findings);
        }
        _ => match root.get("dataset") {
            Some(Value::Object(d)) => {
                if let Some(key) = dataset_key(d, "/dataset", &mut findings) {
                    let facets = d.get("facets").and_then(Value::as_object);
                    write.datasets.push(DatasetWrite {
                        key,
                        direction: None,
                        fields: facets.and_then(schema_fields),
                        facets: facets
                            .filter(|f| !f.is_empty())
                            .map(|f| Value::Object(f.clone()).to_string()),
                    });
                }
            }
            _ => findings.push(Finding::error(
                "openlineage",
                "/dataset",
                "a DatasetEvent needs a dataset with namespace and name",
            )),
        },
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    write.event_time = event_time.unwrap_or_default();
    write.body = value.to_string();
    write.hash = crate::auth::sha256_hex(&write.body);
    Ok(write)
}

/// `run`, `dataset` or `job`, by `schemaURL`, else by the fields present.
fn kind_of(root: &Map<String, Value>) -> Option<&'static str> {
    if let Some(Value::String(url)) = root.get("schemaURL") {
        let fragment = url.rsplit('/').next().unwrap_or_default();
        match fragment {
            "RunEvent" => return Some("run"),
            "DatasetEvent" => return Some("dataset"),
            "JobEvent" => return Some("job"),
            _ => {}
        }
    }
    if root.contains_key("run") {
        Some("run")
    } else if root.contains_key("dataset") {
        Some("dataset")
    } else if root.contains_key("job") {
        Some("job")
    } else {
        None
    }
}

fn name_at(
    map: &Map<String, Value>,
    key: &str,
    at: &str,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    match map.get(key) {
        Some(Value::String(s)) if s.trim().is_empty() => {
            findings.push(Finding::error(
                "openlineage",
                format!("{at}/{key}"),
                format!("{key} must not be empty"),
            ));
            None
        }
        Some(Value::String(s)) if s.chars().count() > MAX_NAME => {
            findings.push(Finding::error(
                "openlineage",
                format!("{at}/{key}"),
                format!("{key} is longer than {MAX_NAME} characters"),
            ));
            None
        }
        Some(Value::String(s)) if s.chars().any(char::is_control) => {
            findings.push(Finding::error(
                "openlineage",
                format!("{at}/{key}"),
                format!("{key} contains control characters"),
            ));
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            findings.push(Finding::error(
                "openlineage",
                format!("{at}/{key}"),
                format!(
                    "{key} must be a string, not {}",
                    domain::document::kind_of(other)
                ),
            ));
            None
        }
        None => {
            findings.push(Finding::error(
                "openlineage",
                format!("{at}/{key}"),
                format!("{key} is required"),
            ));
            None
        }
    }
}

fn run(value: Option<&Value>, findings: &mut Vec<Finding>) -> Option<RunWrite> {
    let Some(Value::Object(run)) = value else {
        findings.push(Finding::error(
            "openlineage",
            "/run",
            "a RunEvent needs run.runId",
        ));
        return None;
    };
    let run_id = name_at(run, "runId", "/run", findings)?;
    if uuid::Uuid::parse_str(&run_id).is_err() {
        findings.push(
            Finding::error("openlineage", "/run/runId", format!("runId '{run_id}' is not a UUID"))
                .fix("send a UUID, e.g. 0194f2c1-6d3e-7b1a-9f0e-3c2d1b0a9f8e (the client makes one per run)"),
        );
        return None;
    }
    let facets = run.get("facets").and_then(Value::as_object);
    let parent = facets
        .and_then(|f| f.get("parent"))
        .and_then(|p| p.pointer("/run/runId"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let error = facets
        .and_then(|f| f.get("errorMessage"))
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some(RunWrite {
        run_id: run_id.to_lowercase(),
        parent_run_id: parent,
        error_message: error,
        facets: facets
            .map(|f| Value::Object(f.clone()).to_string())
            .unwrap_or_else(|| String::from("{}")),
    })
}

fn job(value: Option<&Value>, findings: &mut Vec<Finding>) -> Option<JobWrite> {
    let Some(Value::Object(job)) = value else {
        findings.push(Finding::error(
            "openlineage",
            "/job",
            "the event needs a job with namespace and name",
        ));
        return None;
    };
    let namespace = name_at(job, "namespace", "/job", findings);
    let name = name_at(job, "name", "/job", findings);
    let facets = job.get("facets").and_then(Value::as_object);
    let job_type = facets
        .and_then(|f| f.get("jobType"))
        .and_then(|t| t.get("processingType"))
        .and_then(Value::as_str)
        .map(str::to_uppercase);
    Some(JobWrite {
        namespace: namespace?,
        name: name?,
        job_type,
        facets: facets
            .map(|f| Value::Object(f.clone()).to_string())
            .unwrap_or_else(|| String::from("{}")),
    })
}

fn dataset_key(
    d: &Map<String, Value>,
    at: &str,
    findings: &mut Vec<Finding>,
) -> Option<DatasetKey> {
    let namespace = name_at(d, "namespace", at, findings);
    let name = name_at(d, "name", at, findings);
    Some(DatasetKey {
        namespace: namespace?,
        name: name?,
    })
}

/// The inputs and outputs of a run or job event, with their facets.
fn datasets(root: &Map<String, Value>, write: &mut LineageEventWrite, findings: &mut Vec<Finding>) {
    for (key, direction, extra) in [
        ("inputs", Direction::Input, "inputFacets"),
        ("outputs", Direction::Output, "outputFacets"),
    ] {
        let list = match root.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(list)) => list,
            Some(other) => {
                findings.push(Finding::error(
                    "openlineage",
                    format!("/{key}"),
                    format!(
                        "{key} must be a list, not {}",
                        domain::document::kind_of(other)
                    ),
                ));
                continue;
            }
        };
        for (i, item) in list.iter().enumerate() {
            let at = format!("/{key}/{i}");
            let Some(d) = item.as_object() else {
                findings.push(Finding::error(
                    "openlineage",
                    at,
                    "a dataset is an object with namespace and name",
                ));
                continue;
            };
            let Some(dataset) = dataset_key(d, &at, findings) else {
                continue;
            };
            let facets = d.get("facets").and_then(Value::as_object);
            let special = d.get(extra).and_then(Value::as_object);
            write.datasets.push(DatasetWrite {
                key: dataset.clone(),
                direction: Some(direction),
                fields: facets.and_then(schema_fields),
                facets: facets
                    .filter(|f| !f.is_empty())
                    .map(|f| Value::Object(f.clone()).to_string()),
            });
            if direction == Direction::Output
                && let Some(lineage) = facets.and_then(|f| f.get("columnLineage"))
            {
                write.column_lineage.push(ColumnLineageWrite {
                    output: dataset.clone(),
                    fields: column_lineage(lineage),
                });
            }
            for source in [facets, special].into_iter().flatten() {
                observations(source, &dataset, &mut write.observations);
            }
        }
    }
}

/// The schema facet's fields, top level, as `[{"name", "type", "description"}]`.
fn schema_fields(facets: &Map<String, Value>) -> Option<String> {
    let fields = facets.get("schema")?.get("fields")?.as_array()?;
    let list: Vec<Value> = fields
        .iter()
        .filter_map(|f| {
            let name = f.get("name")?.as_str()?;
            Some(serde_json::json!({
                "name": name,
                "type": f.get("type").and_then(Value::as_str),
                "description": f.get("description").and_then(Value::as_str),
            }))
        })
        .collect();
    Some(Value::Array(list).to_string())
}

fn column_lineage(facet: &Value) -> Vec<ColumnLineageRow> {
    let mut rows = Vec::new();
    let Some(fields) = facet.get("fields").and_then(Value::as_object) else {
        return rows;
    };
    for (field, spec) in fields {
        let Some(inputs) = spec.get("inputFields").and_then(Value::as_array) else {
            continue;
        };
        for input in inputs {
            let (Some(ns), Some(name), Some(input_field)) = (
                input.get("namespace").and_then(Value::as_str),
                input.get("name").and_then(Value::as_str),
                input.get("field").and_then(Value::as_str),
            ) else {
                continue;
            };
            let transformations = input
                .get("transformations")
                .cloned()
                .or_else(|| {
                    // Facet 1-0-x: one transformation on the output field.
                    spec.get("transformationType").map(|t| {
                        serde_json::json!([{ "type": t, "description": spec.get("transformationDescription") }])
                    })
                })
                .unwrap_or_else(|| Value::Array(Vec::new()));
            rows.push(ColumnLineageRow {
                field: field.clone(),
                input: DatasetKey {
                    namespace: ns.to_owned(),
                    name: name.to_owned(),
                },
                input_field: input_field.to_owned(),
                transformations: transformations.to_string(),
            });
        }
    }
    rows.sort_by(|a, b| {
        (&a.field, &a.input, &a.input_field).cmp(&(&b.field, &b.input, &b.input_field))
    });
    rows.dedup_by(|a, b| {
        a.field == b.field && a.input == b.input && a.input_field == b.input_field
    });
    rows
}

/// Data quality metrics and assertions of a dataset, as observations.
fn observations(
    facets: &Map<String, Value>,
    dataset: &DatasetKey,
    out: &mut Vec<ObservationWrite>,
) {
    let clean = |v: &Value| -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| !k.starts_with('_'))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            other => other.clone(),
        }
    };
    if let Some(metrics) = facets.get("dataQualityMetrics") {
        out.push(ObservationWrite {
            dataset: dataset.clone(),
            kind: String::from("metrics"),
            column: None,
            assertion: None,
            success: None,
            value: clean(metrics).to_string(),
        });
    }
    if let Some(list) = facets
        .get("dataQualityAssertions")
        .and_then(|a| a.get("assertions"))
        .and_then(Value::as_array)
    {
        for a in list {
            out.push(ObservationWrite {
                dataset: dataset.clone(),
                kind: String::from("assertion"),
                column: a.get("column").and_then(Value::as_str).map(str::to_owned),
                assertion: a
                    .get("assertion")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                success: a.get("success").and_then(Value::as_bool),
                value: a.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/../../fixtures/openlineage/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn every_shared_fixture_parses() {
        let dir = format!("{}/../../fixtures/openlineage", env!("CARGO_MANIFEST_DIR"));
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let parsed =
                parse_event(&value).unwrap_or_else(|f| panic!("{}: {f:?}", path.display()));
            assert_eq!(parsed.hash.len(), 64);
            count += 1;
        }
        assert!(count >= 10);
    }

    #[test]
    fn a_run_event_says_what_it_read_and_wrote() {
        let e = parse_event(&fixture("02_run_complete_columnlineage.json")).unwrap();
        assert_eq!(e.kind, "run");
        assert_eq!(e.event_type.as_deref(), Some("COMPLETE"));
        assert_eq!(e.event_time, "2025-01-15T10:03:00.000000Z");
        assert_eq!(e.job.as_ref().unwrap().name, "customer_revenue.build");
        let inputs = e
            .datasets
            .iter()
            .filter(|d| d.direction == Some(Direction::Input))
            .count();
        assert_eq!(inputs, 2);
        assert_eq!(e.column_lineage.len(), 1);
        let rows = &e.column_lineage[0].fields;
        assert!(
            rows.iter()
                .any(|r| r.field == "customer_id" && r.input.name == "shop.public.customers")
        );
        assert!(e.observations.iter().any(|o| o.kind == "metrics"));
    }

    #[test]
    fn failures_and_assertions_are_kept() {
        let e = parse_event(&fixture("03_run_fail_errormessage.json")).unwrap();
        assert_eq!(e.event_type.as_deref(), Some("FAIL"));
        assert!(
            e.run
                .unwrap()
                .error_message
                .unwrap()
                .contains("does not exist")
        );
        let e = parse_event(&fixture("06_run_complete_dq_assertions.json")).unwrap();
        let failed: Vec<_> = e
            .observations
            .iter()
            .filter(|o| o.success == Some(false))
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].assertion.as_deref(), Some("row_count_gt"));
    }

    #[test]
    fn kinds_come_from_the_schema_url() {
        assert_eq!(
            parse_event(&fixture("04_dataset_event.json")).unwrap().kind,
            "dataset"
        );
        assert_eq!(
            parse_event(&fixture("05_job_event.json")).unwrap().kind,
            "job"
        );
    }

    #[test]
    fn bad_events_get_every_finding() {
        let bad = serde_json::json!({
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "eventTime": "yesterday",
            "eventType": "DONE",
            "run": {"runId": "42"},
            "job": {"namespace": "", "name": 7},
            "inputs": [{"name": "x"}],
        });
        let findings = parse_event(&bad).unwrap_err();
        let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        for p in [
            "/eventTime",
            "/producer",
            "/eventType",
            "/run/runId",
            "/job/namespace",
            "/job/name",
            "/inputs/0/namespace",
        ] {
            assert!(paths.contains(&p), "{p} missing from {paths:?}");
        }
        assert!(parse_event(&serde_json::json!([1])).is_err());
        assert!(parse_event(&serde_json::json!({"eventTime": "2025-01-01T00:00:00Z"})).is_err());
    }
}
