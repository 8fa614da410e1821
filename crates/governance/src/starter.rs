//! The starter pack: the policies a platform team would switch on on day one. Most begin in a
//! 30-day grace, so teams see what is asked of them before anything blocks.

use domain::Severity;

use crate::kinds::Kind;
use crate::policy::{Policy, State};
use crate::scope::Scope;

/// The tags the starter pack's vocabulary allows.
pub const TAG_VOCABULARY: &[&str] = &[
    "finance",
    "marketing",
    "sales",
    "operations",
    "customer",
    "product",
    "hr",
    "logistics",
    "risk",
    "daily",
    "hourly",
    "realtime",
    "weekly",
    "monthly",
    "pii",
    "gdpr",
    "certified",
    "experimental",
    "reference",
    "kpi",
    "ml",
    "reporting",
];

/// Names that usually hold personal data.
pub const PII_NAMES: &[&str] = &[
    r"e[-_]?mail",
    "phone",
    "mobile",
    "iban",
    "birth",
    "ssn",
    "passport",
    r"(^|_)address",
    "first_?name",
    "last_?name",
    "surname",
];

struct Entry {
    id: &'static str,
    title: &'static str,
    rationale: &'static str,
    severity: Severity,
    grace: bool,
    scope: Scope,
    kind: Kind,
}

fn entry(
    id: &'static str,
    title: &'static str,
    rationale: &'static str,
    severity: Severity,
    grace: bool,
    kind: Kind,
) -> Entry {
    Entry {
        id,
        title,
        rationale,
        severity,
        grace,
        scope: Scope::default(),
        kind,
    }
}

/// The starter pack, with grace periods ending `grace_until` (`YYYY-MM-DD`).
pub fn starter_pack(grace_until: &str) -> Vec<Policy> {
    use Severity::{Error, Info, Warning};
    let days = |d: i64| Some(d * 86_400);
    let entries = vec![
        entry(
            "product-id-format",
            "Product ids are <domain>.<name> in lower case",
            "Ids appear in URLs, lineage, SQL grants and alerts; one format makes them predictable. Renaming later breaks every consumer, so it is asked up front.",
            Error,
            true,
            Kind::IdPattern {
                pattern: r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$".into(),
            },
        ),
        entry(
            "product-name-format",
            "Product names start with a capital letter",
            "Names are what people read in the catalog. Costs a rename in the document.",
            Info,
            false,
            Kind::NamePattern {
                pattern: r"^\p{Lu}".into(),
            },
        ),
        entry(
            "domain-known",
            "The product belongs to a registered domain",
            "Ownership, reports and access all hang on the domain. An unknown domain hides the product from its domain's dashboards.",
            Error,
            false,
            Kind::DomainKnown,
        ),
        entry(
            "owner-present",
            "The product names its owning team",
            "Someone must answer for a product: access requests, incidents and deprecations go to its team.",
            Error,
            false,
            Kind::OwnerPresent,
        ),
        entry(
            "support-channel",
            "The product has a support channel",
            "Consumers need a place to ask. One line in the document (a chat channel or an issue tracker).",
            Error,
            true,
            Kind::SupportChannel,
        ),
        entry(
            "description-purpose",
            "The purpose is described in at least 40 characters",
            "Discovery starts with the purpose; a one-word purpose makes consumers guess. A sentence or two.",
            Error,
            true,
            Kind::MinLength {
                field: "/description/purpose".into(),
                min: 40,
            },
        ),
        entry(
            "description-usage",
            "Usage is described",
            "How to use the data (joins, grain, caveats) saves every consumer the same questions.",
            Warning,
            false,
            Kind::RequiredField {
                field: "/description/usage".into(),
            },
        ),
        entry(
            "property-descriptions",
            "At least 80% of the properties are described",
            "Column names rarely say units, grain or edge cases. Costs a line per property.",
            Warning,
            false,
            Kind::PropertyDescriptions { min_percent: 80.0 },
        ),
        entry(
            "output-port-has-contract",
            "Every output port has a contract that resolves",
            "The contract is the promise consumers build on; a port without one cannot be checked or diffed.",
            Error,
            true,
            Kind::OutputPortHasContract,
        ),
        entry(
            "contract-status-consistent",
            "An active product publishes active contracts",
            "A draft or retired contract behind an active product misleads consumers about what is promised.",
            Warning,
            false,
            Kind::ContractStatusConsistent,
        ),
        entry(
            "classification-vocabulary",
            "Classifications are public, internal, confidential or restricted",
            "Access rules and masking key on the classification; a free-text value escapes them.",
            Error,
            false,
            Kind::ClassificationVocabulary,
        ),
        entry(
            "pii-classified",
            "Personal data is confidential or restricted",
            "GDPR: personal data (flagged pii, a critical data element, or named like email, phone, iban, birth date) must not be readable by everyone. Costs a classification per column.",
            Error,
            true,
            Kind::PiiClassified {
                names: PII_NAMES.iter().map(|s| (*s).to_owned()).collect(),
            },
        ),
        entry(
            "no-classification-downgrade",
            "No silent classification downgrade",
            "Lowering a column's classification widens who may read it; it needs the data owner's explicit waiver.",
            Error,
            true,
            Kind::NoClassificationDowngrade,
        ),
        entry(
            "freshness-declared",
            "A freshness SLA of at most 7 days is declared",
            "Consumers schedule on freshness; without a promise they cannot tell late from broken.",
            Error,
            true,
            Kind::SlaDeclared {
                property: "freshness".into(),
                max_seconds: days(7),
            },
        ),
        Entry {
            scope: Scope {
                product_types: vec!["sourceAligned".into()],
                ..Scope::default()
            },
            ..entry(
                "freshness-source-aligned",
                "Source-aligned products promise freshness within a day",
                "Source-aligned products feed everything downstream; a slow source delays the whole mesh.",
                Warning,
                false,
                Kind::SlaDeclared {
                    property: "freshness".into(),
                    max_seconds: days(1),
                },
            )
        },
        entry(
            "availability-declared",
            "An availability SLA is declared",
            "Availability tells consumers whether they may build operational processes on the product.",
            Warning,
            false,
            Kind::SlaDeclared {
                property: "availability".into(),
                max_seconds: None,
            },
        ),
        entry(
            "quality-rules-present",
            "Contracts declare quality rules",
            "Quality rules turn a schema into a checked promise; results feed the product's quality score.",
            Error,
            true,
            Kind::QualityRulesPresent,
        ),
        entry(
            "semver-valid",
            "Versions are semantic versions",
            "Versions drive the breaking-change gate and consumers' upgrade decisions.",
            Error,
            false,
            Kind::SemverValid,
        ),
        entry(
            "semver-major-on-breaking",
            "A change that breaks consumers comes with a new major version",
            "Consumers pin major versions; a breaking minor release breaks them without warning.",
            Error,
            true,
            Kind::SemverMajorOnBreaking,
        ),
        entry(
            "deprecation-successor",
            "A deprecated product names its successor and sunset date",
            "Consumers of a deprecated product need to know where to go and by when.",
            Error,
            true,
            Kind::DeprecationSuccessor,
        ),
        entry(
            "no-deprecated-inputs",
            "No deprecated or retired inputs",
            "Building on a deprecated product inherits its end of life.",
            Warning,
            false,
            Kind::NoDeprecatedInputs,
        ),
        entry(
            "tags-from-vocabulary",
            "Tags come from the vocabulary",
            "Free tags fragment search and facets; the vocabulary keeps them findable.",
            Warning,
            false,
            Kind::TagsFromVocabulary {
                allowed: TAG_VOCABULARY.iter().map(|s| (*s).to_owned()).collect(),
            },
        ),
    ];
    entries
        .into_iter()
        .map(|e| Policy {
            id: e.id.to_owned(),
            version: 1,
            title: e.title.to_owned(),
            rationale: e.rationale.to_owned(),
            severity: e.severity,
            state: if e.grace {
                State::Grace
            } else {
                State::Enforced
            },
            grace_until: e.grace.then(|| grace_until.to_owned()),
            successor: None,
            scope: e.scope,
            owner: Some(String::from("platform")),
            kind: e.kind,
        })
        .collect()
}
