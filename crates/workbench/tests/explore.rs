//! The explorer's pictures: an expand grows the picture on screen (the nodes drawn keep their
//! order in their column) and a query's picture is the same whether or not the workbench
//! remembered the picture it grew from.

use std::collections::HashMap;

use store::testing::TestDb;
use views::LineageGraphView;
use workbench::{Actor, ExploreQuery, Workbench, WorkbenchConfig};

fn positions(view: &LineageGraphView) -> HashMap<String, (f64, f64)> {
    view.nodes
        .iter()
        .map(|n| (n.id.clone(), (n.x, n.y)))
        .collect()
}

#[tokio::test]
async fn an_expand_grows_the_picture_on_screen_and_the_same_query_gives_the_same_picture() {
    let db = TestDb::from_env().await;
    let wb = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    wb.load_synthetic(300, 2.5).await.unwrap();
    let actor = Actor::system();
    let specs = lineage::testing::synthetic_mesh(300, 2.5, 42);
    // A focus with a picture of some size, and a node in it with hidden neighbours.
    let mut found = None;
    for spec in &specs {
        let q = ExploreQuery {
            focus: format!("product:{}", spec.id),
            upstream: Some(1),
            downstream: Some(2),
            ..ExploreQuery::default()
        };
        let view = wb.explore(&actor, &q).await.unwrap();
        let expandable = view.nodes.iter().find(|n| {
            n.kind == "product" && Some(&n.id) != view.focus.as_ref() && n.hidden_downstream > 0
        });
        if view.nodes.len() >= 20
            && let Some(node) = expandable
        {
            found = Some((q.clone(), node.id.clone(), view.clone()));
            break;
        }
    }
    let (base, node, before) = found.expect("a focus with an expandable neighbour");
    let grown_query = ExploreQuery {
        expand: vec![node.clone()],
        ..base.clone()
    };
    let grown = wb.explore(&actor, &grown_query).await.unwrap();
    assert!(
        grown.nodes.len() > before.nodes.len(),
        "the expand added nodes"
    );
    let (was, now) = (positions(&before), positions(&grown));
    // Nodes that were drawn and stay in one column keep their order in it.
    for (a, (ax, ay)) in &was {
        for (b, (bx, by)) in &was {
            let (Some((nax, nay)), Some((nbx, nby))) = (now.get(a), now.get(b)) else {
                continue;
            };
            if ax == bx && nax == nbx && ax == nax && ay < by {
                assert!(nay < nby, "{a} was above {b} and is no more");
            }
        }
    }
    // The new neighbours are drawn next to the expanded node's column.
    let expanded_x = now[&node].0;
    let new: Vec<&String> = now.keys().filter(|id| !was.contains_key(*id)).collect();
    assert!(!new.is_empty());
    assert!(
        new.iter().any(|id| now[*id].0 > expanded_x),
        "its downstream neighbours come after it"
    );

    // Another workbench on the same store has remembered nothing: it lays the first picture
    // out whole and grows it the same way, so the same query gives the same picture.
    let fresh = Workbench::new(db.store.clone(), WorkbenchConfig::default());
    assert_eq!(fresh.explore(&actor, &grown_query).await.unwrap(), grown);
    // And so does one that remembers nothing at all.
    let forgetful = Workbench::new(
        db.store.clone(),
        WorkbenchConfig {
            no_read_cache: true,
            ..WorkbenchConfig::default()
        },
    );
    assert_eq!(
        forgetful.explore(&actor, &grown_query).await.unwrap(),
        grown
    );
    // Collapsing again (Back) shows the first picture.
    assert_eq!(wb.explore(&actor, &base).await.unwrap(), before);
    db.finish().await;
}
