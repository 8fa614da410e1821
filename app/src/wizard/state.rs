//! The wizard's logic, free of any UI: creating a registration, keeping contract ids in step with
//! ports, reading and writing SLAs and servers, mapping findings to the step that fixes them, and
//! turning the state into the documents that are published.

use domain::odcs::{DataContractDoc, QualityRule, SchemaProperty, SlaProperty};
use domain::odps::{DataProductDoc, OutputPort, Team};
use domain::{Finding, check_contract_rules, check_product_rules, slugify};
use serde_json::{Value, json};
use views::WizardState;

/// The steps, in order: (number, title).
pub const STEPS: &[(u8, &str)] = &[
    (1, "Basics"),
    (2, "Output ports"),
    (3, "Contracts"),
    (4, "SLA & quality"),
    (5, "Input ports"),
    (6, "Review"),
];

/// A server type: its ODCS name, its label, and its location fields as (field, label).
pub type ServerType = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The server types the wizard offers, with the location fields each needs (ODCS v3).
pub const SERVER_TYPES: &[ServerType] = &[
    (
        "postgres",
        "PostgreSQL",
        &[
            ("host", "Host"),
            ("port", "Port"),
            ("database", "Database"),
            ("schema", "Schema"),
        ],
    ),
    (
        "snowflake",
        "Snowflake",
        &[
            ("account", "Account"),
            ("database", "Database"),
            ("schema", "Schema"),
        ],
    ),
    (
        "bigquery",
        "BigQuery",
        &[("project", "Project"), ("dataset", "Dataset")],
    ),
    (
        "databricks",
        "Databricks",
        &[("catalog", "Catalog"), ("schema", "Schema")],
    ),
    (
        "kafka",
        "Kafka",
        &[("host", "Bootstrap servers"), ("topic", "Topic")],
    ),
    (
        "s3",
        "S3 / object store",
        &[("location", "Location (s3://…)")],
    ),
    ("api", "HTTP API", &[("location", "URL (https://…)")]),
    ("custom", "Other", &[("location", "Location")]),
];

/// Duration units offered for SLAs.
pub const UNITS: &[(&str, &str)] = &[
    ("m", "minutes"),
    ("h", "hours"),
    ("d", "days"),
    ("w", "weeks"),
    ("y", "years"),
];

/// A new registration, owned by the user's first team.
pub fn new_registration(team: Option<(&str, &str)>) -> WizardState {
    let mut product = DataProductDoc {
        api_version: domain::odps::ODPS_API_VERSION.to_owned(),
        kind: String::from("DataProduct"),
        version: Some(String::from("1.0.0")),
        status: Some(String::from("active")),
        product_type: Some(String::from("sourceAligned")),
        ..DataProductDoc::default()
    };
    if let Some((team, domain)) = team {
        product.team = Some(Team {
            name: Some(team.to_owned()),
            ..Team::default()
        });
        product.domain = Some(domain.to_owned());
    }
    let mut state = WizardState {
        step: 1,
        product,
        ..WizardState::default()
    };
    add_output_port(&mut state);
    state
}

/// The id suggested for a name: `domain.the-name`.
pub fn suggested_id(domain: Option<&str>, name: &str) -> String {
    let slug = slugify(name);
    match domain {
        Some(d) if !d.is_empty() && !slug.is_empty() => format!("{d}.{slug}"),
        _ => slug,
    }
}

/// The contract id a port of a new product gets.
pub fn derived_contract_id(product_id: &str, port: &str) -> String {
    format!(
        "urn:datacontract:{}:{}",
        if product_id.is_empty() {
            "new-product"
        } else {
            product_id
        },
        if port.is_empty() { "port" } else { port }
    )
}

/// New registrations derive contract ids from the product id and port name; an edit keeps the ids
/// of ports that already existed.
pub fn sync_contract_ids(state: &mut WizardState) {
    while state.contracts.len() < state.product.output_ports.len() {
        let i = state.contracts.len();
        let port = state.product.output_ports[i].name.clone();
        let id = state.product.output_ports[i]
            .contract_id
            .clone()
            .unwrap_or_else(|| derived_contract_id(&state.product.id, &port));
        state
            .contracts
            .push(DataContractDoc::skeleton(&id, &port, &state.product));
    }
    state.contracts.truncate(state.product.output_ports.len());
    if state.editing.is_some() {
        return;
    }
    let product_id = state.product.id.clone();
    for (port, contract) in state
        .product
        .output_ports
        .iter_mut()
        .zip(state.contracts.iter_mut())
    {
        let id = derived_contract_id(&product_id, &port.name);
        port.contract_id = Some(id.clone());
        contract.id = id;
        contract.version = port
            .version
            .clone()
            .unwrap_or_else(|| String::from("1.0.0"));
    }
    for contract in &mut state.contracts {
        contract.domain.clone_from(&state.product.domain);
        contract.team = state.product.team_name().map(|t| json!({ "name": t }));
    }
}

pub fn add_output_port(state: &mut WizardState) {
    let taken: Vec<String> = state
        .product
        .output_ports
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let mut name = String::from("table");
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("table-{n}");
        n += 1;
    }
    let version = state
        .product
        .version
        .clone()
        .unwrap_or_else(|| String::from("1.0.0"));
    let contract_id = derived_contract_id(&state.product.id, &name);
    state.product.output_ports.push(OutputPort {
        name: name.clone(),
        port_type: Some(String::from("table")),
        version: Some(version),
        contract_id: Some(contract_id.clone()),
        ..OutputPort::default()
    });
    let mut contract = DataContractDoc::skeleton(&contract_id, &name, &state.product);
    contract.servers = vec![server_of_type("postgres")];
    contract.schema[0].properties.push(SchemaProperty {
        name: String::from("id"),
        logical_type: Some(String::from("integer")),
        physical_type: Some(String::from("BIGINT")),
        primary_key: Some(true),
        required: Some(true),
        ..SchemaProperty::default()
    });
    state.contracts.push(contract);
    sync_contract_ids(state);
}

pub fn remove_output_port(state: &mut WizardState, index: usize) {
    if index < state.product.output_ports.len() {
        state.product.output_ports.remove(index);
        if index < state.contracts.len() {
            state.contracts.remove(index);
        }
    }
    sync_contract_ids(state);
}

/// A server of a type, with empty location fields.
pub fn server_of_type(server_type: &str) -> domain::odcs::Server {
    domain::odcs::Server {
        server: String::from("production"),
        server_type: server_type.to_owned(),
        environment: Some(String::from("prod")),
        ..domain::odcs::Server::default()
    }
}

/// A location field of the first server (`topic` lives in a custom property, as ODCS has none).
pub fn server_field(contract: &DataContractDoc, field: &str) -> String {
    let Some(server) = contract.servers.first() else {
        return String::new();
    };
    if field == "topic" {
        return server
            .extra
            .get("customProperties")
            .and_then(Value::as_array)
            .and_then(|props| props.iter().find(|p| p["property"] == "topic"))
            .and_then(|p| p["value"].as_str())
            .unwrap_or_default()
            .to_owned();
    }
    match server.extra.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

pub fn set_server_field(contract: &mut DataContractDoc, field: &str, value: &str) {
    if contract.servers.is_empty() {
        contract.servers.push(server_of_type("custom"));
    }
    let server = &mut contract.servers[0];
    if field == "topic" {
        let props = if value.is_empty() {
            json!([])
        } else {
            json!([{ "property": "topic", "value": value }])
        };
        server.extra.insert(String::from("customProperties"), props);
        return;
    }
    if value.is_empty() {
        server.extra.remove(field);
    } else if field == "port" {
        let v = value
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_owned()));
        server.extra.insert(field.to_owned(), v);
    } else {
        server
            .extra
            .insert(field.to_owned(), Value::String(value.to_owned()));
    }
}

/// Changes the server type, keeping the fields the new type also has.
pub fn set_server_type(contract: &mut DataContractDoc, server_type: &str) {
    let keep: Vec<&str> = SERVER_TYPES
        .iter()
        .find(|t| t.0 == server_type)
        .map(|t| t.2.iter().map(|f| f.0).collect())
        .unwrap_or_default();
    if contract.servers.is_empty() {
        contract.servers.push(server_of_type(server_type));
    }
    let server = &mut contract.servers[0];
    server.server_type = server_type.to_owned();
    server.extra.retain(|k, _| {
        keep.contains(&k.as_str())
            || (k == "customProperties" && keep.contains(&"topic"))
            || k == "format"
    });
}

/// An SLA property's value and unit as the form shows them.
pub fn sla_value(contract: &DataContractDoc, property: &str) -> (String, String) {
    match contract.sla(property) {
        Some(s) => (
            domain::odcs::value_text(&s.value)
                .trim_end_matches('%')
                .to_owned(),
            s.unit.clone().unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    }
}

/// Sets (or with an empty value removes) an SLA property.
pub fn set_sla(contract: &mut DataContractDoc, property: &str, value: &str, unit: Option<&str>) {
    contract.sla_properties.retain(|s| {
        !(s.property.eq_ignore_ascii_case(property)
            || (property == "latency" && s.property.eq_ignore_ascii_case("freshness")))
    });
    if value.trim().is_empty() {
        return;
    }
    let value = if property == "availability" {
        Value::String(format!("{}%", value.trim().trim_end_matches('%')))
    } else {
        value
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|n| {
                if n.fract() == 0.0 {
                    Some(Value::from(n as i64))
                } else {
                    serde_json::Number::from_f64(n).map(Value::Number)
                }
            })
            .unwrap_or_else(|| Value::String(value.to_owned()))
    };
    contract.sla_properties.push(SlaProperty {
        property: property.to_owned(),
        value,
        unit: unit.filter(|u| !u.is_empty()).map(str::to_owned),
        ..SlaProperty::default()
    });
}

/// A quality rule as the form edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleForm {
    /// Empty for the whole object, else a top-level field name.
    pub field: String,
    pub metric: String,
    pub operator: String,
    pub value: String,
    pub description: String,
}

pub const METRICS: &[(&str, &str)] = &[
    ("rowCount", "Row count"),
    ("nullValues", "Null values"),
    ("missingValues", "Missing values"),
    ("duplicateValues", "Duplicate values"),
    ("invalidValues", "Invalid values"),
];

pub const OPERATORS: &[(&str, &str)] = &[
    ("mustBe", "="),
    ("mustBeGreaterThan", ">"),
    ("mustBeGreaterOrEqualTo", "≥"),
    ("mustBeLessThan", "<"),
    ("mustBeLessOrEqualTo", "≤"),
];

/// The quality rules of the first object and its fields, as forms, with where each lives.
pub fn rules(contract: &DataContractDoc) -> Vec<RuleForm> {
    let Some(object) = contract.schema.first() else {
        return Vec::new();
    };
    let form = |field: &str, q: &QualityRule| {
        let (operator, value) = OPERATORS
            .iter()
            .find_map(|(op, _)| {
                q.extra
                    .get(*op)
                    .map(|v| ((*op).to_owned(), domain::odcs::value_text(v)))
            })
            .unwrap_or_else(|| (String::from("mustBe"), String::new()));
        RuleForm {
            field: field.to_owned(),
            metric: q.metric.clone().unwrap_or_default(),
            operator,
            value,
            description: q.description.clone().unwrap_or_default(),
        }
    };
    let mut out: Vec<RuleForm> = object
        .quality
        .iter()
        .filter(|q| q.metric.is_some())
        .map(|q| form("", q))
        .collect();
    for p in &object.properties {
        out.extend(
            p.quality
                .iter()
                .filter(|q| q.metric.is_some())
                .map(|q| form(&p.name, q)),
        );
    }
    out
}

/// Writes the forms back: library rules are replaced, SQL and custom rules are kept as they were.
pub fn set_rules(contract: &mut DataContractDoc, forms: &[RuleForm]) {
    let Some(object) = contract.schema.first_mut() else {
        return;
    };
    let to_rule = |f: &RuleForm| {
        let mut rule = QualityRule {
            rule_type: Some(String::from("library")),
            metric: Some(f.metric.clone()),
            description: Some(f.description.clone()).filter(|d| !d.is_empty()),
            ..QualityRule::default()
        };
        let value = f
            .value
            .trim()
            .parse::<f64>()
            .ok()
            .map(|n| {
                if n.fract() == 0.0 {
                    Value::from(n as i64)
                } else {
                    json!(n)
                }
            })
            .unwrap_or_else(|| Value::String(f.value.clone()));
        rule.extra.insert(f.operator.clone(), value);
        rule
    };
    object.quality.retain(|q| q.metric.is_none());
    object
        .quality
        .extend(forms.iter().filter(|f| f.field.is_empty()).map(to_rule));
    for p in &mut object.properties {
        p.quality.retain(|q| q.metric.is_none());
        p.quality
            .extend(forms.iter().filter(|f| f.field == p.name).map(to_rule));
    }
}

/// The findings the browser can compute by itself (Meshwork's rules; the server adds the official
/// schemas and references).
pub fn local_findings(state: &WizardState) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(&state.product) {
        out.extend(check_product_rules(&value).findings);
    }
    for contract in &state.contracts {
        if let Ok(value) = serde_json::to_value(contract) {
            out.extend(check_contract_rules(&value).findings);
        }
    }
    if state.product.team_name().is_none() {
        out.push(Finding::error(
            "team",
            "/team/name",
            "choose the team that owns the product",
        ));
    }
    out
}

/// The step whose form fixes a finding.
pub fn step_of(finding: &Finding) -> u8 {
    let path = finding.path.as_str();
    if finding.document.starts_with("contract:") {
        if path.starts_with("/slaProperties") || path.contains("/quality") {
            return 4;
        }
        if path.starts_with("/servers") {
            return 2;
        }
        return 3;
    }
    if path.starts_with("/outputPorts") {
        2
    } else if path.starts_with("/inputPorts") {
        5
    } else {
        1
    }
}

/// The documents as YAML: the product, then each contract with its id.
pub fn documents_yaml(state: &WizardState) -> (String, Vec<(String, String)>) {
    let product = serde_json::to_value(&state.product)
        .map(|v| domain::to_yaml(&v))
        .unwrap_or_default();
    let contracts = state
        .contracts
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                serde_json::to_value(c)
                    .map(|v| domain::to_yaml(&v))
                    .unwrap_or_default(),
            )
        })
        .collect();
    (product, contracts)
}

/// The publication the wizard asks for.
#[cfg(feature = "ssr")]
pub fn submission(
    state: &WizardState,
    expect: workbench::Expect,
) -> Result<workbench::Submission, crate::error::UiError> {
    let doc = |value: Value| workbench::SourceDoc {
        text: domain::to_yaml(&value),
        format: domain::DocumentFormat::Yaml,
        value,
    };
    let product = serde_json::to_value(&state.product)
        .map_err(|e| crate::error::UiError(views::ApiError::new("bad_request", e.to_string())))?;
    let contracts = state
        .contracts
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok())
        .map(doc)
        .collect();
    Ok(workbench::Submission {
        product: Some(doc(product)),
        contracts,
        expect,
        mode: workbench::Mode::Checked,
        team: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registration() -> WizardState {
        let mut s = new_registration(Some(("sales-analytics", "sales")));
        s.product.name = Some(String::from("Customer Revenue"));
        s.product.id = suggested_id(Some("sales"), "Customer Revenue");
        sync_contract_ids(&mut s);
        s
    }

    #[test]
    fn contract_ids_follow_the_product_and_port_in_new_registrations() {
        let mut s = registration();
        assert_eq!(s.product.id, "sales.customer-revenue");
        assert_eq!(
            s.contracts[0].id,
            "urn:datacontract:sales.customer-revenue:table"
        );
        s.product.output_ports[0].name = String::from("daily");
        sync_contract_ids(&mut s);
        assert_eq!(
            s.product.output_ports[0].contract_id.as_deref(),
            Some("urn:datacontract:sales.customer-revenue:daily")
        );
        add_output_port(&mut s);
        assert_eq!((s.product.output_ports.len(), s.contracts.len()), (2, 2));
        remove_output_port(&mut s, 0);
        assert_eq!(
            s.contracts[0].id,
            s.product.output_ports[0].contract_id.clone().unwrap()
        );
    }

    #[test]
    fn edits_keep_existing_contract_ids() {
        let mut s = registration();
        s.editing = Some(s.product.id.clone());
        s.product.output_ports[0].name = String::from("renamed");
        sync_contract_ids(&mut s);
        assert_eq!(
            s.contracts[0].id,
            "urn:datacontract:sales.customer-revenue:table"
        );
    }

    #[test]
    fn a_filled_in_registration_has_no_findings() {
        let mut s = registration();
        set_server_field(&mut s.contracts[0], "host", "db");
        set_sla(&mut s.contracts[0], "latency", "1", Some("d"));
        set_sla(&mut s.contracts[0], "availability", "99.9", None);
        let findings = local_findings(&s);
        assert!(findings.is_empty(), "{findings:#?}");
        assert_eq!(
            sla_value(&s.contracts[0], "availability"),
            (String::from("99.9"), String::new())
        );
        assert_eq!(
            s.contracts[0].sla("latency").map(|s| s.display_value()),
            Some(String::from("1 d"))
        );
    }

    #[test]
    fn findings_point_to_the_step_that_fixes_them() {
        let mut s = registration();
        s.product.name = None;
        s.product.output_ports[0].version = Some(String::from("1"));
        s.contracts[0].schema[0].properties[0].name = String::new();
        set_sla(&mut s.contracts[0], "availability", "lots", None);
        let steps: Vec<u8> = local_findings(&s).iter().map(step_of).collect();
        for want in [1, 2, 3, 4] {
            assert!(steps.contains(&want), "{steps:?}");
        }
    }

    #[test]
    fn quality_rules_round_trip_through_forms() {
        let mut s = registration();
        let forms = vec![
            RuleForm {
                field: String::new(),
                metric: String::from("rowCount"),
                operator: String::from("mustBeGreaterThan"),
                value: String::from("0"),
                description: String::new(),
            },
            RuleForm {
                field: String::from("id"),
                metric: String::from("nullValues"),
                operator: String::from("mustBe"),
                value: String::from("0"),
                description: String::from("never null"),
            },
        ];
        set_rules(&mut s.contracts[0], &forms);
        assert_eq!(rules(&s.contracts[0]), forms);
        assert!(local_findings(&s).iter().all(|f| !f.is_error()));
    }

    #[test]
    fn servers_keep_only_fields_of_their_type() {
        let mut c = registration().contracts.remove(0);
        set_server_field(&mut c, "host", "db.internal");
        set_server_field(&mut c, "port", "5432");
        assert_eq!(c.servers[0].extra["port"], json!(5432));
        set_server_type(&mut c, "kafka");
        set_server_field(&mut c, "topic", "orders.v1");
        assert_eq!(server_field(&c, "host"), "db.internal");
        assert_eq!(server_field(&c, "port"), "");
        assert_eq!(server_field(&c, "topic"), "orders.v1");
    }
}
