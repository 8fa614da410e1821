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

/// Renders a JSON value as block-style YAML that every YAML reader reads back as the same value:
/// strings that a YAML 1.1 reader (PyYAML, which the data-contract CLIs use) would take for a
/// date, a timestamp, a boolean or a number are quoted; multi-line text becomes a literal block.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => emit_map(map, 0, &mut out),
        Value::Array(items) if !items.is_empty() => emit_seq(items, 0, &mut out),
        scalar => {
            out.push_str(&scalar_text(scalar, 0));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn emit_map(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first key of a mapping inside a sequence item continues the "- " line.
        if i > 0 || !out.ends_with("- ") {
            pad(out, indent);
        }
        out.push_str(&plain_or_quoted(key));
        out.push(':');
        emit_value_after_key(value, indent, out);
    }
}

fn emit_value_after_key(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit_map(m, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            emit_seq(items, indent + 2, out);
        }
        scalar => {
            out.push(' ');
            out.push_str(&scalar_text(scalar, indent + 2));
            out.push('\n');
        }
    }
}

fn emit_seq(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        pad(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => emit_map(m, indent + 2, out),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                emit_seq(inner, indent + 2, out);
            }
            scalar => {
                out.push_str(&scalar_text(scalar, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar_text(value: &Value, indent: usize) -> String {
    match value {
        Value::Null => String::from("null"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_text(s, indent),
        Value::Object(_) => String::from("{}"),
        Value::Array(_) => String::from("[]"),
    }
}

/// Multi-line text as a literal block (`|`), when it can be one; otherwise a plain or quoted scalar.
fn string_text(s: &str, indent: usize) -> String {
    let literal_ok = s.contains('\n')
        && !s.starts_with([' ', '\t', '\n'])
        && !s
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}')
        && !s.lines().any(|l| l.ends_with([' ', '\t']));
    if !literal_ok {
        return plain_or_quoted(s);
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    let chomp = match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    };
    let mut text = String::from(chomp);
    for line in s
        .split('\n')
        .take(body.split('\n').count() + trailing.saturating_sub(1))
    {
        text.push('\n');
        if !line.is_empty() {
            text.push_str(&" ".repeat(indent));
            text.push_str(line);
        }
    }
    text
}

/// A plain scalar when that reads back as the same string in YAML 1.1 and 1.2; else JSON-style
/// double quotes (valid YAML).
fn plain_or_quoted(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s
        || s.chars()
            .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{85}')
    {
        return false;
    }
    // An indicator character first makes the scalar special, except a '-' that starts a word.
    let dash_word = first == '-' && s.len() > 1 && !s.starts_with("- ") && !s.starts_with("--");
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !dash_word {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf",
        "+.inf", "<<", "=",
    ];
    if WORDS.contains(&lower.as_str()) {
        return false;
    }
    !looks_numeric_or_dated(s)
}

/// Whether a YAML 1.1 or 1.2 reader would read this plain scalar as a number, a sexagesimal
/// number, a date or a timestamp rather than a string.
fn looks_numeric_or_dated(s: &str) -> bool {
    let t = s.trim_start_matches(['-', '+']);
    let b = t.as_bytes();
    if b.is_empty() {
        return false;
    }
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if (0..4).all(digit) && b.get(4) == Some(&b'-') && digit(5) {
        return true;
    }
    if let Some(rest) = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0o"))
        .or_else(|| t.strip_prefix("0b"))
    {
        return !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    }
    let has_digit = t.chars().any(|c| c.is_ascii_digit());
    if t.contains(':') {
        return has_digit
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '_'));
    }
    has_digit
        && t.matches('.').count() <= 1
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | 'e' | 'E' | '+' | '-'))
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
    fn yaml_output_reads_back_as_the_same_value() {
        let value = serde_json::json!({
            "id": "urn:datacontract:sales:orders",
            "version": "1.0.0",
            "createdTs": "2025-01-15T10:00:00Z",
            "date": "2025-01-15",
            "flags": ["yes", "No", "on", "null", "~", "", " padded", "a: b", "#tag", "- item", "-x", "1_000", "0x1F", "12:30", "1e5", ".5"],
            "numbers": [1, 2.5, -3, true, null],
            "text": "line one\nline two\n",
            "text_no_newline": "a\nb",
            "text_many": "a\n\n",
            "empty": {}, "none": [],
            "nested": [{"name": "a", "inner": [{"x": 1}]}, [1, [2]]],
            "unicode": "Umsätze 📈 \u{202e}",
            "quote": "it's \"quoted\"",
        });
        let yaml = to_yaml(&value);
        let back: Value = serde_yaml_ng::from_str(&yaml).unwrap();
        assert_eq!(back, value, "{yaml}");
        assert!(
            yaml.contains("createdTs: \"2025-01-15T10:00:00Z\""),
            "{yaml}"
        );
        assert!(yaml.contains("version: 1.0.0"), "{yaml}");
        assert!(yaml.contains("text: |\n  line one\n  line two\n"), "{yaml}");
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
