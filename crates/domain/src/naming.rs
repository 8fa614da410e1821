//! Which OpenLineage datasets an output port is served as: its contract's servers and schema
//! objects named the way OpenLineage names datasets (`spec/Naming.md`), so that observed runs can
//! be matched to ports. An output port can also name its dataset outright with the custom
//! properties `openlineage.namespace` and `openlineage.name`.

use serde_json::Value;

use crate::odcs::{DataContractDoc, Server};
use crate::odps::{OutputPort, custom_property};

/// The output-port custom property that names the port's OpenLineage namespace…
pub const NAMESPACE_PROPERTY: &str = "openlineage.namespace";
/// …and the one that names its dataset.
pub const NAME_PROPERTY: &str = "openlineage.name";

/// An OpenLineage dataset identity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DatasetName {
    pub namespace: String,
    pub name: String,
}

/// The datasets a port is served as: the explicit name if the port gives one, else one per
/// server of its contract and schema object.
pub fn port_datasets(port: &OutputPort, contract: Option<&DataContractDoc>) -> Vec<DatasetName> {
    if let (Some(namespace), Some(name)) = (
        custom_property(&port.custom_properties, NAMESPACE_PROPERTY),
        custom_property(&port.custom_properties, NAME_PROPERTY),
    ) {
        return vec![DatasetName {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }];
    }
    let Some(contract) = contract else {
        return Vec::new();
    };
    let tables: Vec<&str> = contract
        .schema
        .iter()
        .map(|o| o.physical_name.as_deref().unwrap_or(&o.name))
        .collect();
    let mut out = Vec::new();
    for server in &contract.servers {
        out.extend(server_datasets(server, &tables));
    }
    out.sort();
    out.dedup();
    out
}

fn text(server: &Server, key: &str) -> Option<String> {
    match server.extra.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// The datasets of one server, for the given tables (schema objects).
pub fn server_datasets(server: &Server, tables: &[&str]) -> Vec<DatasetName> {
    let get = |k: &str| text(server, k);
    let kind = server.server_type.to_lowercase();
    let host_port = |default: Option<&str>| -> Option<String> {
        let host = get("host")?;
        match get("port").or_else(|| default.map(str::to_owned)) {
            Some(port) => Some(format!("{host}:{port}")),
            None => Some(host),
        }
    };
    let dotted = |parts: &[Option<String>], table: &str| -> String {
        let mut v: Vec<String> = parts.iter().flatten().cloned().collect();
        v.push(table.to_owned());
        v.join(".")
    };
    let each = |namespace: String, prefix: &[Option<String>]| -> Vec<DatasetName> {
        tables
            .iter()
            .map(|t| DatasetName {
                namespace: namespace.clone(),
                name: dotted(prefix, t),
            })
            .collect()
    };
    match kind.as_str() {
        "postgres" | "postgresql" => host_port(Some("5432"))
            .map(|hp| {
                each(
                    format!("postgres://{hp}"),
                    &[get("database"), get("schema")],
                )
            })
            .unwrap_or_default(),
        "mysql" => host_port(Some("3306"))
            .map(|hp| each(format!("mysql://{hp}"), &[get("database")]))
            .unwrap_or_default(),
        "sqlserver" => host_port(Some("1433"))
            .map(|hp| each(format!("mssql://{hp}"), &[get("database"), get("schema")]))
            .unwrap_or_default(),
        "oracle" => host_port(Some("1521"))
            .map(|hp| {
                each(
                    format!("oracle://{hp}"),
                    &[get("serviceName"), get("schema")],
                )
            })
            .unwrap_or_default(),
        "redshift" => host_port(Some("5439"))
            .map(|hp| {
                each(
                    format!("redshift://{hp}"),
                    &[get("database"), get("schema")],
                )
            })
            .unwrap_or_default(),
        "trino" | "presto" => host_port(None)
            .map(|hp| each(format!("{kind}://{hp}"), &[get("catalog"), get("schema")]))
            .unwrap_or_default(),
        "snowflake" => get("account")
            .map(|a| {
                each(
                    format!("snowflake://{a}"),
                    &[get("database"), get("schema")],
                )
            })
            .unwrap_or_default(),
        "bigquery" => each(String::from("bigquery"), &[get("project"), get("dataset")]),
        "databricks" => get("host")
            .map(|h| {
                each(
                    format!("databricks://{h}"),
                    &[get("catalog"), get("schema")],
                )
            })
            .unwrap_or_default(),
        // dbt-ol names DuckDB tables `{database}.{schema}.{table}`, the database being the
        // file's stem, in the namespace `duckdb://{path}`.
        "duckdb" => get("database")
            .or_else(|| get("path"))
            .map(|path| {
                let file = path.rsplit('/').next().unwrap_or(&path);
                let stem = file.split('.').next().unwrap_or(file).to_owned();
                let schema = get("schema").unwrap_or_else(|| String::from("main"));
                each(format!("duckdb://{path}"), &[Some(stem), Some(schema)])
            })
            .unwrap_or_default(),
        "kafka" => {
            let Some(host) = get("host") else {
                return Vec::new();
            };
            // The first bootstrap server names the cluster.
            let first = host.split(',').next().unwrap_or(&host).trim().to_owned();
            let namespace = format!("kafka://{first}");
            match get("topic").or_else(|| topic_property(server)) {
                Some(topic) => vec![DatasetName {
                    namespace,
                    name: topic,
                }],
                None => each(namespace, &[]),
            }
        }
        "s3" | "gcs" | "azure" | "local" | "sftp" => {
            let Some(location) = get("location").or_else(|| get("path")) else {
                return Vec::new();
            };
            vec![object_store(&location, &kind)]
        }
        _ => Vec::new(),
    }
}

fn topic_property(server: &Server) -> Option<String> {
    server
        .extra
        .get("customProperties")?
        .as_array()?
        .iter()
        .find(|p| p.get("property").and_then(Value::as_str) == Some("topic"))?
        .get("value")?
        .as_str()
        .map(str::to_owned)
}

/// `s3://bucket/path/to/*.json` → namespace `s3://bucket`, name `path/to`; a local path is in
/// namespace `file`.
fn object_store(location: &str, kind: &str) -> DatasetName {
    let trimmed = location.trim_end_matches(['*', '/']);
    // Drop a trailing file pattern: the dataset is the directory.
    let trimmed = match trimmed.rsplit_once('/') {
        Some((dir, last)) if last.contains('*') => dir,
        _ => trimmed,
    };
    match trimmed.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
            DatasetName {
                namespace: format!("{scheme}://{authority}"),
                name: path.to_owned(),
            }
        }
        None if kind == "local" || trimmed.starts_with('/') => DatasetName {
            namespace: String::from("file"),
            name: trimmed.to_owned(),
        },
        None => DatasetName {
            namespace: kind.to_owned(),
            name: trimmed.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract(servers: Value, tables: &[&str]) -> DataContractDoc {
        let schema: Vec<Value> = tables.iter().map(|t| json!({"name": t})).collect();
        serde_json::from_value(json!({
            "apiVersion": "v3.0.2", "kind": "DataContract", "id": "c", "version": "1.0.0",
            "servers": servers, "schema": schema,
        }))
        .unwrap()
    }

    fn names(port: &OutputPort, c: &DataContractDoc) -> Vec<(String, String)> {
        port_datasets(port, Some(c))
            .into_iter()
            .map(|d| (d.namespace, d.name))
            .collect()
    }

    #[test]
    fn databases_are_named_as_openlineage_does() {
        let port = OutputPort::default();
        let c = contract(
            json!([
                {"server": "prod", "type": "postgres", "host": "pg.example.internal", "port": 5432, "database": "analytics", "schema": "public"},
                {"server": "sf", "type": "snowflake", "account": "acme-eu", "database": "ANALYTICS", "schema": "SALES"},
                {"server": "bq", "type": "bigquery", "project": "acme", "dataset": "sales"},
            ]),
            &["customer_revenue"],
        );
        assert_eq!(
            names(&port, &c),
            [
                ("bigquery".into(), "acme.sales.customer_revenue".into()),
                (
                    "postgres://pg.example.internal:5432".into(),
                    "analytics.public.customer_revenue".into()
                ),
                (
                    "snowflake://acme-eu".into(),
                    "ANALYTICS.SALES.customer_revenue".into()
                ),
            ]
        );
    }

    #[test]
    fn files_topics_and_explicit_names() {
        let port = OutputPort::default();
        let c = contract(
            json!([
                {"server": "lake", "type": "s3", "location": "s3://acme-lake/sales/orders/*.parquet"},
                {"server": "events", "type": "kafka", "host": "kafka-1:9092,kafka-2:9092", "topic": "orders"},
            ]),
            &["orders"],
        );
        assert_eq!(
            names(&port, &c),
            [
                ("kafka://kafka-1:9092".into(), "orders".into()),
                ("s3://acme-lake".into(), "sales/orders".into()),
            ]
        );
        let explicit: OutputPort = serde_json::from_value(json!({
            "name": "p",
            "customProperties": [
                {"property": "openlineage.namespace", "value": "dbt://acme"},
                {"property": "openlineage.name", "value": "marts.orders"},
            ],
        }))
        .unwrap();
        assert_eq!(
            names(&explicit, &c),
            [("dbt://acme".into(), "marts.orders".into())]
        );
        // DuckDB as dbt-ol names it.
        let duck = contract(
            json!([{"server": "local", "type": "duckdb", "database": "/data/shop.duckdb", "schema": "main"}]),
            &["customer_revenue"],
        );
        assert_eq!(
            names(&port, &duck),
            [(
                "duckdb:///data/shop.duckdb".into(),
                "shop.main.customer_revenue".into()
            )]
        );
        // A server without a host says nothing.
        let bare = contract(json!([{"server": "x", "type": "postgres"}]), &["t"]);
        assert!(names(&port, &bare).is_empty());
    }
}
