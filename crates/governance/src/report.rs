//! Governance reports from evaluated products: the domain × policy compliance matrix (with
//! row and column totals, waived shown apart) and the dry-run comparison of two policy sets.
//! The page, the CSV export and the API all read these numbers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::policy::Finding;

/// One product after evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluated {
    pub product: String,
    pub domain: String,
    pub team: String,
    /// The policies that applied (lifecycle and scope allowing).
    pub applicable: Vec<String>,
    pub findings: Vec<Finding>,
}

/// How a product stands with one policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    Passing,
    /// Failing, but every finding is excused by a waiver.
    Waived,
    Failing,
    NotApplicable,
}

impl Evaluated {
    /// The product's overall state: `failing` when an error stands (not waived; errors in grace
    /// are reported as warnings), `warnings` when some policy still fails, else `passing`.
    pub fn state(&self) -> &'static str {
        if self
            .findings
            .iter()
            .any(|f| f.waived_by.is_none() && f.severity == domain::Severity::Error)
        {
            "failing"
        } else if self
            .applicable
            .iter()
            .any(|p| self.standing(p) == Standing::Failing)
        {
            "warnings"
        } else {
            "passing"
        }
    }

    pub fn standing(&self, policy: &str) -> Standing {
        if !self.applicable.iter().any(|p| p == policy) {
            return Standing::NotApplicable;
        }
        let mut found = self
            .findings
            .iter()
            .filter(|f| f.policy == policy)
            .peekable();
        if found.peek().is_none() {
            Standing::Passing
        } else if found.all(|f| f.waived_by.is_some()) {
            Standing::Waived
        } else {
            Standing::Failing
        }
    }
}

/// Counts of one cell, row or column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub applicable: usize,
    pub passing: usize,
    pub waived: usize,
    pub failing: usize,
    /// The failing products, for the cell's link.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing_products: Vec<String>,
}

impl Tally {
    fn add(&mut self, standing: Standing, product: &str, keep: bool) {
        match standing {
            Standing::NotApplicable => return,
            Standing::Passing => self.passing += 1,
            Standing::Waived => self.waived += 1,
            Standing::Failing => {
                self.failing += 1;
                if keep {
                    self.failing_products.push(product.to_owned());
                }
            }
        }
        self.applicable += 1;
    }

    /// Passing ÷ applicable, in percent (waived products count as not passing); `None` when
    /// nothing applies.
    pub fn compliance(&self) -> Option<f64> {
        (self.applicable > 0).then(|| self.passing as f64 * 100.0 / self.applicable as f64)
    }
}

/// The compliance matrix, rows by domain (or team), columns by policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Matrix {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Tally>>,
    pub row_totals: Vec<Tally>,
    pub column_totals: Vec<Tally>,
    pub total: Tally,
}

/// What rows group by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Domain,
    Team,
}

/// Builds the matrix over `policies` (in that order).
pub fn matrix(products: &[Evaluated], policies: &[String], group: GroupBy) -> Matrix {
    let key = |e: &Evaluated| match group {
        GroupBy::Domain => e.domain.clone(),
        GroupBy::Team => e.team.clone(),
    };
    let rows: Vec<String> = products
        .iter()
        .map(key)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut m = Matrix {
        cells: vec![vec![Tally::default(); policies.len()]; rows.len()],
        row_totals: vec![Tally::default(); rows.len()],
        column_totals: vec![Tally::default(); policies.len()],
        rows,
        columns: policies.to_vec(),
        total: Tally::default(),
    };
    for e in products {
        let r = m.rows.binary_search(&key(e)).unwrap_or_default();
        for (c, policy) in policies.iter().enumerate() {
            let s = e.standing(policy);
            m.cells[r][c].add(s, &e.product, true);
            m.row_totals[r].add(s, &e.product, false);
            m.column_totals[c].add(s, &e.product, false);
            m.total.add(s, &e.product, false);
        }
    }
    m
}

/// The matrix as CSV: one line per cell, then the totals (`*` for all).
pub fn matrix_csv(m: &Matrix, group: GroupBy) -> String {
    let mut out = format!(
        "{},policy,applicable,passing,waived,failing,compliance_percent\n",
        match group {
            GroupBy::Domain => "domain",
            GroupBy::Team => "team",
        }
    );
    let mut line = |row: &str, col: &str, t: &Tally| {
        let pct = t
            .compliance()
            .map(|p| format!("{p:.1}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{pct}",
            csv_field(row),
            csv_field(col),
            t.applicable,
            t.passing,
            t.waived,
            t.failing
        );
    };
    for (r, row) in m.rows.iter().enumerate() {
        for (c, col) in m.columns.iter().enumerate() {
            line(row, col, &m.cells[r][c]);
        }
        line(row, "*", &m.row_totals[r]);
    }
    for (c, col) in m.columns.iter().enumerate() {
        line("*", col, &m.column_totals[c]);
    }
    line("*", "*", &m.total);
    out
}

/// A CSV field, quoted when it must be; a leading `=`, `+`, `-` or `@` is neutralised so a
/// spreadsheet does not run it as a formula.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One product whose standing a policy change would change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Changed {
    pub product: String,
    pub domain: String,
    pub team: String,
    /// Whether its next publication would be refused.
    pub would_block: bool,
}

/// A dry-run: products newly failing and newly passing under a proposed version of a policy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DryRun {
    pub policy: String,
    pub evaluated: usize,
    pub newly_failing: Vec<Changed>,
    pub newly_passing: Vec<Changed>,
    /// Per domain: (newly failing, newly passing).
    pub per_domain: BTreeMap<String, (usize, usize)>,
}

/// Compares a policy's standing on every product under the current (`before`) and proposed
/// (`after`) evaluation; both lists hold the same products in any order.
pub fn dry_run(policy: &str, before: &[Evaluated], after: &[Evaluated]) -> DryRun {
    let old: BTreeMap<&str, Standing> = before
        .iter()
        .map(|e| (e.product.as_str(), e.standing(policy)))
        .collect();
    let mut out = DryRun {
        policy: policy.to_owned(),
        evaluated: after.len(),
        ..DryRun::default()
    };
    let fails = |s: Standing| s == Standing::Failing;
    for e in after {
        let was = old
            .get(e.product.as_str())
            .copied()
            .unwrap_or(Standing::NotApplicable);
        let now = e.standing(policy);
        let changed = || Changed {
            product: e.product.clone(),
            domain: e.domain.clone(),
            team: e.team.clone(),
            would_block: e.findings.iter().any(|f| f.policy == policy && f.blocking),
        };
        let counts = out.per_domain.entry(e.domain.clone()).or_default();
        if fails(now) && !fails(was) {
            counts.0 += 1;
            out.newly_failing.push(changed());
        } else if fails(was) && !fails(now) {
            counts.1 += 1;
            out.newly_passing.push(changed());
        }
    }
    out.per_domain.retain(|_, (f, p)| *f + *p > 0);
    out.newly_failing
        .sort_by(|a, b| (&a.domain, &a.product).cmp(&(&b.domain, &b.product)));
    out.newly_passing
        .sort_by(|a, b| (&a.domain, &a.product).cmp(&(&b.domain, &b.product)));
    out
}

/// The dry-run's product lists as CSV.
pub fn dry_run_csv(d: &DryRun) -> String {
    let mut out = String::from("change,product,domain,team,would_block\n");
    for (change, list) in [
        ("newly failing", &d.newly_failing),
        ("newly passing", &d.newly_passing),
    ] {
        for c in list {
            let _ = writeln!(
                out,
                "{change},{},{},{},{}",
                csv_field(&c.product),
                csv_field(&c.domain),
                csv_field(&c.team),
                c.would_block
            );
        }
    }
    out
}
