//! Node identifiers as text: `product:<id>`, `port:<product>:<port>`, and Marquez's own
//! `dataset:<namespace>:<name>`, `job:<namespace>:<name>` and
//! `datasetField:<namespace>:<dataset>:<field>`.
//!
//! Namespaces are URIs (`postgres://db.internal:5432`), so a colon does not always separate two
//! parts. [`NodeId::parse`] splits the way Marquez does (a colon followed by `//` or a digit
//! belongs to the namespace); [`NodeId::readings`] lists every other way the text could be read,
//! so that a lookup can pick the one that names a node that exists.

use std::fmt;

/// A node of the lineage graph, by the ids of the things it stands for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeId {
    Product(String),
    Port {
        product: String,
        port: String,
    },
    Dataset {
        namespace: String,
        name: String,
    },
    Job {
        namespace: String,
        name: String,
    },
    Column {
        namespace: String,
        dataset: String,
        field: String,
    },
}

/// Why a text is not a node id, phrased for the person who sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeIdError(pub String);

impl fmt::Display for NodeIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NodeIdError {}

const KINDS: &str = "product:<id>, port:<product>:<port>, dataset:<namespace>:<name>, job:<namespace>:<name> or datasetField:<namespace>:<dataset>:<field>";

impl NodeId {
    pub fn product(id: impl Into<String>) -> NodeId {
        NodeId::Product(id.into())
    }

    pub fn port(product: impl Into<String>, port: impl Into<String>) -> NodeId {
        NodeId::Port {
            product: product.into(),
            port: port.into(),
        }
    }

    pub fn dataset(namespace: impl Into<String>, name: impl Into<String>) -> NodeId {
        NodeId::Dataset {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    pub fn job(namespace: impl Into<String>, name: impl Into<String>) -> NodeId {
        NodeId::Job {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    pub fn column(
        namespace: impl Into<String>,
        dataset: impl Into<String>,
        field: impl Into<String>,
    ) -> NodeId {
        NodeId::Column {
            namespace: namespace.into(),
            dataset: dataset.into(),
            field: field.into(),
        }
    }

    /// The kind word that starts the text form.
    pub fn kind(&self) -> &'static str {
        match self {
            NodeId::Product(_) => "product",
            NodeId::Port { .. } => "port",
            NodeId::Dataset { .. } => "dataset",
            NodeId::Job { .. } => "job",
            NodeId::Column { .. } => "datasetField",
        }
    }

    /// The product a product or port node belongs to.
    pub fn product_id(&self) -> Option<&str> {
        match self {
            NodeId::Product(id) | NodeId::Port { product: id, .. } => Some(id),
            _ => None,
        }
    }

    /// Reads a node id the way Marquez splits its own (see the module documentation).
    pub fn parse(text: &str) -> Result<NodeId, NodeIdError> {
        let text = strip_version(text.trim());
        let (kind, rest) = text
            .split_once(':')
            .ok_or_else(|| NodeIdError(format!("node id '{text}' has no kind; write {KINDS}")))?;
        let empty = |what: &str| NodeIdError(format!("node id '{text}' has an empty {what}"));
        match kind {
            "product" => {
                if rest.is_empty() {
                    return Err(empty("product id"));
                }
                Ok(NodeId::Product(rest.to_owned()))
            }
            "port" => {
                // Port names are slugs without colons; product ids may contain them.
                let (product, port) = rest.rsplit_once(':').ok_or_else(|| {
                    NodeIdError(format!("node id '{text}' must be port:<product>:<port>"))
                })?;
                if product.is_empty() || port.is_empty() {
                    return Err(empty("product or port"));
                }
                Ok(NodeId::port(product, port))
            }
            "dataset" | "job" => {
                let parts = marquez_split(rest, 2).ok_or_else(|| {
                    NodeIdError(format!(
                        "node id '{text}' must be {kind}:<namespace>:<name>"
                    ))
                })?;
                if parts.iter().any(|p| p.is_empty()) {
                    return Err(empty("namespace or name"));
                }
                Ok(if kind == "job" {
                    NodeId::job(parts[0], parts[1])
                } else {
                    NodeId::dataset(parts[0], parts[1])
                })
            }
            "datasetField" => {
                let parts = marquez_split(rest, 3).ok_or_else(|| {
                    NodeIdError(format!(
                        "node id '{text}' must be datasetField:<namespace>:<dataset>:<field>"
                    ))
                })?;
                if parts.iter().any(|p| p.is_empty()) {
                    return Err(empty("namespace, dataset or field"));
                }
                Ok(NodeId::column(parts[0], parts[1], parts[2]))
            }
            other => Err(NodeIdError(format!(
                "node id '{text}' has the unknown kind '{other}'; write {KINDS}"
            ))),
        }
    }

    /// Every way `text` can be read as a node id, the Marquez reading first. A dataset named
    /// `2024/orders` in namespace `file` is `dataset:file:2024/orders`, which Marquez's rule reads
    /// differently; a lookup tries each reading in turn.
    pub fn readings(text: &str) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = NodeId::parse(text).into_iter().collect();
        let text = strip_version(text.trim());
        let Some((kind, rest)) = text.split_once(':') else {
            return out;
        };
        let colons: Vec<usize> = rest.match_indices(':').map(|(i, _)| i).collect();
        let mut push = |id: NodeId| {
            if !out.contains(&id) {
                out.push(id);
            }
        };
        match kind {
            "dataset" | "job" => {
                for &i in &colons {
                    let (ns, name) = (&rest[..i], &rest[i + 1..]);
                    if ns.is_empty() || name.is_empty() {
                        continue;
                    }
                    push(if kind == "job" {
                        NodeId::job(ns, name)
                    } else {
                        NodeId::dataset(ns, name)
                    });
                }
            }
            "datasetField" => {
                for (a, &i) in colons.iter().enumerate() {
                    for &j in &colons[a + 1..] {
                        let (ns, ds, field) = (&rest[..i], &rest[i + 1..j], &rest[j + 1..]);
                        if !ns.is_empty() && !ds.is_empty() && !field.is_empty() {
                            push(NodeId::column(ns, ds, field));
                        }
                    }
                }
            }
            _ => {}
        }
        out
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Product(id) => write!(f, "product:{id}"),
            NodeId::Port { product, port } => write!(f, "port:{product}:{port}"),
            NodeId::Dataset { namespace, name } => write!(f, "dataset:{namespace}:{name}"),
            NodeId::Job { namespace, name } => write!(f, "job:{namespace}:{name}"),
            NodeId::Column {
                namespace,
                dataset,
                field,
            } => write!(f, "datasetField:{namespace}:{dataset}:{field}"),
        }
    }
}

impl std::str::FromStr for NodeId {
    type Err = NodeIdError;

    fn from_str(s: &str) -> Result<NodeId, NodeIdError> {
        NodeId::parse(s)
    }
}

impl serde::Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<NodeId, D::Error> {
        let text = String::deserialize(d)?;
        NodeId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Marquez appends `#<version uuid>` to versioned node ids; the graph has no versions.
fn strip_version(text: &str) -> &str {
    match text.rsplit_once('#') {
        Some((head, version)) if looks_like_uuid(version) => head,
        _ => text,
    }
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36
        && s.chars().enumerate().all(|(i, c)| {
            matches!(i, 8 | 13 | 18 | 23) == (c == '-') && (c == '-' || c.is_ascii_hexdigit())
        })
}

/// Splits `rest` into `parts` pieces. When the colons are exactly enough, each one separates;
/// otherwise only a colon that is not followed by `//` (a URI scheme) or a digit (a port) does,
/// and the last piece takes the remainder.
fn marquez_split(rest: &str, parts: usize) -> Option<Vec<&str>> {
    let colons: Vec<usize> = rest.match_indices(':').map(|(i, _)| i).collect();
    if colons.len() + 1 < parts {
        return None;
    }
    let cuts: Vec<usize> = if colons.len() + 1 == parts {
        colons
    } else {
        let bytes = rest.as_bytes();
        colons
            .into_iter()
            .filter(|&i| {
                let next = &bytes[i + 1..];
                !(next.starts_with(b"//") || next.first().is_some_and(u8::is_ascii_digit))
            })
            .take(parts - 1)
            .collect()
    };
    if cuts.len() + 1 < parts {
        return None;
    }
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for &cut in &cuts[..parts - 1] {
        out.push(&rest[start..cut]);
        start = cut + 1;
    }
    out.push(&rest[start..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: NodeId) {
        let parsed = NodeId::parse(text).unwrap();
        assert_eq!(parsed, expected);
        assert_eq!(NodeId::parse(&parsed.to_string()).unwrap(), expected);
    }

    #[test]
    fn parses_every_kind() {
        check("product:sales.orders", NodeId::product("sales.orders"));
        check(
            "product:urn:dp:sales:orders",
            NodeId::product("urn:dp:sales:orders"),
        );
        check(
            "port:urn:dp:sales:orders-table",
            NodeId::port("urn:dp:sales", "orders-table"),
        );
        check(
            "dataset:food_delivery:public.orders",
            NodeId::dataset("food_delivery", "public.orders"),
        );
        check(
            "dataset:postgres://db.internal:5432:analytics.public.orders",
            NodeId::dataset("postgres://db.internal:5432", "analytics.public.orders"),
        );
        check(
            "job:airflow://scheduler:8080:etl.daily_orders",
            NodeId::job("airflow://scheduler:8080", "etl.daily_orders"),
        );
        check(
            "datasetField:postgres://db:5432:analytics.public.orders:customer_id",
            NodeId::column(
                "postgres://db:5432",
                "analytics.public.orders",
                "customer_id",
            ),
        );
        check(
            "dataset:s3://bucket:data/orders",
            NodeId::dataset("s3://bucket", "data/orders"),
        );
    }

    #[test]
    fn drops_marquez_versions() {
        assert_eq!(
            NodeId::parse("dataset:ns:orders#6f1a7a1e-9a43-4a8e-8a1b-2f8e7c9d0a11").unwrap(),
            NodeId::dataset("ns", "orders")
        );
        assert_eq!(
            NodeId::parse("dataset:ns:orders#2").unwrap(),
            NodeId::dataset("ns", "orders#2")
        );
    }

    #[test]
    fn explains_what_is_wrong() {
        for (text, says) in [
            ("orders", "has no kind"),
            ("table:x", "unknown kind 'table'"),
            ("dataset:only", "dataset:<namespace>:<name>"),
            ("product:", "empty product id"),
            ("port:orders", "port:<product>:<port>"),
            (
                "datasetField:ns:ds",
                "datasetField:<namespace>:<dataset>:<field>",
            ),
        ] {
            let err = NodeId::parse(text).unwrap_err().to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn lists_other_readings() {
        let readings = NodeId::readings("dataset:file:2024:orders");
        assert_eq!(readings[0], NodeId::dataset("file:2024", "orders"));
        assert!(readings.contains(&NodeId::dataset("file", "2024:orders")));
        let columns = NodeId::readings("datasetField:a:b:c:d");
        assert_eq!(columns.len(), 3);
    }
}
