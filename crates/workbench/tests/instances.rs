//! Two Meshwork instances on one PostgreSQL: what one writes reaches the other's lineage graph
//! through the change feed (LISTEN/NOTIFY), and an instance that starts later loads everything.
//! This is the PostgreSQL deployment, so it always runs against PostgreSQL.

use std::time::{Duration, Instant};

use store::Store;
use store::testing::TestDb;
use workbench::{Actor, ExploreQuery, Workbench, WorkbenchConfig};

/// Polls until `check` holds, for at most ten seconds.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{what} did not happen within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn nodes(wb: &Workbench, focus: &str) -> Vec<String> {
    let query = ExploreQuery {
        focus: focus.to_owned(),
        scope: Some(String::from("all")),
        upstream: Some(3),
        downstream: Some(3),
        ..ExploreQuery::default()
    };
    match wb.explore(&Actor::system(), &query).await {
        Ok(view) => {
            let mut ids: Vec<String> = view.nodes.into_iter().map(|n| n.id).collect();
            ids.sort();
            ids
        }
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn each_instance_sees_what_the_other_writes() {
    let db = TestDb::postgres().await;
    let a = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    let b = Workbench::new(
        Store::connect(&db.url).await.unwrap(),
        WorkbenchConfig::default(),
    );
    a.start_lineage().await.unwrap();
    b.start_lineage().await.unwrap();

    // A loads the demo mesh; B hears of every product.
    a.load_demo().await.unwrap();
    eventually("B sees the demo's products", || async {
        nodes(&b, "product:sales.orders")
            .await
            .contains(&String::from("product:customers.customer-360"))
    })
    .await;

    // An OpenLineage event received by B reaches A's graph.
    let event = serde_json::json!({
        "eventTime": "2025-01-15T10:03:00Z", "eventType": "COMPLETE",
        "producer": "https://example.com/test",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "01946967-d500-7792-a309-726e300e78bb"},
        "job": {"namespace": "two-instances", "name": "copy"},
        "inputs": [{"namespace": "pg://a", "name": "src"}],
        "outputs": [{"namespace": "pg://a", "name": "dst"}],
    });
    b.receive_lineage(&Actor::system(), event.to_string().as_bytes())
        .await
        .unwrap();
    eventually("A sees the job B received", || async {
        nodes(&a, "dataset:pg://a:dst")
            .await
            .contains(&String::from("job:two-instances:copy"))
    })
    .await;

    // A third instance started now loads it all from the database.
    let c = Workbench::new(
        Store::connect(&db.url).await.unwrap(),
        WorkbenchConfig::default(),
    );
    c.start_lineage().await.unwrap();
    assert!(
        nodes(&c, "dataset:pg://a:dst")
            .await
            .contains(&String::from("job:two-instances:copy"))
    );
    assert_eq!(
        nodes(&c, "product:sales.orders").await,
        nodes(&a, "product:sales.orders").await
    );
    db.finish().await;
}
