//! Data-driven tests of the document rules: each case is a YAML document and the findings it must
//! produce, as `severity rule path` lines.

use super::*;
use crate::document::parse_document;

fn fixture(path: &str) -> String {
    let full = format!("{}/../../fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {} {}", f.severity.as_str(), f.rule, f.path))
        .collect()
}

#[track_caller]
fn check_product_yaml(yaml: &str, want: &[&str]) {
    let (value, _) = parse_document(yaml).unwrap();
    let got = check_product(&value);
    assert_eq!(summary(&got.findings), want, "{:#?}", got.findings);
}

#[track_caller]
fn check_contract_yaml(yaml: &str, want: &[&str]) {
    let (value, _) = parse_document(yaml).unwrap();
    let got = check_contract(&value);
    assert_eq!(summary(&got.findings), want, "{:#?}", got.findings);
}

const MINIMAL: &str = "
apiVersion: v1.1.0
kind: DataProduct
id: sales.orders
name: Orders
version: 1.0.0
status: active
domain: sales
type: sourceAligned
outputPorts:
  - name: orders-table
    type: table
    version: 1.0.0
    contractId: urn:datacontract:sales:orders
";

#[test]
fn shared_fixtures_are_clean() {
    let (value, _) = parse_document(&fixture("dataproducts/customer-revenue.odps.yaml")).unwrap();
    let check = check_product(&value);
    assert!(check.findings.is_empty(), "{:#?}", check.findings);
    for path in [
        "contracts/odcs-v3-customer-revenue.v1.yaml",
        "dataproducts/shop-orders.odcs.yaml",
    ] {
        let (value, _) = parse_document(&fixture(path)).unwrap();
        let check = check_contract(&value);
        let errors: Vec<_> = check.findings.iter().filter(|f| f.is_error()).collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }
}

#[test]
fn fixture_round_trips_through_the_typed_model() {
    let (value, _) = parse_document(&fixture("dataproducts/customer-revenue.odps.yaml")).unwrap();
    let doc: DataProductDoc = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), value);
    let (value, _) =
        parse_document(&fixture("contracts/odcs-v3-customer-revenue.v1.yaml")).unwrap();
    let doc: DataContractDoc = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), value);
    assert_eq!(doc.fields().len(), 5);
    assert_eq!(
        doc.sla("latency").map(|s| s.display_value()),
        Some(String::from("1 d"))
    );
}

#[test]
fn a_minimal_product_is_clean() {
    check_product_yaml(MINIMAL, &[]);
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let yaml = MINIMAL
        .replace("version: 1.0.0\nstatus", "version: 1.0\nstatus")
        .replace("status: active", "status: live")
        .replace("type: sourceAligned", "type: hub")
        .replace("type: table", "type: carrier-pigeon");
    check_product_yaml(
        &yaml,
        &[
            "error vocabulary /outputPorts/0/type",
            "error vocabulary /status",
            "error vocabulary /type",
            "error schema /version",
        ],
    );
}

#[test]
fn missing_fields_are_reported_once_with_meshworks_wording() {
    check_product_yaml(
        "apiVersion: v1.0.0\nkind: DataProduct\nid: x\n",
        &[
            "error domain /domain",
            "error name /name",
            "error output-ports /outputPorts",
            "error status /status",
            "error semver /version",
        ],
    );
}

#[test]
fn ids_and_port_names_are_checked() {
    let yaml = MINIMAL
        .replace("id: sales.orders", "id: \"sales orders\"")
        .replace(
            "  - name: orders-table",
            "  - name: orders-table\n    type: table\n    version: 2.0.0\n  - name: Orders-Table",
        );
    check_product_yaml(
        &yaml,
        &["error id-format /id", "error duplicate /outputPorts/1/name"],
    );
}

#[test]
fn input_ports_need_a_contract_or_an_external_source() {
    let yaml = format!(
        "{MINIMAL}inputPorts:\n  - name: a\n    contractId: urn:datacontract:shop:orders\n  - name: b\n  - name: c\n    customProperties:\n      - property: externalSource\n        value: salesforce.accounts\n  - name: d\n    contractId: urn:datacontract:sales:orders\n"
    );
    check_product_yaml(
        &yaml,
        &[
            "error input-port /inputPorts/1/contractId",
            "error self-reference /inputPorts/3/contractId",
        ],
    );
}

#[test]
fn unknown_fields_and_wrong_kinds_are_schema_findings() {
    let yaml = format!("{MINIMAL}colour: blue\ntags: oops\n");
    // Unknown fields are for the official schema to refuse; the wrong kind Meshwork sees itself.
    let want: &[&str] = if cfg!(feature = "schema") {
        &["error schema ", "error schema /tags"]
    } else {
        &["error schema /tags"]
    };
    check_product_yaml(&yaml, want);
}

#[test]
fn odd_unicode_is_refused_in_names_and_tags() {
    let yaml = MINIMAL.replace("name: Orders", "name: \"Ord\\u202Eers\"")
        + "tags: [\"ok\", \"bad\\u0000tag\"]\n";
    check_product_yaml(&yaml, &["error text /name", "error tag /tags/1"]);
}

#[test]
fn contracts_check_schema_classification_and_sla() {
    let yaml = "
apiVersion: v3.2.0
kind: DataContract
id: urn:datacontract:sales:orders
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: id
        logicalType: integer
        primaryKey: true
        primaryKeyPosition: 1
        required: false
      - name: ID
        logicalType: string
        primaryKeyPosition: 1
      - name: email
        logicalType: string
        classification: secret
slaProperties:
  - property: availability
    value: lots
  - property: latency
    value: 1
    unit: fortnights
";
    check_contract_yaml(
        yaml,
        &[
            "error primary-key /schema/0/properties/0/required",
            "error duplicate /schema/0/properties/1/name",
            "error primary-key /schema/0/properties/1/primaryKeyPosition",
            "error vocabulary /schema/0/properties/2/classification",
            "error sla /slaProperties/0/value",
            "error sla /slaProperties/1/unit",
        ],
    );
}

#[test]
fn contract_findings_name_their_document() {
    let (value, _) =
        parse_document("apiVersion: v2.2.0\nkind: DataContract\nid: c1\nversion: '1'\n").unwrap();
    let check = check_contract(&value);
    assert!(
        check.findings.iter().all(|f| f.document == "contract:c1"),
        "{:#?}",
        check.findings
    );
    assert_eq!(
        summary(&check.findings),
        ["error api-version /apiVersion", "error semver /version"]
    );
}

#[test]
fn serde_paths_become_pointers() {
    assert_eq!(pointer_of("outputPorts[0].name"), "/outputPorts/0/name");
    assert_eq!(pointer_of("tags"), "/tags");
    assert_eq!(pointer_of("."), "");
}
