//! The breaking-change rules of datacontract-cli 1.2.8 (`breaking/rules.py`), in the same order
//! and with the same answers: each rule says how a change moves the set of data the contract
//! permits (tightens, loosens, both, undetermined, untested); the perspective turns that into a
//! level. Comments name the reference's reasoning where it is not obvious.

use serde_json::Value;

use super::Direction::{self, Both, Loosens, Tightens, Undetermined, Untested};
use super::deep::RawEntry;
use super::{Change, py_eq, py_str};

pub(crate) struct Evaluation {
    pub rule: &'static str,
    pub direction: Direction,
    pub message: String,
}

const THRESHOLDS: [&str; 8] = [
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
];

pub(crate) const METADATA_RULE: &str = "metadata-or-unknown-change";

/// Grades one entry: the first rule that applies decides.
pub(crate) fn classify(e: &RawEntry, before: &Value, after: &Value) -> Evaluation {
    type Rule = fn(&RawEntry, &Value, &Value) -> Option<Evaluation>;
    const RULES: [Rule; 13] = [
        quality,
        relationship,
        freshness,
        physical_name,
        required,
        schema_added_or_removed,
        property_added_or_removed,
        type_changed,
        unique,
        key,
        validation,
        enum_values,
        vector_shape,
    ];
    RULES
        .iter()
        .find_map(|rule| rule(e, before, after))
        .unwrap_or_else(|| eval(METADATA_RULE, Untested, message("contract", e)))
}

fn eval(rule: &'static str, direction: Direction, message: String) -> Evaluation {
    Evaluation {
        rule,
        direction,
        message,
    }
}

fn message(subject: &str, e: &RawEntry) -> String {
    let repr = |v: &Option<String>| match v {
        Some(s) => format!("'{s}'"),
        None => String::from("None"),
    };
    match e.change {
        Change::Added => format!("Added {subject} at {}", e.path),
        Change::Removed => format!("Removed {subject} at {}", e.path),
        Change::Updated => format!(
            "Changed {subject} at {} from {} to {}",
            e.path,
            repr(&e.old),
            repr(&e.new)
        ),
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split('.').collect()
}

fn schema_added_or_removed(e: &RawEntry, _: &Value, _: &Value) -> Option<Evaluation> {
    let s = segments(&e.path);
    if s.len() != 2 || s[0] != "schema" {
        return None;
    }
    let rule = "schema-added-or-removed";
    match e.change {
        Change::Added => Some(eval(rule, Tightens, format!("Added schema {}", s[1]))),
        Change::Removed => Some(eval(rule, Loosens, format!("Removed schema {}", s[1]))),
        Change::Updated => None,
    }
}

fn is_schema_property_path(s: &[&str]) -> bool {
    s.len() >= 3 && s[0] == "schema" && s[s.len() - 2] == "properties"
}

fn property_added_or_removed(e: &RawEntry, _: &Value, _: &Value) -> Option<Evaluation> {
    let s = segments(&e.path);
    if !is_schema_property_path(&s) {
        return None;
    }
    let rule = "property-added-or-removed";
    let name = s[s.len() - 1];
    match e.change {
        Change::Added => Some(eval(rule, Tightens, format!("Added property {name}"))),
        Change::Removed => Some(eval(rule, Loosens, format!("Removed property {name}"))),
        Change::Updated => None,
    }
}

fn physical_name(e: &RawEntry, _: &Value, _: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.") || !e.path.ends_with(".physicalName") {
        return None;
    }
    let owner = e.path.strip_suffix(".physicalName").unwrap_or(&e.path);
    // Schema and property names may contain dots (sales.orders).
    let name = match owner.rsplit_once(".properties.") {
        Some((_, n)) => n,
        None => owner.strip_prefix("schema.").unwrap_or(owner),
    };
    let old = e.old.as_deref().filter(|s| !s.is_empty()).unwrap_or(name);
    let new = e.new.as_deref().filter(|s| !s.is_empty()).unwrap_or(name);
    let direction = if old == new { Untested } else { Both };
    Some(eval(
        "physical-name-changed",
        direction,
        message("physical name", e),
    ))
}

fn required(e: &RawEntry, _: &Value, _: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.") || !e.path.ends_with(".required") {
        return None;
    }
    Some(eval(
        "required-changed",
        flag_direction(e),
        message("requiredness", e),
    ))
}

fn type_changed(e: &RawEntry, _: &Value, _: &Value) -> Option<Evaluation> {
    // schema.<name>.physicalType is the kind of table (table, view), which no check reads.
    if !e.path.starts_with("schema.")
        || segments(&e.path).len() < 5
        || !(e.path.ends_with(".logicalType") || e.path.ends_with(".physicalType"))
    {
        return None;
    }
    let direction = match e.change {
        Change::Updated => Both,
        Change::Added => Tightens,
        Change::Removed => Loosens,
    };
    Some(eval("type-changed", direction, message("type", e)))
}

fn unique(e: &RawEntry, _: &Value, _: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.")
        || !(e.path.ends_with(".unique") || e.path.ends_with(".uniqueItems"))
    {
        return None;
    }
    Some(eval(
        "unique-constraint-changed",
        flag_direction(e),
        message("uniqueness", e),
    ))
}

fn key(e: &RawEntry, before: &Value, after: &Value) -> Option<Evaluation> {
    let rule = "key-constraint-changed";
    if !e.path.starts_with("schema.") {
        return None;
    }
    if e.path.ends_with(".primaryKeyPosition") {
        // A composite key is unique as a set of columns, whatever their order.
        return Some(eval(rule, Untested, message("key constraint", e)));
    }
    if !(e.path.ends_with(".primaryKey") || e.path.ends_with(".primary_key")) {
        return None;
    }
    let mut direction = flag_direction(e);
    let schema_path = e
        .path
        .split_once(".properties.")
        .map_or(e.path.as_str(), |(s, _)| s);
    let is_composite = [before, after].iter().any(|tree| {
        lookup(tree, schema_path)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map_or(0, |props| {
                props
                    .values()
                    .filter(|p| truthy(p.get("primaryKey")))
                    .count()
            })
            > 1
    });
    if is_composite && matches!(direction, Tightens | Loosens) {
        // A column joining or leaving a composite key changes both its not-null and the key's uniqueness.
        direction = Both;
    }
    Some(eval(rule, direction, message("key constraint", e)))
}

const VALIDATION_SUFFIXES: [&str; 9] = [
    ".pattern",
    ".minLength",
    ".maxLength",
    ".minimum",
    ".maximum",
    ".exclusiveMinimum",
    ".exclusiveMaximum",
    ".minItems",
    ".maxItems",
];
const BOUNDS: [[&str; 2]; 2] = [
    ["minimum", "exclusiveMinimum"],
    ["maximum", "exclusiveMaximum"],
];

fn validation(e: &RawEntry, before: &Value, after: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.") || !VALIDATION_SUFFIXES.iter().any(|s| e.path.ends_with(s)) {
        return None;
    }
    let (options_path, key) = e.path.rsplit_once('.')?;
    let empty = Value::Object(Default::default());
    let old_options = lookup(before, options_path).unwrap_or(&empty);
    let new_options = lookup(after, options_path).unwrap_or(&empty);
    let group: &[&str] = BOUNDS
        .iter()
        .find(|g| g.contains(&key))
        .map_or(&[], |g| g.as_slice());
    let other_set = group.iter().filter(|o| **o != key).any(|o| {
        [old_options, new_options]
            .iter()
            .any(|opts| opts.get(*o).is_some_and(|v| !v.is_null()))
    });
    let direction = if e.change != Change::Updated && other_set {
        // An inclusive bound replaced by an exclusive one, or the reverse: compare what both
        // versions accept.
        let bounds = |opts: &Value| -> Vec<(&str, Option<f64>)> {
            group
                .iter()
                .filter_map(|k| {
                    opts.get(*k)
                        .filter(|v| !v.is_null())
                        .map(|v| (*k, parse_number(Some(&py_str(v)))))
                })
                .collect()
        };
        let (mut old_b, mut new_b) = (bounds(old_options), bounds(new_options));
        if Some(key) != carrier(old_options, new_options, group) {
            Untested
        } else if old_b.iter().chain(&new_b).any(|(_, b)| b.is_none()) {
            Undetermined
        } else {
            let property_type = lookup(
                after,
                options_path
                    .strip_suffix(".logicalTypeOptions")
                    .unwrap_or(options_path),
            )
            .and_then(|p| p.get("logicalType"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
            if property_type == "date" {
                // A date holds whole days, which parse_number reads as midnight UTC.
                for (_, b) in old_b.iter_mut().chain(new_b.iter_mut()) {
                    *b = b.map(|x| x / 86400.0);
                }
            }
            let all: Vec<Num> = old_b
                .iter()
                .chain(&new_b)
                .map(|(_, b)| Num::Float(b.unwrap_or_default()))
                .collect();
            let probes = probes(&all, matches!(property_type.as_str(), "integer" | "date"));
            let accepts = |bounds: &[(&str, Option<f64>)], value: f64| {
                bounds.iter().all(|(k, b)| {
                    let b = b.unwrap_or_default();
                    match *k {
                        "minimum" => value >= b,
                        "exclusiveMinimum" => value > b,
                        "maximum" => value <= b,
                        _ => value < b,
                    }
                })
            };
            match probes {
                Some(p) => accepted_direction(|v| accepts(&old_b, v), |v| accepts(&new_b, v), &p),
                None => Undetermined,
            }
        }
    } else if e.change == Change::Added {
        Tightens
    } else if e.change == Change::Removed {
        Loosens
    } else if e.path.ends_with(".pattern") {
        Undetermined
    } else {
        match (
            parse_number(e.old.as_deref()),
            parse_number(e.new.as_deref()),
        ) {
            (Some(old), Some(new)) if old == new => Untested,
            (Some(old), Some(new)) => {
                let lower = matches!(
                    key,
                    "minLength" | "minimum" | "exclusiveMinimum" | "minItems"
                );
                if (lower && new > old) || (!lower && new < old) {
                    Tightens
                } else {
                    Loosens
                }
            }
            _ => Undetermined,
        }
    };
    Some(eval(
        "validation-constraint-changed",
        direction,
        message("validation constraint", e),
    ))
}

fn enum_values(e: &RawEntry, before: &Value, after: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.") || !e.path.contains(".properties.") {
        return None;
    }
    let direction = if e.path.ends_with(".enum") {
        if e.change == Change::Added {
            Tightens
        } else {
            Loosens
        }
    } else if let Some((head, tail)) = e.path.rsplit_once(".enum.")
        && e.path.ends_with(".value")
        && !tail.contains(".customProperties.")
        && !tail.contains(".authoritativeDefinitions.")
    {
        // Stable ids may change or swap without changing the set of allowed values.
        let enum_path = format!("{head}.enum");
        let values = |tree: &Value| -> Vec<String> {
            lookup(tree, &enum_path)
                .and_then(Value::as_object)
                .map(|m| {
                    m.values()
                        .filter(|i| i.is_object())
                        .map(|i| py_str(i.get("value").unwrap_or(&Value::Null)))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old_values, new_values) = (values(before), values(after));
        let removes = e.old.as_ref().is_some_and(|o| !new_values.contains(o));
        let adds = e.new.as_ref().is_some_and(|n| !old_values.contains(n));
        match (removes, adds) {
            (true, true) => Both,
            (true, false) => Tightens,
            (false, true) => Loosens,
            _ => Untested,
        }
    } else {
        return None;
    };
    Some(eval(
        "enum-constraint-changed",
        direction,
        message("allowed values", e),
    ))
}

fn relationship(e: &RawEntry, before: &Value, after: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.") || !e.path.contains(".relationships.") {
        return None;
    }
    let (owner, rest) = e.path.rsplit_once(".relationships.")?;
    let container = format!("{owner}.relationships");
    let mut relationships = serde_json::Map::new();
    for tree in [before, after] {
        if let Some(Value::Object(m)) = lookup(tree, &container) {
            for (k, v) in m {
                relationships.insert(k.clone(), v.clone());
            }
        }
    }
    // A relationship key may contain dots (customers.id), so match it against the known keys.
    let key = relationships
        .keys()
        .filter(|k| rest == k.as_str() || rest.starts_with(&format!("{k}.")))
        .max_by_key(|k| k.len())?
        .clone();
    let field = rest.get(key.len() + 1..).unwrap_or("");
    let checked =
        |t: Option<&str>| t.filter(|s| !s.is_empty()).unwrap_or("foreignKey") == "foreignKey";
    let rel_type = relationships[&key].get("type").and_then(Value::as_str);
    let direction = if field == "type" {
        let (was, is) = (checked(e.old.as_deref()), checked(e.new.as_deref()));
        if was == is {
            Untested
        } else if is {
            Tightens
        } else {
            Loosens
        }
    } else if !checked(rel_type) {
        Untested
    } else if field.is_empty() {
        if e.change == Change::Added {
            Tightens
        } else {
            Loosens
        }
    } else if matches!(field.split('.').next(), Some("from" | "to")) {
        Both
    } else {
        Untested
    };
    Some(eval(
        "relationship-changed",
        direction,
        message("relationship", e),
    ))
}

fn freshness(e: &RawEntry, before: &Value, after: &Value) -> Option<Evaluation> {
    let s = segments(&e.path);
    if s.len() < 2 || s[0] != "slaProperties" || s[1] != "freshness" {
        return None;
    }
    let empty = Value::Object(Default::default());
    let old_sla = lookup(before, "slaProperties.freshness").unwrap_or(&empty);
    let new_sla = lookup(after, "slaProperties.freshness").unwrap_or(&empty);
    // datacontract test checks freshness only with a value and an element naming a
    // model.field of the contract.
    let is_checked = |sla: &Value, tree: &Value| {
        let element = sla
            .get("element")
            .filter(|v| !v.is_null())
            .map(py_str)
            .unwrap_or_default();
        sla.get("value").is_some_and(|v| !v.is_null())
            && element.matches('.').count() == 1
            && tree
                .get("schema")
                .and_then(Value::as_object)
                .is_some_and(|m| m.contains_key(element.split('.').next().unwrap_or_default()))
    };
    let (was, is) = (is_checked(old_sla, before), is_checked(new_sla, after));
    let field = s.get(2).copied();
    let direction = if !was && !is {
        Untested
    } else if was != is {
        if is { Tightens } else { Loosens }
    } else if field == Some("element") {
        Both
    } else if matches!(field, Some("value" | "unit")) {
        let seconds = |sla: &Value| {
            freshness_seconds(
                sla.get("value").unwrap_or(&Value::Null),
                sla.get("unit").and_then(Value::as_str),
            )
        };
        match (seconds(old_sla), seconds(new_sla)) {
            (Some(o), Some(n)) if o == n => Untested,
            (Some(o), Some(n)) => {
                if n < o {
                    Tightens
                } else {
                    Loosens
                }
            }
            _ => Undetermined,
        }
    } else {
        Untested
    };
    Some(eval(
        "freshness-changed",
        direction,
        message("freshness", e),
    ))
}

/// The list arguments a library metric reads, and whether adding a value to one counts more bad
/// rows.
const COUNTING_ARGUMENTS: [((&str, &str), bool); 3] = [
    (("invalidValues", "validValues"), false),
    (("missingValues", "missingValues"), true),
    (("duplicateValues", "properties"), false),
];
const UNCHECKED_FIELDS: [&str; 13] = [
    "id",
    "name",
    "rule",
    "description",
    "dimension",
    "businessImpact",
    "method",
    "schedule",
    "scheduler",
    "severity",
    "tags",
    "customProperties",
    "authoritativeDefinitions",
];

fn counting(metric: &str, argument: &str) -> Option<bool> {
    COUNTING_ARGUMENTS
        .iter()
        .find(|((m, a), _)| *m == metric && *a == argument)
        .map(|(_, more)| *more)
}

fn quality(e: &RawEntry, before: &Value, after: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.") || !e.path.contains(".quality.") {
        return None;
    }
    let (quality_path, rule_path) = e.path.rsplit_once(".quality.")?;
    let (name, field) = rule_path.split_once('.').unwrap_or((rule_path, ""));
    let empty = Value::Object(Default::default());
    let rule_at = |tree: &'_ Value| -> Value {
        lookup(tree, &format!("{quality_path}.quality.{name}"))
            .filter(|r| r.is_object())
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (old_rule, new_rule) = (rule_at(before), rule_at(after));
    let at_property = quality_path.contains(".properties.");
    let (was, is) = (
        is_guarantee(&old_rule, at_property),
        is_guarantee(&new_rule, at_property),
    );
    let metric = new_rule.get("metric").filter(|v| !v.is_null());
    let (top, rest) = field.split_once('.').unwrap_or((field, ""));
    let argument =
        (top == "arguments" && !rest.is_empty()).then(|| rest.split('.').next().unwrap_or(rest));
    let rule_type = new_rule.get("type").and_then(Value::as_str);
    let direction = if !was && !is {
        Untested
    } else if field.is_empty() {
        if e.change == Change::Added {
            Tightens
        } else {
            Loosens
        }
    } else if was != is {
        let decisive: Vec<&str> = [
            "severity",
            "type",
            "engine",
            "implementation",
            "metric",
            "query",
            "arguments",
            "unit",
        ]
        .into_iter()
        .chain(THRESHOLDS)
        .collect();
        if Some(top) == carrier(&old_rule, &new_rule, &decisive) {
            if is { Tightens } else { Loosens }
        } else {
            Untested
        }
    } else if top == "arguments" && !matches!(rule_type, Some("sql" | "custom")) && metric.is_some()
    {
        let metric_s = metric.map(py_str).unwrap_or_default();
        if !py_eq(
            old_rule.get("metric").unwrap_or(&Value::Null),
            metric.unwrap_or(&Value::Null),
        ) {
            // The metric entry carries the change.
            Untested
        } else if let Some(argument) = argument {
            match counting(&metric_s, argument) {
                Some(adds_more) if e.change != Change::Updated => {
                    count_direction(&new_rule, adds_more == (e.change == Change::Added))
                }
                Some(_) => Undetermined,
                None if (metric_s.as_str(), argument) == ("invalidValues", "pattern") => {
                    Undetermined
                }
                None => Untested,
            }
        } else if metric_s != "missingValues" {
            // The whole block added or removed: only missingValues runs without it, counting
            // nulls alone.
            Undetermined
        } else {
            count_direction(&new_rule, e.change == Change::Added)
        }
    } else if THRESHOLDS.contains(&field) {
        let (old, new) = (threshold(&old_rule), threshold(&new_rule));
        let percent_old = is_percent(&old_rule);
        let percent_new = is_percent(&new_rule);
        if Some(field) != carrier(&old_rule, &new_rule, &THRESHOLDS) {
            Untested
        } else {
            match (old, new) {
                (Some(old), Some(new)) if percent_old == percent_new => {
                    let bounds: Vec<Num> = [&old.value, &old.value2, &new.value, &new.value2]
                        .into_iter()
                        .filter_map(|v| v.clone())
                        .collect();
                    // A library metric counts rows, unless it is a percentage of them.
                    let integers = !percent_new && !matches!(rule_type, Some("sql" | "custom"));
                    match probes(&bounds, integers) {
                        Some(p) => accepted_direction(|v| old.passes(v), |v| new.passes(v), &p),
                        None => Undetermined,
                    }
                }
                _ => Undetermined,
            }
        }
    } else if field == "metric" && is_null_missing_pair(old_rule.get("metric"), metric) {
        let missing_rule = if metric.and_then(Value::as_str) == Some("missingValues") {
            &new_rule
        } else {
            &old_rule
        };
        let has_markers = missing_rule
            .get("arguments")
            .and_then(|a| a.get("missingValues"))
            .and_then(Value::as_array)
            .is_some_and(|m| m.iter().any(|v| !v.is_null()));
        if has_markers {
            count_direction(
                &new_rule,
                metric.and_then(Value::as_str) == Some("missingValues"),
            )
        } else {
            Untested
        }
    } else if field == "unit" {
        if is_percent(&old_rule) == is_percent(&new_rule) {
            Untested
        } else {
            Undetermined
        }
    } else if UNCHECKED_FIELDS.contains(&top) {
        Untested
    } else {
        Undetermined
    };
    let subject = if field.is_empty() {
        String::from("quality rule")
    } else {
        format!("{field} of quality rule '{name}'")
    };
    Some(eval(
        "quality-constraint-changed",
        direction,
        message(&subject, e),
    ))
}

fn is_null_missing_pair(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (a, b) = (a.and_then(Value::as_str), b.and_then(Value::as_str));
    matches!(
        (a, b),
        (Some("nullValues"), Some("missingValues")) | (Some("missingValues"), Some("nullValues"))
    )
}

fn vector_shape(e: &RawEntry, _: &Value, _: &Value) -> Option<Evaluation> {
    if !e.path.starts_with("schema.")
        || !(e.path.ends_with(".logicalTypeOptions.dimensions")
            || e.path.ends_with(".logicalTypeOptions.elementType"))
    {
        return None;
    }
    let direction = if e.path.ends_with(".elementType") {
        let old = e
            .old
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("float32");
        let new = e
            .new
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("float32");
        if old == new { Untested } else { Both }
    } else {
        match e.change {
            Change::Added => Tightens,
            Change::Removed => Loosens,
            Change::Updated => Both,
        }
    };
    Some(eval(
        "vector-shape-changed",
        direction,
        message("vector shape", e),
    ))
}

// ---- helpers -------------------------------------------------------------------------------

/// The value at a dotted path; a key may itself contain dots, so longer keys are tried first.
pub(crate) fn lookup<'a>(tree: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(tree);
    }
    let map = tree.as_object()?;
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    for key in keys {
        if path == key {
            return map.get(key);
        }
        if let Some(rest) = path
            .strip_prefix(key.as_str())
            .and_then(|r| r.strip_prefix('.'))
            && let Some(found) = lookup(&map[key], rest)
            && !found.is_null()
        {
            return Some(found);
        }
    }
    None
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Direction of a boolean constraint, which is off when absent.
fn flag_direction(e: &RawEntry) -> Direction {
    let old = e.old.as_deref().map_or(Some(false), parse_bool);
    let new = e.new.as_deref().map_or(Some(false), parse_bool);
    match (old, new) {
        (Some(o), Some(n)) if o == n => Untested,
        (Some(_), Some(true)) => Tightens,
        (Some(_), Some(false)) => Loosens,
        _ => Undetermined,
    }
}

/// Of `keys` changing together, the one whose entry carries the change: the first set in the
/// new version, else the first removed.
fn carrier<'k>(old: &Value, new: &Value, keys: &[&'k str]) -> Option<&'k str> {
    let get = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let changed: Vec<&'k str> = keys
        .iter()
        .copied()
        .filter(|k| !py_eq(&get(old, k), &get(new, k)))
        .collect();
    changed
        .iter()
        .copied()
        .find(|k| !get(new, k).is_null())
        .or_else(|| changed.first().copied())
}

/// A number as Python's `float()` reads it, or an ISO date/time as its POSIX timestamp.
pub(crate) fn parse_number(value: Option<&str>) -> Option<f64> {
    let s = value?.trim();
    if let Ok(f) = s.replace('_', "").parse::<f64>()
        && !s.starts_with('_')
        && !s.ends_with('_')
    {
        return Some(f);
    }
    parse_iso_timestamp(s)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z|±HH:MM]`, as Python's `datetime.fromisoformat` reads the
/// common forms; a time without a zone is UTC.
fn parse_iso_timestamp(s: &str) -> Option<f64> {
    let s = s
        .strip_suffix('Z')
        .map(|r| format!("{r}+00:00"))
        .unwrap_or_else(|| s.to_owned());
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
    };
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s.as_str(), None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut seconds = days_from_civil(y, m, d) as f64 * 86400.0;
    if let Some(time) = time {
        let (clock, offset) = match time.find(['+', '-']) {
            Some(i) => (&time[..i], Some(&time[i..])),
            None => (time, None),
        };
        let mut hms = clock.split(':');
        let h = num(hms.next()?)?;
        let mi = hms.next().map_or(Some(0), num)?;
        let sec: f64 = match hms.next() {
            Some(x) => x.parse().ok()?,
            None => 0.0,
        };
        if h > 23 || mi > 59 || !(0.0..60.0).contains(&sec) {
            return None;
        }
        seconds += (h * 3600 + mi * 60) as f64 + sec;
        if let Some(off) = offset {
            let sign = if off.starts_with('-') { 1.0 } else { -1.0 };
            let mut p = off[1..].split(':');
            let oh = num(p.next()?)?;
            let om = p.next().map_or(Some(0), num)?;
            seconds += sign * (oh * 3600 + om * 60) as f64;
        }
    }
    Some(seconds)
}

const FRESHNESS_UNITS: [(&[&str], i64); 3] = [
    (&["d", "day", "days"], 86400),
    (&["h", "hr", "hour", "hours"], 3600),
    (&["m", "min", "minute", "minutes"], 60),
];

/// The freshness threshold in seconds: a number qualified by a unit (days by default), or an
/// ISO 8601 duration.
pub(crate) fn freshness_seconds(value: &Value, unit: Option<&str>) -> Option<i64> {
    let n: f64 = match value {
        Value::String(s) => {
            let t = s.trim();
            let digits = t.trim_start_matches('-');
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return iso_duration_seconds(t);
            }
            t.parse::<i64>().ok()? as f64
        }
        Value::Number(n) => n.as_f64()?,
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => return None,
    };
    let u = unit.unwrap_or("d").to_lowercase();
    FRESHNESS_UNITS
        .iter()
        .find(|(names, _)| names.contains(&u.as_str()))
        .map(|(_, factor)| n.trunc() as i64 * factor)
}

/// `P1DT12H` and friends (years of 365 days, months of 30), rounded to whole seconds.
pub fn iso_duration_seconds(s: &str) -> Option<i64> {
    const DATE: [(char, f64); 4] = [
        ('Y', 365.0 * 86400.0),
        ('M', 30.0 * 86400.0),
        ('W', 7.0 * 86400.0),
        ('D', 86400.0),
    ];
    const TIME: [(char, f64); 3] = [('H', 3600.0), ('M', 60.0), ('S', 1.0)];
    let s = s.to_uppercase();
    let rest = s.strip_prefix('P')?;
    let starts_digit = |t: &str| t.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if !(starts_digit(rest) || rest.strip_prefix('T').is_some_and(starts_digit)) {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    fn components(mut text: &str, units: &[(char, f64)]) -> Option<f64> {
        let mut total = 0.0;
        let mut next = 0;
        while !text.is_empty() {
            let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
            let (number, tail) = text.split_at(end);
            let designator = tail.chars().next()?;
            let valid = !number.is_empty()
                && !number.starts_with('.')
                && !number.ends_with('.')
                && number.matches('.').count() <= 1;
            let i = units[next..].iter().position(|(u, _)| *u == designator)? + next;
            if !valid {
                return None;
            }
            total += number.parse::<f64>().ok()? * units[i].1;
            next = i + 1;
            text = &tail[1..];
        }
        Some(total)
    }
    let mut total = components(date, &DATE)?;
    if let Some(t) = time {
        if !starts_digit(t) {
            return None;
        }
        total += components(t, &TIME)?;
    }
    Some(total.round_ties_even() as i64)
}

/// A threshold bound: a number, or something else (which no probe can equal).
#[derive(Clone, Debug, PartialEq)]
enum Num {
    Float(f64),
    Other(Value),
}

impl Num {
    fn of(v: &Value) -> Num {
        match v {
            Value::Number(n) => Num::Float(n.as_f64().unwrap_or_default()),
            other => Num::Other(other.clone()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Between,
    NotBetween,
}

struct Threshold {
    op: Op,
    value: Option<Num>,
    value2: Option<Num>,
}

impl Threshold {
    fn passes(&self, a: f64) -> bool {
        let v = match &self.value {
            Some(Num::Float(v)) => *v,
            // Only equality can be asked of a non-number, and a number is never equal to it.
            _ => return self.op == Op::Ne,
        };
        let v2 = match &self.value2 {
            Some(Num::Float(v)) => *v,
            _ => f64::NAN,
        };
        match self.op {
            Op::Eq => a == v,
            Op::Ne => a != v,
            Op::Gt => a > v,
            Op::Ge => a >= v,
            Op::Lt => a < v,
            Op::Le => a <= v,
            Op::Between => v <= a && a <= v2,
            Op::NotBetween => !(v <= a && a <= v2),
        }
    }
}

/// The rule's threshold, as `to_threshold` reads it: the first one set, in the reference's order.
/// A threshold field of the wrong type makes the whole rule have none (the model refuses it).
fn threshold(rule: &Value) -> Option<Threshold> {
    let get = |k: &str| rule.get(k).filter(|v| !v.is_null());
    let numeric = |v: &Value| {
        matches!(v, Value::Number(_)) || v.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok())
    };
    for k in [
        "mustBeGreaterThan",
        "mustBeGreaterOrEqualTo",
        "mustBeLessThan",
        "mustBeLessOrEqualTo",
    ] {
        if get(k).is_some_and(|v| !numeric(v)) {
            return None;
        }
    }
    for k in ["mustBeBetween", "mustNotBeBetween"] {
        if let Some(v) = get(k) {
            match v.as_array() {
                Some(a) if a.len() == 2 && a.iter().all(numeric) => {}
                _ => return None,
            }
        }
    }
    let num = |v: &Value| match v {
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_or(Num::Other(v.clone()), Num::Float),
        other => Num::of(other),
    };
    let single = |op, k: &str| {
        get(k).map(|v| Threshold {
            op,
            value: Some(if op == Op::Eq || op == Op::Ne {
                Num::of(v)
            } else {
                num(v)
            }),
            value2: None,
        })
    };
    let pair = |op, k: &str| {
        get(k).and_then(Value::as_array).map(|a| Threshold {
            op,
            value: Some(num(&a[0])),
            value2: Some(num(&a[1])),
        })
    };
    single(Op::Eq, "mustBe")
        .or_else(|| single(Op::Ne, "mustNotBe"))
        .or_else(|| single(Op::Gt, "mustBeGreaterThan"))
        .or_else(|| single(Op::Ge, "mustBeGreaterOrEqualTo"))
        .or_else(|| single(Op::Lt, "mustBeLessThan"))
        .or_else(|| single(Op::Le, "mustBeLessOrEqualTo"))
        .or_else(|| pair(Op::Between, "mustBeBetween"))
        .or_else(|| pair(Op::NotBetween, "mustNotBeBetween"))
}

fn is_percent(rule: &Value) -> bool {
    rule.get("unit")
        .filter(|v| !v.is_null())
        .map(py_str)
        .is_some_and(|u| {
            matches!(
                u.trim().to_lowercase().as_str(),
                "percent" | "percentage" | "%"
            )
        })
}

const METRIC_LEVELS: [(&str, &[&str]); 5] = [
    ("rowCount", &["schema"]),
    ("duplicateValues", &["schema", "property"]),
    ("nullValues", &["property"]),
    ("missingValues", &["property"]),
    ("invalidValues", &["property"]),
];

fn contains_variable(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        let mut chars = after.chars();
        if chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            let name_end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let tail = &after[name_end..];
            if tail.starts_with('}') || (tail.starts_with(":-") && tail.contains('}')) {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Whether `datacontract test` turns a quality rule into a check that can fail.
fn is_guarantee(rule: &Value, at_property: bool) -> bool {
    let get = |k: &str| rule.get(k).filter(|v| !v.is_null());
    let s = |k: &str| get(k).and_then(Value::as_str);
    let severity = get("severity")
        .map(py_str)
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    if matches!(
        severity.as_str(),
        "info" | "warning" | "warn" | "low" | "minor" | "trivial"
    ) {
        return false;
    }
    if s("type") == Some("custom")
        && s("engine") == Some("soda")
        && get("implementation").is_some_and(truthy_value)
    {
        return false;
    }
    if s("type") == Some("custom") && s("engine") == Some("datacontract-cli") {
        return true;
    }
    if threshold(rule).is_none() {
        return false;
    }
    if s("type") == Some("sql") {
        return get("query").is_some();
    }
    let Some(metric) = get("metric") else {
        return false;
    };
    // The model refuses a metric or unit that is not text, or arguments that are not a map.
    let (Some(metric), true, true) = (
        metric.as_str(),
        get("unit").is_none_or(Value::is_string),
        get("arguments").is_none_or(Value::is_object),
    ) else {
        return false;
    };
    if contains_variable(metric) {
        return true;
    }
    let Some((_, levels)) = METRIC_LEVELS.iter().find(|(m, _)| *m == metric) else {
        return false;
    };
    if !levels.contains(&if at_property { "property" } else { "schema" }) {
        return false;
    }
    if is_percent(rule) && !matches!(metric, "nullValues" | "missingValues" | "invalidValues") {
        return false;
    }
    if metric == "invalidValues" {
        let args = get("arguments");
        let has = |k: &str| args.and_then(|a| a.get(k)).is_some_and(|v| !v.is_null());
        if !has("validValues") && !has("pattern") {
            return false;
        }
    }
    true
}

fn truthy_value(v: &Value) -> bool {
    truthy(Some(v))
}

/// How counting more (or fewer) bad rows moves a quality rule, judged by its threshold.
fn count_direction(rule: &Value, more: bool) -> Direction {
    let Some(t) = threshold(rule) else {
        return Undetermined;
    };
    let bounds: Vec<Num> = [Some(Num::Float(0.0)), t.value.clone(), t.value2.clone()]
        .into_iter()
        .flatten()
        .collect();
    let Some(probes) = probes(&bounds, !is_percent(rule)) else {
        return Undetermined;
    };
    let accepted: Vec<bool> = probes
        .iter()
        .filter(|p| **p >= 0.0)
        .map(|p| t.passes(*p))
        .collect();
    if accepted.iter().all(|a| *a) || !accepted.iter().any(|a| *a) {
        return Untested;
    }
    let descending = accepted.windows(2).all(|w| w[0] >= w[1]);
    let ascending = accepted.windows(2).all(|w| w[0] <= w[1]);
    if descending {
        // Passes up to a limit: more bad rows can only fail it.
        if more { Tightens } else { Loosens }
    } else if ascending {
        if more { Loosens } else { Tightens }
    } else {
        Both
    }
}

/// Values that tell apart predicates that change their answer only at `bounds`; None when a
/// bound is not a number.
fn probes(bounds: &[Num], integers: bool) -> Option<Vec<f64>> {
    let mut b: Vec<f64> = Vec::new();
    for n in bounds {
        match n {
            Num::Float(f) => b.push(*f),
            Num::Other(_) => return None,
        }
    }
    b.sort_by(f64::total_cmp);
    b.dedup();
    if b.is_empty() {
        return None;
    }
    let mut out: Vec<f64> = if integers {
        b.iter()
            .flat_map(|x| {
                let (lo, hi) = (x.floor() as i64 - 1, x.ceil() as i64 + 2);
                (lo..hi).map(|n| n as f64)
            })
            .collect()
    } else {
        let mut v = b.clone();
        v.extend(b.windows(2).map(|w| (w[0] + w[1]) / 2.0));
        v.push(b[0] - 1.0);
        v.push(b[b.len() - 1] + 1.0);
        v
    };
    out.sort_by(f64::total_cmp);
    out.dedup();
    Some(out)
}

fn accepted_direction(
    old: impl Fn(f64) -> bool,
    new: impl Fn(f64) -> bool,
    probes: &[f64],
) -> Direction {
    let loosens = probes.iter().any(|p| new(*p) && !old(*p));
    let tightens = probes.iter().any(|p| old(*p) && !new(*p));
    match (loosens, tightens) {
        (true, true) => Both,
        (true, false) => Loosens,
        (false, true) => Tightens,
        _ => Untested,
    }
}
