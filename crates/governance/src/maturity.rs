//! Maturity levels: a ladder of policy sets (by default Registered → Described → Governed →
//! Reliable → Trusted). A product stands on the highest level whose policies — and those of
//! every level below — it meets; what it misses for the next level is the list of failing
//! policies there.

use serde::{Deserialize, Serialize};

use crate::report::{Evaluated, Standing};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaturityLevel {
    pub name: String,
    /// What the level means to a consumer.
    pub description: String,
    /// The policies a product must meet (pass, be waived from, or be out of scope of).
    pub policies: Vec<String>,
}

/// The default ladder, over the starter pack's policies.
pub fn default_levels() -> Vec<MaturityLevel> {
    let level = |name: &str, description: &str, policies: &[&str]| MaturityLevel {
        name: name.to_owned(),
        description: description.to_owned(),
        policies: policies.iter().map(|p| (*p).to_owned()).collect(),
    };
    vec![
        level(
            "Registered",
            "In the catalog with an id, a domain and a team.",
            &[],
        ),
        level(
            "Described",
            "A consumer can tell what it is, how to use it and whom to ask.",
            &[
                "owner-present",
                "support-channel",
                "description-purpose",
                "description-usage",
                "property-descriptions",
            ],
        ),
        level(
            "Governed",
            "Classified, versioned and under contract.",
            &[
                "domain-known",
                "output-port-has-contract",
                "classification-vocabulary",
                "pii-classified",
                "semver-valid",
                "tags-from-vocabulary",
            ],
        ),
        level(
            "Reliable",
            "Promises freshness and availability, and checks its quality.",
            &[
                "freshness-declared",
                "availability-declared",
                "quality-rules-present",
                "contract-status-consistent",
            ],
        ),
        level(
            "Trusted",
            "Evolves without breaking its consumers.",
            &[
                "semver-major-on-breaking",
                "no-classification-downgrade",
                "no-deprecated-inputs",
            ],
        ),
    ]
}

/// Where a product stands on the ladder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Maturity {
    /// Index into the ladder of the level reached.
    pub level: usize,
    pub name: String,
    /// The next level, if any, and the policies the product fails there (and below it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    pub missing: Vec<String>,
    /// Policies met only through a waiver, up to the level reached.
    pub waived: Vec<String>,
}

/// The level a product reaches. The first level is always reached (it asks nothing more than
/// being registered, or its policies are treated like any other level's).
pub fn maturity(levels: &[MaturityLevel], product: &Evaluated) -> Maturity {
    let mut reached = None;
    let mut waived = Vec::new();
    let mut missing = Vec::new();
    for (i, level) in levels.iter().enumerate() {
        let failing: Vec<String> = level
            .policies
            .iter()
            .filter(|p| product.standing(p) == Standing::Failing)
            .cloned()
            .collect();
        if !failing.is_empty() {
            missing = failing;
            break;
        }
        waived.extend(
            level
                .policies
                .iter()
                .filter(|p| product.standing(p) == Standing::Waived)
                .cloned(),
        );
        reached = Some(i);
    }
    let level = reached.unwrap_or(0);
    let next = levels
        .get(reached.map_or(0, |r| r + 1))
        .map(|l| l.name.clone());
    Maturity {
        level,
        name: levels
            .get(level)
            .map(|l| l.name.clone())
            .unwrap_or_default(),
        next: if reached.is_none() {
            levels.first().map(|l| l.name.clone())
        } else {
            next
        },
        missing,
        waived,
    }
}
