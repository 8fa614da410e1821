use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use super::*;

fn contract(properties: Value) -> Value {
    json!({
        "apiVersion": "v3.1.0", "kind": "DataContract", "id": "orders", "version": "1.0.0",
        "status": "active",
        "schema": [{"name": "orders", "physicalType": "table", "properties": properties}]
    })
}

fn graded(report: &DiffReport) -> Vec<(Level, String)> {
    let mut v: Vec<(Level, String)> = report
        .at_least(Level::Warning)
        .map(|e| (e.level, e.path.clone()))
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn removing_a_property_breaks_consumers_not_the_producer() {
    let old = contract(
        json!([{"name": "id", "logicalType": "string"}, {"name": "note", "logicalType": "string"}]),
    );
    let new = contract(json!([{"name": "id", "logicalType": "string"}]));
    let consumer = diff_contracts(&old, &new, Perspective::Consumer);
    assert!(consumer.breaking);
    assert_eq!(
        graded(&consumer),
        vec![(Level::Error, "schema.orders.properties.note".to_owned())]
    );
    // Everything inside the removed property carries no grade of its own.
    let inner = consumer
        .entries
        .iter()
        .find(|e| e.path == "schema.orders.properties.note.logicalType")
        .expect("the removed property's type is listed");
    assert_eq!((inner.level, inner.direction), (Level::Info, None));
    let producer = diff_contracts(&old, &new, Perspective::Producer);
    assert!(!producer.breaking);
}

#[test]
fn a_new_enum_value_breaks_consumers() {
    let old =
        contract(json!([{"name": "status", "logicalType": "string", "enum": [{"value": "open"}]}]));
    let new = contract(
        json!([{"name": "status", "logicalType": "string", "enum": [{"value": "open"}, {"value": "void"}]}]),
    );
    let report = diff_contracts(&old, &new, Perspective::Consumer);
    assert!(report.breaking);
    assert_eq!(
        graded(&report),
        vec![(
            Level::Error,
            "schema.orders.properties.status.enum.void.value".to_owned()
        )]
    );
    assert!(!diff_contracts(&old, &new, Perspective::Producer).breaking);
}

#[test]
fn making_a_field_required_breaks_the_producer() {
    let old = contract(json!([{"name": "id", "logicalType": "string"}]));
    let new = contract(json!([{"name": "id", "logicalType": "string", "required": true}]));
    assert!(!diff_contracts(&old, &new, Perspective::Consumer).breaking);
    let producer = diff_contracts(&old, &new, Perspective::Producer);
    assert_eq!(
        graded(&producer),
        vec![(
            Level::Error,
            "schema.orders.properties.id.required".to_owned()
        )]
    );
}

#[test]
fn a_type_change_breaks_both_and_descriptions_break_nobody() {
    let old = contract(json!([{"name": "id", "logicalType": "string", "description": "a"}]));
    let new = contract(json!([{"name": "id", "logicalType": "integer", "description": "b"}]));
    for p in [Perspective::Consumer, Perspective::Producer] {
        let r = diff_contracts(&old, &new, p);
        assert_eq!(
            graded(&r),
            vec![(
                Level::Error,
                "schema.orders.properties.id.logicalType".to_owned()
            )]
        );
        let d = r
            .entries
            .iter()
            .find(|e| e.path.ends_with(".description"))
            .expect("listed");
        assert_eq!(
            (d.level, d.old.as_deref(), d.new.as_deref()),
            (Level::Info, Some("a"), Some("b"))
        );
    }
}

#[test]
fn reordering_and_unknown_fields_are_not_changes() {
    let old = contract(
        json!([{"name": "a", "logicalType": "string"}, {"name": "b", "logicalType": "string"}]),
    );
    let mut new = contract(
        json!([{"name": "b", "logicalType": "string", "x-vendor": 1}, {"name": "a", "logicalType": "string"}]),
    );
    new["x-extension"] = json!("ignored, as the reference model ignores it");
    assert!(
        diff_contracts(&old, &new, Perspective::Consumer)
            .entries
            .is_empty()
    );
}

#[test]
fn freshness_is_judged_in_seconds() {
    let with = |value: Value, unit: &str| {
        let mut c = contract(json!([{"name": "updated_at", "logicalType": "timestamp"}]));
        c["slaProperties"] = json!([{"property": "freshness", "value": value, "unit": unit, "element": "orders.updated_at"}]);
        c
    };
    // 1 day → 12 hours: a tighter promise, which the producer may fail.
    let r = diff_contracts(
        &with(json!(1), "d"),
        &with(json!(12), "h"),
        Perspective::Producer,
    );
    assert!(r.breaking);
    // 1 day → 24 hours is the same promise.
    let r = diff_contracts(
        &with(json!(1), "d"),
        &with(json!(24), "h"),
        Perspective::Producer,
    );
    assert!(!r.breaking, "{r:?}");
    // ISO durations count too.
    assert_eq!(
        rules::freshness_seconds(&json!("P1DT12H"), None),
        Some(129_600)
    );
    assert_eq!(iso_duration_seconds("PT"), None);
}

#[test]
fn quality_thresholds_are_compared_by_what_they_accept() {
    let with =
        |rule: Value| contract(json!([{"name": "id", "logicalType": "string", "quality": [rule]}]));
    let old = with(json!({"metric": "nullValues", "mustBeLessThan": 10}));
    let looser = with(json!({"metric": "nullValues", "mustBeLessThan": 20}));
    let r = diff_contracts(&old, &looser, Perspective::Consumer);
    assert!(r.breaking);
    assert!(!diff_contracts(&old, &looser, Perspective::Producer).breaking);
    // A warning-severity rule is no guarantee: changing it breaks nobody.
    let soft_old =
        with(json!({"metric": "nullValues", "mustBeLessThan": 10, "severity": "warning"}));
    let soft_new =
        with(json!({"metric": "nullValues", "mustBeLessThan": 20, "severity": "warning"}));
    assert!(!diff_contracts(&soft_old, &soft_new, Perspective::Consumer).breaking);
}

#[test]
fn python_spellings() {
    assert_eq!(py_str(&json!(1.0)), "1.0");
    assert_eq!(py_str(&json!(0.00001)), "1e-05");
    assert_eq!(py_str(&json!(true)), "True");
    assert_eq!(py_str(&json!(["a", 1])), "['a', 1]");
    assert_eq!(py_str(&json!({"a": null})), "{'a': None}");
    assert!(py_eq(&json!(1), &json!(1.0)));
    assert_eq!(
        rules::parse_number(Some("2024-01-02")),
        Some(1_704_153_600.0)
    );
    assert_eq!(rules::parse_number(Some(" 3.5 ")), Some(3.5));
}

/// The pairs in fixtures/contract-pairs, against the verdicts the real `datacontract breaking`
/// gave on them (expected.json, written by interop/breaking_reference.py; the interop suite
/// recomputes them with the CLI itself).
#[test]
fn agrees_with_the_reference_on_every_fixture_pair() {
    // CONTRACT_PAIRS points elsewhere to check a generated set (see interop/breaking_reference.py).
    let dir = std::env::var_os("CONTRACT_PAIRS").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/contract-pairs"),
        std::path::PathBuf::from,
    );
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("expected.json is JSON");
    let read = |name: &str, file: &str| {
        let text = std::fs::read_to_string(dir.join(name).join(file)).expect("pair file");
        domain::parse_document(&text).expect("pair parses").0
    };
    let mut disagreements = Vec::new();
    let pairs = expected.as_object().expect("an object of pairs");
    assert!(pairs.len() >= 50, "the pair set is complete");
    for (name, verdicts) in pairs {
        let (v1, v2) = (read(name, "v1.yaml"), read(name, "v2.yaml"));
        for perspective in [Perspective::Consumer, Perspective::Producer] {
            let want = &verdicts[perspective.as_str()];
            let report = diff_contracts(&v1, &v2, perspective);
            let got: Vec<Value> = graded(&report)
                .into_iter()
                .map(|(l, p)| json!([l.as_str(), p]))
                .collect();
            let got = json!({"breaking": report.breaking, "graded": got});
            if &got != want {
                disagreements.push(format!(
                    "{name} ({}): want {want}, got {got}",
                    perspective.as_str()
                ));
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
