//! Policy as code: OPA Rego evaluated in process with `regorus`, for what the built-in kinds
//! cannot say.
//!
//! A Rego policy receives one input document ([`input`]) and declares a rule `violations`: a set
//! (or array) of objects `{"message": …, "path": …, "document": …, "fix": …}` — only `message`
//! is required — or of plain strings. Its metadata (title, severity, scope, state) lives in
//! Meshwork's policy record, not in the Rego. Evaluation runs under a wall-clock limit: a runaway
//! policy becomes an error finding and never hangs a request.

use std::num::NonZeroU32;
use std::time::Duration;

use regorus::Engine;
use regorus::utils::limits::{ExecutionTimerConfig, PolicyLengthConfig};
use serde_json::{Map, Value, json};

use crate::diff::{Perspective, diff_contracts};
use crate::kinds::{Context, Subject};
use crate::policy::Violation;

/// How long one policy may run on one product.
pub const TIME_LIMIT: Duration = Duration::from_millis(250);
/// The largest policy source accepted.
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;

const PATH: &str = "policy.rego";

fn engine(source: &str) -> Result<(Engine, String), String> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(format!(
            "the policy is {} bytes, more than the {MAX_SOURCE_BYTES} allowed",
            source.len()
        ));
    }
    let mut engine = Engine::new();
    engine.set_policy_length_config(PolicyLengthConfig::default());
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: TIME_LIMIT,
        check_interval: NonZeroU32::new(32).unwrap_or(NonZeroU32::MIN),
    });
    let package = engine
        .add_policy(PATH.to_owned(), source.to_owned())
        .map_err(|e| e.to_string())?;
    Ok((engine, package))
}

/// Checks a policy: it parses, and declares `violations`.
pub fn validate(source: &str) -> Result<(), String> {
    let (engine, package) = engine(source)?;
    let declared = engine
        .has_declared_rule_rooted_at(PATH, "violations")
        .map_err(|e| e.to_string())?;
    if !declared {
        return Err(format!(
            "{package} declares no rule 'violations'; write e.g. `violations contains {{\"message\": msg}} if {{ … }}`"
        ));
    }
    Ok(())
}

/// The input document a Rego policy receives (its schema is in docs/governance.md).
pub fn input(s: Subject<'_>, cx: &Context) -> Value {
    let contracts: Vec<Value> = s
        .contracts
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok())
        .collect();
    let mut previous = Map::new();
    let mut diffs = Map::new();
    for c in s.contracts {
        let Some(prev) = cx.previous_contracts.get(&c.id) else {
            continue;
        };
        let (Ok(old), Ok(new)) = (serde_json::to_value(prev), serde_json::to_value(c)) else {
            continue;
        };
        let report = diff_contracts(&old, &new, Perspective::Consumer);
        diffs.insert(
            c.id.clone(),
            serde_json::to_value(report).unwrap_or(Value::Null),
        );
        previous.insert(c.id.clone(), old);
    }
    let mut inputs: Vec<Value> = cx
        .input_statuses
        .iter()
        .map(|(product, status)| json!({"product": product, "status": status}))
        .collect();
    inputs.sort_by_key(|v| v["product"].as_str().unwrap_or_default().to_owned());
    let mut doc = json!({
        "product": serde_json::to_value(s.product).unwrap_or(Value::Null),
        "contracts": contracts,
        "previous": {"contracts": previous},
        "diff": diffs,
        "domain": s.product.domain,
        "inputs": inputs,
        "now": cx.today,
    });
    if let Value::Object(map) = &mut doc {
        for (k, v) in &cx.facts {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    doc
}

/// Evaluates the policy on the subject. A policy that fails to run (a syntax error that slipped
/// past validation, a runtime error, the time limit) is reported as one violation saying so.
pub fn check(source: &str, s: Subject<'_>, cx: &Context) -> Vec<Violation> {
    match run(source, input(s, cx)) {
        Ok(v) => v,
        Err(e) => vec![
            Violation::product("", format!("the Rego policy could not be evaluated: {e}"))
                .fix("fix the policy (a platform admin), or retire it"),
        ],
    }
}

thread_local! {
    /// Parsed policies by source: a policy is parsed once per thread, then its engine is cloned
    /// for each product (parsing dominated a registry-wide run).
    static ENGINES: std::cell::RefCell<std::collections::HashMap<String, Parsed>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A policy's engine and package, or why it cannot be parsed.
type Parsed = Result<(Engine, String), String>;

fn parsed(source: &str) -> Parsed {
    ENGINES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(found) = cache.get(source) {
            return found.clone();
        }
        if cache.len() > 64 {
            cache.clear();
        }
        // Evaluated once on an empty input, so that the cached engine is prepared (its rules
        // analysed and scheduled) and its clones do not prepare it again for every product.
        let made = engine(source).map(|(mut e, package)| {
            e.set_input(regorus::Value::new_object());
            let _ = e.eval_rule(format!("{package}.violations"));
            (e, package)
        });
        cache.insert(source.to_owned(), made.clone());
        made
    })
}

fn run(source: &str, input: Value) -> Result<Vec<Violation>, String> {
    let (mut engine, package) = parsed(source)?;
    let input = regorus::Value::from(input);
    engine.set_input(input);
    let value = engine
        .eval_rule(format!("{package}.violations"))
        .map_err(|e| e.to_string())?;
    if value == regorus::Value::Undefined {
        return Ok(Vec::new());
    }
    let json: Value = serde_json::from_str(&value.to_json_str().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let items = match json {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => {
            return Err(format!(
                "'violations' must be a set or an array, not {other}"
            ));
        }
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(message) => Ok(Violation::product("", message)),
            Value::Object(o) => {
                let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
                let message =
                    text("message").ok_or_else(|| String::from("a violation has no 'message'"))?;
                Ok(Violation {
                    document: text("document").unwrap_or_else(|| String::from("product")),
                    path: text("path").unwrap_or_default(),
                    message,
                    fix: text("fix"),
                })
            }
            other => Err(format!(
                "a violation must be an object or a string, not {other}"
            )),
        })
        .collect()
}
