//! What each built-in kind asks for, for forms: its parameters with their types, labels and
//! help. [`parameters_from`] turns a form's text fields back into the kind's parameters, which
//! [`crate::kinds::Kind`] then reads (and validates) like any document.

use serde_json::{Map, Value};

/// How a parameter is typed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// One line of text (a pattern, a JSON Pointer).
    Text,
    /// Several lines of text (Rego source).
    Source,
    /// A number; `optional` ones may be left empty.
    Number,
    /// A list, one value per line or separated by commas.
    List,
}

/// One parameter of a kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The name in the policy document (`minPercent`).
    pub name: &'static str,
    pub label: &'static str,
    pub kind: ParamType,
    pub required: bool,
    pub help: &'static str,
}

/// A built-in kind, as a form offers it.
#[derive(Clone, Debug, PartialEq)]
pub struct KindInfo {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: Vec<Param>,
}

const fn p(
    name: &'static str,
    label: &'static str,
    kind: ParamType,
    required: bool,
    help: &'static str,
) -> Param {
    Param {
        name,
        label,
        kind,
        required,
        help,
    }
}

const FIELD_HELP: &str = "A JSON Pointer into the product document, such as /description/purpose";

/// Every built-in kind, in the order a form lists them.
pub fn kinds() -> Vec<KindInfo> {
    use ParamType::{List, Number, Source, Text};
    let k = |name, summary, params| KindInfo {
        name,
        summary,
        params,
    };
    vec![
        k(
            "id-pattern",
            "The product id matches a regular expression",
            vec![p(
                "pattern",
                "Pattern",
                Text,
                true,
                "A regular expression, such as ^[a-z]+\\.[a-z0-9-]+$",
            )],
        ),
        k(
            "name-pattern",
            "The product name matches a regular expression",
            vec![p(
                "pattern",
                "Pattern",
                Text,
                true,
                "A regular expression, such as ^[A-Z]",
            )],
        ),
        k(
            "required-field",
            "A field of the product is present and not empty",
            vec![p("field", "Field", Text, true, FIELD_HELP)],
        ),
        k(
            "min-length",
            "A text field has at least a number of characters",
            vec![
                p("field", "Field", Text, true, FIELD_HELP),
                p("min", "Minimum characters", Number, true, "A whole number"),
            ],
        ),
        k(
            "vocabulary",
            "A field takes one of the allowed values",
            vec![
                p("field", "Field", Text, true, FIELD_HELP),
                p(
                    "allowed",
                    "Allowed values",
                    List,
                    true,
                    "One per line, or separated by commas",
                ),
            ],
        ),
        k(
            "numeric-bound",
            "A numeric field lies within bounds",
            vec![
                p("field", "Field", Text, true, FIELD_HELP),
                p(
                    "min",
                    "Minimum",
                    Number,
                    false,
                    "Leave empty for no lower bound",
                ),
                p(
                    "max",
                    "Maximum",
                    Number,
                    false,
                    "Leave empty for no upper bound",
                ),
            ],
        ),
        k(
            "tags-from-vocabulary",
            "Every tag is from the vocabulary",
            vec![p(
                "allowed",
                "Allowed tags",
                List,
                true,
                "One per line, or separated by commas",
            )],
        ),
        k(
            "domain-known",
            "The product's domain is registered",
            Vec::new(),
        ),
        k(
            "owner-present",
            "The product names its owning team",
            Vec::new(),
        ),
        k(
            "support-channel",
            "The product has a support channel",
            Vec::new(),
        ),
        k(
            "output-port-has-contract",
            "Every output port has a contract that resolves",
            Vec::new(),
        ),
        k(
            "property-descriptions",
            "Enough of the contracts' properties are described",
            vec![p(
                "minPercent",
                "Minimum described (%)",
                Number,
                true,
                "0 to 100",
            )],
        ),
        k(
            "classification-vocabulary",
            "Classifications are public, internal, confidential or restricted",
            Vec::new(),
        ),
        k(
            "pii-classified",
            "Personal data is confidential or restricted",
            vec![p(
                "names",
                "Personal-data names",
                List,
                false,
                "Regular expressions for property names that hold personal data (email, phone, iban…); flagged properties always count",
            )],
        ),
        k(
            "sla-declared",
            "Each contract declares an SLA property",
            vec![
                p(
                    "property",
                    "SLA property",
                    Text,
                    true,
                    "freshness, availability, latency, retention…",
                ),
                p(
                    "maxSeconds",
                    "No looser than (seconds)",
                    Number,
                    false,
                    "For time-valued properties; leave empty for any",
                ),
            ],
        ),
        k(
            "quality-rules-present",
            "Each contract has at least one quality rule",
            Vec::new(),
        ),
        k("semver-valid", "Versions are semantic versions", Vec::new()),
        k(
            "semver-major-on-breaking",
            "A change that breaks consumers comes with a new major version",
            Vec::new(),
        ),
        k(
            "no-classification-downgrade",
            "No property's classification is lowered",
            Vec::new(),
        ),
        k(
            "deprecation-successor",
            "A deprecated product names its successor and sunset date",
            Vec::new(),
        ),
        k(
            "no-deprecated-inputs",
            "The product reads from no deprecated or retired product",
            Vec::new(),
        ),
        k(
            "contract-status-consistent",
            "Contracts' status is consistent with the product's",
            Vec::new(),
        ),
        k(
            "rego",
            "Policy as code: a Rego module declaring violations",
            vec![p(
                "source",
                "Rego source",
                Source,
                true,
                "See docs/governance.md for the input document and examples",
            )],
        ),
    ]
}

/// The kind named `name`.
pub fn kind(name: &str) -> Option<KindInfo> {
    kinds().into_iter().find(|k| k.name == name)
}

/// The parameters of `kind` from a form's text fields (by parameter name): numbers parsed,
/// lists split on lines and commas, empty optional fields left out. Errors name the parameter.
pub fn parameters_from(
    kind: &KindInfo,
    field: impl Fn(&str) -> Option<String>,
) -> Result<Value, (String, String)> {
    let mut out = Map::new();
    for param in &kind.params {
        let raw = field(param.name).unwrap_or_default();
        let text = raw.trim();
        if text.is_empty() {
            if param.required {
                return Err((
                    param.name.to_owned(),
                    format!("{} is required", param.label),
                ));
            }
            continue;
        }
        let value = match param.kind {
            ParamType::Text => Value::String(text.to_owned()),
            ParamType::Source => Value::String(raw.replace("\r\n", "\n")),
            ParamType::Number => {
                let n: f64 = text.parse().map_err(|_| {
                    (
                        param.name.to_owned(),
                        format!("{} must be a number, not '{text}'", param.label),
                    )
                })?;
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    Value::from(n as i64)
                } else {
                    Value::from(n)
                }
            }
            ParamType::List => Value::Array(
                text.split(['\n', ','])
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            ),
        };
        out.insert(param.name.to_owned(), value);
    }
    Ok(if kind.params.is_empty() {
        Value::Null
    } else {
        Value::Object(out)
    })
}

/// A parameter's value as a form shows it (lists one per line).
pub fn field_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Kind;
    use serde_json::json;

    /// Every kind of the catalogue reads back as that kind from what its form sends.
    #[test]
    fn every_kind_round_trips_through_its_form() {
        let sample = |p: &Param| match (p.name, p.kind) {
            ("pattern", _) => "^[a-z]+$",
            ("field", _) => "/description/purpose",
            ("source", _) => "package meshwork\nviolations contains v if { false; v := {} }",
            (_, ParamType::Number) => "40",
            (_, ParamType::List) => "a, b\nc",
            _ => "freshness",
        };
        for k in kinds() {
            let params = parameters_from(&k, |name| {
                k.params
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| sample(p).to_owned())
            })
            .unwrap();
            let mut doc = json!({ "kind": k.name });
            if !params.is_null() {
                doc["parameters"] = params;
            }
            let kind: Kind = serde_json::from_value(doc.clone())
                .unwrap_or_else(|e| panic!("{}: {e} in {doc}", k.name));
            assert_eq!(kind.name(), k.name);
        }
        assert_eq!(kinds().len(), 23, "every built-in kind has a form");
    }

    #[test]
    fn form_text_becomes_typed_parameters_and_errors_name_the_parameter() {
        let k = kind("numeric-bound").unwrap();
        let fields = |min: &'static str| {
            move |name: &str| match name {
                "field" => Some(String::from("/x")),
                "min" => Some(min.to_owned()),
                _ => Some(String::new()),
            }
        };
        assert_eq!(
            parameters_from(&k, fields("1.5")).unwrap(),
            json!({"field": "/x", "min": 1.5})
        );
        let err = parameters_from(&k, fields("lots")).unwrap_err();
        assert_eq!(err.0, "min");
        assert!(err.1.contains("'lots'"), "{}", err.1);
        let v = kind("vocabulary").unwrap();
        assert_eq!(
            parameters_from(&v, |_| None).unwrap_err().0,
            "field",
            "a required parameter left empty"
        );
        assert_eq!(
            field_text(Some(&json!(["a", "b"]))),
            "a\nb",
            "lists one per line"
        );
    }
}
