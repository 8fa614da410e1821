//! What governance reads back: the compliance report (the matrix now, the trend from the daily
//! snapshots), a product's standing, and the diff between two versions of a contract.

use governance::report::{Evaluated, GroupBy, Matrix, matrix};
use governance::{DiffReport, Perspective, Policy};
use serde::Serialize;
use store::DailyRow;
use views::GovernanceState;

use super::{day_from_today, today, view};
use crate::Workbench;
use crate::actor::Actor;
use crate::error::{Result, WorkbenchError};

/// Today's matrix as snapshot rows, by domain and by team, over the policies in force.
pub(crate) fn snapshot(day: &str, evaluated: &[Evaluated], policies: &[Policy]) -> Vec<DailyRow> {
    let ids: Vec<String> = policies
        .iter()
        .filter(|p| {
            matches!(
                p.state,
                governance::State::Grace
                    | governance::State::Enforced
                    | governance::State::Deprecated
            )
        })
        .map(|p| p.id.clone())
        .collect();
    let mut rows = Vec::new();
    for (kind, group) in [("domain", GroupBy::Domain), ("team", GroupBy::Team)] {
        let m = matrix(evaluated, &ids, group);
        for (r, group_id) in m.rows.iter().enumerate() {
            for (c, policy) in m.columns.iter().enumerate() {
                let t = &m.cells[r][c];
                if t.applicable == 0 {
                    continue;
                }
                rows.push(DailyRow {
                    day: day.to_owned(),
                    group_kind: kind.to_owned(),
                    group_id: group_id.clone(),
                    policy_id: policy.clone(),
                    applicable: t.applicable as i64,
                    passing: t.passing as i64,
                    waived: t.waived as i64,
                    failing: t.failing as i64,
                });
            }
        }
    }
    rows
}

/// One day of one group's trend: passing ÷ applicable over every policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrendPoint {
    pub day: String,
    pub group: String,
    pub applicable: i64,
    pub passing: i64,
    pub waived: i64,
    pub failing: i64,
}

/// A policy enabled or changed, for the trend's annotations.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyEvent {
    pub day: String,
    pub policy: String,
    pub version: i64,
    pub state: String,
}

/// The governance report: the matrix now and the trend between two days.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub group_by: GroupBy,
    pub from: String,
    pub to: String,
    pub matrix: Matrix,
    pub trend: Vec<TrendPoint>,
    pub events: Vec<PolicyEvent>,
}

/// Sums a day's snapshot rows per group.
pub(crate) fn trend(rows: &[DailyRow]) -> Vec<TrendPoint> {
    let mut out: Vec<TrendPoint> = Vec::new();
    for r in rows {
        match out
            .iter_mut()
            .find(|p| p.day == r.day && p.group == r.group_id)
        {
            Some(p) => {
                p.applicable += r.applicable;
                p.passing += r.passing;
                p.waived += r.waived;
                p.failing += r.failing;
            }
            None => out.push(TrendPoint {
                day: r.day.clone(),
                group: r.group_id.clone(),
                applicable: r.applicable,
                passing: r.passing,
                waived: r.waived,
                failing: r.failing,
            }),
        }
    }
    out.sort_by(|a, b| (&a.day, &a.group).cmp(&(&b.day, &b.group)));
    out
}

impl Workbench {
    /// The report: the matrix from each product's newest standing over the policies in force,
    /// and the trend from the daily snapshots between `from` and `to` (default: 90 days).
    pub async fn governance_report(
        &self,
        actor: &Actor,
        group_by: GroupBy,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Report> {
        actor.require_read()?;
        let from = from
            .map(str::to_owned)
            .unwrap_or_else(|| day_from_today(-90));
        let to = to.map(str::to_owned).unwrap_or_else(today);
        for (name, day) in [("from", &from), ("to", &to)] {
            governance::policy::parse_day(day)
                .map_err(|e| WorkbenchError::bad_request(format!("{name}: {e}")))?;
        }
        if from > to {
            return Err(WorkbenchError::bad_request(format!(
                "from ({from}) is after to ({to})"
            )));
        }
        let rules = self.rules().await?;
        let ids: Vec<String> = rules
            .policies
            .iter()
            .filter(|p| {
                !matches!(
                    p.state,
                    governance::State::Draft | governance::State::Retired
                )
            })
            .map(|p| p.id.clone())
            .collect();
        let standings = self.standings().await?;
        let kind = match group_by {
            GroupBy::Domain => "domain",
            GroupBy::Team => "team",
        };
        let rows = self.store.governance_daily(kind, &from, &to).await?;
        let events = self
            .store
            .policy_history()
            .await?
            .into_iter()
            .filter(|p| p.state != "draft")
            .map(|p| PolicyEvent {
                day: p.created_at.get(..10).unwrap_or_default().to_owned(),
                policy: p.id,
                version: p.version,
                state: p.state,
            })
            .filter(|e| e.day >= from && e.day <= to)
            .collect();
        Ok(Report {
            group_by,
            matrix: matrix(&standings, &ids, group_by),
            trend: trend(&rows),
            events,
            from,
            to,
        })
    }

    /// A product's governance standing (its newest evaluation).
    pub async fn product_governance(&self, actor: &Actor, id: &str) -> Result<GovernanceState> {
        actor.require_read()?;
        let Some(row) = self.store.governance_result(id).await? else {
            return Ok(GovernanceState {
                state: String::from("unevaluated"),
                blocking: 0,
                warnings: 0,
                waived: 0,
                findings: Vec::new(),
                evaluated_at: None,
                maturity: None,
            });
        };
        let evaluated: Evaluated = serde_json::from_str(&row.evaluated)
            .map_err(|e| WorkbenchError::Unavailable(format!("stored standing unreadable: {e}")))?;
        let errors = evaluated
            .findings
            .iter()
            .filter(|f| f.waived_by.is_none() && f.severity == domain::Severity::Error)
            .count();
        let levels = governance::maturity::default_levels();
        let m = governance::maturity::maturity(&levels, &evaluated);
        let maturity = Some(views::MaturityView {
            level: m.level,
            name: m.name,
            levels: levels.into_iter().map(|l| l.name).collect(),
            next: m.next,
            missing: m.missing,
        });
        Ok(GovernanceState {
            maturity,
            state: evaluated.state().to_owned(),
            blocking: errors,
            warnings: row.warnings as usize,
            waived: row.waived as usize,
            findings: evaluated.findings.into_iter().map(view).collect(),
            evaluated_at: Some(row.evaluated_at),
        })
    }

    /// The difference between two stored revisions of a contract (default: the one before the
    /// newest, and the newest), graded for a perspective.
    pub async fn contract_diff(
        &self,
        actor: &Actor,
        id: &str,
        from: Option<i64>,
        to: Option<i64>,
        perspective: Perspective,
    ) -> Result<DiffReport> {
        actor.require_read()?;
        let revisions = self.store.contract_revisions(id).await?;
        if revisions.is_empty() {
            return Err(WorkbenchError::not_found(format!(
                "contract '{id}' not found"
            )));
        }
        let newest = revisions[0].revision;
        let to = to.unwrap_or(newest);
        let from = from.unwrap_or(to - 1);
        let find = |n: i64, name: &str| {
            revisions
                .iter()
                .find(|r| r.revision == n)
                .ok_or_else(|| {
                    WorkbenchError::bad_request(format!(
                        "{name}: contract '{id}' has no revision {n} (revisions 1 to {newest})"
                    ))
                })
                .and_then(|r| {
                    domain::parse_document(&r.source)
                        .map(|(v, _)| v)
                        .map_err(|e| WorkbenchError::Unavailable(e.message))
                })
        };
        let old = find(from, "from")?;
        let new = find(to, "to")?;
        Ok(governance::diff_contracts(&old, &new, perspective))
    }
}

impl Workbench {
    /// Who a new version of a contract breaks: when it is consumer-breaking against the stored
    /// version, the products downstream of every port offering it (declared input ports and
    /// observed reads), nearest first, as one warning naming the direct consumers and their
    /// teams. It does not block (the `semver-major-on-breaking` policy decides that); it tells.
    pub(crate) async fn breaking_notices(
        &self,
        contracts: &[(&domain::DataContractDoc, &serde_json::Value)],
    ) -> Result<Vec<domain::Finding>> {
        let mut out = Vec::new();
        for &(c, value) in contracts {
            let Some(stored) = self.store.get_contract(&c.id).await? else {
                continue;
            };
            let Ok(old) = serde_json::from_str::<serde_json::Value>(&stored.document) else {
                continue;
            };
            let diff = governance::diff_contracts(&old, value, Perspective::Consumer);
            if !diff.breaking {
                continue;
            }
            let offering = self
                .store
                .ports_by_contract(std::slice::from_ref(&c.id))
                .await?;
            let mut direct: Vec<(String, String)> = Vec::new();
            let mut further = std::collections::BTreeSet::new();
            {
                let graph = self.graph().await?;
                for o in &offering {
                    let node =
                        lineage::NodeId::port(o.port.product_id.clone(), o.port.name.clone());
                    let Some(impact) = graph.impact(&node, lineage::Scope::All) else {
                        continue;
                    };
                    for e in impact.entries {
                        if e.depth <= 1 {
                            let who = (e.product.clone(), e.team.clone().unwrap_or_default());
                            if !direct.contains(&who) {
                                direct.push(who);
                            }
                        } else {
                            further.insert(e.product);
                        }
                    }
                }
            }
            if direct.is_empty() {
                continue;
            }
            let errors = diff
                .entries
                .iter()
                .filter(|e| e.level == governance::Level::Error)
                .count();
            let names: Vec<String> = direct
                .iter()
                .map(|(p, t)| {
                    if t.is_empty() {
                        p.clone()
                    } else {
                        format!("{p} (team {t})")
                    }
                })
                .collect();
            let mut message = format!(
                "version {} breaks {} consumer{} ({} breaking change{} against {}): {}",
                c.version,
                direct.len(),
                if direct.len() == 1 { "" } else { "s" },
                errors,
                if errors == 1 { "" } else { "s" },
                stored.version,
                names.join(", ")
            );
            if !further.is_empty() {
                message.push_str(&format!("; {} more downstream", further.len()));
            }
            out.push(
                domain::Finding::warning("breaking-change", "", message)
                    .fix("tell the consuming teams before publishing, and publish it as a new major version")
                    .in_document(format!("contract:{}", c.id)),
            );
        }
        Ok(out)
    }
}
