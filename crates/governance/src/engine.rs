//! The one engine: (subject, policies, context) → findings. Every write path evaluates with it
//! — the wizard, REST, the import, the Data Contract / Data Product CLI endpoints — and so do
//! `meshwork check`, dry-runs and the nightly re-evaluation.

use domain::Severity;

use crate::kinds::{Context, Subject};
use crate::policy::{Finding, Policy, State, Waiver};
use crate::scope::Facts;

/// How to weigh policies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Evaluate draft policies too, as if enforced (a dry-run).
    pub include_drafts: bool,
    /// Treat grace as enforced: "will this pass after the deadline?"
    pub strict: bool,
}

/// The scope facts of a product.
pub fn facts(subject: Subject<'_>) -> Facts {
    let p = subject.product;
    let mut port_types: Vec<String> = p
        .output_ports
        .iter()
        .filter_map(|o| o.port_type.as_deref())
        .filter_map(|t| domain::PortType::parse(t).ok())
        .map(|t| t.as_str().to_owned())
        .collect();
    port_types.sort();
    port_types.dedup();
    Facts {
        domain: p.domain.clone(),
        product_type: p.product_type_raw().map(str::to_owned),
        status: p.status.clone(),
        tags: p.tags.clone(),
        port_types,
    }
}

/// The policies evaluated on the subject (lifecycle and scope allowing), with why each applies.
pub fn applicable<'p>(
    subject: Subject<'_>,
    policies: &'p [Policy],
    options: Options,
) -> Vec<(&'p Policy, Vec<String>)> {
    let facts = facts(subject);
    policies
        .iter()
        .filter(|p| match p.state {
            State::Retired => false,
            State::Draft => options.include_drafts,
            _ => true,
        })
        .filter_map(|p| p.scope.applies(&facts).map(|why| (p, why)))
        .collect()
}

/// Evaluates every applicable policy on the subject. Findings come sorted: blocking first, then
/// by policy and place.
pub fn evaluate(
    subject: Subject<'_>,
    policies: &[Policy],
    waivers: &[Waiver],
    cx: &Context,
    options: Options,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let as_json = std::cell::OnceCell::new();
    for (policy, why) in applicable(subject, policies, options) {
        let violations = policy.kind.check_in(subject, cx, &as_json);
        if violations.is_empty() {
            continue;
        }
        let waiver = waivers.iter().find(|w| {
            w.policy == policy.id && w.product == subject.product.id && w.is_active(&cx.today)
        });
        for v in violations {
            let (severity, blocks_from, note) = weigh(policy, &cx.today, options);
            let waived_by = waiver.map(|w| w.id.clone());
            let blocking = severity == Severity::Error && waived_by.is_none();
            findings.push(Finding {
                policy: policy.id.clone(),
                policy_version: policy.version,
                title: policy.title.clone(),
                declared: policy.severity,
                severity,
                blocking,
                document: v.document,
                path: v.path,
                message: match note {
                    Some(n) => format!("{} ({n})", v.message),
                    None => v.message,
                },
                fix: v.fix,
                applied_because: why.clone(),
                blocks_from,
                waived_by,
            });
        }
    }
    findings.sort_by(|a, b| {
        (!a.blocking, a.severity, &a.policy, &a.document, &a.path).cmp(&(
            !b.blocking,
            b.severity,
            &b.policy,
            &b.document,
            &b.path,
        ))
    });
    findings
}

/// The severity a policy's finding is reported with today, the day it starts blocking (in
/// grace), and a note for the message.
fn weigh(
    policy: &Policy,
    today: &str,
    options: Options,
) -> (Severity, Option<String>, Option<String>) {
    match policy.state {
        State::Grace => match policy.grace_until.as_deref() {
            Some(until)
                if today < until && !options.strict && policy.severity == Severity::Error =>
            {
                (
                    Severity::Warning,
                    Some(until.to_owned()),
                    Some(format!("blocks from {until}")),
                )
            }
            _ => (policy.severity, None, None),
        },
        State::Deprecated => (
            policy.severity.max(Severity::Warning),
            None,
            Some(match &policy.successor {
                Some(s) => format!("deprecated policy, replaced by {s}"),
                None => String::from("deprecated policy"),
            }),
        ),
        _ => (policy.severity, None, None),
    }
}

/// True when any finding refuses the write.
pub fn blocks(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.blocking)
}
