//! The changes between two normalized contracts, as datacontract-cli's changelog reads them out
//! of DeepDiff (`ignore_order=True, threshold_to_diff_deeper=0`): maps are compared key by key,
//! lists as sets, and every added or removed map is expanded into one entry per element inside.
//! List positions are not part of a path (the reference's path pattern skips them).

use serde_json::Value;

use super::{Change, py_str};

/// One detailed change: a dotted path and the old and new values as Python's `str()` writes them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawEntry {
    pub path: String,
    pub change: Change,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Python's idea of a value's type, which DeepDiff compares before values.
fn py_type(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(n) if n.is_f64() => 3,
        Value::Number(_) => 2,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

/// Equality as a set member (DeepHash): type and value.
fn same(a: &Value, b: &Value) -> bool {
    py_type(a) == py_type(b) && a == b
}

struct Walker {
    out: Vec<RawEntry>,
}

impl Walker {
    fn push(&mut self, segs: &[String], change: Change, old: Option<&Value>, new: Option<&Value>) {
        self.out.push(RawEntry {
            path: segs.join("."),
            change,
            old: old.filter(|v| !v.is_null()).map(py_str),
            new: new.filter(|v| !v.is_null()).map(py_str),
        });
    }

    /// An added or removed item: a map is reported whole and then element by element.
    fn whole(&mut self, segs: &[String], change: Change, value: &Value, iterable: bool) {
        let (old, new) = match change {
            Change::Added => (None, Some(value)),
            _ => (Some(value), None),
        };
        match value {
            Value::Object(map) => {
                self.push(segs, change, None, None);
                self.expand(map, change, segs);
            }
            Value::String(s) if iterable => {
                let mut p = segs.to_vec();
                p.push(s.clone());
                self.push(&p, change, None, None);
            }
            _ => self.push(segs, change, old, new),
        }
    }

    fn expand(&mut self, map: &serde_json::Map<String, Value>, change: Change, base: &[String]) {
        for (k, v) in map {
            let mut segs = base.to_vec();
            segs.push(k.clone());
            match v {
                Value::Object(inner) => {
                    self.push(&segs, change, None, None);
                    self.expand(inner, change, &segs);
                }
                other => {
                    let (old, new) = match change {
                        Change::Added => (None, Some(other)),
                        _ => (Some(other), None),
                    };
                    self.push(&segs, change, old, new);
                }
            }
        }
    }

    fn walk(&mut self, a: &Value, b: &Value, segs: &mut Vec<String>) {
        match (a, b) {
            (Value::Object(m1), Value::Object(m2)) => {
                for (k, v) in m1 {
                    if !m2.contains_key(k) {
                        segs.push(k.clone());
                        self.whole(segs, Change::Removed, v, false);
                        segs.pop();
                    }
                }
                for (k, v) in m2 {
                    if !m1.contains_key(k) {
                        segs.push(k.clone());
                        self.whole(segs, Change::Added, v, false);
                        segs.pop();
                    }
                }
                for (k, v1) in m1 {
                    if let Some(v2) = m2.get(k) {
                        segs.push(k.clone());
                        self.walk(v1, v2, segs);
                        segs.pop();
                    }
                }
            }
            (Value::Array(l1), Value::Array(l2)) => self.lists(l1, l2, segs),
            _ if same(a, b) => {}
            _ => self.push(segs, Change::Updated, Some(a), Some(b)),
        }
    }

    /// Lists compared as sets. Items only in one side are added or removed; when few enough
    /// items changed, DeepDiff pairs a removed item with an added one and reports the change
    /// inside the pair instead (here: in order of appearance, which is how it pairs in the
    /// cases a contract's lists meet).
    fn lists(&mut self, l1: &[Value], l2: &[Value], segs: &mut Vec<String>) {
        let (d1, d2) = (distinct(l1), distinct(l2));
        let removed: Vec<&Value> = d1
            .iter()
            .copied()
            .filter(|v| !d2.iter().any(|x| same(x, v)))
            .collect();
        let added: Vec<&Value> = d2
            .iter()
            .copied()
            .filter(|v| !d1.iter().any(|x| same(x, v)))
            .collect();
        let ratio = (removed.len() + added.len()) as f64 / (d1.len() + d2.len() + 1) as f64;
        let paired = if ratio > 0.7 {
            0
        } else {
            removed.len().min(added.len())
        };
        for (r, a) in removed.iter().zip(&added).take(paired) {
            self.walk(r, a, segs);
        }
        for r in &removed[paired..] {
            self.whole(segs, Change::Removed, r, true);
        }
        for a in &added[paired..] {
            self.whole(segs, Change::Added, a, true);
        }
    }
}

/// The distinct items of a list, in order.
fn distinct(l: &[Value]) -> Vec<&Value> {
    let mut d: Vec<&Value> = Vec::new();
    for v in l {
        if !d.iter().any(|x| same(x, v)) {
            d.push(v);
        }
    }
    d
}

/// Every detailed change from `a` to `b`, sorted by path.
pub(crate) fn changes(a: &Value, b: &Value) -> Vec<RawEntry> {
    let mut w = Walker { out: Vec::new() };
    w.walk(a, b, &mut Vec::new());
    w.out.sort_by(|x, y| x.path.cmp(&y.path));
    w.out
}
