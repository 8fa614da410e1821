//! Observed lineage on both backends: events stored once, runs folded in any order, job inputs
//! and outputs following the newest run, column lineage, observations, the Marquez listings,
//! and the change feed between instances.

use std::time::Duration;

use store::lineage::*;
use store::*;

conformance!(
    lineage_events_are_stored_once,
    late_events_do_not_rewind_a_run,
    job_io_follows_the_newest_run,
    job_events_replace_io_and_column_lineage_is_replaced,
    namespaces_datasets_jobs_and_runs_are_listed,
    changes_reach_other_instances,
);

fn key(ns: &str, name: &str) -> DatasetKey {
    DatasetKey {
        namespace: ns.to_owned(),
        name: name.to_owned(),
    }
}

/// A run event of job `etl/load` at minute `minute`.
fn run_event(
    hash: &str,
    run: &str,
    state: &str,
    minute: u32,
    inputs: &[&str],
    outputs: &[&str],
) -> LineageEventWrite {
    let mut datasets: Vec<DatasetWrite> = inputs
        .iter()
        .map(|n| DatasetWrite {
            key: key("db", n),
            direction: Some(Direction::Input),
            fields: None,
            facets: None,
        })
        .collect();
    datasets.extend(outputs.iter().map(|n| DatasetWrite {
        key: key("db", n),
        direction: Some(Direction::Output),
        fields: Some(String::from(
            r#"[{"name":"id","type":"BIGINT","description":null}]"#,
        )),
        facets: Some(String::from(r#"{"schema":{}}"#)),
    }));
    LineageEventWrite {
        hash: hash.to_owned(),
        kind: String::from("run"),
        event_type: Some(state.to_owned()),
        event_time: format!("2025-01-15T10:{minute:02}:00.000000Z"),
        producer: Some(String::from("test")),
        body: String::from("{}"),
        job: Some(JobWrite {
            namespace: String::from("etl"),
            name: String::from("load"),
            job_type: Some(String::from("BATCH")),
            facets: String::from("{}"),
        }),
        run: Some(RunWrite {
            run_id: run.to_owned(),
            parent_run_id: None,
            error_message: (state == "FAIL").then(|| String::from("boom")),
            facets: String::from("{}"),
        }),
        datasets,
        column_lineage: Vec::new(),
        observations: Vec::new(),
    }
}

async fn io(store: &Store) -> (Vec<String>, Vec<String>) {
    let job = store
        .lineage_job_io(Some(("etl", "load")))
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    (
        job.inputs.into_iter().map(|k| k.name).collect(),
        job.outputs.into_iter().map(|k| k.name).collect(),
    )
}

async fn lineage_events_are_stored_once(store: &Store) {
    let start = run_event("h1", "r1", "START", 0, &["orders"], &["revenue"]);
    let mut complete = run_event("h2", "r1", "COMPLETE", 3, &["orders"], &["revenue"]);
    complete.observations.push(ObservationWrite {
        dataset: key("db", "orders"),
        kind: String::from("assertion"),
        column: Some(String::from("id")),
        assertion: Some(String::from("not_null")),
        success: Some(false),
        value: String::from("{}"),
    });
    let results = store
        .ingest_lineage(&[start.clone(), complete.clone()])
        .await
        .unwrap();
    assert!(matches!(
        &results[0],
        Ingested::Stored {
            job_io_changed: true,
            ..
        }
    ));
    assert_eq!(changes_of(&results).len(), 3, "{results:?}");
    // The same events again change nothing.
    let again = store
        .ingest_lineage(&[complete.clone(), start])
        .await
        .unwrap();
    assert_eq!(again, [Ingested::Duplicate, Ingested::Duplicate]);
    assert_eq!(store.lineage_event_count().await.unwrap(), 2);
    assert_eq!(
        store
            .lineage_observations(&key("db", "orders"), 10)
            .await
            .unwrap()
            .len(),
        1
    );

    let run = store.lineage_run("r1").await.unwrap().unwrap();
    assert_eq!(run.state, "COMPLETE");
    assert_eq!(
        run.started_at.as_deref(),
        Some("2025-01-15T10:00:00.000000Z")
    );
    assert_eq!(run.ended_at.as_deref(), Some("2025-01-15T10:03:00.000000Z"));
    assert_eq!(run.inputs, [key("db", "orders")]);
    let revenue = store
        .lineage_dataset(&key("db", "revenue"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        revenue.last_written_at.as_deref(),
        Some("2025-01-15T10:03:00.000000Z")
    );
    assert_eq!(revenue.last_written_by.as_deref(), Some("r1"));
    assert!(revenue.fields.unwrap().contains("BIGINT"));
    // Only a completed run refreshes what it wrote.
    let orders = store
        .lineage_dataset(&key("db", "orders"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(orders.last_written_at, None);
    assert_eq!(
        io(store).await,
        (vec![String::from("orders")], vec![String::from("revenue")])
    );
}

async fn late_events_do_not_rewind_a_run(store: &Store) {
    let complete = run_event("c", "r1", "COMPLETE", 5, &[], &["revenue"]);
    let start = run_event("s", "r1", "START", 1, &["orders"], &[]);
    store.ingest_lineage(&[complete]).await.unwrap();
    store.ingest_lineage(&[start]).await.unwrap();
    let run = store.lineage_run("r1").await.unwrap().unwrap();
    assert_eq!(run.state, "COMPLETE");
    assert_eq!(run.created_at, "2025-01-15T10:01:00.000000Z");
    assert_eq!(
        run.started_at.as_deref(),
        Some("2025-01-15T10:01:00.000000Z")
    );
    // Both events belong to the newest run: its inputs and outputs add up.
    assert_eq!(
        io(store).await,
        (vec![String::from("orders")], vec![String::from("revenue")])
    );
    // A failure is recorded with its message.
    store
        .ingest_lineage(&[run_event("f", "r2", "FAIL", 9, &[], &[])])
        .await
        .unwrap();
    let failed = store.lineage_run("r2").await.unwrap().unwrap();
    assert_eq!(
        (failed.state.as_str(), failed.error_message.as_deref()),
        ("FAIL", Some("boom"))
    );
}

async fn job_io_follows_the_newest_run(store: &Store) {
    store
        .ingest_lineage(&[run_event("a", "r1", "COMPLETE", 1, &["a"], &["out"])])
        .await
        .unwrap();
    store
        .ingest_lineage(&[run_event("b", "r2", "COMPLETE", 2, &["b"], &["out"])])
        .await
        .unwrap();
    assert_eq!(io(store).await.0, ["b"]);
    // A late event of the older run does not bring its inputs back.
    store
        .ingest_lineage(&[run_event("c", "r1", "RUNNING", 1, &["c"], &[])])
        .await
        .unwrap();
    assert_eq!(io(store).await.0, ["b"]);
    let job = store.lineage_job("etl", "load").await.unwrap().unwrap();
    assert_eq!(job.latest_run_id.as_deref(), Some("r2"));
}

async fn job_events_replace_io_and_column_lineage_is_replaced(store: &Store) {
    store
        .ingest_lineage(&[run_event("a", "r1", "COMPLETE", 1, &["a"], &["out"])])
        .await
        .unwrap();
    let mut job_event = run_event("j", "", "", 2, &["x", "y"], &["out"]);
    job_event.kind = String::from("job");
    job_event.run = None;
    job_event.event_type = None;
    let lineage = |field: &str, input: &str| ColumnLineageRow {
        field: field.to_owned(),
        input: key("db", input),
        input_field: String::from("id"),
        transformations: String::from(r#"[{"type":"DIRECT"}]"#),
    };
    job_event.column_lineage.push(ColumnLineageWrite {
        output: key("db", "out"),
        fields: vec![lineage("id", "x"), lineage("id", "y")],
    });
    store.ingest_lineage(&[job_event]).await.unwrap();
    assert_eq!(io(store).await.0, ["x", "y"]);
    assert_eq!(
        store
            .lineage_columns(Some(&key("db", "out")))
            .await
            .unwrap()
            .len(),
        2
    );
    let mut replace = run_event("k", "r2", "COMPLETE", 3, &["x"], &["out"]);
    replace.column_lineage.push(ColumnLineageWrite {
        output: key("db", "out"),
        fields: vec![lineage("id", "x")],
    });
    store.ingest_lineage(&[replace]).await.unwrap();
    let rows = store.lineage_columns(None).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].row.input, key("db", "x"));
}

async fn namespaces_datasets_jobs_and_runs_are_listed(store: &Store) {
    let mut events = Vec::new();
    for i in 0..5u32 {
        events.push(run_event(
            &format!("h{i}"),
            &format!("r{i}"),
            "COMPLETE",
            i,
            &["in"],
            &[&format!("out{i}")],
        ));
    }
    store.ingest_lineage(&events).await.unwrap();
    let namespaces: Vec<String> = store
        .lineage_namespaces()
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(namespaces, ["db", "etl"]);
    let (page, total) = store.lineage_datasets(Some("db"), 2, 1).await.unwrap();
    assert_eq!(total, 6);
    assert_eq!(
        page.iter().map(|d| d.key.name.as_str()).collect::<Vec<_>>(),
        ["out0", "out1"]
    );
    let (jobs, total) = store.lineage_jobs(Some("etl"), 10, 0).await.unwrap();
    assert_eq!((jobs.len(), total), (1, 1));
    assert_eq!(jobs[0].outputs, [key("db", "out4")]);
    let (runs, total) = store.lineage_runs("etl", "load", 2, 0).await.unwrap();
    assert_eq!(total, 5);
    assert_eq!(
        runs.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(),
        ["r4", "r3"]
    );
    assert_eq!(store.lineage_dataset_keys().await.unwrap().len(), 6);
}

async fn changes_reach_other_instances(store: &Store) {
    if store.dialect() == Dialect::Sqlite {
        // One instance per SQLite file: nothing to listen to.
        assert!(store.listen().await.unwrap().is_none());
        return;
    }
    let other = Store::connect(store.url()).await.unwrap();
    let mut feed = other.listen().await.unwrap().unwrap();
    let mut own = store.listen().await.unwrap().unwrap();
    store
        .ingest_lineage(&[run_event("h", "r1", "COMPLETE", 1, &["a"], &["b"])])
        .await
        .unwrap();
    let item = tokio::time::timeout(Duration::from_secs(10), feed.recv())
        .await
        .expect("the other instance hears of the change")
        .unwrap();
    let FeedItem::Changes(changes) = item else {
        panic!("expected changes, got {item:?}");
    };
    assert!(changes.contains(&Change::Job {
        namespace: String::from("etl"),
        name: String::from("load"),
    }));
    // An instance does not hear its own announcements.
    store
        .announce(&[Change::Product {
            id: String::from("p"),
        }])
        .await
        .unwrap();
    let item = tokio::time::timeout(Duration::from_secs(10), feed.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        item,
        FeedItem::Changes(vec![Change::Product {
            id: String::from("p")
        }])
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(300), own.recv())
            .await
            .is_err()
    );
    other.close().await;
}
