//! Every graph operation on small meshes written as text.

use pretty_assertions::assert_eq;

use crate::testing::{fixture, product};
use crate::*;

/// A small mesh across three domains:
///
/// ```text
/// sales.orders ──► sales.revenue ──► finance.ledger ──► finance.report
///        └────────► customers.c360 ─┘
/// customers.crm ──► customers.c360
/// ```
const MESH: &str = "
    sales.orders -> sales.revenue
    sales.orders -> customers.c360
    customers.crm -> customers.c360
    sales.revenue -> finance.ledger
    customers.c360 -> finance.ledger
    finance.ledger -> finance.report
";

fn ids(sub: &Subgraph) -> Vec<String> {
    let mut v: Vec<String> = sub
        .nodes
        .iter()
        .filter(|n| n.id.kind() == "product")
        .map(|n| n.id.to_string())
        .collect();
    v.sort();
    v
}

fn p(id: &str) -> NodeId {
    NodeId::product(id)
}

#[test]
fn upstream_and_downstream_stop_at_the_depth() {
    let g = fixture(MESH);
    let up1 = g
        .upstream(&p("finance.ledger"), 1, Scope::Products)
        .unwrap();
    assert_eq!(
        ids(&up1),
        [
            "product:customers.c360",
            "product:finance.ledger",
            "product:sales.revenue"
        ]
    );
    let up2 = g
        .upstream(&p("finance.ledger"), 2, Scope::Products)
        .unwrap();
    assert_eq!(ids(&up2).len(), 5);
    let depth = |sub: &Subgraph, id: &str| sub.nodes.iter().find(|n| n.id == p(id)).unwrap().depth;
    assert_eq!(depth(&up2, "sales.orders"), -2);
    assert_eq!(depth(&up2, "customers.crm"), -2);

    let down = g
        .downstream(&p("sales.orders"), 1, Scope::Products)
        .unwrap();
    assert_eq!(
        ids(&down),
        [
            "product:customers.c360",
            "product:sales.orders",
            "product:sales.revenue"
        ]
    );
    // The edges between them are the declared ones, through the upstream's port.
    assert!(down.edges.iter().any(|e| e.kind == EdgeKind::Declared
        && e.from == NodeId::port("sales.orders", "out")
        && e.to == p("sales.revenue")));
    // What lies beyond is counted, not shown.
    let port = NodeId::port("customers.c360", "out");
    let c360 = down.nodes.iter().find(|n| n.id == port).unwrap();
    assert_eq!(c360.hidden_downstream, 1);
    assert!(g.upstream(&p("nope"), 1, Scope::Products).is_none());
}

#[test]
fn impact_lists_every_downstream_product_with_owner_depth_and_path() {
    let g = fixture(MESH);
    let impact = g.impact(&p("sales.orders"), Scope::Products).unwrap();
    let rows: Vec<(String, u32, String)> = impact
        .entries
        .iter()
        .map(|e| (e.product.clone(), e.depth, e.team.clone().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            ("customers.c360".into(), 1, "customers-team".into()),
            ("sales.revenue".into(), 1, "sales-team".into()),
            ("finance.ledger".into(), 2, "finance-team".into()),
            ("finance.report".into(), 3, "finance-team".into()),
        ]
    );
    assert_eq!(impact.entries[0].path, ["sales.orders", "customers.c360"]);
    let report = &impact.entries[3].path;
    assert_eq!(report.len(), 4, "{report:?}");
    assert_eq!(
        (report[0].as_str(), report[2].as_str(), report[3].as_str()),
        ("sales.orders", "finance.ledger", "finance.report")
    );
}

#[test]
fn impact_follows_observed_lineage_in_the_whole_scope() {
    let mut g = fixture("sales.orders\nfinance.ledger");
    // A job reads the orders port's dataset and writes the ledger's: undeclared, but real.
    g.apply_job(JobSpec {
        namespace: String::from("airflow"),
        name: String::from("ledger_load"),
        inputs: vec![DatasetRef::new("warehouse", "sales.orders")],
        outputs: vec![DatasetRef::new("warehouse", "finance.ledger")],
        ..JobSpec::default()
    });
    assert!(
        g.impact(&p("sales.orders"), Scope::Products)
            .unwrap()
            .entries
            .is_empty()
    );
    let all = g.impact(&p("sales.orders"), Scope::All).unwrap();
    assert_eq!(all.entries.len(), 1);
    assert_eq!(all.entries[0].product, "finance.ledger");
    assert!(all.entries[0].observed);
    assert!(
        all.entries[0]
            .route
            .contains(&NodeId::job("airflow", "ledger_load"))
    );
}

#[test]
fn shortest_path_in_either_direction() {
    let g = fixture(MESH);
    let path = g
        .path(&p("sales.orders"), &p("finance.report"), Scope::Products)
        .unwrap();
    let products: Vec<String> = path
        .nodes
        .iter()
        .filter(|n| n.kind() == "product")
        .map(ToString::to_string)
        .collect();
    assert_eq!(products.len(), 4, "{products:?}");
    assert_eq!(path.edges.len(), path.nodes.len() - 1);
    // Asked the other way round, the same path comes back along the flow.
    let back = g
        .path(&p("finance.report"), &p("sales.orders"), Scope::Products)
        .unwrap();
    assert_eq!(back.nodes.first(), Some(&p("sales.orders")));
    assert!(
        g.path(&p("customers.crm"), &p("sales.revenue"), Scope::Products)
            .is_none()
    );
}

#[test]
fn neighbourhood_limits_fan_out_and_expands_on_request() {
    let mut text = String::from("core.hub\n");
    for i in 0..40 {
        text.push_str(&format!("core.hub -> sales.c{i:02}\n"));
    }
    text.push_str("sales.c00 -> finance.deep\n");
    let g = fixture(&text);
    let mut q = Neighbourhood::around(p("core.hub"));
    q.fan_out = 10;
    let sub = g.neighbourhood(&q).unwrap();
    assert_eq!(ids(&sub).len(), 11);
    assert_eq!(sub.more.len(), 1);
    assert_eq!(sub.more[0].hidden, 30);
    assert_eq!(sub.more[0].flow, Flow::Downstream);

    q.unlimited.push(p("core.hub"));
    let all = g.neighbourhood(&q).unwrap();
    assert_eq!(ids(&all).len(), 41);
    assert!(all.more.is_empty());
    let c00 = all
        .nodes
        .iter()
        .find(|n| n.id == NodeId::port("sales.c00", "out"))
        .unwrap();
    assert_eq!(c00.hidden_downstream, 1);

    q.expanded.push(p("sales.c00"));
    let expanded = g.neighbourhood(&q).unwrap();
    assert!(expanded.nodes.iter().any(|n| n.id == p("finance.deep")));
    let deep = expanded
        .nodes
        .iter()
        .find(|n| n.id == p("finance.deep"))
        .unwrap();
    assert_eq!(deep.depth, 2);
}

#[test]
fn domain_map_counts_flows_between_domains() {
    let g = fixture(MESH);
    let map = g.domain_map();
    let domains: Vec<(String, usize)> = map
        .domains
        .iter()
        .map(|d| (d.domain.clone(), d.products))
        .collect();
    assert_eq!(
        domains,
        [
            ("customers".into(), 2),
            ("finance".into(), 2),
            ("sales".into(), 2)
        ]
    );
    let flows: Vec<(String, String, usize)> = map
        .flows
        .iter()
        .map(|f| (f.from.clone(), f.to.clone(), f.products.len()))
        .collect();
    assert_eq!(
        flows,
        [
            ("customers".into(), "finance".into(), 1),
            ("sales".into(), "customers".into(), 1),
            ("sales".into(), "finance".into(), 1),
        ]
    );
    let sales = map.domains.iter().find(|d| d.domain == "sales").unwrap();
    assert_eq!(sales.internal_flows, 1);
}

#[test]
fn a_new_input_that_closes_a_cycle_is_named() {
    let g = fixture(MESH);
    // sales.orders reading finance.report would close orders → … → report → orders.
    let orders = g.product("sales.orders").unwrap();
    let inputs = vec![InputPortSpec {
        name: String::from("report"),
        contract_id: Some(String::from("c:finance.report")),
        external_source: None,
    }];
    let cycle = g
        .cycle_if_registered("sales.orders", &orders.output_ports, &inputs)
        .unwrap();
    assert_eq!(cycle.first().map(String::as_str), Some("sales.orders"));
    assert_eq!(cycle.last().map(String::as_str), Some("sales.orders"));
    assert!(cycle.contains(&String::from("finance.report")));
    assert_eq!(cycle.len(), 5, "{cycle:?}");

    // Reading a product that is not downstream is fine.
    let fine = vec![InputPortSpec {
        name: String::from("crm"),
        contract_id: Some(String::from("c:customers.crm")),
        external_source: None,
    }];
    assert!(
        g.cycle_if_registered("sales.orders", &orders.output_ports, &fine)
            .is_none()
    );
    // Reading itself is the smallest cycle.
    let own = vec![InputPortSpec {
        name: String::from("self"),
        contract_id: Some(String::from("c:sales.orders")),
        external_source: None,
    }];
    assert_eq!(
        g.cycle_if_registered("sales.orders", &orders.output_ports, &own),
        Some(vec![
            String::from("sales.orders"),
            String::from("sales.orders")
        ])
    );
}

#[test]
fn cycles_in_observed_lineage_are_found() {
    let mut g = LineageGraph::new();
    let job = |name: &str, input: &str, output: &str| JobSpec {
        namespace: String::from("ns"),
        name: name.to_owned(),
        inputs: vec![DatasetRef::new("db", input)],
        outputs: vec![DatasetRef::new("db", output)],
        ..JobSpec::default()
    };
    g.apply_job(job("a", "x", "y"));
    g.apply_job(job("b", "y", "x"));
    g.apply_job(job("c", "y", "z"));
    assert!(g.cycles(Scope::Products).is_empty());
    let cycles = g.cycles(Scope::Observed);
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].len(), 5, "{:?}", cycles[0]);
    assert_eq!(cycles[0].first(), cycles[0].last());
}

#[test]
fn updates_are_incremental_and_relink_readers() {
    let mut g = fixture(MESH);
    let before = g.generation();
    // The ledger drops its port: the report loses its upstream, but keeps its input port.
    let mut ledger = g.product("finance.ledger").unwrap().clone();
    ledger.output_ports.clear();
    g.upsert_product(ledger.clone());
    assert!(g.generation() > before);
    assert!(
        g.upstream(&p("finance.report"), 1, Scope::Products)
            .unwrap()
            .edges
            .is_empty()
    );
    // Offering the contract again links the report back.
    g.upsert_product(product("finance.ledger"));
    let mut restored = g.product("finance.ledger").unwrap().clone();
    restored.input_ports = ledger.input_ports.clone();
    g.upsert_product(restored);
    let up = g
        .upstream(&p("finance.report"), 1, Scope::Products)
        .unwrap();
    assert_eq!(
        ids(&up),
        ["product:finance.ledger", "product:finance.report"]
    );
    // Removing a product removes its ports and their edges.
    g.remove_product("finance.ledger");
    assert!(!g.contains(&NodeId::port("finance.ledger", "out")));
    assert!(
        g.upstream(&p("finance.report"), 1, Scope::Products)
            .unwrap()
            .edges
            .is_empty()
    );
    // A dataset only a port referred to goes with the port.
    assert!(!g.contains(&NodeId::dataset("warehouse", "finance.ledger")));
}

#[test]
fn jobs_replace_their_edges_and_keep_observed_datasets() {
    let mut g = LineageGraph::new();
    let spec = |inputs: &[&str]| JobSpec {
        namespace: String::from("ns"),
        name: String::from("j"),
        inputs: inputs.iter().map(|i| DatasetRef::new("db", *i)).collect(),
        outputs: vec![DatasetRef::new("db", "out")],
        ..JobSpec::default()
    };
    g.apply_job(spec(&["a", "b"]));
    let up = g
        .upstream(&NodeId::dataset("db", "out"), 5, Scope::Observed)
        .unwrap();
    assert_eq!(up.nodes.len(), 4);
    g.apply_job(spec(&["a"]));
    let up = g
        .upstream(&NodeId::dataset("db", "out"), 5, Scope::Observed)
        .unwrap();
    assert_eq!(up.nodes.len(), 3);
    // b was observed once and stays listed.
    assert!(g.contains(&NodeId::dataset("db", "b")));
}

#[test]
fn column_lineage_is_replaced_per_output_dataset() {
    let mut g = LineageGraph::new();
    let out = DatasetRef::new("db", "orders_clean");
    let edge = |from: &str, to: &str| ColumnEdge {
        from: ColumnRef::new("db", "orders", from),
        to: ColumnRef::new("db", "orders_clean", to),
    };
    g.set_column_lineage(&out, vec![edge("id", "order_id"), edge("amount", "total")]);
    let up = g
        .upstream(
            &NodeId::column("db", "orders_clean", "total"),
            3,
            Scope::Columns,
        )
        .unwrap();
    assert_eq!(up.nodes.len(), 2);
    assert_eq!(g.columns_of(&out), ["order_id", "total"]);
    g.set_column_lineage(&out, vec![edge("id", "order_id")]);
    assert!(!g.contains(&NodeId::column("db", "orders_clean", "total")));
    assert!(!g.contains(&NodeId::column("db", "orders", "amount")));
}

#[test]
fn drift_finds_undeclared_and_unobserved_dependencies() {
    // revenue declares orders and crm; its job reads orders and refunds (undeclared) and an
    // external table.
    let mut g = fixture(
        "
        sales.orders -> sales.revenue
        customers.crm -> sales.revenue
        sales.refunds
    ",
    );
    let nothing_yet = g.drift("sales.revenue").unwrap();
    assert!(!nothing_yet.observed);
    assert!(nothing_yet.findings.is_empty());
    g.apply_job(JobSpec {
        namespace: String::from("dbt"),
        name: String::from("revenue"),
        inputs: vec![
            DatasetRef::new("warehouse", "sales.orders"),
            DatasetRef::new("warehouse", "sales.refunds"),
            DatasetRef::new("s3://raw", "fx_rates.csv"),
        ],
        outputs: vec![DatasetRef::new("warehouse", "sales.revenue")],
        ..JobSpec::default()
    });
    let drift = g.drift("sales.revenue").unwrap();
    assert!(drift.observed);
    let kinds: Vec<(DriftKind, Option<String>, Option<String>)> = drift
        .findings
        .iter()
        .map(|f| {
            (
                f.kind.clone(),
                f.upstream_product.clone(),
                f.input_port.clone(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (DriftKind::Undeclared, Some("sales.refunds".into()), None),
            (DriftKind::UndeclaredExternal, None, None),
            (
                DriftKind::NeverObserved,
                Some("customers.crm".into()),
                Some("from-customers-crm".into())
            ),
        ]
    );
    assert!(drift.findings[0].fix.contains("c:sales.refunds"));
}

#[test]
fn marquez_ids_resolve_against_known_nodes() {
    let mut g = LineageGraph::new();
    g.observe_dataset(&DatasetRef::new("file", "2024:orders"));
    assert_eq!(
        g.resolve("dataset:file:2024:orders"),
        Some(NodeId::dataset("file", "2024:orders"))
    );
    assert_eq!(g.resolve("dataset:file:nothing"), None);
}

#[test]
fn dot_export_names_every_node_and_edge() {
    let g = fixture(MESH);
    let sub = g
        .downstream(&p("sales.orders"), 1, Scope::Products)
        .unwrap();
    let dot = dot::to_dot(&sub, &Default::default());
    assert!(dot.starts_with("digraph lineage {"));
    assert!(dot.contains("subgraph \"cluster_sales\""));
    assert!(dot.contains("\"port:sales.orders:out\" -> \"product:sales.revenue\""));
}

#[test]
fn with_observed_lineage_in_view_the_job_building_a_product_is_upstream_of_it() {
    let mut g = fixture("sales.orders -> sales.revenue");
    g.apply_job(JobSpec {
        namespace: String::from("dbt"),
        name: String::from("revenue"),
        inputs: vec![DatasetRef::new("warehouse", "sales.orders")],
        outputs: vec![DatasetRef::new("warehouse", "sales.revenue")],
        ..JobSpec::default()
    });
    let up = g.upstream(&p("sales.revenue"), 1, Scope::All).unwrap();
    assert!(
        up.nodes
            .iter()
            .any(|n| n.id == NodeId::job("dbt", "revenue")),
        "{:?}",
        up.nodes
    );
    // Declared lineage alone does not wander into datasets and jobs.
    let declared = g.upstream(&p("sales.revenue"), 1, Scope::Products).unwrap();
    assert!(declared.nodes.iter().all(|n| n.id.product_id().is_some()));
}
