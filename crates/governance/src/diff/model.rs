//! The ODCS object model as datacontract-cli reads it (`open-data-contract-standard` 3.2.0): only
//! known fields survive, and absent (null) ones are dropped, as `model_dump(exclude_none=True)`
//! does. Diffing the projection rather than the raw document makes vendor extensions invisible to
//! the breaking check, exactly as they are to the reference tool.

use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Contract,
    AuthDef,
    CustomProp,
    Support,
    Pricing,
    TeamMember,
    Team,
    Sla,
    Quality,
    Description,
    Relationship,
    Synonym,
    EnumValue,
    MapDef,
    Verified,
    Constraint,
    Context,
    Property,
    Object,
    Role,
    Server,
}

#[derive(Clone, Copy, Debug)]
enum Field {
    /// A scalar, a list of scalars or an untyped value: kept as written.
    Keep,
    Obj(Kind),
    List(Kind),
    /// `team`: an object since ODCS v3.1.0, a bare member list before.
    TeamOrMembers,
    /// `context`: an object or a plain string.
    ObjOrKeep(Kind),
}

use Field::{Keep, List, Obj, ObjOrKeep, TeamOrMembers};

const CUSTOM: (&str, Field) = ("customProperties", List(Kind::CustomProp));
const AUTH: (&str, Field) = ("authoritativeDefinitions", List(Kind::AuthDef));

fn fields(kind: Kind) -> &'static [(&'static str, Field)] {
    match kind {
        Kind::Contract => &[
            ("version", Keep),
            ("kind", Keep),
            ("apiVersion", Keep),
            ("id", Keep),
            ("name", Keep),
            ("tenant", Keep),
            ("tags", Keep),
            ("status", Keep),
            ("servers", List(Kind::Server)),
            ("dataProduct", Keep),
            ("description", Obj(Kind::Description)),
            ("domain", Keep),
            ("schema", List(Kind::Object)),
            ("support", List(Kind::Support)),
            ("price", Obj(Kind::Pricing)),
            ("team", TeamOrMembers),
            ("roles", List(Kind::Role)),
            ("slaDefaultElement", Keep),
            ("slaProperties", List(Kind::Sla)),
            AUTH,
            CUSTOM,
            ("context", ObjOrKeep(Kind::Context)),
            ("contractCreatedTs", Keep),
        ],
        Kind::AuthDef => &[
            ("id", Keep),
            ("url", Keep),
            ("type", Keep),
            ("description", Keep),
        ],
        Kind::CustomProp => &[
            ("id", Keep),
            ("property", Keep),
            ("value", Keep),
            ("description", Keep),
            ("vendor", Keep),
        ],
        Kind::Support => &[
            ("id", Keep),
            ("channel", Keep),
            ("url", Keep),
            ("description", Keep),
            ("tool", Keep),
            ("scope", Keep),
            ("invitationUrl", Keep),
            CUSTOM,
        ],
        Kind::Pricing => &[
            ("id", Keep),
            ("priceAmount", Keep),
            ("priceCurrency", Keep),
            ("priceUnit", Keep),
        ],
        Kind::TeamMember => &[
            ("id", Keep),
            ("username", Keep),
            ("name", Keep),
            ("description", Keep),
            ("role", Keep),
            ("dateIn", Keep),
            ("dateOut", Keep),
            ("replacedByUsername", Keep),
            ("tags", Keep),
            CUSTOM,
            AUTH,
        ],
        Kind::Team => &[
            ("id", Keep),
            ("name", Keep),
            ("description", Keep),
            ("members", List(Kind::TeamMember)),
            ("tags", Keep),
            CUSTOM,
            AUTH,
        ],
        Kind::Sla => &[
            ("id", Keep),
            ("property", Keep),
            ("value", Keep),
            ("valueExt", Keep),
            ("unit", Keep),
            ("element", Keep),
            ("driver", Keep),
            ("description", Keep),
            ("scheduler", Keep),
            ("schedule", Keep),
            CUSTOM,
            AUTH,
        ],
        Kind::Quality => &[
            ("id", Keep),
            AUTH,
            ("businessImpact", Keep),
            CUSTOM,
            ("description", Keep),
            ("dimension", Keep),
            ("method", Keep),
            ("name", Keep),
            ("schedule", Keep),
            ("scheduler", Keep),
            ("severity", Keep),
            ("tags", Keep),
            ("type", Keep),
            ("unit", Keep),
            ("metric", Keep),
            ("rule", Keep),
            ("arguments", Keep),
            ("mustBe", Keep),
            ("mustNotBe", Keep),
            ("mustBeGreaterThan", Keep),
            ("mustBeGreaterOrEqualTo", Keep),
            ("mustBeLessThan", Keep),
            ("mustBeLessOrEqualTo", Keep),
            ("mustBeBetween", Keep),
            ("mustNotBeBetween", Keep),
            ("query", Keep),
            ("engine", Keep),
            ("implementation", Keep),
        ],
        Kind::Description => &[
            ("usage", Keep),
            ("purpose", Keep),
            ("limitations", Keep),
            AUTH,
            CUSTOM,
        ],
        Kind::Relationship => &[
            ("id", Keep),
            ("type", Keep),
            ("from", Keep),
            ("to", Keep),
            CUSTOM,
        ],
        Kind::Synonym => &[
            ("id", Keep),
            ("synonym", Keep),
            ("description", Keep),
            ("locale", Keep),
            ("source", Keep),
            ("status", Keep),
            CUSTOM,
        ],
        Kind::EnumValue => &[
            ("id", Keep),
            ("value", Keep),
            ("label", Keep),
            ("description", Keep),
            ("tags", Keep),
            CUSTOM,
            AUTH,
        ],
        Kind::MapDef => &[("key", Obj(Kind::Property)), ("value", Obj(Kind::Property))],
        Kind::Verified => &[
            ("id", Keep),
            ("question", Keep),
            ("answer", Keep),
            ("tags", Keep),
            CUSTOM,
            AUTH,
        ],
        Kind::Constraint => &[
            ("id", Keep),
            ("constraint", Keep),
            ("tags", Keep),
            CUSTOM,
            AUTH,
        ],
        Kind::Context => &[
            ("instructions", Keep),
            ("verifiedStatements", List(Kind::Verified)),
            ("constraints", List(Kind::Constraint)),
        ],
        Kind::Property => &[
            ("id", Keep),
            ("name", Keep),
            ("physicalType", Keep),
            ("physicalName", Keep),
            ("description", Keep),
            ("businessName", Keep),
            ("deprecated", Keep),
            ("synonyms", List(Kind::Synonym)),
            AUTH,
            ("tags", Keep),
            CUSTOM,
            ("primaryKey", Keep),
            ("primaryKeyPosition", Keep),
            ("logicalType", Keep),
            ("logicalTypeOptions", Keep),
            ("semanticType", Keep),
            ("required", Keep),
            ("unique", Keep),
            ("partitioned", Keep),
            ("partitionKeyPosition", Keep),
            ("classification", Keep),
            ("encryptedName", Keep),
            ("transformSourceObjects", Keep),
            ("transformLogic", Keep),
            ("transformDescription", Keep),
            ("examples", Keep),
            ("enum", List(Kind::EnumValue)),
            ("criticalDataElement", Keep),
            ("relationships", List(Kind::Relationship)),
            ("quality", List(Kind::Quality)),
            ("properties", List(Kind::Property)),
            ("items", Obj(Kind::Property)),
            ("map", Obj(Kind::MapDef)),
        ],
        Kind::Object => &[
            ("id", Keep),
            ("name", Keep),
            ("physicalType", Keep),
            ("description", Keep),
            ("businessName", Keep),
            ("deprecated", Keep),
            ("synonyms", List(Kind::Synonym)),
            AUTH,
            ("tags", Keep),
            CUSTOM,
            ("logicalType", Keep),
            ("physicalName", Keep),
            ("dataGranularityDescription", Keep),
            ("properties", List(Kind::Property)),
            ("relationships", List(Kind::Relationship)),
            ("quality", List(Kind::Quality)),
            ("context", ObjOrKeep(Kind::Context)),
        ],
        Kind::Role => &[
            ("id", Keep),
            ("role", Keep),
            ("description", Keep),
            ("access", Keep),
            ("firstLevelApprovers", Keep),
            ("secondLevelApprovers", Keep),
            CUSTOM,
        ],
        Kind::Server => &[
            ("id", Keep),
            ("server", Keep),
            ("type", Keep),
            ("description", Keep),
            ("environment", Keep),
            ("roles", List(Kind::Role)),
            CUSTOM,
            ("account", Keep),
            ("catalog", Keep),
            ("catalogUrl", Keep),
            ("database", Keep),
            ("dataset", Keep),
            ("delimiter", Keep),
            ("encoding", Keep),
            ("endpointUrl", Keep),
            ("format", Keep),
            ("host", Keep),
            ("location", Keep),
            ("namespace", Keep),
            ("path", Keep),
            ("port", Keep),
            ("project", Keep),
            ("region", Keep),
            ("regionName", Keep),
            ("schema", Keep),
            ("serviceName", Keep),
            ("stagingDir", Keep),
            ("stream", Keep),
            ("warehouse", Keep),
            ("workgroup", Keep),
        ],
    }
}

/// The contract as the reference tool's model dump sees it.
pub(crate) fn project_contract(doc: &Value) -> Value {
    project_object(doc, Kind::Contract)
}

fn project_object(value: &Value, kind: Kind) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    // The model's field order, as `model_dump` writes it.
    for (name, field) in fields(kind) {
        let Some(v) = map.get(*name) else { continue };
        if v.is_null() {
            continue;
        }
        out.insert((*name).to_owned(), project_field(v, *field));
    }
    Value::Object(out)
}

fn project_field(value: &Value, field: Field) -> Value {
    match (field, value) {
        (Keep, v) => v.clone(),
        (Obj(kind), v) => project_object(v, kind),
        (List(kind), Value::Array(items)) => {
            Value::Array(items.iter().map(|i| project_object(i, kind)).collect())
        }
        (TeamOrMembers, Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|i| project_object(i, Kind::TeamMember))
                .collect(),
        ),
        (TeamOrMembers, v) => project_object(v, Kind::Team),
        (ObjOrKeep(kind), v @ Value::Object(_)) => project_object(v, kind),
        (_, v) => v.clone(),
    }
}
