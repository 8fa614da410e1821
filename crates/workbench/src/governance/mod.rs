//! Federated computational governance, as use cases: policies and their lifecycle (admins),
//! waivers (requested by a product's team, approved by someone else), evaluation on every write
//! and over the whole registry, dry-runs, contract diffs and the compliance report. The rules
//! themselves are `crates/governance`; this folder reads and writes the store around them.

mod evaluate;
pub(crate) mod policies;
mod report;
mod waivers;

pub use evaluate::{Bundle, check_offline};
pub use report::{PolicyEvent, Report, TrendPoint};

use domain::Finding;
use views::PolicyFinding;

/// Today in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    day_of(time::OffsetDateTime::now_utc())
}

pub(crate) fn day_of(t: time::OffsetDateTime) -> String {
    let d = t.to_offset(time::UtcOffset::UTC).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A day `days` from today (negative: in the past).
pub fn day_from_today(days: i64) -> String {
    day_of(time::OffsetDateTime::now_utc() + time::Duration::days(days))
}

/// The day at the start of a day or an RFC 3339 time.
fn date_of(s: &str) -> Option<time::Date> {
    let y: i32 = s.get(0..4)?.parse().ok()?;
    let m: u8 = s.get(5..7)?.parse().ok()?;
    let d: u8 = s.get(8..10)?.parse().ok()?;
    time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// Days from `from` (RFC 3339 or a day) to today, at least 0.
pub fn days_since(from: &str) -> i64 {
    match (date_of(from), date_of(&today())) {
        (Some(a), Some(b)) => (b - a).whole_days().max(0),
        _ => 0,
    }
}

/// Days from today to `day`, at least 0.
pub fn days_until(day: &str) -> i64 {
    match (date_of(&today()), date_of(day)) {
        (Some(a), Some(b)) => (b - a).whole_days().max(0),
        _ => 0,
    }
}

/// The findings of evaluated subjects on the wire, each once (a contract offered by two
/// products is found twice).
pub(crate) fn policy_views(outcomes: &[evaluate::Outcome]) -> Vec<PolicyFinding> {
    let mut out: Vec<PolicyFinding> = Vec::new();
    for f in outcomes.iter().flat_map(|o| o.findings.iter().cloned()) {
        let v = view(f);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A policy finding on the wire.
pub(crate) fn view(f: governance::Finding) -> PolicyFinding {
    PolicyFinding {
        policy: f.policy,
        policy_version: f.policy_version,
        title: f.title,
        declared: f.declared,
        severity: f.severity,
        blocking: f.blocking,
        document: f.document,
        path: f.path,
        message: f.message,
        fix: f.fix,
        applied_because: f.applied_because,
        blocks_from: f.blocks_from,
        waived_by: f.waived_by,
    }
}

/// The plain-text refusal the Data Contract and Data Product CLIs print (they show the body of
/// a refused request as it is; see `governance::text::refusal`).
pub fn refusal_text(findings: &[PolicyFinding], details: &str) -> String {
    governance::text::refusal(&core(findings), details)
}

/// GitHub Actions annotations for one checked file (`meshwork check --format github`).
pub fn github_annotations(file: &str, findings: &[PolicyFinding]) -> String {
    governance::text::github(file, &core(findings))
}

/// JUnit XML for checked files (`meshwork check --format junit`).
pub fn junit_report(files: &[(String, Vec<PolicyFinding>)]) -> String {
    let files: Vec<(String, Vec<governance::Finding>)> = files
        .iter()
        .map(|(f, list)| (f.clone(), core(list)))
        .collect();
    governance::text::junit(&files)
}

/// Wire findings back as the engine's (for its text renderings).
fn core(findings: &[PolicyFinding]) -> Vec<governance::Finding> {
    findings
        .iter()
        .map(|f| governance::Finding {
            policy: f.policy.clone(),
            policy_version: f.policy_version,
            title: f.title.clone(),
            declared: f.declared,
            severity: f.severity,
            blocking: f.blocking,
            document: f.document.clone(),
            path: f.path.clone(),
            message: f.message.clone(),
            fix: f.fix.clone(),
            applied_because: f.applied_because.clone(),
            blocks_from: f.blocks_from.clone(),
            waived_by: f.waived_by.clone(),
        })
        .collect()
}

/// A policy finding as a plain finding (rule `policy:<id>`), for everything that shows those:
/// the wizard puts it on the step and field of its path.
pub(crate) fn as_finding(f: &PolicyFinding) -> Finding {
    let mut message = format!("{}: {}", f.title, f.message);
    if let Some(w) = &f.waived_by {
        message.push_str(&format!(" (waived by {w})"));
    } else if let Some(day) = &f.blocks_from {
        let left = days_until(day);
        message.push_str(&format!(
            " — {left} day{} left",
            if left == 1 { "" } else { "s" }
        ));
    }
    Finding {
        severity: if f.blocking {
            domain::Severity::Error
        } else if f.severity == domain::Severity::Error {
            domain::Severity::Warning
        } else {
            f.severity
        },
        rule: format!("policy:{}", f.policy),
        document: f.document.clone(),
        path: f.path.clone(),
        message,
        fix: f.fix.clone(),
    }
}

pub(crate) fn run_view(r: store::EvaluationRun) -> views::RunView {
    views::RunView {
        id: r.id,
        started_at: r.started_at,
        finished_at: r.finished_at,
        reason: r.reason,
        products: r.products,
        findings: r.findings,
        blocking: r.blocking,
    }
}

/// `groupBy` of the report: `domain` (also `domain,policy`) or `team` (also `team,policy`).
pub fn group_by(text: Option<&str>) -> crate::Result<governance::report::GroupBy> {
    use governance::report::GroupBy;
    let first = text
        .unwrap_or("domain")
        .split(',')
        .next()
        .unwrap_or_default()
        .trim();
    match first {
        "" | "domain" => Ok(GroupBy::Domain),
        "team" => Ok(GroupBy::Team),
        other => Err(crate::WorkbenchError::bad_request(format!(
            "groupBy must be domain or team (optionally followed by ,policy), not '{other}'"
        ))),
    }
}

/// A diff's perspective: `consumer` (default) or `producer`.
pub fn perspective(text: Option<&str>) -> crate::Result<governance::Perspective> {
    match text.unwrap_or("consumer") {
        "consumer" => Ok(governance::Perspective::Consumer),
        "producer" => Ok(governance::Perspective::Producer),
        other => Err(crate::WorkbenchError::bad_request(format!(
            "perspective must be consumer or producer, not '{other}'"
        ))),
    }
}

/// The report's matrix as CSV (the same numbers as the page and the JSON).
pub fn matrix_csv(report: &Report) -> String {
    governance::report::matrix_csv(&report.matrix, report.group_by)
}

/// A dry-run's products as CSV.
pub fn dry_run_csv(d: &governance::report::DryRun) -> String {
    governance::report::dry_run_csv(d)
}

impl crate::Workbench {
    /// The newest evaluation runs.
    pub async fn governance_runs(
        &self,
        actor: &crate::Actor,
        limit: i64,
    ) -> crate::Result<Vec<views::RunView>> {
        actor.require_read()?;
        Ok(self
            .store
            .governance_runs(limit.clamp(1, 500))
            .await?
            .into_iter()
            .map(run_view)
            .collect())
    }
}

impl crate::Workbench {
    /// Re-evaluates the registry once a day (waivers expire, grace periods end, sunset dates
    /// pass): every ten minutes it looks whether today has had a run, and runs one when not. Safe
    /// with several instances on one database: a second run the same day only repeats the
    /// standings it finds.
    pub fn start_governance_schedule(&self) {
        let wb = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = wb.run_if_due().await {
                    tracing::warn!(error = %e, "the daily governance run failed; trying again in ten minutes");
                }
                tokio::time::sleep(std::time::Duration::from_secs(600)).await;
            }
        });
    }

    /// Runs today's evaluation if there are policies and no run today yet; true if it ran.
    pub async fn run_if_due(&self) -> crate::Result<bool> {
        if self.store.policies().await?.is_empty() {
            return Ok(false);
        }
        let today = today();
        let last = self.store.governance_runs(1).await?;
        if last
            .first()
            .is_some_and(|r| r.started_at.starts_with(&today))
        {
            return Ok(false);
        }
        let run = self.reevaluate("nightly").await?;
        tracing::info!(
            products = run.products,
            findings = run.findings,
            "daily governance run"
        );
        Ok(true)
    }
}
