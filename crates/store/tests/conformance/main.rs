//! The store conformance suite: every store operation, run once against SQLite and once against
//! PostgreSQL, each test on a database of its own.

use domain::DocumentFormat;
use store::*;

/// Generates one `#[tokio::test]` per backend for each scenario function below.
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = store::testing::TestDb::sqlite().await;
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = store::testing::TestDb::postgres().await;
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
    };
}

mod governance;
mod lineage;

conformance!(
    domains_are_created_updated_and_guarded,
    teams_and_members,
    users_tokens_and_sessions,
    a_publication_stores_products_contracts_and_derived_rows,
    a_publication_is_all_or_nothing,
    stale_writes_are_refused_with_the_current_revision,
    concurrent_editors_cannot_both_win,
    consumers_and_edges_follow_input_ports,
    search_matches_words_and_counts_facets,
    drafts_belong_to_their_user,
    audit_and_settings,
);

fn event(action: &str, id: &str) -> NewAudit {
    NewAudit {
        actor: String::from("tester"),
        action: action.to_owned(),
        subject_kind: String::from("test"),
        subject_id: id.to_owned(),
        summary: format!("{action} {id}"),
        diff: None,
    }
}

async fn seed_directory(store: &Store) {
    for d in ["sales", "finance"] {
        let fields = DomainFields {
            name: d.to_uppercase(),
            description: String::new(),
            parent_id: None,
            color: String::from("#336699"),
        };
        store
            .save_domain(d, &fields, Expect::New, &event("domain.created", d))
            .await
            .unwrap();
    }
    for (t, d) in [("sales-analytics", "sales"), ("finance-core", "finance")] {
        let fields = TeamFields {
            name: t.to_owned(),
            description: String::new(),
            domain_id: d.to_owned(),
        };
        store
            .save_team(t, &fields, Expect::New, &event("team.created", t))
            .await
            .unwrap();
    }
}

fn product(id: &str, domain: &str, team: &str, expect: Expect) -> ProductWrite {
    ProductWrite {
        id: id.to_owned(),
        name: format!("Product {id}"),
        domain_id: domain.to_owned(),
        team_id: team.to_owned(),
        status: String::from("active"),
        product_type: Some(String::from("aggregate")),
        version: String::from("1.0.0"),
        purpose: format!("Purpose of {id}"),
        tags: vec![String::from("finance"), String::from("daily")],
        document: format!("{{\"id\":\"{id}\",\"description\":{{\"usage\":\"Join on the key\"}}}}"),
        source: format!("id: {id}\n"),
        source_format: DocumentFormat::Yaml,
        output_ports: vec![OutputPortRow {
            product_id: id.to_owned(),
            name: String::from("main"),
            position: 0,
            port_type: Some(String::from("table")),
            version: String::from("1.0.0"),
            description: None,
            contract_id: Some(format!("urn:{id}:main")),
        }],
        input_ports: Vec::new(),
        actor: String::from("tester"),
        expect,
    }
}

fn contract(
    id: &str,
    team: &str,
    fields: &[(&str, Option<&str>)],
    expect: Expect,
) -> ContractWrite {
    ContractWrite {
        id: id.to_owned(),
        name: Some(format!("Contract {id}")),
        version: String::from("1.0.0"),
        status: Some(String::from("active")),
        domain_id: None,
        team_id: Some(team.to_owned()),
        document: String::from("{}"),
        source: String::from("{}"),
        source_format: DocumentFormat::Json,
        fields: fields
            .iter()
            .map(|(name, class)| FieldRow {
                path: format!("t.{name}"),
                object_name: String::from("t"),
                field_name: (*name).to_owned(),
                logical_type: Some(String::from("string")),
                physical_type: None,
                required: true,
                primary_key: false,
                classification: class.map(str::to_owned),
                pii: *name == "email",
                description: None,
            })
            .collect(),
        actor: String::from("tester"),
        expect,
    }
}

async fn domains_are_created_updated_and_guarded(store: &Store) {
    seed_directory(store).await;
    let listed: Vec<String> = store
        .list_domains()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(listed, ["finance", "sales"]);
    let fields = DomainFields {
        name: String::from("Sales"),
        description: String::from("d"),
        parent_id: None,
        color: String::from("#000000"),
    };
    let dup = store
        .save_domain("sales", &fields, Expect::New, &event("x", "sales"))
        .await;
    assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{dup:?}");
    let updated = store
        .save_domain("sales", &fields, Expect::Revision(1), &event("x", "sales"))
        .await
        .unwrap();
    assert_eq!((updated.revision, updated.description.as_str()), (2, "d"));
    let stale = store
        .save_domain("sales", &fields, Expect::Revision(1), &event("x", "sales"))
        .await;
    assert!(
        matches!(stale, Err(StoreError::Stale { current: 2, .. })),
        "{stale:?}"
    );
    let child = DomainFields {
        parent_id: Some(String::from("sales")),
        ..fields.clone()
    };
    store
        .save_domain("sales-emea", &child, Expect::New, &event("x", "e"))
        .await
        .unwrap();
    let busy = store.delete_domain("sales", &event("x", "sales")).await;
    assert!(matches!(busy, Err(StoreError::Reference(_))), "{busy:?}");
    store
        .delete_domain("sales-emea", &event("x", "e"))
        .await
        .unwrap();
    assert!(store.get_domain("sales-emea").await.unwrap().is_none());
    let missing = store.delete_domain("nope", &event("x", "nope")).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
}

async fn new_user(store: &Store, username: &str) -> UserRecord {
    let new = NewUser {
        id: format!("u-{username}"),
        username: username.to_owned(),
        display_name: username.to_uppercase(),
        email: Some(format!("{username}@example.com")),
        password_hash: Some(String::from("hash")),
        is_admin: false,
    };
    store
        .create_user(&new, &event("user.created", username))
        .await
        .unwrap()
}

async fn teams_and_members(store: &Store) {
    seed_directory(store).await;
    let alice = new_user(store, "alice").await;
    let bob = new_user(store, "bob").await;
    store
        .set_member("sales-analytics", &bob.id, "member", &event("m", "b"))
        .await
        .unwrap();
    store
        .set_member("sales-analytics", &alice.id, "owner", &event("m", "a"))
        .await
        .unwrap();
    store
        .set_member("finance-core", &alice.id, "member", &event("m", "a"))
        .await
        .unwrap();
    let members: Vec<(String, String)> = store
        .team_members("sales-analytics")
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.username, m.role))
        .collect();
    assert_eq!(
        members,
        [
            (String::from("alice"), String::from("owner")),
            (String::from("bob"), String::from("member"))
        ]
    );
    store
        .set_member("sales-analytics", &bob.id, "owner", &event("m", "b"))
        .await
        .unwrap();
    let teams: Vec<String> = store
        .memberships(&alice.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    assert_eq!(teams, ["finance-core", "sales-analytics"]);
    store
        .remove_member("finance-core", &alice.id, &event("m", "a"))
        .await
        .unwrap();
    assert!(matches!(
        store
            .remove_member("finance-core", &alice.id, &event("m", "a"))
            .await,
        Err(StoreError::NotFound(_))
    ));
    let fields = TeamFields {
        name: String::from("Sales Analytics"),
        description: String::from("x"),
        domain_id: String::from("sales"),
    };
    let team = store
        .save_team(
            "sales-analytics",
            &fields,
            Expect::Revision(1),
            &event("t", "s"),
        )
        .await
        .unwrap();
    assert_eq!(team.revision, 2);
    store
        .publish(&Publication {
            products: vec![product("p1", "sales", "sales-analytics", Expect::New)],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(matches!(
        store.delete_team("sales-analytics", &event("t", "s")).await,
        Err(StoreError::Reference(_))
    ));
    store
        .delete_team("finance-core", &event("t", "f"))
        .await
        .unwrap();
    assert_eq!(store.list_teams().await.unwrap().len(), 1);
}

async fn users_tokens_and_sessions(store: &Store) {
    let alice = new_user(store, "alice").await;
    assert_eq!(
        store
            .get_user_by_username("alice")
            .await
            .unwrap()
            .unwrap()
            .id,
        alice.id
    );
    let dup = NewUser {
        id: String::from("other"),
        ..NewUser {
            id: String::new(),
            username: String::from("alice"),
            display_name: String::new(),
            email: None,
            password_hash: None,
            is_admin: false,
        }
    };
    assert!(matches!(
        store.create_user(&dup, &event("u", "a")).await,
        Err(StoreError::Duplicate(_))
    ));
    let updated = store
        .update_user(&alice.id, "Alice A.", None, true, None, &event("u", "a"))
        .await
        .unwrap();
    assert!(updated.is_admin);
    assert_eq!(
        updated.password_hash.as_deref(),
        Some("hash"),
        "no new hash keeps the old one"
    );

    let token = NewToken {
        id: String::from("t1"),
        name: String::from("ci"),
        hash: String::from("h1"),
        prefix: String::from("mw_ab"),
        user_id: Some(alice.id.clone()),
        team_id: None,
        created_by: String::from("alice"),
    };
    store
        .create_token(&token, &event("token.created", "t1"))
        .await
        .unwrap();
    let found = store.token_by_hash("h1").await.unwrap().unwrap();
    assert_eq!(found.user_id.as_deref(), Some(alice.id.as_str()));
    assert_eq!(
        store
            .list_tokens(Some(&alice.id), None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.list_tokens(None, Some("nobody")).await.unwrap().len(),
        0
    );
    store
        .revoke_token("t1", &event("token.revoked", "t1"))
        .await
        .unwrap();
    assert!(store.token_by_hash("h1").await.unwrap().is_none());
    assert!(matches!(
        store.revoke_token("t1", &event("x", "t1")).await,
        Err(StoreError::NotFound(_))
    ));

    store
        .create_session("s1", &alice.id, "2999-01-01T00:00:00.000000Z")
        .await
        .unwrap();
    store
        .create_session("s-old", &alice.id, "2000-01-01T00:00:00.000000Z")
        .await
        .unwrap();
    assert_eq!(
        store.session_user("s1").await.unwrap().unwrap().username,
        "alice"
    );
    assert!(
        store.session_user("s-old").await.unwrap().is_none(),
        "expired sessions do not sign in"
    );
    store.delete_session("s1").await.unwrap();
    assert!(store.session_user("s1").await.unwrap().is_none());
    store.delete_session("s1").await.unwrap();
}

async fn a_publication_stores_products_contracts_and_derived_rows(store: &Store) {
    seed_directory(store).await;
    let c = contract(
        "urn:p1:main",
        "sales-analytics",
        &[
            ("customer_id", Some("internal")),
            ("email", Some("restricted")),
        ],
        Expect::New,
    );
    let publication = Publication {
        products: vec![product("p1", "sales", "sales-analytics", Expect::New)],
        contracts: vec![c],
        audit: vec![event("product.published", "p1")],
    };
    let published = store.publish(&publication).await.unwrap();
    assert_eq!(published.products, [(String::from("p1"), 1)]);
    assert_eq!(published.contracts, [(String::from("urn:p1:main"), 1)]);

    let record = store.get_product("p1").await.unwrap().unwrap();
    assert_eq!(record.row.classifications, ["internal", "restricted"]);
    assert_eq!((record.row.output_ports, record.row.input_ports), (1, 0));
    assert_eq!(record.source, "id: p1\n");
    assert_eq!(record.source_format, DocumentFormat::Yaml);
    assert!(store.product_exists("p1").await.unwrap());
    assert!(!store.product_exists("p2").await.unwrap());
    let fields = store.contract_fields("urn:p1:main").await.unwrap();
    assert_eq!(
        fields
            .iter()
            .map(|f| f.field_name.as_str())
            .collect::<Vec<_>>(),
        ["customer_id", "email"]
    );
    assert!(fields[1].pii && fields[0].required);
    assert_eq!(
        store.output_ports("p1").await.unwrap()[0]
            .contract_id
            .as_deref(),
        Some("urn:p1:main")
    );

    let mut v2 = product("p1", "sales", "sales-analytics", Expect::Revision(1));
    v2.version = String::from("1.1.0");
    v2.source = String::from("id: p1\nversion: 1.1.0\n");
    store
        .publish(&Publication {
            products: vec![v2],
            ..Default::default()
        })
        .await
        .unwrap();
    let revisions = store.product_revisions("p1").await.unwrap();
    assert_eq!(
        revisions
            .iter()
            .map(|r| (r.revision, r.version.as_str()))
            .collect::<Vec<_>>(),
        [(2, "1.1.0"), (1, "1.0.0")]
    );
    assert_eq!(
        store
            .product_revision("p1", 1)
            .await
            .unwrap()
            .unwrap()
            .source,
        "id: p1\n"
    );
    let light = store.product_revision_list("p1").await.unwrap();
    assert_eq!(
        light
            .iter()
            .map(|r| (r.revision, r.source.as_str()))
            .collect::<Vec<_>>(),
        [(2, ""), (1, "")],
        "the list leaves the texts out"
    );
    assert!(store.product_revision("p1", 3).await.unwrap().is_none());

    // Changing the contract alone refreshes what the product borrows from it.
    let c2 = contract(
        "urn:p1:main",
        "sales-analytics",
        &[("customer_id", Some("public"))],
        Expect::Revision(1),
    );
    store
        .publish(&Publication {
            contracts: vec![c2],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .get_product("p1")
            .await
            .unwrap()
            .unwrap()
            .row
            .classifications,
        ["public"]
    );
    assert_eq!(
        store.contract_revisions("urn:p1:main").await.unwrap().len(),
        2
    );
    assert_eq!(store.list_contracts().await.unwrap().len(), 1);
    assert_eq!(store.count_products().await.unwrap(), 1);
}

async fn a_publication_is_all_or_nothing(store: &Store) {
    seed_directory(store).await;
    let publication = Publication {
        products: vec![product(
            "p1",
            "sales",
            "sales-analytics",
            Expect::Revision(7),
        )],
        contracts: vec![contract(
            "urn:p1:main",
            "sales-analytics",
            &[("a", None)],
            Expect::New,
        )],
        audit: vec![event("product.published", "p1")],
    };
    assert!(matches!(
        store.publish(&publication).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store.get_contract("urn:p1:main").await.unwrap().is_none(),
        "the contract was rolled back"
    );
    assert!(
        store.audit_for("test", "p1", 10).await.unwrap().is_empty(),
        "so was the audit event"
    );

    let unknown_team = Publication {
        products: vec![product("p2", "sales", "no-such-team", Expect::New)],
        ..Default::default()
    };
    assert!(matches!(
        store.publish(&unknown_team).await,
        Err(StoreError::Reference(_))
    ));
    assert!(store.get_product("p2").await.unwrap().is_none());
}

async fn stale_writes_are_refused_with_the_current_revision(store: &Store) {
    seed_directory(store).await;
    let publish = |expect| async move {
        store
            .publish(&Publication {
                products: vec![product("p1", "sales", "sales-analytics", expect)],
                ..Default::default()
            })
            .await
    };
    publish(Expect::New).await.unwrap();
    assert!(matches!(
        publish(Expect::New).await,
        Err(StoreError::Duplicate(_))
    ));
    assert_eq!(publish(Expect::Revision(1)).await.unwrap().products[0].1, 2);
    assert!(matches!(
        publish(Expect::Revision(1)).await,
        Err(StoreError::Stale { current: 2, .. })
    ));
    assert_eq!(publish(Expect::Any).await.unwrap().products[0].1, 3);
    assert_eq!(
        store.get_product("p1").await.unwrap().unwrap().row.revision,
        3
    );
}

async fn concurrent_editors_cannot_both_win(store: &Store) {
    seed_directory(store).await;
    store
        .publish(&Publication {
            products: vec![product("p1", "sales", "sales-analytics", Expect::New)],
            ..Default::default()
        })
        .await
        .unwrap();
    let edit = |name: &'static str| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut p = product("p1", "sales", "sales-analytics", Expect::Revision(1));
            p.name = name.to_owned();
            store
                .publish(&Publication {
                    products: vec![p],
                    ..Default::default()
                })
                .await
        })
    };
    let (a, b) = (edit("by A"), edit("by B"));
    let results = [a.await.unwrap(), b.await.unwrap()];
    let won: Vec<_> = results.iter().filter(|r| r.is_ok()).collect();
    let lost: Vec<_> = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Stale { current: 2, .. })))
        .collect();
    assert_eq!((won.len(), lost.len()), (1, 1), "{results:?}");
    assert_eq!(
        store.get_product("p1").await.unwrap().unwrap().row.revision,
        2
    );
}

async fn consumers_and_edges_follow_input_ports(store: &Store) {
    seed_directory(store).await;
    let mut downstream = product("p2", "finance", "finance-core", Expect::New);
    downstream.input_ports = vec![
        InputPortRow {
            product_id: String::from("p2"),
            name: String::from("orders"),
            position: 0,
            version: None,
            contract_id: Some(String::from("urn:p1:main")),
            external_source: None,
        },
        InputPortRow {
            product_id: String::from("p2"),
            name: String::from("crm"),
            position: 1,
            version: None,
            contract_id: None,
            external_source: Some(String::from("salesforce")),
        },
    ];
    store
        .publish(&Publication {
            products: vec![
                product("p1", "sales", "sales-analytics", Expect::New),
                downstream,
            ],
            ..Default::default()
        })
        .await
        .unwrap();
    let consumers = store.consumers("p1").await.unwrap();
    assert_eq!(consumers.len(), 1);
    assert_eq!(
        (
            consumers[0].product.id.as_str(),
            consumers[0].input_port.as_str(),
            consumers[0].output_port.as_str()
        ),
        ("p2", "orders", "main")
    );
    assert!(store.consumers("p2").await.unwrap().is_empty());
    assert_eq!(
        store.product_edges().await.unwrap(),
        [(String::from("p2"), String::from("p1"))]
    );
    let inputs = store.input_ports("p2").await.unwrap();
    assert_eq!(inputs[1].external_source.as_deref(), Some("salesforce"));
    let offered = store
        .ports_by_contract(&[String::from("urn:p1:main")])
        .await
        .unwrap();
    assert_eq!(offered[0].port.product_id, "p1");
    assert_eq!(
        store
            .search_output_ports("PRODUCT P2", 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.search_output_ports("", 10).await.unwrap().len(), 2);
    assert_eq!(
        store.search_output_ports("%", 10).await.unwrap().len(),
        2,
        "wildcards are literal"
    );
}

async fn search_matches_words_and_counts_facets(store: &Store) {
    seed_directory(store).await;
    let mut a = product("revenue", "sales", "sales-analytics", Expect::New);
    a.name = String::from("Customer Revenue");
    let mut b = product("ledger", "finance", "finance-core", Expect::New);
    b.name = String::from("General Ledger");
    b.status = String::from("deprecated");
    b.tags = vec![String::from("finance")];
    let mut c = product("orders", "sales", "sales-analytics", Expect::New);
    c.name = String::from("Shop Orders");
    c.product_type = Some(String::from("sourceAligned"));
    let contracts = vec![
        contract(
            "urn:revenue:main",
            "sales-analytics",
            &[("loyalty_tier", Some("internal"))],
            Expect::New,
        ),
        contract(
            "urn:ledger:main",
            "finance-core",
            &[("account", Some("confidential"))],
            Expect::New,
        ),
    ];
    store
        .publish(&Publication {
            products: vec![a, b, c],
            contracts,
            ..Default::default()
        })
        .await
        .unwrap();

    let ids = |page: &SearchPage| page.items.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    let all = store.search(&SearchQuery::default()).await.unwrap();
    assert_eq!(
        ids(&all),
        ["revenue", "ledger", "orders"],
        "by name without words"
    );
    assert_eq!(all.total, 3);

    let by_field = store
        .search(&SearchQuery {
            text: Some(String::from("loyal")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&by_field), ["revenue"], "prefix of a field name");
    let by_description = store
        .search(&SearchQuery {
            text: Some(String::from("ledger purpose")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&by_description), ["ledger"], "all words must match");
    let nothing = store
        .search(&SearchQuery {
            text: Some(String::from("zebra")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(nothing.total, 0);
    let syntax = store
        .search(&SearchQuery {
            text: Some(String::from("\"ledger\" * ( :")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&syntax), ["ledger"], "query syntax is not interpreted");

    let sales = store
        .search(&SearchQuery {
            domains: vec![String::from("sales")],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&sales), ["revenue", "orders"]);
    let count =
        |facets: &[FacetCount], v: &str| facets.iter().find(|f| f.value == v).map(|f| f.count);
    assert_eq!(
        count(&sales.facets.domain, "finance"),
        Some(1),
        "own facet ignores its own filter"
    );
    assert_eq!(
        count(&sales.facets.status, "deprecated"),
        None,
        "other facets apply it"
    );
    assert_eq!(count(&sales.facets.classification, "internal"), Some(1));
    assert_eq!(count(&sales.facets.tag, "daily"), Some(2));

    let filtered = store
        .search(&SearchQuery {
            classifications: vec![String::from("confidential")],
            statuses: vec![String::from("deprecated")],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&filtered), ["ledger"]);
    let typed = store
        .search(&SearchQuery {
            types: vec![String::from("sourcealigned")],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        ids(&typed),
        ["orders"],
        "facet values match without regard to case"
    );

    let paged = store
        .search(&SearchQuery {
            sort: SearchSort::Name,
            limit: 2,
            offset: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (paged.total, ids(&paged)),
        (3, vec![String::from("ledger"), String::from("orders")])
    );
    let newest = store
        .search(&SearchQuery {
            sort: SearchSort::Updated,
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(newest.items.len(), 1);
}

async fn drafts_belong_to_their_user(store: &Store) {
    let alice = new_user(store, "alice").await;
    let bob = new_user(store, "bob").await;
    let draft = DraftRecord {
        id: String::from("d1"),
        user_id: alice.id.clone(),
        product_id: None,
        title: String::from("New product"),
        state: String::from("{\"step\":1}"),
        revision: 0,
        created_at: String::new(),
        updated_at: String::new(),
    };
    let saved = store.save_draft(&draft, Expect::New).await.unwrap();
    assert_eq!(saved.revision, 1);
    let again = store
        .save_draft(
            &DraftRecord {
                state: String::from("{\"step\":2}"),
                ..draft.clone()
            },
            Expect::Revision(1),
        )
        .await
        .unwrap();
    assert_eq!((again.revision, again.state.as_str()), (2, "{\"step\":2}"));
    assert!(matches!(
        store.save_draft(&draft, Expect::Revision(1)).await,
        Err(StoreError::Stale { current: 2, .. })
    ));
    assert_eq!(
        store
            .save_draft(&draft, Expect::Any)
            .await
            .unwrap()
            .revision,
        3
    );
    let stolen = DraftRecord {
        user_id: bob.id.clone(),
        ..draft.clone()
    };
    assert!(matches!(
        store.save_draft(&stolen, Expect::Any).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.get_draft("d1", &bob.id).await.unwrap().is_none());
    assert_eq!(store.list_drafts(&alice.id).await.unwrap().len(), 1);
    assert!(store.list_drafts(&bob.id).await.unwrap().is_empty());
    assert!(matches!(
        store.delete_draft("d1", &bob.id).await,
        Err(StoreError::NotFound(_))
    ));
    store.delete_draft("d1", &alice.id).await.unwrap();
    assert!(store.get_draft("d1", &alice.id).await.unwrap().is_none());
}

async fn audit_and_settings(store: &Store) {
    seed_directory(store).await;
    let events = store.audit_for("test", "sales", 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "domain.created");
    let recent = store.audit_recent(3).await.unwrap();
    assert_eq!(recent.len(), 3);
    assert!(recent[0].id > recent[1].id, "newest first");
    assert_eq!(store.setting("anonymous_read").await.unwrap(), None);
    store
        .set_setting(
            "anonymous_read",
            "true",
            &event("setting", "anonymous_read"),
        )
        .await
        .unwrap();
    store
        .set_setting(
            "anonymous_read",
            "false",
            &event("setting", "anonymous_read"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.setting("anonymous_read").await.unwrap().as_deref(),
        Some("false")
    );
    store.ping().await.unwrap();
}
