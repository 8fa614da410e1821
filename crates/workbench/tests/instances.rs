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

/// A product `id` of team `team` with one output port (contract `urn:race:<id>`) and, when
/// `reads` is given, an input port reading that product's port.
fn product(id: &str, reads: Option<&str>) -> serde_json::Value {
    let inputs: Vec<serde_json::Value> = reads
        .map(|r| serde_json::json!({ "name": format!("from-{r}"), "version": "1.0.0", "contractId": format!("urn:race:{r}") }))
        .into_iter()
        .collect();
    serde_json::json!({
        "apiVersion": "v1.0.0", "kind": "DataProduct", "id": id, "name": format!("Race {id}"),
        "version": if reads.is_some() { "1.1.0" } else { "1.0.0" }, "status": "active",
        "domain": "race", "team": { "name": "racers" },
        "description": { "purpose": "A product two instances race to change." },
        "inputPorts": inputs,
        "outputPorts": [{ "name": "out", "type": "table", "version": "1.0.0", "contractId": format!("urn:race:{id}") }],
    })
}

fn contract(id: &str) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v3.0.2", "kind": "DataContract", "id": format!("urn:race:{id}"), "name": id,
        "version": "1.0.0", "status": "active",
        "schema": [{ "name": "t", "physicalType": "table", "properties": [{ "name": "k", "logicalType": "integer" }] }],
    })
}

async fn publish(
    wb: &Workbench,
    product: serde_json::Value,
    contract: Option<serde_json::Value>,
) -> workbench::Result<views::PublishResult> {
    wb.publish(
        &Actor::system(),
        workbench::Submission {
            product: Some(workbench::SourceDoc::from_value(product)?),
            contracts: contract
                .map(workbench::SourceDoc::from_value)
                .transpose()?
                .into_iter()
                .collect(),
            expect: workbench::Expect::Any,
            mode: workbench::Mode::Overwrite,
            team: None,
        },
    )
    .await
}

/// Two instances, at the same moment, each register one half of a cycle (x reads y on one, y
/// reads x on the other). Each instance's own graph has not heard of the other's write yet, so
/// only the database can tell: exactly one of the two is refused, every round.
#[tokio::test]
async fn two_instances_cannot_close_a_cycle_between_them() {
    let db = TestDb::postgres().await;
    let a = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    let b = Workbench::new(
        Store::connect(&db.url).await.unwrap(),
        WorkbenchConfig::default(),
    );
    a.start_lineage().await.unwrap();
    b.start_lineage().await.unwrap();
    let system = Actor::system();
    a.create_domain(
        &system,
        &views::DomainInput {
            id: "race".into(),
            name: "Race".into(),
            description: String::new(),
            parent_id: None,
            color: None,
        },
    )
    .await
    .unwrap();
    a.create_team(
        &system,
        &views::TeamInput {
            id: "racers".into(),
            name: "Racers".into(),
            description: String::new(),
            domain_id: "race".into(),
        },
    )
    .await
    .unwrap();

    for round in 0..6 {
        let (x, y) = (format!("race.x{round}"), format!("race.y{round}"));
        publish(&a, product(&x, None), Some(contract(&x)))
            .await
            .unwrap();
        publish(&a, product(&y, None), Some(contract(&y)))
            .await
            .unwrap();
        eventually("B hears of both products", || async {
            !nodes(&b, &format!("product:{y}")).await.is_empty()
                && !nodes(&b, &format!("product:{x}")).await.is_empty()
        })
        .await;
        let (on_a, on_b) = tokio::join!(
            publish(&a, product(&x, Some(&y)), None),
            publish(&b, product(&y, Some(&x)), None),
        );
        let refused: Vec<String> = [&on_a, &on_b]
            .into_iter()
            .filter_map(|r| match r {
                Err(workbench::WorkbenchError::Invalid { findings, .. }) => Some(
                    findings
                        .iter()
                        .map(|f| f.rule.clone())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                Err(other) => panic!("round {round}: unexpected error {other}"),
                Ok(_) => None,
            })
            .collect();
        assert_eq!(
            refused,
            vec![String::from("cycle")],
            "round {round}: exactly one of the two halves is refused, as a cycle ({on_a:?} / {on_b:?})"
        );
        let edges = a.store().product_edges().await.unwrap();
        let closing = edges
            .iter()
            .filter(|(consumer, producer)| {
                (consumer == &x && producer == &y) || (consumer == &y && producer == &x)
            })
            .count();
        assert_eq!(closing, 1, "round {round}: one half stored, not both");
    }
    db.finish().await;
}
