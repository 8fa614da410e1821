//! Governance on the wire: findings of policies, policies with their versions, waivers,
//! evaluations and the compliance report.

use domain::Severity;
use serde_json::Value;

crate::view! {
    /// What a policy found in a document, after lifecycle, strictness and waivers.
    pub struct PolicyFinding {
        pub policy: String,
        /// The policy version that produced it.
        pub policy_version: u32,
        pub title: String,
        /// The severity the policy declares.
        pub declared: Severity,
        /// The severity it is reported with: an error in grace is a warning.
        pub severity: Severity,
        /// Whether it refuses the write.
        pub blocking: bool,
        /// `product` or `contract:<id>`.
        pub document: String,
        /// A JSON Pointer into that document.
        pub path: String,
        pub message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fix: Option<String>,
        /// Why the policy applied (`domain=sales`, `type=sourceAligned`, `all products`).
        pub applied_because: Vec<String>,
        /// In grace: the day (YYYY-MM-DD) it starts blocking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub blocks_from: Option<String>,
        /// The waiver that excuses it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub waived_by: Option<String>,
    }
}

crate::view! {
    /// The answer of `POST /api/v1/governance/evaluate` (and of `meshwork check` for one file).
    pub struct Evaluation {
        /// True when an enforced error would refuse the write.
        pub blocked: bool,
        /// Products evaluated (a contract alone is evaluated with each product that offers it).
        pub products: Vec<String>,
        pub findings: Vec<PolicyFinding>,
        /// What else a publication would be told: whom a consumer-breaking contract version
        /// breaks (rule `breaking-change`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub notices: Vec<domain::Finding>,
    }
}

crate::view! {
    /// A policy at its newest version.
    pub struct PolicyView {
        /// The policy document: id, version, title, rationale, severity, state, graceUntil,
        /// successor, scope, owner, kind, parameters.
        pub policy: Value,
        pub created_at: String,
        pub created_by: String,
        /// Products it applies to, and of those how many pass, are waived, fail (newest run).
        pub applicable: usize,
        pub passing: usize,
        pub waived: usize,
        pub failing: usize,
    }
}

crate::view! {
    /// One version of a policy, for its history.
    pub struct PolicyVersionView {
        pub version: i64,
        pub state: String,
        pub policy: Value,
        pub created_at: String,
        pub created_by: String,
    }
}

crate::view! {
    /// A policy with every version and the products failing it.
    pub struct PolicyDetail {
        pub current: PolicyView,
        pub versions: Vec<PolicyVersionView>,
        pub failing: Vec<FailingProduct>,
        /// The newest dry-run of this policy, if any (enforcing a draft needs a recent one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub last_dry_run: Option<String>,
    }
}

crate::view! {
    /// A product failing a policy, for drill-downs.
    pub struct FailingProduct {
        pub product: String,
        pub name: String,
        pub domain: String,
        pub team: String,
        pub findings: Vec<PolicyFinding>,
        /// Since when it fails (RFC 3339), from the evaluation history.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub since: Option<String>,
        pub days_failing: i64,
    }
}

crate::view! {
    /// A waiver and where it stands.
    pub struct WaiverView {
        pub id: String,
        pub policy: String,
        pub product: String,
        pub reason: String,
        /// The last day it applies.
        pub expires: String,
        /// `requested`, `approved`, `rejected`, `revoked`; an approved waiver past its day is
        /// reported `expired`.
        pub status: String,
        pub requested_by: String,
        pub requested_at: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub decided_by: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub decided_at: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
    }
}

crate::view! {
    /// A request for a waiver.
    pub struct WaiverRequest {
        pub policy: String,
        pub product: String,
        pub reason: String,
        /// The last day (YYYY-MM-DD) it should apply.
        #[serde(default)]
        pub expires: Option<String>,
    }
}

crate::view! {
    /// Approving, rejecting or revoking a waiver.
    pub struct WaiverDecision {
        /// `approve`, `reject` or `revoke`.
        pub decision: String,
        #[serde(default)]
        pub note: Option<String>,
    }
}

crate::view! {
    /// A product's governance standing, for its page and card.
    pub struct GovernanceState {
        /// `passing`, `warnings`, `failing` or `unevaluated`.
        pub state: String,
        pub blocking: usize,
        pub warnings: usize,
        pub waived: usize,
        pub findings: Vec<PolicyFinding>,
        pub evaluated_at: Option<String>,
        /// Where it stands on the maturity ladder.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub maturity: Option<MaturityView>,
    }
}

crate::view! {
    /// A product's maturity level: the ladder's levels, the one reached, and what the next needs.
    pub struct MaturityView {
        /// Index into `levels` of the level reached.
        pub level: usize,
        pub name: String,
        pub levels: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next: Option<String>,
        /// The policies it fails for the next level.
        pub missing: Vec<String>,
    }
}

crate::view! {
    /// One full evaluation of the registry.
    pub struct RunView {
        pub id: String,
        pub started_at: String,
        pub finished_at: String,
        pub reason: String,
        pub products: i64,
        pub findings: i64,
        pub blocking: i64,
    }
}
