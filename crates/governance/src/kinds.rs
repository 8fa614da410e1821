//! The built-in policy kinds, each with typed parameters: what a platform team can switch on
//! without writing code. A kind looks at one subject (a product and its contracts) in a context
//! (the registry around it, the previous versions, today) and reports violations; lifecycle,
//! scope and waivers are applied by the engine.

use std::collections::HashMap;

use domain::odcs::SchemaProperty;
use domain::odps::custom_property;
use domain::{Classification, DataContractDoc, DataProductDoc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diff::{Perspective, diff_contracts};
use crate::policy::{Target, Violation};

/// A policy's rule and its parameters (`{"kind": "id-pattern", "parameters": {...}}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "parameters", rename_all = "kebab-case")]
pub enum Kind {
    /// The product id matches a regular expression.
    IdPattern { pattern: String },
    /// The product name matches a regular expression.
    NamePattern { pattern: String },
    /// A field of the product is present and not empty (a JSON Pointer: `/description/purpose`).
    RequiredField { field: String },
    /// A text field of the product has at least `min` characters.
    MinLength { field: String, min: usize },
    /// A field of the product takes one of `allowed`.
    Vocabulary { field: String, allowed: Vec<String> },
    /// A numeric field of the product lies within bounds.
    NumericBound {
        field: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// Every tag of the product is one of `allowed`.
    TagsFromVocabulary { allowed: Vec<String> },
    /// The product's domain is registered.
    DomainKnown,
    /// The product names its owning team.
    OwnerPresent,
    /// The product has a support channel.
    SupportChannel,
    /// Every output port has a contract that resolves.
    OutputPortHasContract,
    /// At least `min_percent` of the contracts' properties have a description.
    PropertyDescriptions {
        #[serde(rename = "minPercent")]
        min_percent: f64,
    },
    /// Every classification is one of Meshwork's (public, internal, confidential, restricted).
    ClassificationVocabulary,
    /// Personal data is confidential or restricted: a property flagged `pii`, marked a critical
    /// data element, or whose name matches one of `names` (regular expressions).
    PiiClassified { names: Vec<String> },
    /// Each contract declares an SLA property (`freshness`, `availability`, …), optionally no
    /// looser than `maxSeconds` (for time-valued properties).
    SlaDeclared {
        property: String,
        #[serde(
            default,
            rename = "maxSeconds",
            skip_serializing_if = "Option::is_none"
        )]
        max_seconds: Option<i64>,
    },
    /// Each contract has at least one quality rule.
    QualityRulesPresent,
    /// Product and contract versions are semantic versions.
    SemverValid,
    /// A change that breaks consumers comes with a new major version.
    SemverMajorOnBreaking,
    /// No property's classification is lowered from one published version to the next.
    NoClassificationDowngrade,
    /// A deprecated product names its successor and a sunset date (custom properties
    /// `successor` and `sunsetDate`).
    DeprecationSuccessor,
    /// The product reads from no deprecated or retired product.
    NoDeprecatedInputs,
    /// Contracts' status is consistent with the product's (an active product publishes no draft
    /// or retired contract).
    ContractStatusConsistent,
    /// Policy as code: a Rego module declaring `violations` (see [`crate::rego`]).
    Rego { source: String },
}

/// What lies around a subject: the registry and the previous versions.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Today, `YYYY-MM-DD`.
    pub today: String,
    pub known_domains: Vec<String>,
    /// Contract ids that exist in the registry (besides those submitted with the product).
    pub known_contracts: Vec<String>,
    /// The published version of each contract being changed, by id.
    pub previous_contracts: HashMap<String, DataContractDoc>,
    /// Status of each product the subject reads from, by product id.
    pub input_statuses: HashMap<String, String>,
    /// Further facts handed to Rego policies as top-level input fields (the team, consumers,
    /// latest quality results…).
    pub facts: serde_json::Map<String, Value>,
}

/// A product and its contracts, as submitted.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    pub product: &'a DataProductDoc,
    pub contracts: &'a [DataContractDoc],
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::IdPattern { .. } => "id-pattern",
            Kind::NamePattern { .. } => "name-pattern",
            Kind::RequiredField { .. } => "required-field",
            Kind::MinLength { .. } => "min-length",
            Kind::Vocabulary { .. } => "vocabulary",
            Kind::NumericBound { .. } => "numeric-bound",
            Kind::TagsFromVocabulary { .. } => "tags-from-vocabulary",
            Kind::DomainKnown => "domain-known",
            Kind::OwnerPresent => "owner-present",
            Kind::SupportChannel => "support-channel",
            Kind::OutputPortHasContract => "output-port-has-contract",
            Kind::PropertyDescriptions { .. } => "property-descriptions",
            Kind::ClassificationVocabulary => "classification-vocabulary",
            Kind::PiiClassified { .. } => "pii-classified",
            Kind::SlaDeclared { .. } => "sla-declared",
            Kind::QualityRulesPresent => "quality-rules-present",
            Kind::SemverValid => "semver-valid",
            Kind::SemverMajorOnBreaking => "semver-major-on-breaking",
            Kind::NoClassificationDowngrade => "no-classification-downgrade",
            Kind::DeprecationSuccessor => "deprecation-successor",
            Kind::NoDeprecatedInputs => "no-deprecated-inputs",
            Kind::ContractStatusConsistent => "contract-status-consistent",
            Kind::Rego { .. } => "rego",
        }
    }

    /// What the kind looks at.
    pub fn target(&self) -> Target {
        match self {
            Kind::PropertyDescriptions { .. }
            | Kind::ClassificationVocabulary
            | Kind::PiiClassified { .. }
            | Kind::SlaDeclared { .. }
            | Kind::QualityRulesPresent
            | Kind::SemverMajorOnBreaking
            | Kind::NoClassificationDowngrade => Target::Contract,
            Kind::OutputPortHasContract => Target::OutputPort,
            _ => Target::Product,
        }
    }

    /// Checks the parameters: every problem, each naming its parameter.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        #[cfg(feature = "rego")]
        if let Kind::Rego { source } = self
            && let Err(e) = crate::rego::validate(source)
        {
            problems.push((String::from("parameters.source"), e));
        }
        let mut regex = |name: &str, pattern: &str| {
            if let Err(e) = regex::Regex::new(pattern) {
                problems.push((
                    format!("parameters.{name}"),
                    format!("not a valid regular expression: {e}"),
                ));
            }
        };
        match self {
            Kind::IdPattern { pattern } | Kind::NamePattern { pattern } => {
                regex("pattern", pattern)
            }
            Kind::PiiClassified { names } => names.iter().for_each(|n| regex("names", n)),
            _ => {}
        }
        let pointer = |field: &str| {
            (!field.starts_with('/')).then(|| {
                (
                    String::from("parameters.field"),
                    format!("'{field}' is not a JSON Pointer; start it with '/', e.g. /description/purpose"),
                )
            })
        };
        match self {
            Kind::RequiredField { field }
            | Kind::MinLength { field, .. }
            | Kind::NumericBound { field, .. } => {
                problems.extend(pointer(field));
            }
            Kind::Vocabulary { field, allowed } => {
                problems.extend(pointer(field));
                if allowed.is_empty() {
                    problems.push((
                        "parameters.allowed".into(),
                        "name at least one allowed value".into(),
                    ));
                }
            }
            Kind::TagsFromVocabulary { allowed } if allowed.is_empty() => {
                problems.push((
                    "parameters.allowed".into(),
                    "name at least one allowed tag".into(),
                ));
            }
            _ => {}
        }
        if let Kind::NumericBound {
            min: Some(lo),
            max: Some(hi),
            ..
        } = self
            && lo > hi
        {
            problems.push((
                "parameters.min".into(),
                format!("min {lo} is above max {hi}"),
            ));
        }
        if let Kind::PropertyDescriptions { min_percent } = self
            && !(0.0..=100.0).contains(min_percent)
        {
            problems.push((
                "parameters.minPercent".into(),
                "a percentage between 0 and 100".into(),
            ));
        }
        if let Kind::SlaDeclared {
            property,
            max_seconds,
        } = self
        {
            if property.trim().is_empty() {
                problems.push((
                    "parameters.property".into(),
                    "name the SLA property, e.g. freshness".into(),
                ));
            }
            if max_seconds.is_some_and(|s| s <= 0) {
                problems.push((
                    "parameters.maxSeconds".into(),
                    "a positive number of seconds".into(),
                ));
            }
        }
        problems
    }

    /// The violations of the subject. Parameters are assumed valid ([`Kind::validate`]); an
    /// invalid regular expression matches nothing.
    pub fn check(&self, s: Subject<'_>, cx: &Context) -> Vec<Violation> {
        self.check_in(s, cx, &std::cell::OnceCell::new())
    }

    /// [`Kind::check`] with the product as JSON made at most once per subject (the kinds that
    /// read a field by pointer need it; serialising it for every policy dominated a run).
    pub(crate) fn check_in(
        &self,
        s: Subject<'_>,
        cx: &Context,
        as_json: &std::cell::OnceCell<Value>,
    ) -> Vec<Violation> {
        let p = s.product;
        let product_value =
            || as_json.get_or_init(|| serde_json::to_value(p).unwrap_or(Value::Null));
        let mut out = Vec::new();
        match self {
            Kind::IdPattern { pattern } => {
                if !matches(pattern, &p.id) {
                    out.push(
                        Violation::product(
                            "/id",
                            format!("id '{}' does not match {pattern}", p.id),
                        )
                        .fix(format!("choose an id matching {pattern}")),
                    );
                }
            }
            Kind::NamePattern { pattern } => {
                let name = p.name.as_deref().unwrap_or_default();
                if !matches(pattern, name) {
                    out.push(
                        Violation::product(
                            "/name",
                            format!("name '{name}' does not match {pattern}"),
                        )
                        .fix(format!("rename the product to match {pattern}")),
                    );
                }
            }
            Kind::RequiredField { field } => {
                if is_empty(product_value().pointer(field)) {
                    out.push(
                        Violation::product(field, format!("{field} is missing"))
                            .fix(format!("fill in {field}")),
                    );
                }
            }
            Kind::MinLength { field, min } => {
                let len = product_value()
                    .pointer(field)
                    .and_then(Value::as_str)
                    .map_or(0, |t| t.trim().chars().count());
                if len < *min {
                    out.push(
                        Violation::product(
                            field,
                            format!("{field} has {len} characters, fewer than {min}"),
                        )
                        .fix(format!("write at least {min} characters in {field}")),
                    );
                }
            }
            Kind::Vocabulary { field, allowed } => {
                if let Some(v) = product_value().pointer(field).and_then(Value::as_str)
                    && !allowed.iter().any(|a| a == v)
                {
                    out.push(
                        Violation::product(
                            field,
                            format!("{field} is '{v}', not one of {}", allowed.join(", ")),
                        )
                        .fix(format!("use one of {}", some_of(allowed))),
                    );
                }
            }
            Kind::NumericBound { field, min, max } => {
                if let Some(v) = product_value().pointer(field).and_then(number)
                    && (min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m))
                {
                    let range = match (min, max) {
                        (Some(a), Some(b)) => format!("between {a} and {b}"),
                        (Some(a), None) => format!("at least {a}"),
                        (None, Some(b)) => format!("at most {b}"),
                        (None, None) => String::new(),
                    };
                    out.push(Violation::product(
                        field,
                        format!("{field} is {v}, not {range}"),
                    ));
                }
            }
            Kind::TagsFromVocabulary { allowed } => {
                for (i, tag) in p.tags.iter().enumerate() {
                    if !allowed.contains(tag) {
                        out.push(
                            Violation::product(
                                format!("/tags/{i}"),
                                format!("tag '{tag}' is not in the vocabulary"),
                            )
                            .fix(format!("use one of {}", some_of(allowed))),
                        );
                    }
                }
            }
            Kind::DomainKnown => match p.domain.as_deref() {
                Some(d) if cx.known_domains.iter().any(|k| k == d) => {}
                Some(d) => out.push(
                    Violation::product("/domain", format!("domain '{d}' is not registered"))
                        .fix("pick a registered domain, or ask the platform team to add it"),
                ),
                None => out.push(
                    Violation::product("/domain", "the product names no domain").fix("set domain"),
                ),
            },
            Kind::OwnerPresent => {
                if p.team_name().is_none_or(|t| t.trim().is_empty()) {
                    out.push(
                        Violation::product("/team", "the product names no owning team")
                            .fix("set team.name"),
                    );
                }
            }
            Kind::SupportChannel => {
                if !p.support.iter().any(|s| !s.channel.trim().is_empty()) {
                    out.push(
                        Violation::product("/support", "the product has no support channel").fix(
                            "add a support channel (e.g. a Slack channel or an issue tracker)",
                        ),
                    );
                }
            }
            Kind::OutputPortHasContract => {
                for (i, port) in p.output_ports.iter().enumerate() {
                    match port.contract_id.as_deref() {
                        None => out.push(
                            Violation::product(
                                format!("/outputPorts/{i}/contractId"),
                                format!("output port '{}' has no contract", port.name),
                            )
                            .fix("attach a data contract to the port"),
                        ),
                        Some(c)
                            if !s.contracts.iter().any(|x| x.id == c)
                                && !cx.known_contracts.iter().any(|x| x == c) =>
                        {
                            out.push(Violation::product(
                                format!("/outputPorts/{i}/contractId"),
                                format!(
                                    "output port '{}' names contract '{c}', which does not exist",
                                    port.name
                                ),
                            ));
                        }
                        Some(_) => {}
                    }
                }
            }
            Kind::PropertyDescriptions { min_percent } => {
                for c in s.contracts {
                    let props = properties(c);
                    if props.is_empty() {
                        continue;
                    }
                    let described = props
                        .iter()
                        .filter(|(_, p)| {
                            p.description
                                .as_deref()
                                .is_some_and(|d| !d.trim().is_empty())
                        })
                        .count();
                    let pct = described as f64 * 100.0 / props.len() as f64;
                    if pct < *min_percent {
                        out.push(
                            Violation::contract(
                                &c.id,
                                "/schema",
                                format!("{described} of {} properties are described ({pct:.0}%), fewer than {min_percent}%", props.len()),
                            )
                            .fix("describe the properties without a description"),
                        );
                    }
                }
            }
            Kind::ClassificationVocabulary => {
                for c in s.contracts {
                    for (path, prop) in properties(c) {
                        if let Some(cl) = prop.classification.as_deref()
                            && Classification::parse(cl).is_err()
                        {
                            out.push(
                                Violation::contract(
                                    &c.id,
                                    format!("{path}/classification"),
                                    format!(
                                        "'{}' is classified '{cl}', not one of {}",
                                        prop.name,
                                        Classification::allowed()
                                    ),
                                )
                                .fix(format!("use one of {}", Classification::allowed())),
                            );
                        }
                    }
                }
            }
            Kind::PiiClassified { names } => {
                // One case-insensitive alternation of every valid name pattern, compiled once.
                let joined = names
                    .iter()
                    .filter(|n| is_match(n, true, "").is_some())
                    .map(|n| format!("(?:{n})"))
                    .collect::<Vec<_>>()
                    .join("|");
                for c in s.contracts {
                    for (path, prop) in properties(c) {
                        let why = if prop.is_pii() {
                            Some("is flagged as personal data")
                        } else if prop.extra.get("criticalDataElement") == Some(&Value::Bool(true))
                        {
                            Some("is a critical data element")
                        } else if !joined.is_empty()
                            && is_match(&joined, true, &prop.name) == Some(true)
                        {
                            Some("looks like personal data by its name")
                        } else {
                            None
                        };
                        let level = prop
                            .classification
                            .as_deref()
                            .and_then(|c| Classification::parse(c).ok());
                        if let Some(why) = why
                            && !matches!(
                                level,
                                Some(Classification::Confidential | Classification::Restricted)
                            )
                        {
                            out.push(
                                Violation::contract(
                                    &c.id,
                                    format!("{path}/classification"),
                                    format!(
                                        "'{}' {why} but is classified {}",
                                        prop.name,
                                        prop.classification.as_deref().unwrap_or("nothing")
                                    ),
                                )
                                .fix("classify it confidential or restricted"),
                            );
                        }
                    }
                }
            }
            Kind::SlaDeclared {
                property,
                max_seconds,
            } => {
                for c in s.contracts {
                    let Some((i, sla)) = c
                        .sla_properties
                        .iter()
                        .enumerate()
                        .find(|(_, s)| same_sla(&s.property, property))
                    else {
                        out.push(
                            Violation::contract(
                                &c.id,
                                "/slaProperties",
                                format!("no {property} SLA is declared"),
                            )
                            .fix(format!("declare slaProperties: {property}")),
                        );
                        continue;
                    };
                    if let Some(max) = max_seconds {
                        let secs = sla.as_seconds().map(|s| s.round() as i64).or_else(|| {
                            sla.value
                                .as_str()
                                .and_then(crate::diff::iso_duration_seconds)
                        });
                        match secs {
                            Some(secs) if secs > *max => out.push(
                                Violation::contract(
                                    &c.id,
                                    format!("/slaProperties/{i}/value"),
                                    format!("{property} of {secs} s is looser than the {max} s allowed"),
                                )
                                .fix(format!("promise {property} of at most {}", human_seconds(*max))),
                            ),
                            Some(_) => {}
                            None => out.push(Violation::contract(
                                &c.id,
                                format!("/slaProperties/{i}/value"),
                                format!("{property} value cannot be read as a duration"),
                            ).fix("write a number with a unit (d, h, m) or an ISO 8601 duration such as PT6H")),
                        }
                    }
                }
            }
            Kind::QualityRulesPresent => {
                for c in s.contracts {
                    let any = c
                        .schema
                        .iter()
                        .any(|o| !o.quality.is_empty() || props_have_quality(&o.properties));
                    if !any {
                        out.push(
                            Violation::contract(
                                &c.id,
                                "/schema",
                                "the contract declares no quality rule",
                            )
                            .fix("add quality rules to the schema (e.g. nullValues, rowCount)"),
                        );
                    }
                }
            }
            Kind::SemverValid => {
                if let Some(v) = p.version.as_deref()
                    && domain::version::parse_semver(v).is_err()
                {
                    out.push(
                        Violation::product("/version", format!("'{v}' is not a semantic version"))
                            .fix("write MAJOR.MINOR.PATCH, e.g. 1.2.0"),
                    );
                }
                for c in s.contracts {
                    if domain::version::parse_semver(&c.version).is_err() {
                        out.push(
                            Violation::contract(
                                &c.id,
                                "/version",
                                format!("'{}' is not a semantic version", c.version),
                            )
                            .fix("write MAJOR.MINOR.PATCH, e.g. 1.2.0"),
                        );
                    }
                }
            }
            Kind::SemverMajorOnBreaking => {
                for c in s.contracts {
                    let Some(prev) = cx.previous_contracts.get(&c.id) else {
                        continue;
                    };
                    let (Ok(old_v), Ok(new_v)) = (
                        domain::version::parse_semver(&prev.version),
                        domain::version::parse_semver(&c.version),
                    ) else {
                        continue;
                    };
                    let (Ok(old), Ok(new)) = (serde_json::to_value(prev), serde_json::to_value(c))
                    else {
                        continue;
                    };
                    let report = diff_contracts(&old, &new, Perspective::Consumer);
                    let major_bumped = new_v.major > old_v.major
                        || (old_v.major == 0 && new_v.minor > old_v.minor);
                    if report.breaking && !major_bumped {
                        let first: Vec<&str> = report
                            .at_least(crate::diff::Level::Error)
                            .map(|e| e.path.as_str())
                            .take(3)
                            .collect();
                        out.push(
                            Violation::contract(
                                &c.id,
                                "/version",
                                format!(
                                    "{} → {} breaks consumers ({}) without a new major version",
                                    prev.version,
                                    c.version,
                                    first.join(", ")
                                ),
                            )
                            .fix(format!(
                                "publish as {}.0.0, or keep the change compatible",
                                old_v.major + 1
                            )),
                        );
                    }
                }
            }
            Kind::NoClassificationDowngrade => {
                for c in s.contracts {
                    let Some(prev) = cx.previous_contracts.get(&c.id) else {
                        continue;
                    };
                    let before: HashMap<String, Classification> = properties(prev)
                        .into_iter()
                        .filter_map(|(path, p)| {
                            Some((
                                path,
                                Classification::parse(p.classification.as_deref()?).ok()?,
                            ))
                        })
                        .collect();
                    for (path, prop) in properties(c) {
                        let Some(old) = before.get(&path) else {
                            continue;
                        };
                        let new = prop
                            .classification
                            .as_deref()
                            .and_then(|x| Classification::parse(x).ok());
                        if new.is_none_or(|n| rank(n) < rank(*old)) {
                            out.push(
                                Violation::contract(
                                    &c.id,
                                    format!("{path}/classification"),
                                    format!(
                                        "'{}' was {old}, now {}",
                                        prop.name,
                                        new.map_or("unclassified", Classification::as_str)
                                    ),
                                )
                                .fix(format!(
                                    "keep it {old}, or have the data owner approve a waiver"
                                )),
                            );
                        }
                    }
                }
            }
            Kind::DeprecationSuccessor => {
                if p.status.as_deref() == Some("deprecated") {
                    if custom_property(&p.custom_properties, "successor")
                        .is_none_or(|s| s.trim().is_empty())
                    {
                        out.push(
                            Violation::product(
                                "/customProperties",
                                "a deprecated product names no successor",
                            )
                            .fix("add the custom property successor: <product id>"),
                        );
                    }
                    match custom_property(&p.custom_properties, "sunsetDate") {
                        Some(d) if crate::policy::parse_day(d).is_ok() => {}
                        Some(d) => out.push(Violation::product(
                            "/customProperties",
                            format!("sunsetDate '{d}' is not a day (YYYY-MM-DD)"),
                        )),
                        None => out.push(
                            Violation::product(
                                "/customProperties",
                                "a deprecated product names no sunset date",
                            )
                            .fix("add the custom property sunsetDate: YYYY-MM-DD"),
                        ),
                    }
                }
            }
            Kind::NoDeprecatedInputs => {
                let mut inputs: Vec<(&String, &String)> = cx.input_statuses.iter().collect();
                inputs.sort();
                for (product, status) in inputs {
                    if status == "deprecated" || status == "retired" {
                        out.push(
                            Violation::product(
                                "/inputPorts",
                                format!("reads from '{product}', which is {status}"),
                            )
                            .fix(format!("move off '{product}' to its successor")),
                        );
                    }
                }
            }
            Kind::ContractStatusConsistent => {
                if p.status.as_deref() == Some("active") {
                    for c in s.contracts {
                        if let Some(st) = c.status.as_deref()
                            && matches!(st, "draft" | "proposed" | "retired" | "deprecated")
                        {
                            out.push(
                                Violation::contract(
                                    &c.id,
                                    "/status",
                                    format!("an active product publishes a {st} contract"),
                                )
                                .fix("set the contract's status to active"),
                            );
                        }
                    }
                }
            }
            #[cfg(feature = "rego")]
            Kind::Rego { source } => out.extend(crate::rego::check(source, s, cx)),
            #[cfg(not(feature = "rego"))]
            Kind::Rego { .. } => out.push(Violation::product(
                "",
                "this build of Meshwork cannot evaluate Rego policies (built without the rego feature)",
            )),
        }
        out
    }
}

/// A list for a message: all of it when short, else its first dozen and how many there are.
fn some_of(list: &[String]) -> String {
    const SHOWN: usize = 12;
    if list.len() <= SHOWN {
        return list.join(", ");
    }
    format!(
        "{} … ({} in all; the policy lists them)",
        list[..SHOWN].join(", "),
        list.len()
    )
}

fn matches(pattern: &str, text: &str) -> bool {
    is_match(pattern, false, text).unwrap_or(false)
}

thread_local! {
    /// Compiled patterns, by (pattern, case-insensitive): a policy's patterns are compiled once
    /// per thread, not once per product (compiling dominated a registry-wide run). They are used
    /// in place: cloning a `Regex` would give it a new, empty matching cache each time.
    static PATTERNS: std::cell::RefCell<HashMap<(String, bool), Option<regex::Regex>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// Whether `text` matches `pattern` (compiled once); `None` when the pattern is not a valid
/// regular expression.
fn is_match(pattern: &str, case_insensitive: bool, text: &str) -> Option<bool> {
    PATTERNS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let key = (pattern.to_owned(), case_insensitive);
        if !cache.contains_key(&key) {
            if cache.len() > 1_000 {
                cache.clear();
            }
            let made = regex::RegexBuilder::new(pattern)
                .case_insensitive(case_insensitive)
                .build()
                .ok();
            cache.insert(key.clone(), made);
        }
        cache
            .get(&key)
            .and_then(Option::as_ref)
            .map(|r| r.is_match(text))
    })
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str()?.trim().parse().ok())
}

fn rank(c: Classification) -> u8 {
    match c {
        Classification::Public => 0,
        Classification::Internal => 1,
        Classification::Confidential => 2,
        Classification::Restricted => 3,
    }
}

fn human_seconds(s: i64) -> String {
    match s {
        s if s % 86400 == 0 => format!("{} d", s / 86400),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn props_have_quality(props: &[SchemaProperty]) -> bool {
    props
        .iter()
        .any(|p| !p.quality.is_empty() || props_have_quality(&p.properties))
}

/// Every property of a contract with its JSON Pointer, nested ones included.
fn properties(c: &DataContractDoc) -> Vec<(String, &SchemaProperty)> {
    fn walk<'a>(
        base: String,
        props: &'a [SchemaProperty],
        out: &mut Vec<(String, &'a SchemaProperty)>,
    ) {
        for (i, p) in props.iter().enumerate() {
            let path = format!("{base}/properties/{i}");
            out.push((path.clone(), p));
            walk(path, &p.properties, out);
        }
    }
    let mut out = Vec::new();
    for (i, o) in c.schema.iter().enumerate() {
        walk(format!("/schema/{i}"), &o.properties, &mut out);
    }
    out
}

/// Whether an SLA property answers for `wanted`: the same name, or freshness and `latency`,
/// which ODCS v3 names the same promise ("the maximum time from the event to its availability").
fn same_sla(declared: &str, wanted: &str) -> bool {
    let canonical = |n: &str| {
        if n.eq_ignore_ascii_case("latency") {
            String::from("freshness")
        } else {
            n.to_ascii_lowercase()
        }
    };
    canonical(declared) == canonical(wanted)
}
