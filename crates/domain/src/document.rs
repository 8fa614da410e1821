//! Reading and writing document text: YAML or JSON in, a JSON value out, and YAML back.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format a document arrived in (and is kept in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentFormat {
    Yaml,
    Json,
}

impl DocumentFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentFormat::Yaml => "yaml",
            DocumentFormat::Json => "json",
        }
    }

    pub fn parse(raw: &str) -> Option<DocumentFormat> {
        match raw {
            "yaml" => Some(DocumentFormat::Yaml),
            "json" => Some(DocumentFormat::Json),
            _ => None,
        }
    }
}

/// A document that could not be read at all, with the position of the problem when known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Parses YAML or JSON text (JSON is YAML, but JSON errors read better from the JSON parser).
/// The top level must be a mapping.
pub fn parse_document(text: &str) -> Result<(Value, DocumentFormat), ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError {
            message: String::from("the document is empty; send an ODPS or ODCS document"),
            line: None,
            column: None,
        });
    }
    let (value, format) = if text.trim_start().starts_with('{') {
        let value = serde_json::from_str::<Value>(text).map_err(|e| ParseError {
            message: format!("malformed JSON: {e}"),
            line: Some(e.line()),
            column: Some(e.column()),
        })?;
        (value, DocumentFormat::Json)
    } else {
        let value = serde_yaml_ng::from_str::<Value>(text).map_err(|e| {
            let location = e.location();
            ParseError {
                message: format!("malformed YAML: {e}"),
                line: location.as_ref().map(|l| l.line()),
                column: location.as_ref().map(|l| l.column()),
            }
        })?;
        (value, DocumentFormat::Yaml)
    };
    if !value.is_object() {
        return Err(ParseError {
            message: format!(
                "the document must be a mapping of fields (an object), not {}",
                kind_of(&value)
            ),
            line: None,
            column: None,
        });
    }
    Ok((value, format))
}

/// Renders a JSON value as YAML.
pub fn to_yaml(value: &Value) -> String {
    // Serialising a serde_json::Value cannot fail: every key is a string.
    serde_yaml_ng::to_string(value).unwrap_or_default()
}

/// `a string`, `a list`, ... for messages about the wrong kind of value.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_both_parse() {
        let (v, f) = parse_document("{\"id\": \"x\"}").unwrap();
        assert_eq!((v["id"].as_str(), f), (Some("x"), DocumentFormat::Json));
        let (v, f) = parse_document("\u{feff}id: x\ntags: [a, b]\n").unwrap();
        assert_eq!(
            (v["tags"][1].as_str(), f),
            (Some("b"), DocumentFormat::Yaml)
        );
    }

    #[test]
    fn errors_say_where() {
        let e = parse_document("{\"id\": }").unwrap_err();
        assert!(e.message.starts_with("malformed JSON"), "{e}");
        assert_eq!(e.line, Some(1));
        let e = parse_document("id: x\n  bad: [\n").unwrap_err();
        assert!(e.message.starts_with("malformed YAML"), "{e}");
        assert!(e.line.is_some());
        assert!(
            parse_document("- a\n- b\n")
                .unwrap_err()
                .message
                .contains("not a list")
        );
        assert!(
            parse_document("  \n")
                .unwrap_err()
                .message
                .contains("empty")
        );
        assert!(parse_document("{\"a\":\"\\ud800\"}").is_err());
    }
}
