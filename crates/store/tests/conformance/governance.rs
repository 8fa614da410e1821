//! Governance records on both backends: policy versions, waivers decided once, evaluations that
//! keep "failing since" and replace standings, and daily snapshots.

use store::*;

use super::event;

conformance!(
    policy_versions_are_kept_and_guarded,
    waivers_are_decided_once,
    evaluations_keep_failing_since_and_snapshots,
);

fn version(id: &str, version: i64, state: &str) -> PolicyRow {
    PolicyRow {
        id: id.to_owned(),
        version,
        state: state.to_owned(),
        document: format!("{{\"id\":\"{id}\",\"version\":{version}}}"),
        created_at: now(),
        created_by: String::from("admin"),
    }
}

async fn policy_versions_are_kept_and_guarded(store: &Store) {
    let audit = event("policy.created", "owner-present");
    store
        .put_policy(&version("owner-present", 1, "draft"), None, &audit)
        .await
        .unwrap();
    assert!(matches!(
        store
            .put_policy(&version("owner-present", 1, "draft"), None, &audit)
            .await,
        Err(StoreError::Duplicate(_))
    ));
    // A draft edited in place stays at version 1.
    store
        .put_policy(&version("owner-present", 1, "grace"), Some(1), &audit)
        .await
        .unwrap();
    assert_eq!(
        store.policy_versions("owner-present").await.unwrap().len(),
        1
    );
    // An enabled policy changed: version 2 beside version 1.
    store
        .put_policy(&version("owner-present", 2, "enforced"), Some(1), &audit)
        .await
        .unwrap();
    // Someone who read version 1 cannot overwrite version 2.
    assert!(matches!(
        store
            .put_policy(&version("owner-present", 2, "retired"), Some(1), &audit)
            .await,
        Err(StoreError::Stale { current: 2, .. })
    ));
    assert!(matches!(
        store
            .put_policy(&version("unknown", 2, "draft"), Some(1), &audit)
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .put_policy(&version("a-first", 1, "draft"), None, &audit)
        .await
        .unwrap();
    let heads = store.policies().await.unwrap();
    assert_eq!(
        heads
            .iter()
            .map(|p| (p.id.as_str(), p.version, p.state.as_str()))
            .collect::<Vec<_>>(),
        vec![("a-first", 1, "draft"), ("owner-present", 2, "enforced")]
    );
    let versions = store.policy_versions("owner-present").await.unwrap();
    assert_eq!(
        versions.iter().map(|p| p.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(store.policy_history().await.unwrap().len(), 3);
    store
        .delete_policy("a-first", &event("policy.deleted", "a-first"))
        .await
        .unwrap();
    assert!(store.policy_versions("a-first").await.unwrap().is_empty());
    assert!(matches!(
        store.delete_policy("a-first", &audit).await,
        Err(StoreError::NotFound(_))
    ));
    // Four writes carried that event (refused writes wrote none).
    assert_eq!(
        store
            .audit_for("test", "owner-present", 10)
            .await
            .unwrap()
            .len(),
        4
    );
}

async fn waivers_are_decided_once(store: &Store) {
    let w = WaiverRecord {
        id: String::from("w1"),
        policy_id: String::from("owner-present"),
        product_id: String::from("sales.orders"),
        reason: String::from("team re-forming"),
        expires: String::from("2027-01-31"),
        status: String::from("requested"),
        requested_by: String::from("alice"),
        requested_at: now(),
        decided_by: None,
        decided_at: None,
        note: None,
    };
    let audit = event("waiver.requested", "w1");
    store.insert_waiver(&w, &audit).await.unwrap();
    assert!(matches!(
        store.insert_waiver(&w, &audit).await,
        Err(StoreError::Duplicate(_))
    ));
    let approved = store
        .decide_waiver("w1", "requested", "approved", "root", Some("ok"), &audit)
        .await
        .unwrap();
    assert_eq!(approved.status, "approved");
    assert_eq!(approved.decided_by.as_deref(), Some("root"));
    assert!(approved.decided_at.is_some());
    // Deciding again from 'requested' is refused and changes nothing.
    assert!(matches!(
        store
            .decide_waiver("w1", "requested", "rejected", "bob", None, &audit)
            .await,
        Err(StoreError::Reference(_))
    ));
    assert!(matches!(
        store
            .decide_waiver("nope", "requested", "approved", "bob", None, &audit)
            .await,
        Err(StoreError::NotFound(_))
    ));
    let all = store.waivers().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        store.get_waiver("w1").await.unwrap().unwrap().status,
        "approved"
    );
}

fn standing(product: &str, run: &str, failing: i64) -> ResultRow {
    ResultRow {
        product_id: product.to_owned(),
        run_id: run.to_owned(),
        domain_id: String::from("sales"),
        team_id: String::from("sales-team"),
        evaluated_at: now(),
        failing,
        warnings: 0,
        waived: 0,
        state: String::from(if failing > 0 { "failing" } else { "passing" }),
        evaluated: String::from("{}"),
    }
}

fn pair(product: &str, policy: &str) -> (String, String) {
    (product.to_owned(), policy.to_owned())
}

fn cell(day: &str, policy: &str, passing: i64) -> DailyRow {
    DailyRow {
        day: day.to_owned(),
        group_kind: String::from("domain"),
        group_id: String::from("sales"),
        policy_id: policy.to_owned(),
        applicable: 2,
        passing,
        waived: 0,
        failing: 2 - passing,
    }
}

async fn evaluations_keep_failing_since_and_snapshots(store: &Store) {
    let run = |id: &str| EvaluationRun {
        id: id.to_owned(),
        started_at: now(),
        finished_at: now(),
        reason: String::from("test"),
        products: 2,
        findings: 1,
        blocking: 0,
    };
    store
        .record_evaluation(&EvaluationWrite {
            run: Some(run("r1")),
            results: vec![standing("a", "r1", 1), standing("b", "r1", 0)],
            failing: vec![pair("a", "p1")],
            full: true,
            daily: vec![cell("2026-12-01", "p1", 1)],
        })
        .await
        .unwrap();
    let first = store.failing_since(None).await.unwrap();
    assert_eq!(first.len(), 1);
    // A product evaluated alone (a publication): its pairs change, the others' are kept.
    store
        .record_evaluation(&EvaluationWrite {
            run: None,
            results: vec![standing("b", "publish", 1)],
            failing: vec![pair("b", "p1")],
            full: false,
            daily: Vec::new(),
        })
        .await
        .unwrap();
    let since = store.failing_since(None).await.unwrap();
    assert_eq!(since.len(), 2);
    assert_eq!(since[0], first[0], "a's 'since' is kept");
    assert_eq!(store.failing_since(Some("b")).await.unwrap().len(), 1);
    // A full run: a passes again, b still fails (same 'since'), c is new; products gone lose
    // their standing.
    store
        .record_evaluation(&EvaluationWrite {
            run: Some(run("r2")),
            results: vec![standing("b", "r2", 1), standing("c", "r2", 1)],
            failing: vec![pair("b", "p1"), pair("c", "p2")],
            full: true,
            daily: vec![cell("2026-12-01", "p1", 0), cell("2026-12-02", "p1", 2)],
        })
        .await
        .unwrap();
    let after = store.failing_since(None).await.unwrap();
    assert_eq!(
        after
            .iter()
            .map(|f| (f.product_id.as_str(), f.policy_id.as_str()))
            .collect::<Vec<_>>(),
        vec![("b", "p1"), ("c", "p2")]
    );
    assert_eq!(after[0], since[1], "b's 'since' is kept");
    let results = store.governance_results().await.unwrap();
    assert_eq!(
        results
            .iter()
            .map(|r| r.product_id.as_str())
            .collect::<Vec<_>>(),
        vec!["b", "c"]
    );
    assert_eq!(
        store.governance_result("b").await.unwrap().unwrap().run_id,
        "r2"
    );
    assert!(store.governance_result("a").await.unwrap().is_none());
    let runs = store.governance_runs(10).await.unwrap();
    assert_eq!(runs.len(), 2);
    // The day's snapshot is replaced by the day's last run.
    let days = store
        .governance_daily("domain", "2026-12-01", "2026-12-31")
        .await
        .unwrap();
    assert_eq!(
        days.iter()
            .map(|d| (d.day.as_str(), d.passing))
            .collect::<Vec<_>>(),
        vec![("2026-12-01", 0), ("2026-12-02", 2)]
    );
    store
        .put_daily(&[cell("2026-11-30", "p1", 1)])
        .await
        .unwrap();
    assert_eq!(
        store
            .governance_daily("domain", "2026-11-01", "2026-11-30")
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .governance_daily("team", "2026-01-01", "2026-12-31")
            .await
            .unwrap()
            .is_empty()
    );
}
