//! The demo's governance: the starter pack as a platform team would have switched it on about
//! three months ago (one policy tightened since), two waivers (one still active, one expired),
//! and daily history so that the trend has a shape. Idempotent like the rest of the demo.

use store::{DailyRow, WaiverRecord};

use crate::actor::Actor;
use crate::error::Result;
use crate::governance::policies::policy_row;
use crate::governance::{day_from_today, today};
use crate::{Workbench, audit_event};

/// How many days of history the demo backfills.
const HISTORY_DAYS: i64 = 85;
/// When the starter pack was switched on (days ago), and when `description-purpose` was tightened.
const INSTALLED_DAYS_AGO: i64 = 85;
const TIGHTENED_DAYS_AGO: i64 = 45;

/// The terms Acme added to the starter vocabulary (a few tags in the demo are still outside it).
const ACME_TAGS: &[&str] = &[
    "payments",
    "customers",
    "inventory",
    "orders",
    "core",
    "campaigns",
    "returns",
    "planning",
    "master-data",
    "fraud",
    "forecast",
    "events",
    "board",
    "treasury",
    "ledger",
    "pci",
    "sox",
    "ifrs",
    "compliance",
    "segmentation",
    "revenue",
    "ltv",
    "targeting",
    "features",
    "disputes",
    "contracts",
    "products",
    "reference-data",
];

/// A time `days` ago, as stored.
fn days_ago(days: i64) -> String {
    store::format_time(time::OffsetDateTime::now_utc() - time::Duration::days(days))
}

/// A deterministic number in [0, 1) from a text (for believable noise that is the same on
/// every machine).
fn noise(text: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

impl Workbench {
    pub(crate) async fn load_demo_governance(&self, actor: &Actor) -> Result<()> {
        if !self.store.policies().await?.is_empty() {
            return Ok(());
        }
        let grace = day_from_today(30);
        for mut policy in governance::starter::starter_pack(&grace) {
            if let governance::Kind::TagsFromVocabulary { allowed } = &mut policy.kind {
                // Acme's platform team added its own business terms to the vocabulary.
                allowed.extend(ACME_TAGS.iter().map(|t| (*t).to_owned()));
            }
            let tightened = policy.id == "description-purpose";
            if tightened {
                // Version 1 asked for 20 characters; version 2 (45 days ago) for 40.
                let mut first = policy.clone();
                if let governance::Kind::MinLength { min, .. } = &mut first.kind {
                    *min = 20;
                }
                self.demo_policy_version(actor, &first, INSTALLED_DAYS_AGO)
                    .await?;
                policy.version = 2;
            }
            let at = if tightened {
                TIGHTENED_DAYS_AGO
            } else {
                INSTALLED_DAYS_AGO
            };
            self.demo_policy_version(actor, &policy, at).await?;
        }
        self.demo_waivers(actor).await?;
        self.reevaluate("demo loaded").await?;
        self.backfill_history().await
    }

    async fn demo_policy_version(
        &self,
        actor: &Actor,
        policy: &governance::Policy,
        days: i64,
    ) -> Result<()> {
        let row = policy_row(policy, String::from("admin"), days_ago(days));
        let event = audit_event(
            actor,
            if policy.version == 1 {
                "policy.created"
            } else {
                "policy.updated"
            },
            "policy",
            &policy.id,
            format!(
                "demo: policy '{}' version {} ({})",
                policy.id,
                policy.version,
                policy.state.as_str()
            ),
        );
        let expect = (policy.version > 1).then(|| i64::from(policy.version) - 1);
        self.store.put_policy(&row, expect, &event).await?;
        Ok(())
    }

    /// Two waivers for Sales: one approved and running, one that expired ten days ago.
    async fn demo_waivers(&self, actor: &Actor) -> Result<()> {
        let waivers = [
            (
                "w-demo-active",
                "tags-from-vocabulary",
                "sales.basket-analysis",
                "The 'recommendations' tag is used by the recommendations service's own catalog until it moves to Meshwork next quarter.",
                day_from_today(45),
                20,
            ),
            (
                "w-demo-expired",
                "deprecation-successor",
                "sales.basket-analysis",
                "The successor (the recommendations service's product) has no id yet; it will be named when it is registered.",
                day_from_today(-10),
                70,
            ),
        ];
        for (id, policy, product, reason, expires, asked) in waivers {
            if self.store.get_waiver(id).await?.is_some()
                || self.store.get_product(product).await?.is_none()
            {
                continue;
            }
            let record = WaiverRecord {
                id: id.to_owned(),
                policy_id: policy.to_owned(),
                product_id: product.to_owned(),
                reason: reason.to_owned(),
                expires,
                status: String::from("approved"),
                requested_by: String::from("alice"),
                requested_at: days_ago(asked),
                decided_by: Some(String::from("admin")),
                decided_at: Some(days_ago(asked - 1)),
                note: Some(String::from(
                    "Approved for the stated period; revisit at expiry.",
                )),
            };
            let event = audit_event(
                actor,
                "waiver.approved",
                "waiver",
                id,
                format!("demo: waiver of '{policy}' for '{product}'"),
            );
            self.store.insert_waiver(&record, &event).await?;
        }
        Ok(())
    }

    /// Daily snapshots for the last [`HISTORY_DAYS`] days, shaped like a real roll-out: lower
    /// compliance when the starter pack was switched on, teams catching up over the weeks, a dip
    /// when `description-purpose` was tightened. Only today's row is a real evaluation; the
    /// demo writes the past once, like an installation that has been running that long.
    async fn backfill_history(&self) -> Result<()> {
        let day = today();
        let mut rows = Vec::new();
        for kind in ["domain", "team"] {
            let current = self.store.governance_daily(kind, &day, &day).await?;
            for cell in &current {
                for ago in 1..=HISTORY_DAYS.min(INSTALLED_DAYS_AGO) {
                    let when = day_from_today(-ago);
                    // Progress from the start (0) to today (1).
                    let progress = 1.0 - ago as f64 / INSTALLED_DAYS_AGO as f64;
                    let mut share = 0.45 + 0.55 * progress.powf(0.7);
                    if cell.policy_id == "description-purpose" && ago <= TIGHTENED_DAYS_AGO {
                        let since = (TIGHTENED_DAYS_AGO - ago) as f64 / TIGHTENED_DAYS_AGO as f64;
                        share *= 0.7 + 0.3 * since;
                    }
                    let jitter =
                        (noise(&format!("{when}{}{}", cell.group_id, cell.policy_id)) - 0.5) * 0.08;
                    let target = cell.passing as f64 / cell.applicable.max(1) as f64;
                    let passing_share = (target * (share + jitter)).clamp(0.0, 1.0);
                    let passing = (passing_share * cell.applicable as f64).round() as i64;
                    let waived = if ago <= 70 { cell.waived } else { 0 };
                    let passing = passing.min(cell.applicable - waived);
                    rows.push(DailyRow {
                        day: when,
                        group_kind: kind.to_owned(),
                        group_id: cell.group_id.clone(),
                        policy_id: cell.policy_id.clone(),
                        applicable: cell.applicable,
                        passing,
                        waived,
                        failing: cell.applicable - passing - waived,
                    });
                }
            }
        }
        self.store.put_daily(&rows).await?;
        Ok(())
    }
}
