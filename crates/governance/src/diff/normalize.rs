//! Named lists become maps keyed by their natural key, so that two versions are matched by name
//! rather than by position: `schema.orders.properties.order_id.logicalType`, not
//! `schema[0].properties[1].logicalType`. A port of datacontract-cli's `changelog/normalize.py`,
//! key for key, because the keys are the paths that the breaking verdicts are compared on.

use serde_json::{Map, Value};

/// The text of a key value, as Python's `str()` writes it for the scalars a key can be.
fn key_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => super::py_str(other),
    }
}

fn is_positional(key: &str) -> bool {
    key.len() > 2
        && key.starts_with('[')
        && key.ends_with(']')
        && key[1..key.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

/// The map without one key.
fn without(map: &Map<String, Value>, key: &str) -> Map<String, Value> {
    let mut out = map.clone();
    out.shift_remove(key);
    out
}

/// Keys a list of objects by one field, which is left out of the value.
fn by(items: &[Value], key_field: &str) -> Value {
    let mut out = Map::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else { continue };
        let key = map
            .get(key_field)
            .map(key_text)
            .unwrap_or_else(|| format!("[{i}]"));
        let rest: Map<String, Value> = without(map, key_field);
        out.insert(key, Value::Object(rest));
    }
    Value::Object(out)
}

/// Keys a list of objects by the first of `keys` an item has, keeping the key in the value.
fn keyed(items: &[Value], keys: &[&str]) -> Value {
    let mut out = Map::new();
    for (i, item) in items.iter().enumerate() {
        let key = match item {
            Value::Object(map) => keys
                .iter()
                .find_map(|k| map.get(*k).filter(|v| !v.is_null()).map(key_text))
                .filter(|k| !k.is_empty()),
            _ => None,
        }
        .unwrap_or_else(|| format!("[{i}]"));
        out.insert(key, item.clone());
    }
    Value::Object(out)
}

fn auth_defs(items: &[Value]) -> Value {
    keyed(items, &["url", "id"])
}

fn context(value: &Value) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut entry = map.clone();
    if let Some(Value::Array(items)) = map.get("verifiedStatements") {
        entry.insert(
            "verifiedStatements".into(),
            keyed(items, &["id", "question"]),
        );
    }
    if let Some(Value::Array(items)) = map.get("constraints") {
        entry.insert("constraints".into(), keyed(items, &["id", "constraint"]));
    }
    Value::Object(entry)
}

fn relationships(items: &[Value], schema_level: bool) -> Value {
    let mut out = Map::new();
    for (i, item) in items.iter().enumerate() {
        let get = |k: &str| {
            item.get(k)
                .filter(|v| !v.is_null())
                .map(key_text)
                .unwrap_or_default()
        };
        let id = get("id");
        let key = if !id.is_empty() {
            id
        } else if schema_level {
            let (from, to) = (get("from"), get("to"));
            if from.is_empty() && to.is_empty() {
                format!("[{i}]")
            } else {
                format!("{from}:{to}")
            }
        } else {
            let to = get("to");
            if to.is_empty() { format!("[{i}]") } else { to }
        };
        out.insert(key, item.clone());
    }
    Value::Object(out)
}

fn quality(items: &[Value]) -> Value {
    let mut out = Map::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else { continue };
        let key = map
            .get("name")
            .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
            .map(key_text)
            .unwrap_or_else(|| format!("[{i}]"));
        let mut entry: Map<String, Value> = without(map, "name");
        if let Some(Value::Array(props)) = map.get("customProperties") {
            entry.insert("customProperties".into(), by(props, "property"));
        }
        if let Some(Value::Array(defs)) = map.get("authoritativeDefinitions") {
            entry.insert("authoritativeDefinitions".into(), auth_defs(defs));
        }
        out.insert(key, Value::Object(entry));
    }
    Value::Object(out)
}

fn schema_fields(entry: &mut Map<String, Value>, schema_level: bool) {
    let lists: Vec<(String, Vec<Value>)> = entry
        .iter()
        .filter_map(|(k, v)| v.as_array().map(|a| (k.clone(), a.clone())))
        .collect();
    for (k, items) in lists {
        let normalized = match k.as_str() {
            "quality" => quality(&items),
            "customProperties" => by(&items, "property"),
            "authoritativeDefinitions" => auth_defs(&items),
            "relationships" => relationships(&items, schema_level),
            "synonyms" => keyed(&items, &["id", "synonym"]),
            "enum" => keyed(&items, &["id", "value"]),
            _ => continue,
        };
        entry.insert(k, normalized);
    }
    if let Some(c) = entry.get("context") {
        let c = context(c);
        entry.insert("context".into(), c);
    }
}

fn properties(items: &[Value]) -> Value {
    let mut out = Map::new();
    for prop in items {
        let Value::Object(map) = prop else { continue };
        let key = map
            .get("name")
            .or_else(|| map.get("id"))
            .map(key_text)
            .unwrap_or_else(|| super::py_str(prop));
        let mut entry: Map<String, Value> = without(map, "name");
        property_children(&mut entry);
        schema_fields(&mut entry, false);
        out.insert(key, Value::Object(entry));
    }
    Value::Object(out)
}

fn property_children(entry: &mut Map<String, Value>) {
    if let Some(Value::Array(items)) = entry.get("properties") {
        let p = properties(items);
        entry.insert("properties".into(), p);
    }
    if let Some(Value::Object(items)) = entry.get("items") {
        let mut items = items.clone();
        property_children(&mut items);
        schema_fields(&mut items, false);
        entry.insert("items".into(), Value::Object(items));
    }
    if let Some(Value::Object(map)) = entry.get("map") {
        let mut sides = Map::new();
        for (side, definition) in map {
            let v = match definition {
                Value::Object(d) => {
                    let mut d = d.clone();
                    property_children(&mut d);
                    schema_fields(&mut d, false);
                    Value::Object(d)
                }
                other => other.clone(),
            };
            sides.insert(side.clone(), v);
        }
        entry.insert("map".into(), Value::Object(sides));
    }
}

/// Converts the named lists of a (projected) contract to maps keyed by their natural key.
pub(crate) fn normalize(contract: &Value) -> Value {
    let Value::Object(map) = contract else {
        return contract.clone();
    };
    let mut out = map.clone();
    if let Some(Value::Array(tables)) = map.get("schema") {
        let mut schema = Map::new();
        for table in tables {
            let Value::Object(t) = table else { continue };
            let key = t
                .get("name")
                .or_else(|| t.get("id"))
                .map(key_text)
                .unwrap_or_else(|| super::py_str(table));
            let mut entry: Map<String, Value> = without(t, "name");
            if let Some(Value::Array(props)) = t.get("properties") {
                entry.insert("properties".into(), properties(props));
            }
            schema_fields(&mut entry, true);
            schema.insert(key, Value::Object(entry));
        }
        out.insert("schema".into(), Value::Object(schema));
    }
    if let Some(Value::Array(slas)) = map.get("slaProperties") {
        let mut slas = match by(slas, "property") {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        for entry in slas.values_mut() {
            let Value::Object(e) = entry else { continue };
            if let Some(Value::Array(props)) = e.get("customProperties") {
                let v = by(props, "property");
                e.insert("customProperties".into(), v);
            }
            if let Some(Value::Array(defs)) = e.get("authoritativeDefinitions") {
                let v = auth_defs(defs);
                e.insert("authoritativeDefinitions".into(), v);
            }
        }
        out.insert("slaProperties".into(), Value::Object(slas));
    }
    if let Some(c) = map.get("context") {
        out.insert("context".into(), context(c));
    }
    if let Some(Value::Array(servers)) = map.get("servers") {
        let mut normalized = Map::new();
        for s in servers {
            let Some(key) = s
                .get("server")
                .and_then(Value::as_str)
                .filter(|k| !k.is_empty())
            else {
                continue;
            };
            let Value::Object(sm) = s else { continue };
            let mut entry: Map<String, Value> = without(sm, "server");
            if let Some(Value::Array(roles)) = sm.get("roles") {
                entry.insert("roles".into(), by(roles, "role"));
            }
            if let Some(Value::Array(props)) = sm.get("customProperties") {
                entry.insert("customProperties".into(), by(props, "property"));
            }
            normalized.insert(key.to_owned(), Value::Object(entry));
        }
        out.insert("servers".into(), Value::Object(normalized));
    }
    if let Some(Value::Array(items)) = map.get("support") {
        out.insert("support".into(), by(items, "channel"));
    }
    if let Some(Value::Array(items)) = map.get("roles") {
        out.insert("roles".into(), by(items, "role"));
    }
    if let Some(Value::Array(items)) = map.get("customProperties") {
        out.insert("customProperties".into(), by(items, "property"));
    }
    if let Some(Value::Object(team)) = map.get("team")
        && let Some(Value::Array(members)) = team.get("members")
    {
        let mut team = team.clone();
        team.insert("members".into(), by(members, "username"));
        out.insert("team".into(), Value::Object(team));
    }
    if let Some(Value::Array(items)) = map.get("authoritativeDefinitions") {
        out.insert("authoritativeDefinitions".into(), auth_defs(items));
    }
    if let Some(Value::Object(desc)) = map.get("description") {
        let mut d = desc.clone();
        if let Some(Value::Array(defs)) = desc.get("authoritativeDefinitions") {
            d.insert("authoritativeDefinitions".into(), auth_defs(defs));
        }
        if let Some(Value::Array(props)) = desc.get("customProperties") {
            d.insert("customProperties".into(), by(props, "property"));
        }
        out.insert("description".into(), Value::Object(d));
    }
    Value::Object(out)
}

/// Normalizes both versions and gives each quality rule the same key in both.
pub(crate) fn normalize_pair(v1: &Value, v2: &Value) -> (Value, Value) {
    let (mut n1, mut n2) = (normalize(v1), normalize(v2));
    if let (Some(s1), Some(s2)) = (n1.get_mut("schema"), n2.get_mut("schema")) {
        // Borrow both mutably through a clone of one side's keys.
        pair_owners(s1, s2);
    }
    (n1, n2)
}

fn pair_owners(owners1: &mut Value, owners2: &mut Value) {
    let (Value::Object(o1), Value::Object(o2)) = (owners1, owners2) else {
        return;
    };
    let common: Vec<String> = o1.keys().filter(|k| o2.contains_key(*k)).cloned().collect();
    for key in common {
        let (Some(Value::Object(a)), Some(Value::Object(b))) = (o1.get_mut(&key), o2.get_mut(&key))
        else {
            continue;
        };
        if let (Some(Value::Object(q1)), Some(Value::Object(q2))) =
            (a.get("quality"), b.get("quality"))
        {
            let (p1, p2) = pair_quality(q1, q2);
            a.insert("quality".into(), Value::Object(p1));
            b.insert("quality".into(), Value::Object(p2));
        }
        if let (Some(p1), Some(p2)) = (a.get_mut("properties"), b.get_mut("properties")) {
            pair_owners(p1, p2);
        }
        if let (Some(m1), Some(m2)) = (a.get_mut("map"), b.get_mut("map")) {
            pair_owners(m1, m2);
        }
        if let (Some(i1 @ Value::Object(_)), Some(i2 @ Value::Object(_))) =
            (a.get_mut("items"), b.get_mut("items"))
        {
            let mut w1 = Value::Object(Map::from_iter([("items".to_owned(), i1.take())]));
            let mut w2 = Value::Object(Map::from_iter([("items".to_owned(), i2.take())]));
            pair_owners(&mut w1, &mut w2);
            *i1 = w1["items"].take();
            *i2 = w2["items"].take();
        }
    }
}

/// What a quality rule checks, as opposed to its thresholds and arguments.
const CHECK_FIELDS: [&str; 6] = [
    "type",
    "metric",
    "rule",
    "query",
    "engine",
    "implementation",
];

type Side = Vec<(String, Option<String>, Value)>;

/// Gives paired quality rules one key, pairing by id, name, equal rule, what it checks, then
/// position if nameless.
fn pair_quality(
    rules1: &Map<String, Value>,
    rules2: &Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let side = |rules: &Map<String, Value>| -> Side {
        rules
            .iter()
            .map(|(k, r)| {
                let name = (!is_positional(k)).then(|| k.clone());
                (k.clone(), name, r.clone())
            })
            .collect()
    };
    let (side1, side2) = (side(rules1), side(rules2));
    let mut pairs: Vec<Option<usize>> = vec![None; side2.len()];
    let mut paired1 = vec![false; side1.len()];
    let get = |v: &Value, f: &str| v.get(f).cloned().unwrap_or(Value::Null);
    for tier in 0..5 {
        for (j, (_, name2, rule2)) in side2.iter().enumerate() {
            if pairs[j].is_some() {
                continue;
            }
            for (i, (_, name1, rule1)) in side1.iter().enumerate() {
                if paired1[i] {
                    continue;
                }
                let hit = match tier {
                    0 => !get(rule1, "id").is_null() && get(rule1, "id") == get(rule2, "id"),
                    1 => name1.is_some() && name1 == name2,
                    2 => rule1 == rule2,
                    3 => CHECK_FIELDS.iter().all(|f| get(rule1, f) == get(rule2, f)),
                    _ => name1.is_none() && name2.is_none(),
                };
                if hit {
                    pairs[j] = Some(i);
                    paired1[i] = true;
                    break;
                }
            }
        }
    }
    let positions_from_v1 = side1
        .iter()
        .enumerate()
        .any(|(i, (_, name, _))| name.is_none() && !paired1[i]);
    let mut out1: Map<String, Value> = side1
        .iter()
        .enumerate()
        .filter(|(i, _)| !paired1[*i])
        .map(|(_, (k, _, r))| (k.clone(), r.clone()))
        .collect();
    let mut out2 = Map::new();
    for (j, (key2, name2, rule2)) in side2.iter().enumerate() {
        let Some(i) = pairs[j] else {
            out2.insert(key2.clone(), rule2.clone());
            continue;
        };
        let (key1, name1, rule1) = &side1[i];
        let (mut r1, mut r2) = (rule1.clone(), rule2.clone());
        if name1 != name2 {
            // normalize strips the name, so put it back for the diff to report the rename.
            if let (Some(n), Value::Object(m)) = (name1, &mut r1) {
                m.insert("name".into(), Value::String(n.clone()));
            }
            if let (Some(n), Value::Object(m)) = (name2, &mut r2) {
                m.insert("name".into(), Value::String(n.clone()));
            }
        }
        let shared = name2.clone().or_else(|| name1.clone()).unwrap_or_else(|| {
            if positions_from_v1 {
                key1.clone()
            } else {
                key2.clone()
            }
        });
        out1.insert(shared.clone(), r1);
        out2.insert(shared, r2);
    }
    (out1, out2)
}
