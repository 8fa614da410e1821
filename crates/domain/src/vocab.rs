//! The closed vocabularies Meshwork understands: product status and type, port types, data
//! classification and the logical types of ODCS.

use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary: canonical spellings, lenient parsing and the allowed-value list
/// used in error messages.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $canon:literal, $label:literal $(| $alias:literal)*;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling written into documents.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }

            /// The spelling shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses ignoring case, `-`, `_` and spaces, so `source-aligned` and `sourceAligned`
            /// are the same type; anything else is an error listing the allowed values.
            pub fn parse(raw: &str) -> Result<$name, String> {
                let key: String = raw
                    .chars()
                    .filter(|c| !matches!(c, '-' | '_' | ' '))
                    .flat_map(char::to_lowercase)
                    .collect();
                $(
                    if key == $canon.to_lowercase().replace(['-', '_'], "") $(|| key == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err(format!("'{raw}' is not one of {}", Self::allowed()))
            }

            /// The allowed values, for messages: `a, b or c`.
            pub fn allowed() -> String {
                let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                match all.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                    _ => all.join(""),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(raw: String) -> Result<Self, String> {
                $name::parse(&raw)
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str {
                v.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Lifecycle of a data product (and of a contract).
    ProductStatus {
        Proposed => "proposed", "Proposed";
        Draft => "draft", "Draft";
        Active => "active", "Active";
        Deprecated => "deprecated", "Deprecated";
        Retired => "retired", "Retired";
    }
}

vocabulary! {
    /// The architectural type (archetype) of a data product.
    ProductType {
        SourceAligned => "sourceAligned", "Source-aligned";
        Aggregate => "aggregate", "Aggregate";
        ConsumerAligned => "consumerAligned", "Consumer-aligned";
    }
}

vocabulary! {
    /// How an output port serves its data.
    PortType {
        Table => "table", "Table" | "tables" | "view" | "views";
        Topic => "topic", "Topic" | "topics" | "stream" | "kafka";
        File => "file", "File" | "files" | "objectstore";
        Api => "api", "API" | "rest" | "http" | "graphql";
    }
}

vocabulary! {
    /// How sensitive a field (or a whole contract) is.
    Classification {
        Public => "public", "Public";
        Internal => "internal", "Internal";
        Confidential => "confidential", "Confidential";
        Restricted => "restricted", "Restricted";
    }
}

vocabulary! {
    /// The logical types of ODCS v3 schema properties.
    LogicalType {
        String => "string", "string";
        Integer => "integer", "integer";
        Number => "number", "number";
        Boolean => "boolean", "boolean";
        Date => "date", "date";
        Timestamp => "timestamp", "timestamp";
        Time => "time", "time";
        Object => "object", "object";
        Array => "array", "array";
    }
}

impl ProductStatus {
    /// The statuses a product may move to from this one (deprecate, retire, reactivate).
    pub fn transitions(self) -> &'static [ProductStatus] {
        use ProductStatus::*;
        match self {
            Proposed | Draft => &[Active, Retired],
            Active => &[Deprecated],
            Deprecated => &[Active, Retired],
            Retired => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_is_lenient_about_spelling_only() {
        assert_eq!(
            ProductType::parse("source-aligned"),
            Ok(ProductType::SourceAligned)
        );
        assert_eq!(
            ProductType::parse("sourceAligned"),
            Ok(ProductType::SourceAligned)
        );
        assert_eq!(
            ProductType::parse("Consumer Aligned"),
            Ok(ProductType::ConsumerAligned)
        );
        assert_eq!(PortType::parse("tables"), Ok(PortType::Table));
        assert_eq!(PortType::parse("API"), Ok(PortType::Api));
        assert_eq!(ProductStatus::parse("ACTIVE"), Ok(ProductStatus::Active));
        assert_eq!(
            ProductStatus::parse("live").unwrap_err(),
            "'live' is not one of proposed, draft, active, deprecated or retired"
        );
        assert!(Classification::parse("secret").is_err());
    }

    #[test]
    fn serde_uses_canonical_spelling() {
        let json = serde_json::to_string(&ProductType::SourceAligned).unwrap();
        assert_eq!(json, "\"sourceAligned\"");
        let back: ProductType = serde_json::from_str("\"source-aligned\"").unwrap();
        assert_eq!(back, ProductType::SourceAligned);
        assert!(serde_json::from_str::<PortType>("\"carrier-pigeon\"").is_err());
    }
}
