//! Policies: what a rule is (a built-in kind with typed parameters), whom it applies to (scope),
//! how hard it bites (severity and lifecycle), and the findings it produces.

use serde::{Deserialize, Serialize};

pub use domain::Severity;

use crate::kinds::Kind;
use crate::scope::Scope;

/// Where a policy is in its life.
///
/// draft (dry-run only) → grace until a date (errors reported as warnings that say when they
/// start blocking) → enforced (errors block) → deprecated (a warning that names its successor)
/// → retired (not evaluated, kept for history).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    #[default]
    Draft,
    Grace,
    Enforced,
    Deprecated,
    Retired,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Grace => "grace",
            State::Enforced => "enforced",
            State::Deprecated => "deprecated",
            State::Retired => "retired",
        }
    }
}

/// What a policy looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Target {
    Product,
    Contract,
    OutputPort,
}

/// A policy, at one version. An enabled policy is immutable: editing it makes the next version,
/// and every finding records the version it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub id: String,
    pub version: u32,
    pub title: String,
    /// Why it exists and what it costs a team to comply.
    pub rationale: String,
    pub severity: Severity,
    pub state: State,
    /// With `State::Grace`: the day (`YYYY-MM-DD`) from which errors block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_until: Option<String>,
    /// With `State::Deprecated`: the policy that replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
    #[serde(default)]
    pub scope: Scope,
    /// The platform team or person who answers for the policy (and may approve its waivers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(flatten)]
    pub kind: Kind,
}

/// How one finding weighs after lifecycle, strictness and waivers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub policy: String,
    pub policy_version: u32,
    pub title: String,
    /// The policy's declared severity.
    pub declared: Severity,
    /// The severity it is reported with (an error in grace is a warning).
    pub severity: Severity,
    /// Whether it refuses the write.
    pub blocking: bool,
    /// `product` or `contract:<id>`.
    pub document: String,
    /// A JSON Pointer into that document (`""` is the whole document).
    pub path: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Why the policy applied: `domain=sales`, `type=sourceAligned`, or `all products`.
    pub applied_because: Vec<String>,
    /// With a grace period: the day it starts blocking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks_from: Option<String>,
    /// The waiver that excuses it, if one is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived_by: Option<String>,
}

/// What a kind reports before lifecycle and scope are applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub document: String,
    pub path: String,
    pub message: String,
    pub fix: Option<String>,
}

impl Violation {
    pub fn product(path: impl Into<String>, message: impl Into<String>) -> Violation {
        Violation {
            document: String::from("product"),
            path: path.into(),
            message: message.into(),
            fix: None,
        }
    }

    pub fn contract(id: &str, path: impl Into<String>, message: impl Into<String>) -> Violation {
        Violation {
            document: format!("contract:{id}"),
            ..Violation::product(path, message)
        }
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Violation {
        self.fix = Some(fix.into());
        self
    }
}

/// A waiver: one product (or contract) excused from one policy until a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiver {
    pub id: String,
    pub policy: String,
    /// The product id (a waiver covers the product's contracts too).
    pub product: String,
    pub reason: String,
    pub requested_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The last day (`YYYY-MM-DD`) it applies.
    pub expires: String,
}

impl Waiver {
    /// Approved and not expired on `today`.
    pub fn is_active(&self, today: &str) -> bool {
        self.approved_by.is_some() && today <= self.expires.as_str()
    }
}

/// Checks a `YYYY-MM-DD` day.
pub fn parse_day(s: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| bytes[r].iter().all(u8::is_ascii_digit);
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err(format!("'{s}' is not a day; write it as YYYY-MM-DD"));
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    let year: u32 = s[0..4].parse().unwrap_or(0);
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("'{s}' has no month {month}")),
    };
    if day == 0 || day > days {
        return Err(format!("'{s}' has no day {day}"));
    }
    Ok(())
}
