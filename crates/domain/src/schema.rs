//! Validation against the official ODPS and ODCS JSON Schemas (draft 2019-09), embedded in the
//! binary. Every violation becomes a [`Finding`] with the JSON Pointer of the offending value.

use std::sync::OnceLock;

use jsonschema::{Validator, error::ValidationErrorKind};
use serde_json::Value;

use crate::finding::{Finding, pointer_segment};

static ODPS_1_0: &str = include_str!("../schemas/odps-1.0.0.schema.json");
static ODPS_1_1: &str = include_str!("../schemas/odps-1.1.0.schema.json");
static ODCS_3_2: &str = include_str!("../schemas/odcs-3.2.0.schema.json");

fn compile(source: &str) -> Validator {
    // The schemas are compile-time constants checked by this crate's tests; failing here is a
    // build defect, not a runtime condition.
    let schema: Value = serde_json::from_str(source).expect("embedded schema is JSON");
    jsonschema::draft201909::new(&schema).expect("embedded schema compiles")
}

fn odps_validator(api_version: Option<&str>) -> &'static Validator {
    static V1_0: OnceLock<Validator> = OnceLock::new();
    static V1_1: OnceLock<Validator> = OnceLock::new();
    // As dataproduct-cli does: v1.0.0 relaxed nothing, so older documents use their own schema.
    match api_version {
        Some("v1.0.0" | "v0.9.0") => V1_0.get_or_init(|| compile(ODPS_1_0)),
        _ => V1_1.get_or_init(|| compile(ODPS_1_1)),
    }
}

fn odcs_validator() -> &'static Validator {
    static V3_2: OnceLock<Validator> = OnceLock::new();
    V3_2.get_or_init(|| compile(ODCS_3_2))
}

/// Checks a data product document against the ODPS schema for its `apiVersion`.
pub fn check_odps_schema(doc: &Value) -> Vec<Finding> {
    let validator = odps_validator(doc.get("apiVersion").and_then(Value::as_str));
    collect(validator, doc, "the ODPS schema")
}

/// Checks a data contract document against the ODCS v3 schema.
pub fn check_odcs_schema(doc: &Value) -> Vec<Finding> {
    collect(odcs_validator(), doc, "the ODCS schema")
}

fn collect(validator: &Validator, doc: &Value, standard: &str) -> Vec<Finding> {
    validator
        .iter_errors(doc)
        .map(|error| {
            let path = error.instance_path().to_string();
            match error.kind() {
                ValidationErrorKind::Required { property } => {
                    let name = property.as_str().unwrap_or_default();
                    Finding::error(
                        "required",
                        format!("{path}/{}", pointer_segment(name)),
                        format!("{name} is required by {standard}"),
                    )
                    .fix(format!("add the field {name}"))
                }
                ValidationErrorKind::AdditionalProperties { unexpected } => Finding::error(
                    "schema",
                    path,
                    format!(
                        "unknown field(s) {} not allowed by {standard}",
                        unexpected.join(", ")
                    ),
                )
                .fix("remove the field, or move it into customProperties"),
                _ => Finding::error("schema", path, format!("{error} ({standard})")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn embedded_schemas_compile() {
        odps_validator(Some("v1.0.0"));
        odps_validator(Some("v1.1.0"));
        odcs_validator();
    }

    #[test]
    fn every_violation_is_reported_with_its_path() {
        let doc = json!({
            "apiVersion": "v1.0.0", "kind": "DataProduct", "id": "x",
            "outputPorts": [{"name": "p"}], "bogus": 1
        });
        let findings = check_odps_schema(&doc);
        let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"/status"), "{findings:?}");
        assert!(paths.contains(&"/outputPorts/0/version"), "{findings:?}");
        assert!(
            findings.iter().any(|f| f.message.contains("bogus")),
            "{findings:?}"
        );
    }

    #[test]
    fn odcs_schema_rejects_unknown_logical_types() {
        let doc = json!({
            "apiVersion": "v3.2.0", "kind": "DataContract", "id": "c", "version": "1.0.0",
            "status": "active",
            "schema": [{"name": "t", "properties": [{"name": "a", "logicalType": "varchar"}]}]
        });
        let findings = check_odcs_schema(&doc);
        assert!(
            findings
                .iter()
                .any(|f| f.path.starts_with("/schema/0/properties/0")),
            "{findings:?}"
        );
    }
}
