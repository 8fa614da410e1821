//! The engine, lifecycle, scope, waivers and every built-in kind on small fixtures.

use std::collections::HashMap;

use domain::{DataContractDoc, DataProductDoc, Severity};
use pretty_assertions::assert_eq;
use serde_json::json;

use crate::engine::{Options, blocks, evaluate};
use crate::kinds::{Context, Kind, Subject};
use crate::policy::{Policy, State, Waiver, parse_day};
use crate::scope::Scope;

fn product() -> DataProductDoc {
    serde_json::from_value(json!({
        "apiVersion": "v1.1.0", "kind": "DataProduct", "id": "sales.orders", "name": "Orders",
        "version": "1.0.0", "status": "active", "domain": "sales", "type": "sourceAligned",
        "tags": ["finance"],
        "description": {"purpose": "Every order placed in the web shop, one row per order line."},
        "team": {"name": "sales-team"},
        "support": [{"channel": "#sales-data"}],
        "outputPorts": [{"name": "orders", "type": "table", "contractId": "sales.orders.v1"}]
    }))
    .expect("product fixture")
}

fn contract() -> DataContractDoc {
    serde_json::from_value(json!({
        "apiVersion": "v3.1.0", "kind": "DataContract", "id": "sales.orders.v1", "version": "1.0.0",
        "status": "active",
        "schema": [{"name": "orders", "properties": [
            {"name": "order_id", "logicalType": "string", "description": "The order.", "classification": "internal",
             "quality": [{"metric": "nullValues", "mustBe": 0}]},
            {"name": "customer_email", "logicalType": "string", "classification": "internal"}
        ]}],
        "slaProperties": [{"property": "freshness", "value": 1, "unit": "d"}]
    }))
    .expect("contract fixture")
}

fn policy(id: &str, kind: Kind) -> Policy {
    Policy {
        id: id.to_owned(),
        version: 1,
        title: id.to_owned(),
        rationale: String::from("because"),
        severity: Severity::Error,
        state: State::Enforced,
        grace_until: None,
        successor: None,
        scope: Scope::default(),
        owner: None,
        kind,
    }
}

fn cx() -> Context {
    Context {
        today: String::from("2026-12-04"),
        known_domains: vec![String::from("sales")],
        ..Context::default()
    }
}

fn check(kind: Kind, p: &DataProductDoc, c: &[DataContractDoc], cx: &Context) -> Vec<String> {
    kind.check(
        Subject {
            product: p,
            contracts: c,
        },
        cx,
    )
    .into_iter()
    .map(|v| format!("{} {}", v.document, v.path))
    .collect()
}

fn run(policies: &[Policy], waivers: &[Waiver], options: Options) -> Vec<crate::Finding> {
    let (p, c) = (product(), [contract()]);
    evaluate(
        Subject {
            product: &p,
            contracts: &c,
        },
        policies,
        waivers,
        &cx(),
        options,
    )
}

#[test]
fn product_kinds() {
    let (p, c, cx) = (product(), [contract()], cx());
    let none: Vec<String> = Vec::new();
    let id = |pattern: &str| Kind::IdPattern {
        pattern: pattern.into(),
    };
    assert_eq!(check(id(r"^[a-z]+\.[a-z-]+$"), &p, &c, &cx), none);
    assert_eq!(
        check(id(r"^[a-z]+-[a-z]+$"), &p, &c, &cx),
        vec!["product /id"]
    );
    assert_eq!(
        check(
            Kind::NamePattern {
                pattern: "^[A-Z]".into()
            },
            &p,
            &c,
            &cx
        ),
        none
    );
    assert_eq!(
        check(
            Kind::RequiredField {
                field: "/description/usage".into()
            },
            &p,
            &c,
            &cx
        ),
        vec!["product /description/usage"]
    );
    assert_eq!(
        check(
            Kind::RequiredField {
                field: "/description/purpose".into()
            },
            &p,
            &c,
            &cx
        ),
        none
    );
    assert_eq!(
        check(
            Kind::MinLength {
                field: "/description/purpose".into(),
                min: 200
            },
            &p,
            &c,
            &cx
        ),
        vec!["product /description/purpose"]
    );
    assert_eq!(
        check(
            Kind::MinLength {
                field: "/description/purpose".into(),
                min: 20
            },
            &p,
            &c,
            &cx
        ),
        none
    );
    assert_eq!(
        check(
            Kind::Vocabulary {
                field: "/type".into(),
                allowed: vec!["aggregate".into()]
            },
            &p,
            &c,
            &cx
        ),
        vec!["product /type"]
    );
    assert_eq!(
        check(
            Kind::NumericBound {
                field: "/name".into(),
                min: Some(1.0),
                max: None
            },
            &p,
            &c,
            &cx
        ),
        none,
        "not a number: nothing to bound"
    );
    assert_eq!(
        check(
            Kind::TagsFromVocabulary {
                allowed: vec!["pii".into()]
            },
            &p,
            &c,
            &cx
        ),
        vec!["product /tags/0"]
    );
    assert_eq!(check(Kind::DomainKnown, &p, &c, &cx), none);
    let mut q = product();
    q.domain = Some("nowhere".into());
    q.team = None;
    q.support.clear();
    q.output_ports[0].contract_id = Some("missing".into());
    assert_eq!(
        check(Kind::DomainKnown, &q, &c, &cx),
        vec!["product /domain"]
    );
    assert_eq!(
        check(Kind::OwnerPresent, &q, &c, &cx),
        vec!["product /team"]
    );
    assert_eq!(
        check(Kind::SupportChannel, &q, &c, &cx),
        vec!["product /support"]
    );
    assert_eq!(
        check(Kind::OutputPortHasContract, &q, &c, &cx),
        vec!["product /outputPorts/0/contractId"]
    );
    assert_eq!(check(Kind::OutputPortHasContract, &p, &c, &cx), none);
    let known = Context {
        known_contracts: vec!["missing".into()],
        ..cx.clone()
    };
    assert_eq!(
        check(Kind::OutputPortHasContract, &q, &[], &known),
        none,
        "a contract already in the registry resolves"
    );
    assert_eq!(check(Kind::SemverValid, &p, &c, &cx), none);
    q.version = Some("v2".into());
    assert_eq!(
        check(Kind::SemverValid, &q, &c, &cx),
        vec!["product /version"]
    );
}

#[test]
fn contract_kinds() {
    let (p, c, cx) = (product(), [contract()], cx());
    let doc = "contract:sales.orders.v1";
    let none: Vec<String> = Vec::new();
    assert_eq!(
        check(
            Kind::PropertyDescriptions { min_percent: 80.0 },
            &p,
            &c,
            &cx
        ),
        vec![format!("{doc} /schema")]
    );
    assert_eq!(
        check(
            Kind::PropertyDescriptions { min_percent: 50.0 },
            &p,
            &c,
            &cx
        ),
        none
    );
    assert_eq!(check(Kind::ClassificationVocabulary, &p, &c, &cx), none);
    // PII by name: customer_email is only internal.
    let pii = Kind::PiiClassified {
        names: vec![
            "e-?mail".into(),
            "phone".into(),
            "iban".into(),
            "birth".into(),
        ],
    };
    assert_eq!(
        check(pii.clone(), &p, &c, &cx),
        vec![format!("{doc} /schema/0/properties/1/classification")]
    );
    let mut fixed = contract();
    fixed.schema[0].properties[1].classification = Some("restricted".into());
    assert_eq!(check(pii.clone(), &p, &[fixed.clone()], &cx), none);
    // …and by flag, whatever the name.
    let mut flagged = contract();
    flagged.schema[0].properties[0].set_pii(true);
    assert_eq!(
        check(Kind::PiiClassified { names: vec![] }, &p, &[flagged], &cx).len(),
        1
    );
    let sla = |max| Kind::SlaDeclared {
        property: "freshness".into(),
        max_seconds: max,
    };
    assert_eq!(check(sla(None), &p, &c, &cx), none);
    assert_eq!(check(sla(Some(86_400)), &p, &c, &cx), none);
    assert_eq!(
        check(sla(Some(6 * 3600)), &p, &c, &cx),
        vec![format!("{doc} /slaProperties/0/value")]
    );
    // ODCS v3 calls the same promise latency.
    let mut latency = contract();
    latency.sla_properties[0].property = String::from("latency");
    assert_eq!(
        check(sla(Some(86_400)), &p, std::slice::from_ref(&latency), &cx),
        none
    );
    assert_eq!(
        check(sla(Some(6 * 3600)), &p, &[latency], &cx),
        vec![format!("{doc} /slaProperties/0/value")]
    );
    assert_eq!(
        check(
            Kind::SlaDeclared {
                property: "availability".into(),
                max_seconds: None
            },
            &p,
            &c,
            &cx
        ),
        vec![format!("{doc} /slaProperties")]
    );
    assert_eq!(check(Kind::QualityRulesPresent, &p, &c, &cx), none);
    let mut bare = contract();
    bare.schema[0].properties[0].quality.clear();
    assert_eq!(
        check(Kind::QualityRulesPresent, &p, &[bare], &cx),
        vec![format!("{doc} /schema")]
    );
    let mut draft = contract();
    draft.status = Some("draft".into());
    assert_eq!(
        check(Kind::ContractStatusConsistent, &p, &[draft], &cx),
        vec![format!("{doc} /status")]
    );
}

#[test]
fn kinds_that_compare_with_the_published_version() {
    let (p, cx0) = (product(), cx());
    let old = contract();
    let mut new = contract();
    new.schema[0].properties.pop(); // removing a property breaks consumers
    let cx = Context {
        previous_contracts: HashMap::from([(old.id.clone(), old.clone())]),
        ..cx0.clone()
    };
    let doc = "contract:sales.orders.v1";
    assert_eq!(
        check(Kind::SemverMajorOnBreaking, &p, &[new.clone()], &cx),
        vec![format!("{doc} /version")]
    );
    new.version = "2.0.0".into();
    assert!(check(Kind::SemverMajorOnBreaking, &p, &[new], &cx).is_empty());
    // A compatible change needs no major version.
    let mut described = contract();
    described.schema[0].properties[1].description = Some("Where receipts go.".into());
    assert!(check(Kind::SemverMajorOnBreaking, &p, &[described], &cx).is_empty());
    // Classification downgrade: internal → public.
    let mut lowered = contract();
    lowered.schema[0].properties[0].classification = Some("public".into());
    assert_eq!(
        check(Kind::NoClassificationDowngrade, &p, &[lowered], &cx),
        vec![format!("{doc} /schema/0/properties/0/classification")]
    );
    // Without a published version there is nothing to compare.
    assert!(check(Kind::NoClassificationDowngrade, &p, &[contract()], &cx0).is_empty());
}

#[test]
fn lifecycle_kinds() {
    let (c, cx0) = ([contract()], cx());
    let mut p = product();
    assert!(
        check(Kind::DeprecationSuccessor, &p, &c, &cx0).is_empty(),
        "only deprecated products"
    );
    p.status = Some("deprecated".into());
    assert_eq!(check(Kind::DeprecationSuccessor, &p, &c, &cx0).len(), 2);
    p.custom_properties = serde_json::from_value(json!([
        {"property": "successor", "value": "sales.orders-v2"}, {"property": "sunsetDate", "value": "2027-03-31"}
    ]))
    .expect("props");
    assert!(check(Kind::DeprecationSuccessor, &p, &c, &cx0).is_empty());
    let cx = Context {
        input_statuses: HashMap::from([
            ("crm.customers".into(), "deprecated".into()),
            ("ops.stock".into(), "active".into()),
        ]),
        ..cx0
    };
    assert_eq!(
        check(Kind::NoDeprecatedInputs, &product(), &c, &cx),
        vec!["product /inputPorts"]
    );
}

#[test]
fn grace_warns_with_the_day_it_starts_blocking_and_strict_treats_it_as_enforced() {
    let mut p = policy(
        "support",
        Kind::TagsFromVocabulary {
            allowed: vec!["gold".into()],
        },
    );
    p.state = State::Grace;
    p.grace_until = Some("2027-01-31".into());
    let found = run(&[p.clone()], &[], Options::default());
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(
        (f.severity, f.blocking, f.blocks_from.as_deref()),
        (Severity::Warning, false, Some("2027-01-31"))
    );
    assert!(
        f.message.contains("blocks from 2027-01-31"),
        "{}",
        f.message
    );
    assert_eq!(f.applied_because, vec!["all products"]);
    let strict = run(
        &[p.clone()],
        &[],
        Options {
            strict: true,
            ..Options::default()
        },
    );
    assert!(blocks(&strict));
    // Once the day has come, the grace is over.
    p.grace_until = Some("2026-12-04".into());
    assert!(blocks(&run(&[p], &[], Options::default())));
}

#[test]
fn drafts_only_in_dry_runs_retired_never_deprecated_warns() {
    let kind = Kind::TagsFromVocabulary {
        allowed: vec!["gold".into()],
    };
    let mut p = policy("tags", kind);
    p.state = State::Draft;
    assert!(run(&[p.clone()], &[], Options::default()).is_empty());
    assert!(blocks(&run(
        &[p.clone()],
        &[],
        Options {
            include_drafts: true,
            ..Options::default()
        }
    )));
    p.state = State::Retired;
    assert!(
        run(
            &[p.clone()],
            &[],
            Options {
                include_drafts: true,
                ..Options::default()
            }
        )
        .is_empty()
    );
    p.state = State::Deprecated;
    p.successor = Some("tags-v2".into());
    let found = run(&[p], &[], Options::default());
    assert_eq!(
        (found[0].severity, found[0].blocking),
        (Severity::Warning, false)
    );
    assert!(found[0].message.contains("replaced by tags-v2"));
}

#[test]
fn scope_decides_and_says_why() {
    let kind = Kind::TagsFromVocabulary {
        allowed: vec!["gold".into()],
    };
    let mut p = policy("tags", kind);
    p.scope = Scope {
        domains: vec!["sales".into()],
        product_types: vec!["sourceAligned".into()],
        ..Scope::default()
    };
    let found = run(&[p.clone()], &[], Options::default());
    assert_eq!(
        found[0].applied_because,
        vec!["domain=sales", "type=sourceAligned"]
    );
    p.scope = Scope {
        exclude_domains: vec!["sales".into()],
        ..Scope::default()
    };
    assert!(run(&[p.clone()], &[], Options::default()).is_empty());
    p.scope = Scope {
        tags: vec!["pii".into()],
        ..Scope::default()
    };
    assert!(run(&[p.clone()], &[], Options::default()).is_empty());
    p.scope = Scope {
        port_types: vec!["table".into()],
        statuses: vec!["active".into()],
        ..Scope::default()
    };
    assert_eq!(
        run(&[p], &[], Options::default())[0].applied_because,
        vec!["status=active", "port type=table"]
    );
}

#[test]
fn waivers_apply_when_approved_and_until_they_expire() {
    let p = policy(
        "tags",
        Kind::TagsFromVocabulary {
            allowed: vec!["gold".into()],
        },
    );
    let mut w = Waiver {
        id: "w1".into(),
        policy: "tags".into(),
        product: "sales.orders".into(),
        reason: "migrating".into(),
        requested_by: "alice".into(),
        approved_by: None,
        expires: "2026-12-31".into(),
    };
    assert!(
        blocks(&run(
            std::slice::from_ref(&p),
            std::slice::from_ref(&w),
            Options::default()
        )),
        "not approved yet"
    );
    w.approved_by = Some("platform".into());
    let found = run(
        std::slice::from_ref(&p),
        std::slice::from_ref(&w),
        Options::default(),
    );
    assert_eq!(
        (found[0].blocking, found[0].waived_by.as_deref()),
        (false, Some("w1"))
    );
    w.expires = "2026-12-03".into();
    assert!(
        blocks(&run(&[p], &[w], Options::default())),
        "expired yesterday"
    );
}

#[test]
fn policies_read_and_write_as_documents() {
    let doc = json!({
        "id": "pii-classified", "version": 3, "title": "Personal data is protected",
        "rationale": "GDPR", "severity": "error", "state": "grace", "graceUntil": "2027-01-31",
        "scope": {"domains": ["sales"]},
        "kind": "pii-classified", "parameters": {"names": ["email"]}
    });
    let p: Policy = serde_json::from_value(doc.clone()).expect("reads");
    assert_eq!(
        p.kind,
        Kind::PiiClassified {
            names: vec!["email".into()]
        }
    );
    assert_eq!(serde_json::to_value(&p).expect("writes"), doc);
    let bare: Policy = serde_json::from_value(json!({
        "id": "owner", "version": 1, "title": "Owner", "rationale": "", "severity": "warning",
        "state": "enforced", "kind": "owner-present"
    }))
    .expect("a kind without parameters");
    assert_eq!(bare.kind, Kind::OwnerPresent);
}

#[test]
fn bad_parameters_name_the_field() {
    let bad = Kind::IdPattern {
        pattern: "([a-z".into(),
    }
    .validate();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].0, "parameters.pattern");
    assert_eq!(
        Kind::RequiredField {
            field: "description".into()
        }
        .validate()[0]
            .0,
        "parameters.field"
    );
    assert_eq!(
        Kind::NumericBound {
            field: "/x".into(),
            min: Some(5.0),
            max: Some(1.0)
        }
        .validate()[0]
            .0,
        "parameters.min"
    );
    assert!(
        Kind::PiiClassified {
            names: vec!["email".into()]
        }
        .validate()
        .is_empty()
    );
    assert!(parse_day("2027-02-29").is_err());
    assert!(parse_day("2028-02-29").is_ok());
    assert!(parse_day("31.01.2027").is_err());
}

#[test]
fn the_starter_pack_is_valid_and_mostly_in_grace() {
    let pack = crate::starter::starter_pack("2027-01-03");
    assert!(pack.len() >= 20, "about two dozen policies");
    let mut ids: Vec<&str> = pack.iter().map(|p| p.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), pack.len(), "ids are unique");
    for p in &pack {
        assert_eq!(
            p.kind.validate(),
            Vec::<(String, String)>::new(),
            "{}",
            p.id
        );
        assert!(!p.rationale.is_empty(), "{} says why", p.id);
    }
    let in_grace = pack.iter().filter(|p| p.state == State::Grace).count();
    assert!(
        in_grace * 2 >= pack.len() - 2,
        "most start in grace: {in_grace}"
    );
    // The example product passes the pack except where the fixture is deliberately incomplete.
    let found = run(&pack, &[], Options::default());
    let mut failing: Vec<&str> = found.iter().map(|f| f.policy.as_str()).collect();
    failing.sort();
    failing.dedup();
    assert_eq!(
        failing,
        vec![
            "availability-declared",
            "description-usage",
            "pii-classified",
            "property-descriptions"
        ]
    );
    assert!(!blocks(&found), "in grace, nothing blocks yet");
}

#[test]
fn a_refusal_reads_well_in_an_80_column_terminal_without_brackets() {
    let mut p = policy(
        "pii-classified",
        Kind::PiiClassified {
            names: vec!["e-?mail".into()],
        },
    );
    p.title = "Personal data is confidential or restricted".into();
    let mut found = run(&[p], &[], Options::default());
    found[0]
        .message
        .push_str(" [see the GDPR register entry 42 for the legal basis of processing]");
    let body = crate::text::refusal(
        &found,
        "http://127.0.0.1:3000/products/sales.orders/governance",
    );
    for line in body.lines() {
        assert!(line.chars().count() < 80, "too wide: {line:?}");
        assert!(
            !line.contains('[') && !line.contains(']'),
            "brackets: {line:?}"
        );
    }
    assert!(
        body.starts_with("Refused: 1 blocking governance finding, nothing was stored.\n"),
        "{body}"
    );
    assert!(
        body.contains("- pii-classified: 'customer_email' looks like personal data"),
        "{body}"
    );
    assert!(
        body.contains("\n  fix: classify it confidential or restricted"),
        "{body}"
    );
    assert!(body.contains("(see the GDPR register"), "{body}");
    assert!(
        body.trim_end()
            .ends_with("/products/sales.orders/governance"),
        "{body}"
    );
    // A word longer than a line is cut rather than overflowing.
    let long = crate::text::wrap(&"x".repeat(200), 2);
    assert!(long.iter().all(|l| l.chars().count() <= crate::text::WIDTH));
    assert_eq!(long.concat().replace(' ', ""), "x".repeat(200));
}

#[test]
fn github_and_junit_formats() {
    let p = policy(
        "tags",
        Kind::TagsFromVocabulary {
            allowed: vec!["gold".into()],
        },
    );
    let found = run(&[p], &[], Options::default());
    let gh = crate::text::github("products/orders.yaml", &found);
    assert_eq!(
        gh,
        "::error file=products/orders.yaml,title=tags%3A tags::tag 'finance' is not in the vocabulary (product /tags/0). Fix: use one of gold\n"
    );
    let xml = crate::text::junit(&[("a&b.yaml".into(), found), ("clean.yaml".into(), vec![])]);
    assert!(
        xml.contains("<testsuite name=\"a&amp;b.yaml\" tests=\"1\" failures=\"1\">"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<failure message=\"tag &apos;finance&apos; is not in the vocabulary\" type=\"tags\">"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"all policies\" classname=\"clean.yaml\"/>"),
        "{xml}"
    );
}

/// Evaluates a product variant into a report row.
fn evaluated(
    id: &str,
    domain: &str,
    tags: &[&str],
    policies: &[Policy],
    waivers: &[Waiver],
) -> crate::report::Evaluated {
    let mut p = product();
    p.id = id.into();
    p.domain = Some(domain.into());
    p.tags = tags.iter().map(|t| (*t).to_owned()).collect();
    let c = [contract()];
    let cx = Context {
        known_domains: vec![domain.into()],
        ..cx()
    };
    let subject = Subject {
        product: &p,
        contracts: &c,
    };
    crate::report::Evaluated {
        product: id.into(),
        domain: domain.into(),
        team: "sales-team".into(),
        applicable: crate::engine::applicable(subject, policies, Options::default())
            .into_iter()
            .map(|(p, _)| p.id.clone())
            .collect(),
        findings: evaluate(subject, policies, waivers, &cx, Options::default()),
    }
}

#[test]
fn the_matrix_counts_passing_waived_and_failing_per_cell_row_and_column() {
    use crate::report::{GroupBy, matrix, matrix_csv};
    let tags = policy(
        "tags",
        Kind::TagsFromVocabulary {
            allowed: vec!["gold".into()],
        },
    );
    let mut owner = policy("owner", Kind::OwnerPresent);
    owner.scope = Scope {
        domains: vec!["sales".into()],
        ..Scope::default()
    };
    let policies = [tags, owner];
    let waiver = Waiver {
        id: "w".into(),
        policy: "tags".into(),
        product: "sales.b".into(),
        reason: "r".into(),
        requested_by: "alice".into(),
        approved_by: Some("platform".into()),
        expires: "2027-01-01".into(),
    };
    let rows = vec![
        evaluated("sales.a", "sales", &["gold"], &policies, &[]),
        evaluated(
            "sales.b",
            "sales",
            &["bronze"],
            &policies,
            std::slice::from_ref(&waiver),
        ),
        evaluated("sales.c", "sales", &["bronze"], &policies, &[]),
        evaluated("ops.d", "ops", &["bronze"], &policies, &[]),
    ];
    let ids = vec!["tags".to_owned(), "owner".to_owned()];
    let m = matrix(&rows, &ids, GroupBy::Domain);
    assert_eq!(m.rows, vec!["ops", "sales"]);
    let sales_tags = &m.cells[1][0];
    assert_eq!(
        (
            sales_tags.applicable,
            sales_tags.passing,
            sales_tags.waived,
            sales_tags.failing
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(sales_tags.failing_products, vec!["sales.c"]);
    assert_eq!(m.cells[0][1].applicable, 0, "owner applies to sales only");
    assert_eq!(m.row_totals[1].applicable, 6);
    assert_eq!(m.column_totals[0].failing, 2);
    assert_eq!((m.total.applicable, m.total.passing), (7, 4));
    let csv = matrix_csv(&m, GroupBy::Domain);
    assert!(
        csv.starts_with("domain,policy,applicable,passing,waived,failing,compliance_percent\n")
    );
    assert!(csv.contains("\nsales,tags,3,1,1,1,33.3\n"), "{csv}");
    assert!(csv.contains("\nops,owner,0,0,0,0,\n"), "{csv}");
    assert!(csv.ends_with("*,*,7,4,1,2,57.1\n"), "{csv}");
    assert_eq!(crate::report::csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    assert_eq!(crate::report::csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
}

#[test]
fn a_dry_run_lists_who_would_newly_fail_or_pass() {
    use crate::report::{dry_run, dry_run_csv};
    let current = policy(
        "purpose",
        Kind::MinLength {
            field: "/description/purpose".into(),
            min: 200,
        },
    );
    let mut proposed = current.clone();
    proposed.version = 2;
    proposed.kind = Kind::MinLength {
        field: "/description/purpose".into(),
        min: 20,
    };
    proposed.scope = Scope {
        domains: vec!["ops".into()],
        ..Scope::default()
    };
    let before: Vec<_> = [("sales.a", "sales"), ("ops.b", "ops")]
        .iter()
        .map(|(id, d)| evaluated(id, d, &[], std::slice::from_ref(&current), &[]))
        .collect();
    // The proposed version is looser but narrower: sales.a leaves its scope, ops.b now passes.
    let after: Vec<_> = [("sales.a", "sales"), ("ops.b", "ops")]
        .iter()
        .map(|(id, d)| evaluated(id, d, &[], std::slice::from_ref(&proposed), &[]))
        .collect();
    let d = dry_run("purpose", &before, &after);
    assert!(d.newly_failing.is_empty());
    let passing: Vec<&str> = d.newly_passing.iter().map(|c| c.product.as_str()).collect();
    assert_eq!(passing, vec!["ops.b", "sales.a"]);
    assert_eq!(d.per_domain.get("ops"), Some(&(0, 1)));
    // And the other way round: tightening makes both fail, and their next publish would block.
    let d = dry_run("purpose", &after, &before);
    assert_eq!(d.newly_failing.len(), 2);
    assert!(d.newly_failing.iter().all(|c| c.would_block));
    assert!(dry_run_csv(&d).contains("newly failing,ops.b,ops,sales-team,true\n"));
}

#[test]
fn maturity_is_the_highest_level_met_with_what_the_next_one_misses() {
    use crate::maturity::{default_levels, maturity};
    let pack = crate::starter::starter_pack("2027-01-03");
    let levels = default_levels();
    // The example product lacks usage and descriptions: it is Registered, and Described needs both.
    let row = evaluated("sales.orders", "sales", &["finance"], &pack, &[]);
    let m = maturity(&levels, &row);
    assert_eq!(
        (m.name.as_str(), m.next.as_deref()),
        ("Registered", Some("Described"))
    );
    assert_eq!(
        m.missing,
        vec!["description-usage", "property-descriptions"]
    );
    // Waivers count as met, and are listed.
    let waive = |policy: &str| Waiver {
        id: format!("w-{policy}"),
        policy: policy.into(),
        product: "sales.orders".into(),
        reason: "r".into(),
        requested_by: "alice".into(),
        approved_by: Some("platform".into()),
        expires: "2027-06-30".into(),
    };
    let waivers: Vec<Waiver> = [
        "description-usage",
        "property-descriptions",
        "pii-classified",
        "availability-declared",
    ]
    .iter()
    .map(|p| waive(p))
    .collect();
    let row = evaluated("sales.orders", "sales", &["finance"], &pack, &waivers);
    let m = maturity(&levels, &row);
    assert_eq!(
        (m.name.as_str(), m.next, m.missing.len()),
        ("Trusted", None, 0)
    );
    assert_eq!(m.waived.len(), 4);
}

#[cfg(feature = "rego")]
mod rego {
    use pretty_assertions::assert_eq;

    use super::{Context, HashMap, Kind, Subject, contract, cx, json, product};

    const PII: &str = r#"
package meshwork.pii_by_tag

import rego.v1

# Properties tagged "sensitive" must be restricted.
violations contains v if {
    some c in input.contracts
    some o in c.schema
    some i, p in o.properties
    "sensitive" in p.tags
    p.classification != "restricted"
    v := {
        "document": sprintf("contract:%s", [c.id]),
        "path": sprintf("/schema/0/properties/%d/classification", [i]),
        "message": sprintf("'%s' is tagged sensitive but classified %s", [p.name, p.classification]),
        "fix": "classify it restricted",
    }
}
"#;

    #[test]
    fn a_rego_policy_reports_what_it_finds_with_places_and_fixes() {
        let kind = Kind::Rego { source: PII.into() };
        assert!(kind.validate().is_empty(), "{:?}", kind.validate());
        let (p, cx) = (product(), cx());
        assert!(
            kind.check(
                Subject {
                    product: &p,
                    contracts: &[contract()]
                },
                &cx
            )
            .is_empty()
        );
        let mut c = contract();
        c.schema[0].properties[1].tags = vec!["sensitive".into()];
        let found = kind.check(
            Subject {
                product: &p,
                contracts: &[c],
            },
            &cx,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].document, "contract:sales.orders.v1");
        assert_eq!(found[0].path, "/schema/0/properties/1/classification");
        assert_eq!(
            found[0].message,
            "'customer_email' is tagged sensitive but classified internal"
        );
        assert_eq!(found[0].fix.as_deref(), Some("classify it restricted"));
    }

    #[test]
    fn the_input_document_carries_the_diff_and_the_facts() {
        let old = contract();
        let mut new = contract();
        new.schema[0].properties.pop();
        let mut cx = Context {
            previous_contracts: HashMap::from([(old.id.clone(), old)]),
            ..cx()
        };
        cx.facts
            .insert("team".into(), json!({"id": "sales-team", "members": 4}));
        let policy = r#"
package breaking
import rego.v1
violations contains msg if {
    some id, d in input.diff
    d.breaking
    input.team.members > 3
    msg := sprintf("%s breaks consumers on %s", [id, input.now])
}
"#;
        let p = product();
        let found = Kind::Rego {
            source: policy.into(),
        }
        .check(
            Subject {
                product: &p,
                contracts: &[new],
            },
            &cx,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "sales.orders.v1 breaks consumers on 2026-12-04"
        );
        assert_eq!(found[0].document, "product");
    }

    #[test]
    fn bad_rego_is_refused_naming_the_source() {
        let broken = Kind::Rego {
            source: "package x\nviolations contains v if {".into(),
        }
        .validate();
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].0, "parameters.source");
        let no_rule = Kind::Rego {
            source: "package x\nimport rego.v1\nallow := true\n".into(),
        }
        .validate();
        assert!(
            no_rule[0].1.contains("declares no rule 'violations'"),
            "{no_rule:?}"
        );
    }

    #[test]
    fn a_runaway_policy_becomes_a_finding_within_the_time_limit() {
        let runaway = r#"
package slow
import rego.v1
violations contains "never" if {
    some i in numbers.range(1, 5000)
    some j in numbers.range(1, 5000)
    i + j < 0
}
"#;
        let p = product();
        let started = std::time::Instant::now();
        let found = Kind::Rego {
            source: runaway.into(),
        }
        .check(
            Subject {
                product: &p,
                contracts: &[contract()],
            },
            &cx(),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .starts_with("the Rego policy could not be evaluated"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("exceeded time limit"),
            "{}",
            found[0].message
        );
        // Bounded: the limit is 250 ms; the assertion only guards against a hang (minutes).
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    }
}
