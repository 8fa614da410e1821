//! A typed view of an ODCS v3 data contract: schema objects and properties, quality rules, SLA
//! properties and servers. As with ODPS, unmodelled fields live in `extra` and survive a round trip.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::odps::{CustomProperty, custom_property};

/// The ODCS `apiVersion` Meshwork writes.
pub const ODCS_API_VERSION: &str = "v3.2.0";
/// The ODCS `apiVersion`s Meshwork reads.
pub const ODCS_API_VERSIONS: &[&str] = &["v3.2.0", "v3.1.0", "v3.0.2", "v3.0.1", "v3.0.0"];
/// The property-level custom property that flags personal data (ODCS has no field of its own).
pub const PII_PROPERTY: &str = "pii";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataContractDoc {
    pub api_version: String,
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<crate::odps::Description>,
    /// An object with `name` and `members` since v3.1.0; a bare member list before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema: Vec<SchemaObject>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sla_properties: Vec<SlaProperty>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Server {
    pub server: String,
    #[serde(rename = "type")]
    pub server_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Server {
    /// Where the data lives, in one line: `postgres://pg.example.internal:5432/analytics/public`.
    pub fn location(&self) -> String {
        let get = |k: &str| match self.extra.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        if let Some(loc) = get("location")
            .or_else(|| get("path"))
            .or_else(|| get("url"))
        {
            return loc;
        }
        let host = match (get("host"), get("port")) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h,
            _ => String::new(),
        };
        let topic = self
            .extra
            .get("customProperties")
            .and_then(Value::as_array)
            .and_then(|props| {
                props
                    .iter()
                    .find(|p| p.get("property").and_then(Value::as_str) == Some("topic"))?
                    .get("value")?
                    .as_str()
                    .map(str::to_owned)
            });
        let parts: Vec<String> = [
            get("account"),
            get("project"),
            get("catalog"),
            get("database"),
            get("dataset"),
        ]
        .into_iter()
        .flatten()
        .chain(get("schema"))
        .chain(topic)
        .collect();
        let tail = parts.join("/");
        match (host.is_empty(), tail.is_empty()) {
            (false, false) => format!("{}://{host}/{tail}", self.server_type),
            (false, true) => format!("{}://{host}", self.server_type),
            (true, false) => format!("{}:{tail}", self.server_type),
            (true, true) => self.server_type.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaObject {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<SchemaProperty>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quality: Vec<QualityRule>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaProperty {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key_position: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quality: Vec<QualityRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    /// Nested fields of an object-typed property.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<SchemaProperty>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SchemaProperty {
    /// Whether the field holds personal data, from the `pii` custom property (or tag).
    pub fn is_pii(&self) -> bool {
        self.custom_properties
            .iter()
            .any(|p| p.property == PII_PROPERTY && p.value == Value::Bool(true))
            || custom_property(&self.custom_properties, PII_PROPERTY) == Some("true")
            || self.tags.iter().any(|t| t.eq_ignore_ascii_case("pii"))
    }

    /// Sets or clears the PII flag, keeping the other custom properties.
    pub fn set_pii(&mut self, pii: bool) {
        self.custom_properties
            .retain(|p| p.property != PII_PROPERTY);
        self.tags.retain(|t| !t.eq_ignore_ascii_case("pii"));
        if pii {
            self.custom_properties
                .push(CustomProperty::new(PII_PROPERTY, true));
        }
    }
}

/// An ODCS quality rule. Its many operator fields (`mustBe`, `mustBeGreaterThan`, ...) stay in
/// `extra`; [`QualityRule::summary`] renders them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityRule {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub rule_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The comparison operators of ODCS quality rules, with the words shown for them.
pub const QUALITY_OPERATORS: &[(&str, &str)] = &[
    ("mustBe", "="),
    ("mustNotBe", "≠"),
    ("mustBeGreaterThan", ">"),
    ("mustBeGreaterOrEqualTo", "≥"),
    ("mustBeLessThan", "<"),
    ("mustBeLessOrEqualTo", "≤"),
    ("mustBeBetween", "between"),
    ("mustNotBeBetween", "not between"),
];

impl QualityRule {
    /// One line a person can read: `nullValues = 0`, `SELECT ... = 0`.
    pub fn summary(&self) -> String {
        let what = self
            .name
            .clone()
            .or_else(|| self.metric.clone())
            .or_else(|| self.query.clone())
            .or_else(|| self.description.clone())
            .unwrap_or_else(|| String::from("rule"));
        let condition = QUALITY_OPERATORS.iter().find_map(|(key, op)| {
            self.extra
                .get(*key)
                .map(|v| format!("{op} {}", value_text(v)))
        });
        match condition {
            Some(c) => format!("{what} {c}"),
            None => what,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaProperty {
    pub property: String,
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SlaProperty {
    /// The property's value as a length of time in seconds, when it is a number with a unit of
    /// time (`d`, `day`, `days`, `h`, `hour`, `m`, `min`, `s`, `w`, `week`; no unit means days,
    /// as ODCS examples of `latency` do). `None` for anything else.
    pub fn as_seconds(&self) -> Option<f64> {
        let number = match &self.value {
            Value::Number(n) => n.as_f64()?,
            Value::String(s) => s.trim().parse::<f64>().ok()?,
            _ => return None,
        };
        if !number.is_finite() || number < 0.0 {
            return None;
        }
        let unit = self
            .unit
            .as_deref()
            .unwrap_or("d")
            .trim()
            .to_ascii_lowercase();
        let scale = match unit.as_str() {
            "s" | "sec" | "second" | "seconds" => 1.0,
            "m" | "min" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hour" | "hours" => 3_600.0,
            "d" | "day" | "days" => 86_400.0,
            "w" | "week" | "weeks" => 7.0 * 86_400.0,
            _ => return None,
        };
        Some(number * scale)
    }

    /// `1 d`, `99.9%`, `3 y`.
    pub fn display_value(&self) -> String {
        match &self.unit {
            Some(unit) => format!("{} {unit}", value_text(&self.value)),
            None => value_text(&self.value),
        }
    }
}

/// A JSON value as plain text: strings without quotes, arrays joined.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(value_text)
            .collect::<Vec<_>>()
            .join(" and "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl DataContractDoc {
    /// A new, empty contract for an output port of a product: one object named after the port,
    /// no fields yet. The wizard and the API start from it.
    pub fn skeleton(
        id: &str,
        port_name: &str,
        product: &crate::odps::DataProductDoc,
    ) -> DataContractDoc {
        DataContractDoc {
            api_version: ODCS_API_VERSION.to_owned(),
            kind: String::from("DataContract"),
            id: id.to_owned(),
            name: Some(match &product.name {
                Some(name) => format!("{name} – {port_name}"),
                None => port_name.to_owned(),
            }),
            version: product
                .version
                .clone()
                .unwrap_or_else(|| String::from("1.0.0")),
            status: Some(String::from("active")),
            domain: product.domain.clone(),
            team: product
                .team_name()
                .map(|t| serde_json::json!({ "name": t })),
            schema: vec![SchemaObject {
                name: port_name.replace('-', "_"),
                physical_type: Some(String::from("table")),
                ..SchemaObject::default()
            }],
            ..DataContractDoc::default()
        }
    }

    /// The owning team's name, from the v3.1+ team object.
    pub fn team_name(&self) -> Option<&str> {
        self.team.as_ref()?.get("name")?.as_str()
    }

    /// Every property of every object, depth first, with its dotted path (`orders.customer.id`).
    pub fn fields(&self) -> Vec<(String, &SchemaProperty)> {
        fn walk<'a>(
            prefix: &str,
            props: &'a [SchemaProperty],
            out: &mut Vec<(String, &'a SchemaProperty)>,
        ) {
            for p in props {
                let path = format!("{prefix}.{}", p.name);
                out.push((path.clone(), p));
                walk(&path, &p.properties, out);
            }
        }
        let mut out = Vec::new();
        for object in &self.schema {
            walk(&object.name, &object.properties, &mut out);
        }
        out
    }

    /// The SLA property of that name (`latency` also answers for `freshness`).
    pub fn sla(&self, property: &str) -> Option<&SlaProperty> {
        self.sla_properties.iter().find(|s| {
            s.property.eq_ignore_ascii_case(property)
                || (property == "latency" && s.property.eq_ignore_ascii_case("freshness"))
        })
    }
}

#[cfg(test)]
mod sla_time_tests {
    use super::SlaProperty;
    use serde_json::json;

    fn sla(value: serde_json::Value, unit: Option<&str>) -> SlaProperty {
        serde_json::from_value(json!({ "property": "latency", "value": value, "unit": unit }))
            .unwrap()
    }

    #[test]
    fn times_are_read_in_their_unit() {
        assert_eq!(sla(json!(7), Some("d")).as_seconds(), Some(7.0 * 86_400.0));
        assert_eq!(
            sla(json!("4"), Some("hours")).as_seconds(),
            Some(4.0 * 3_600.0)
        );
        assert_eq!(sla(json!(30), Some("min")).as_seconds(), Some(1_800.0));
        assert_eq!(sla(json!(1), None).as_seconds(), Some(86_400.0));
        assert_eq!(sla(json!(99.9), Some("%")).as_seconds(), None);
        assert_eq!(sla(json!("soon"), Some("d")).as_seconds(), None);
        assert_eq!(sla(json!(-1), Some("d")).as_seconds(), None);
    }
}
