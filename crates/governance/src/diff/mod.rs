//! Contract evolution: the difference between two versions of an ODCS contract, every change
//! graded for a perspective.
//!
//! Meshwork's verdicts are meant to agree with the reference tool, `datacontract breaking` from
//! datacontract-cli 1.2.8: for any pair of documents, the breaking verdict and the set of
//! non-INFO `(level, path)` entries are the same (the interop suite checks this against the real
//! CLI). The pipeline is the reference's: project the documents onto the ODCS model
//! ([`model`]), key named lists by their natural key ([`normalize`]), compare as DeepDiff does
//! ([`deep`]), then grade every change with the ordered rules ([`rules`]).
//!
//! Paths are spelled as the reference spells them: dotted, list items by their key
//! (`schema.orders.properties.order_id.logicalType`).

mod deep;
mod model;
mod normalize;
mod rules;

pub use rules::iso_duration_seconds;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Whose expectations a change is judged against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Perspective {
    /// Consumers relying on the old version's guarantees: a change that lets through data the
    /// old version did not permit breaks them.
    #[default]
    Consumer,
    /// The producer whose data passed the old version's tests: a change that permits less
    /// breaks them.
    Producer,
}

impl Perspective {
    pub fn parse(s: &str) -> Option<Perspective> {
        match s {
            "consumer" => Some(Perspective::Consumer),
            "producer" => Some(Perspective::Producer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::Consumer => "consumer",
            Perspective::Producer => "producer",
        }
    }
}

/// How an element changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Updated,
}

/// How a change moves the set of data the contract permits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Tightens,
    Loosens,
    Both,
    Undetermined,
    Untested,
}

/// How bad a change is for the chosen perspective. Only `Error` is breaking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

/// One graded change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffEntry {
    pub level: Level,
    pub change: Change,
    pub path: String,
    /// The rule that graded it (the reference's rule ids).
    pub rule: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// `None` inside an added or removed element, which carries the grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    pub message: String,
}

/// Every change between two versions, graded for one perspective.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffReport {
    pub breaking: bool,
    pub perspective: Perspective,
    pub entries: Vec<DiffEntry>,
}

impl DiffReport {
    /// The entries at `level` or worse.
    pub fn at_least(&self, level: Level) -> impl Iterator<Item = &DiffEntry> {
        self.entries.iter().filter(move |e| e.level <= level)
    }

    /// Counts per level: (errors, warnings, infos).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.entries
            .iter()
            .fold((0, 0, 0), |(e, w, i), x| match x.level {
                Level::Error => (e + 1, w, i),
                Level::Warning => (e, w + 1, i),
                Level::Info => (e, w, i + 1),
            })
    }
}

/// Diffs two ODCS documents (as parsed JSON values) and grades every change for `perspective`.
pub fn diff_contracts(old: &Value, new: &Value, perspective: Perspective) -> DiffReport {
    let (before, after) =
        normalize::normalize_pair(&model::project_contract(old), &model::project_contract(new));
    let raw = deep::changes(&before, &after);
    let mut entries: Vec<DiffEntry> = raw
        .into_iter()
        .map(|e| {
            let graded = rules::classify(&e, &before, &after);
            DiffEntry {
                level: level(graded.direction, perspective),
                change: e.change,
                path: e.path,
                rule: graded.rule.to_owned(),
                old: e.old,
                new: e.new,
                direction: Some(graded.direction),
                message: graded.message,
            }
        })
        .collect();
    // An added or removed element carries the grade for everything inside it.
    let elements: Vec<String> = entries
        .iter()
        .filter(|e| e.change != Change::Updated && e.rule != rules::METADATA_RULE)
        .map(|e| format!("{}.", e.path))
        .collect();
    for entry in &mut entries {
        if elements.iter().any(|p| entry.path.starts_with(p.as_str())) {
            entry.direction = None;
            entry.level = Level::Info;
        }
    }
    DiffReport {
        breaking: entries.iter().any(|e| e.level == Level::Error),
        perspective,
        entries,
    }
}

fn level(direction: Direction, perspective: Perspective) -> Level {
    match (direction, perspective) {
        (Direction::Both, _) => Level::Error,
        (Direction::Undetermined, _) => Level::Warning,
        (Direction::Tightens, Perspective::Producer)
        | (Direction::Loosens, Perspective::Consumer) => Level::Error,
        _ => Level::Info,
    }
}

/// A value as Python's `str()` writes it (the reference compares values as such strings).
pub(crate) fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => py_float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => {
            if s.contains('\'') && !s.contains('"') {
                format!("\"{s}\"")
            } else {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
            }
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_repr(&Value::String(k.clone())), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's float repr: shortest round trip, `1.0` for whole numbers, `1e-05` / `1e+16`.
fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or_default();
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f:?}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// Python's `==` on JSON values: numbers by value (`1 == 1.0`, `True == 1`).
pub(crate) fn py_eq(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

#[cfg(test)]
mod tests;
