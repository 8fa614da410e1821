//! A typed view of an ODPS v1.x data product document. Fields Meshwork does not model are kept in
//! `extra`, so reading a document and writing it back never drops anything.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The ODPS `apiVersion` Meshwork writes.
pub const ODPS_API_VERSION: &str = "v1.1.0";
/// The ODPS `apiVersion`s Meshwork reads.
pub const ODPS_API_VERSIONS: &[&str] = &["v1.1.0", "v1.0.0", "v0.9.0"];

/// The custom property that marks an input port as reading from outside the mesh.
pub const EXTERNAL_SOURCE_PROPERTY: &str = "externalSource";
/// The custom property ODPS v1.0.0 documents use for the product type (v1.1.0 has `type`).
pub const ARCHETYPE_PROPERTY: &str = "dataMeshWorkbench.archetype";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataProductDoc {
    pub api_version: String,
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Description>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_ports: Vec<InputPort>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_ports: Vec<OutputPort>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub management_ports: Vec<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<Support>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Team>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limitations: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputPort {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InputPort {
    /// The outside system this port reads from, when it is not another product's port.
    pub fn external_source(&self) -> Option<&str> {
        custom_property(&self.custom_properties, EXTERNAL_SOURCE_PROPERTY)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputPort {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub port_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_properties: Vec<CustomProperty>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Support {
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TeamMember>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomProperty {
    pub property: String,
    pub value: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CustomProperty {
    pub fn new(property: &str, value: impl Into<Value>) -> CustomProperty {
        CustomProperty {
            property: property.to_owned(),
            value: value.into(),
            extra: Map::new(),
        }
    }
}

/// The string value of a custom property, if it is set to a string.
pub fn custom_property<'a>(props: &'a [CustomProperty], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.property == name)
        .and_then(|p| p.value.as_str())
}

impl DataProductDoc {
    /// The product type, from `type` (v1.1.0) or the archetype custom property (v1.0.0).
    pub fn product_type_raw(&self) -> Option<&str> {
        self.product_type
            .as_deref()
            .or_else(|| custom_property(&self.custom_properties, ARCHETYPE_PROPERTY))
    }

    /// The owning team's id as the document names it.
    pub fn team_name(&self) -> Option<&str> {
        self.team.as_ref().and_then(|t| t.name.as_deref())
    }
}
