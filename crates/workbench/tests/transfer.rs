//! Use-case tests that need a whole registry: the demo loads idempotently, export and import
//! round-trip the registry losslessly, and importing twice changes nothing.

use std::collections::HashMap;

use store::testing::TestDb;
use workbench::{Actor, Workbench, WorkbenchConfig};

#[tokio::test]
async fn the_demo_loads_once_and_reloads_as_a_no_op() {
    let db = TestDb::from_env().await;
    let wb = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    let first = wb.load_demo().await.unwrap();
    assert!(first >= 42, "{first}");
    assert_eq!(wb.store().count_products().await.unwrap(), 42);
    assert_eq!(
        wb.load_demo().await.unwrap(),
        0,
        "a second load publishes nothing"
    );
    let edges = wb.store().product_edges().await.unwrap();
    assert!(edges.len() >= 60, "{}", edges.len());
    assert!(wb.anonymous_read().await);
    db.finish().await;
}

#[tokio::test]
async fn the_demo_ships_governance_with_findings_waivers_and_history() {
    let db = TestDb::from_env().await;
    let wb = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    wb.load_demo().await.unwrap();
    let actor = Actor::system();
    let policies = wb.list_policies(&actor).await.unwrap();
    assert_eq!(policies.len(), 22);
    let in_grace = policies
        .iter()
        .filter(|p| p.policy["state"] == "grace")
        .count();
    assert!(in_grace >= 10, "{in_grace}");
    // A realistic spread: some policies fail somewhere, most products pass most policies.
    let failing: usize = policies.iter().map(|p| p.failing).sum();
    let applicable: usize = policies.iter().map(|p| p.applicable).sum();
    assert!(
        failing > 0 && failing * 4 < applicable,
        "{failing} of {applicable}"
    );
    let detail = wb
        .policy_detail(&actor, "description-purpose")
        .await
        .unwrap();
    assert_eq!(detail.versions.len(), 2, "tightened once");
    // Two waivers, one expired.
    let waivers = wb.list_waivers(&actor).await.unwrap();
    let mut statuses: Vec<&str> = waivers.iter().map(|w| w.status.as_str()).collect();
    statuses.sort();
    assert_eq!(statuses, ["approved", "expired"]);
    // The report has today's matrix and months of history.
    let report = wb
        .governance_report(&actor, governance_group("domain"), None, None)
        .await
        .unwrap();
    assert_eq!(report.matrix.rows.len(), 7, "{:?}", report.matrix.rows);
    let days: std::collections::BTreeSet<&str> =
        report.trend.iter().map(|p| p.day.as_str()).collect();
    assert!(days.len() >= 80, "{}", days.len());
    assert!(
        report.events.iter().any(|e| e.version == 1),
        "the starter pack's switch-on is annotated"
    );
    assert!(
        report
            .events
            .iter()
            .any(|e| e.policy == "description-purpose" && e.version == 2)
    );
    // Loading again changes nothing.
    wb.load_demo().await.unwrap();
    assert_eq!(wb.list_policies(&actor).await.unwrap().len(), 22);
    assert_eq!(wb.list_waivers(&actor).await.unwrap().len(), 2);
    db.finish().await;
}

fn governance_group(text: &str) -> governance::report::GroupBy {
    workbench::group_by(Some(text)).unwrap()
}

#[tokio::test]
async fn the_demo_reports_its_pipelines_with_planted_drift() {
    let db = TestDb::from_env().await;
    let wb = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    wb.load_demo().await.unwrap();
    let events = wb.store().lineage_event_count().await.unwrap();
    assert!(events >= 84, "{events}");
    let actor = Actor::system();
    let kinds = |d: views::DriftView| -> Vec<(String, Option<String>)> {
        d.findings
            .into_iter()
            .map(|f| (f.kind, f.upstream_product))
            .collect()
    };
    let pnl = wb.drift(&actor, "finance.monthly-pnl").await.unwrap();
    assert!(pnl.observed);
    assert_eq!(
        kinds(pnl),
        [(
            String::from("undeclared"),
            Some(String::from("sales.daily-sales"))
        )]
    );
    let c360 = wb.drift(&actor, "customers.customer-360").await.unwrap();
    assert_eq!(
        kinds(c360),
        [(
            String::from("never_observed"),
            Some(String::from("logistics.shipments"))
        )]
    );
    // Every other product's pipeline matches what it declares, external sources included.
    for id in [
        "sales.orders",
        "customers.customer-master",
        "finance.cash-position",
    ] {
        let drift = wb.drift(&actor, id).await.unwrap();
        assert!(
            drift.observed && drift.findings.is_empty(),
            "{id}: {:?}",
            drift.findings
        );
    }
    let fresh = wb
        .port_freshness(&actor, "sales.daily-sales")
        .await
        .unwrap();
    assert!(fresh[0].last_refresh_at.is_some());
    // Refreshed well inside the freshness its contract promises…
    assert!(fresh[0].promised.is_some(), "{fresh:?}");
    assert!(!fresh[0].overdue, "{fresh:?}");
    // …while the demo's stale product is past it, and says so.
    let stale = wb
        .port_freshness(&actor, "sales.basket-analysis")
        .await
        .unwrap();
    assert!(stale.iter().any(|p| p.overdue), "{stale:?}");
    // Loading again reports nothing twice.
    wb.load_demo().await.unwrap();
    assert_eq!(wb.store().lineage_event_count().await.unwrap(), events);
    db.finish().await;
}

#[tokio::test]
async fn export_then_import_reproduces_the_registry() {
    let source = TestDb::from_env().await;
    let wb = Workbench::new(source.store.clone(), WorkbenchConfig::default());
    wb.load_demo().await.unwrap();
    let files = wb.export_registry(&Actor::system()).await.unwrap();
    assert!(files.iter().any(|f| f.path == "meshwork.yaml"));
    assert_eq!(
        files
            .iter()
            .filter(|f| f.path.starts_with("products/"))
            .count(),
        42
    );
    let map: HashMap<String, String> = files
        .iter()
        .map(|f| (f.path.clone(), f.content.clone()))
        .collect();

    let target = TestDb::from_env().await;
    let copy = Workbench::new(target.store.clone(), WorkbenchConfig::default());
    let report = copy.import_registry(&Actor::system(), &map).await.unwrap();
    assert_eq!(report.products_written, 42, "{report:?}");
    assert_eq!(report.domains, 7);
    // Every policy version (22, one of them twice) and both waivers.
    assert_eq!(
        (report.policies_written, report.waivers_written),
        (23, 2),
        "{report:?}"
    );
    let again = copy.import_registry(&Actor::system(), &map).await.unwrap();
    assert_eq!(
        (
            again.products_written,
            again.contracts_written,
            again.domains,
            again.teams,
            again.users
        ),
        (0, 0, 0, 0, 0),
        "{again:?}"
    );

    // Exporting the copy gives the same documents, byte for byte.
    let reexported = copy.export_registry(&Actor::system()).await.unwrap();
    for f in &files {
        if f.path == "meshwork.yaml" {
            continue;
        }
        let other = reexported
            .iter()
            .find(|g| g.path == f.path)
            .unwrap_or_else(|| panic!("{} missing", f.path));
        assert_eq!(other.content, f.content, "{}", f.path);
    }
    // People can still sign in after the restore.
    assert!(
        copy.sign_in("alice", workbench::demo::DEMO_PASSWORD)
            .await
            .is_ok()
    );
    source.finish().await;
    target.finish().await;
}

#[tokio::test]
async fn only_admins_export() {
    let db = TestDb::from_env().await;
    let wb = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    assert!(wb.export_registry(&wb.anonymous().await).await.is_err());
    db.finish().await;
}
