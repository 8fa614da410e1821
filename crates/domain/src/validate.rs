//! Meshwork's own rules on ODPS and ODCS documents, on top of the official schemas: ids, semantic
//! versions, closed vocabularies, unique names and port references. All findings are returned.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::document::kind_of;
use crate::finding::{Finding, normalize};
use crate::id::DocumentId;
use crate::odcs::{DataContractDoc, ODCS_API_VERSION, ODCS_API_VERSIONS, SchemaProperty};
use crate::odps::{DataProductDoc, ODPS_API_VERSION, ODPS_API_VERSIONS};
use crate::text::{check_line, check_paragraphs};
use crate::version::parse_semver;
use crate::vocab::{Classification, LogicalType, PortType, ProductStatus, ProductType};

/// Longest accepted name, in characters.
pub const NAME_MAX: usize = 200;
/// Longest accepted markdown description, in characters.
pub const DESCRIPTION_MAX: usize = 20_000;
/// Longest accepted tag, in characters.
pub const TAG_MAX: usize = 64;

/// The outcome of checking a data product document: the typed document when it could be read at
/// all, and every finding.
#[derive(Clone, Debug)]
pub struct ProductCheck {
    pub doc: Option<DataProductDoc>,
    pub findings: Vec<Finding>,
}

/// The outcome of checking a data contract document.
#[derive(Clone, Debug)]
pub struct ContractCheck {
    pub doc: Option<DataContractDoc>,
    pub findings: Vec<Finding>,
}

/// Checks a data product document: the official schema (when built with the `schema` feature)
/// and Meshwork's rules. References to other documents are checked by the caller, which knows
/// the registry.
pub fn check_product(value: &Value) -> ProductCheck {
    product_check(value, true)
}

/// Meshwork's rules only, without the official schema: the same answer in the browser and on the
/// server (the wizard renders these findings on both, and they must agree).
pub fn check_product_rules(value: &Value) -> ProductCheck {
    product_check(value, false)
}

fn product_check(value: &Value, schema: bool) -> ProductCheck {
    let mut findings = if schema {
        schema_findings(value, true)
    } else {
        Vec::new()
    };
    let (doc, removed) = typed::<DataProductDoc>(value, "product", &mut findings);
    if let Some(doc) = &doc {
        let mut own = Vec::new();
        product_rules(doc, &mut own);
        keep_unless_removed(&mut findings, own, &removed);
    }
    prefer_own_findings(&mut findings);
    ProductCheck { doc, findings }
}

/// Checks a data contract document: the official schema and Meshwork's rules.
pub fn check_contract(value: &Value) -> ContractCheck {
    contract_check(value, true)
}

/// Meshwork's contract rules only, without the official schema (see [`check_product_rules`]).
pub fn check_contract_rules(value: &Value) -> ContractCheck {
    contract_check(value, false)
}

fn contract_check(value: &Value, schema: bool) -> ContractCheck {
    let document = format!(
        "contract:{}",
        value.get("id").and_then(Value::as_str).unwrap_or_default()
    );
    let mut findings = if schema {
        schema_findings(value, false)
    } else {
        Vec::new()
    };
    let (doc, removed) = typed::<DataContractDoc>(value, &document, &mut findings);
    if let Some(doc) = &doc {
        let mut own = Vec::new();
        contract_rules(doc, &mut own);
        keep_unless_removed(&mut findings, own, &removed);
    }
    for f in &mut findings {
        f.document.clone_from(&document);
    }
    prefer_own_findings(&mut findings);
    ContractCheck { doc, findings }
}

#[cfg(feature = "schema")]
fn schema_findings(value: &Value, product: bool) -> Vec<Finding> {
    if product {
        crate::schema::check_odps_schema(value)
    } else {
        crate::schema::check_odcs_schema(value)
    }
}

#[cfg(not(feature = "schema"))]
fn schema_findings(_value: &Value, _product: bool) -> Vec<Finding> {
    Vec::new()
}

/// Reads the typed view of a document. A value of the wrong kind (`version: 1.0` is a number in
/// YAML) is reported and left out, and reading goes on, so the remaining rules still run and the
/// user sees every problem at once. Returns the pointers of the values left out.
fn typed<T: DeserializeOwned>(
    value: &Value,
    document: &str,
    findings: &mut Vec<Finding>,
) -> (Option<T>, Vec<String>) {
    let mut value = value.clone();
    let mut removed = Vec::new();
    // Each round removes one offending value; a document has far fewer problems than this.
    for _ in 0..64 {
        match serde_path_to_error::deserialize::<_, T>(value.clone()) {
            Ok(doc) => return (Some(doc), removed),
            Err(e) => {
                let path = pointer_of(&e.path().to_string());
                let offending = value.pointer(&path).cloned();
                let reported = findings.iter_mut().find(|f| f.path == path);
                match (reported, &offending) {
                    (Some(f), Some(Value::Number(n))) if f.fix.is_none() => {
                        f.fix = Some(format!("write it as text; in YAML quote it: \"{n}\""));
                    }
                    (Some(_), _) => {}
                    (None, _) => {
                        let got = offending.as_ref().map(kind_of).unwrap_or("nothing");
                        findings.push(
                            Finding::error(
                                "schema",
                                path.clone(),
                                format!("{} (found {got})", e.inner()),
                            )
                            .in_document(document),
                        );
                    }
                }
                if path.is_empty() || !remove_at(&mut value, &path) {
                    return (None, removed);
                }
                removed.push(path);
            }
        }
    }
    (None, removed)
}

/// Removes the value at a JSON Pointer; false if there is none.
fn remove_at(value: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(last).is_some(),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// serde_path_to_error paths (`outputPorts[0].name`) as JSON Pointers (`/outputPorts/0/name`).
fn pointer_of(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push('/');
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            for index in rest.split('[').filter(|s| !s.is_empty()) {
                out.push('/');
                out.push_str(index.trim_end_matches(']'));
            }
        } else {
            out.push('/');
            out.push_str(rest);
        }
    }
    out
}

/// Adds Meshwork's findings, except those about values that were left out of the typed view
/// (already reported, and "missing" would be wrong).
fn keep_unless_removed(findings: &mut Vec<Finding>, own: Vec<Finding>, removed: &[String]) {
    findings.extend(own.into_iter().filter(|f| {
        !removed
            .iter()
            .any(|r| f.path == *r || f.path.starts_with(&format!("{r}/")))
    }));
}

/// When Meshwork's own rule and the schema report the same missing field, keep Meshwork's: it says
/// how to fix it in Meshwork's terms.
fn prefer_own_findings(findings: &mut Vec<Finding>) {
    let own: HashSet<(String, String)> = findings
        .iter()
        .filter(|f| f.rule != "required" && f.rule != "schema")
        .map(|f| (f.document.clone(), f.path.clone()))
        .collect();
    findings.retain(|f| {
        !(matches!(f.rule.as_str(), "required" | "schema")
            && own.contains(&(f.document.clone(), f.path.clone())))
    });
    let mut seen = HashSet::new();
    findings.retain(|f| f.rule != "required" || seen.insert((f.document.clone(), f.path.clone())));
    normalize(findings);
}

fn product_rules(doc: &DataProductDoc, out: &mut Vec<Finding>) {
    if !ODPS_API_VERSIONS.contains(&doc.api_version.as_str()) {
        out.push(
            Finding::error(
                "api-version",
                "/apiVersion",
                format!("ODPS apiVersion '{}' is not supported", doc.api_version),
            )
            .fix(format!(
                "use {ODPS_API_VERSION} (Meshwork reads {})",
                ODPS_API_VERSIONS.join(", ")
            )),
        );
    }
    if doc.kind != "DataProduct" {
        out.push(
            Finding::error(
                "kind",
                "/kind",
                format!("kind is '{}', expected DataProduct", doc.kind),
            )
            .fix("set kind: DataProduct"),
        );
    }
    if let Err(e) = DocumentId::parse(&doc.id) {
        out.push(
            Finding::error("id-format", "/id", format!("id {e}"))
                .fix("use letters, digits, '.', '_', ':' and '-', e.g. sales.customer-revenue"),
        );
    }
    match doc.name.as_deref() {
        None => out.push(
            Finding::error("name", "/name", "name is missing")
                .fix("give the product a human-readable name"),
        ),
        Some(name) => line(out, "/name", "name", name, NAME_MAX),
    }
    semver_field(out, "/version", "version", doc.version.as_deref(), true);
    match doc.status.as_deref() {
        None => out.push(
            Finding::error("status", "/status", "status is missing")
                .fix(format!("set status to one of {}", ProductStatus::allowed())),
        ),
        Some(s) => vocab::<ProductStatus>(
            out,
            "/status",
            "status",
            s,
            ProductStatus::parse,
            ProductStatus::allowed,
        ),
    }
    match doc.domain.as_deref() {
        None => out.push(
            Finding::error("domain", "/domain", "domain is missing")
                .fix("set domain to the id of an existing domain, e.g. sales"),
        ),
        Some(d) if crate::id::Slug::parse(d).is_err() => out.push(
            Finding::error(
                "domain",
                "/domain",
                format!("domain '{d}' is not a domain id"),
            )
            .fix("domain ids are lower-case words joined by '-', e.g. sales"),
        ),
        Some(_) => {}
    }
    if let Some(t) = doc.product_type_raw() {
        let path = if doc.product_type.is_some() {
            "/type"
        } else {
            "/customProperties"
        };
        vocab::<ProductType>(
            out,
            path,
            "type",
            t,
            ProductType::parse,
            ProductType::allowed,
        );
    }
    if let Some(d) = &doc.description {
        for (field, text) in [
            ("purpose", &d.purpose),
            ("usage", &d.usage),
            ("limitations", &d.limitations),
        ] {
            if let Some(text) = text
                && let Err(e) = check_paragraphs(text, DESCRIPTION_MAX)
            {
                out.push(Finding::error(
                    "text",
                    format!("/description/{field}"),
                    format!("description {field} {e}"),
                ));
            }
        }
    }
    tags(out, "", &doc.tags);
    output_ports(doc, out);
    input_ports(doc, out);
}

fn output_ports(doc: &DataProductDoc, out: &mut Vec<Finding>) {
    if doc.output_ports.is_empty() {
        out.push(
            Finding::error(
                "output-ports",
                "/outputPorts",
                "the product has no output port",
            )
            .fix("add at least one output port: a product without output is of no use to anyone"),
        );
    }
    let mut names = HashSet::new();
    let mut contracts = HashSet::new();
    for (i, port) in doc.output_ports.iter().enumerate() {
        let at = format!("/outputPorts/{i}");
        port_name(out, &at, &port.name, &mut names);
        semver_field(
            out,
            &format!("{at}/version"),
            "output port version",
            port.version.as_deref(),
            true,
        );
        match port.port_type.as_deref() {
            None => out.push(
                Finding::warning(
                    "port-type",
                    format!("{at}/type"),
                    format!("output port '{}' has no type", port.name),
                )
                .fix(format!("set type to {}", PortType::allowed())),
            ),
            Some(t) => vocab::<PortType>(
                out,
                &format!("{at}/type"),
                "output port type",
                t,
                PortType::parse,
                PortType::allowed,
            ),
        }
        if let Some(id) = &port.contract_id {
            if let Err(e) = DocumentId::parse(id) {
                out.push(Finding::error(
                    "id-format",
                    format!("{at}/contractId"),
                    format!("contractId {e}"),
                ));
            } else if !contracts.insert(id.clone()) {
                out.push(
                    Finding::error(
                        "duplicate",
                        format!("{at}/contractId"),
                        format!("contract '{id}' is already used by another output port"),
                    )
                    .fix("give each output port its own contract"),
                );
            }
        }
        if let Some(d) = &port.description
            && let Err(e) = check_paragraphs(d, DESCRIPTION_MAX)
        {
            out.push(Finding::error(
                "text",
                format!("{at}/description"),
                format!("description {e}"),
            ));
        }
    }
}

fn input_ports(doc: &DataProductDoc, out: &mut Vec<Finding>) {
    let own: HashSet<&str> = doc
        .output_ports
        .iter()
        .filter_map(|p| p.contract_id.as_deref())
        .collect();
    let mut names = HashSet::new();
    for (i, port) in doc.input_ports.iter().enumerate() {
        let at = format!("/inputPorts/{i}");
        port_name(out, &at, &port.name, &mut names);
        semver_field(
            out,
            &format!("{at}/version"),
            "input port version",
            port.version.as_deref(),
            false,
        );
        match (&port.contract_id, port.external_source()) {
            (Some(id), _) => {
                if let Err(e) = DocumentId::parse(id) {
                    out.push(Finding::error("id-format", format!("{at}/contractId"), format!("contractId {e}")));
                } else if own.contains(id.as_str()) {
                    out.push(Finding::error("self-reference", format!("{at}/contractId"), format!("input port '{}' reads this product's own output '{id}'", port.name)).fix("an input port must reference another product's output port"));
                }
            }
            (None, Some(source)) => line(out, &format!("{at}/customProperties"), "external source", source, NAME_MAX),
            (None, None) => out.push(
                Finding::error("input-port", format!("{at}/contractId"), format!("input port '{}' names neither a contract nor an external source", port.name))
                    .fix("set contractId to the contract of an upstream output port, or add the custom property externalSource"),
            ),
        }
    }
}

fn contract_rules(doc: &DataContractDoc, out: &mut Vec<Finding>) {
    if !ODCS_API_VERSIONS.contains(&doc.api_version.as_str()) {
        out.push(
            Finding::error(
                "api-version",
                "/apiVersion",
                format!("ODCS apiVersion '{}' is not supported", doc.api_version),
            )
            .fix(format!(
                "use {ODCS_API_VERSION} (Meshwork reads {})",
                ODCS_API_VERSIONS.join(", ")
            )),
        );
    }
    if doc.kind != "DataContract" {
        out.push(
            Finding::error(
                "kind",
                "/kind",
                format!("kind is '{}', expected DataContract", doc.kind),
            )
            .fix("set kind: DataContract"),
        );
    }
    if let Err(e) = DocumentId::parse(&doc.id) {
        out.push(
            Finding::error("id-format", "/id", format!("id {e}")).fix(
                "use letters, digits, '.', '_', ':' and '-', e.g. urn:datacontract:sales:orders",
            ),
        );
    }
    semver_field(out, "/version", "version", Some(&doc.version), true);
    if let Some(name) = &doc.name {
        line(out, "/name", "name", name, NAME_MAX);
    }
    if let Some(s) = &doc.status {
        vocab::<ProductStatus>(
            out,
            "/status",
            "status",
            s,
            ProductStatus::parse,
            ProductStatus::allowed,
        );
    }
    tags(out, "", &doc.tags);
    let mut objects = HashSet::new();
    for (i, object) in doc.schema.iter().enumerate() {
        let at = format!("/schema/{i}");
        if object.name.trim().is_empty() {
            out.push(
                Finding::error("name", format!("{at}/name"), "schema object has no name")
                    .fix("name the table, topic or file"),
            );
        } else if !objects.insert(object.name.to_lowercase()) {
            out.push(Finding::error(
                "duplicate",
                format!("{at}/name"),
                format!("schema object '{}' is defined twice", object.name),
            ));
        }
        properties(out, &at, &object.properties);
    }
    for (i, sla) in doc.sla_properties.iter().enumerate() {
        sla_rule(out, &format!("/slaProperties/{i}"), sla);
    }
}

fn properties(out: &mut Vec<Finding>, parent: &str, props: &[SchemaProperty]) {
    let mut names = HashSet::new();
    let mut positions = HashSet::new();
    for (i, p) in props.iter().enumerate() {
        let at = format!("{parent}/properties/{i}");
        if p.name.trim().is_empty() {
            out.push(
                Finding::error("name", format!("{at}/name"), "field has no name")
                    .fix("name the field or remove the row"),
            );
        } else if let Err(e) = check_line(&p.name, NAME_MAX) {
            out.push(Finding::error(
                "name",
                format!("{at}/name"),
                format!("field name {e}"),
            ));
        } else if !names.insert(p.name.to_lowercase()) {
            out.push(
                Finding::error(
                    "duplicate",
                    format!("{at}/name"),
                    format!("field '{}' is defined twice", p.name),
                )
                .fix("rename or remove one of them"),
            );
        }
        if let Some(t) = &p.logical_type {
            vocab::<LogicalType>(
                out,
                &format!("{at}/logicalType"),
                "logicalType",
                t,
                LogicalType::parse,
                LogicalType::allowed,
            );
        }
        if let Some(c) = &p.classification {
            vocab::<Classification>(
                out,
                &format!("{at}/classification"),
                "classification",
                c,
                Classification::parse,
                Classification::allowed,
            );
        }
        if let Some(pos) = p.primary_key_position
            && pos >= 0
            && !positions.insert(pos)
        {
            out.push(Finding::error(
                "primary-key",
                format!("{at}/primaryKeyPosition"),
                format!("primary key position {pos} is used twice"),
            ));
        }
        if p.primary_key == Some(true) && p.required == Some(false) {
            out.push(
                Finding::error(
                    "primary-key",
                    format!("{at}/required"),
                    format!("primary key field '{}' cannot be optional", p.name),
                )
                .fix("mark it required"),
            );
        }
        properties(out, &at, &p.properties);
    }
}

fn sla_rule(out: &mut Vec<Finding>, at: &str, sla: &crate::odcs::SlaProperty) {
    let property = sla.property.to_ascii_lowercase();
    match property.as_str() {
        "availability" => {
            let number = match &sla.value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().trim_end_matches('%').trim().parse::<f64>().ok(),
                _ => None,
            };
            match number {
                Some(n) if (0.0..=100.0).contains(&n) => {}
                _ => out.push(
                    Finding::error(
                        "sla",
                        format!("{at}/value"),
                        format!(
                            "availability '{}' is not a percentage",
                            crate::odcs::value_text(&sla.value)
                        ),
                    )
                    .fix("write a percentage such as 99.9%"),
                ),
            }
        }
        "latency" | "freshness" | "frequency" | "retention" => {
            let numeric = match &sla.value {
                Value::Number(n) => n.as_f64().is_some_and(|n| n >= 0.0),
                Value::String(s) => s.trim().parse::<f64>().is_ok_and(|n| n >= 0.0),
                _ => false,
            };
            if !numeric {
                out.push(
                    Finding::error(
                        "sla",
                        format!("{at}/value"),
                        format!(
                            "{property} '{}' is not a non-negative number",
                            crate::odcs::value_text(&sla.value)
                        ),
                    )
                    .fix(
                        "write the amount as a number and the unit in unit, e.g. value: 1, unit: d",
                    ),
                );
            }
            match sla.unit.as_deref() {
                None => out.push(
                    Finding::error(
                        "sla",
                        format!("{at}/unit"),
                        format!("{property} has no unit"),
                    )
                    .fix(format!("set unit to one of {}", DURATION_UNITS.join(", "))),
                ),
                Some(u) if !DURATION_UNITS.contains(&u.to_ascii_lowercase().as_str()) => out.push(
                    Finding::error(
                        "sla",
                        format!("{at}/unit"),
                        format!("unit '{u}' is not a duration unit"),
                    )
                    .fix(format!("use one of {}", DURATION_UNITS.join(", "))),
                ),
                Some(_) => {}
            }
        }
        _ => {}
    }
}

/// Units accepted for durations in SLA properties (ODCS uses `d`, `y`, ...; people write `days`).
pub const DURATION_UNITS: &[&str] = &[
    "ms", "s", "sec", "second", "seconds", "m", "min", "minute", "minutes", "h", "hr", "hour",
    "hours", "d", "day", "days", "w", "week", "weeks", "month", "months", "y", "yr", "year",
    "years",
];

fn port_name(out: &mut Vec<Finding>, at: &str, name: &str, seen: &mut HashSet<String>) {
    if let Err(e) = DocumentId::parse(name) {
        out.push(
            Finding::error(
                "port-name",
                format!("{at}/name"),
                format!("port name '{name}' {e}"),
            )
            .fix("use letters, digits, '.', '_', ':' and '-', e.g. orders-table"),
        );
    } else if !seen.insert(name.to_lowercase()) {
        out.push(
            Finding::error(
                "duplicate",
                format!("{at}/name"),
                format!("port name '{name}' is used twice"),
            )
            .fix("give every port a different name"),
        );
    }
}

fn semver_field(out: &mut Vec<Finding>, at: &str, what: &str, value: Option<&str>, required: bool) {
    match value {
        None if required => out.push(
            Finding::error("semver", at, format!("{what} is missing"))
                .fix("set a semantic version such as 1.0.0"),
        ),
        None => {}
        Some(v) => {
            if let Err(e) = parse_semver(v) {
                out.push(Finding::error("semver", at, format!("{what} {e}")));
            }
        }
    }
}

fn line(out: &mut Vec<Finding>, at: &str, what: &str, value: &str, max: usize) {
    if let Err(e) = check_line(value, max) {
        out.push(Finding::error("text", at, format!("{what} {e}")));
    }
}

fn tags(out: &mut Vec<Finding>, prefix: &str, tags: &[String]) {
    let mut seen = HashSet::new();
    for (i, tag) in tags.iter().enumerate() {
        let at = format!("{prefix}/tags/{i}");
        if let Err(e) = check_line(tag, TAG_MAX) {
            out.push(Finding::error("tag", at, format!("tag {e}")));
        } else if !seen.insert(tag.to_lowercase()) {
            out.push(
                Finding::warning("tag", at, format!("tag '{tag}' appears twice"))
                    .fix("remove the duplicate"),
            );
        }
    }
}

fn vocab<T>(
    out: &mut Vec<Finding>,
    at: &str,
    what: &str,
    raw: &str,
    parse: fn(&str) -> Result<T, String>,
    allowed: fn() -> String,
) {
    if let Err(e) = parse(raw) {
        out.push(
            Finding::error("vocabulary", at, format!("{what} {e}"))
                .fix(format!("use {}", allowed())),
        );
    }
}

#[cfg(test)]
mod tests;
