//! Data products: publishing (with their contracts, in one transaction), reading, revisions, ports
//! and who consumes whom.

use std::collections::BTreeSet;

use domain::DocumentFormat;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::changes::Change;
use crate::directory::stale;
use crate::{
    Expect, InputPortRow, OutputPortRow, ProductRecord, ProductRow, ProductWrite, Publication,
    Published, Result, RevisionRecord, Store, StoreError, audit, contracts, now,
};

pub(crate) const ROW_COLUMNS: &str = "p.id, p.name, p.domain_id, p.team_id, p.status, p.product_type, p.version, \
     p.purpose, p.tags, p.classifications, p.created_at, p.updated_at, p.revision, \
     (SELECT COUNT(*) FROM output_ports o WHERE o.product_id = p.id) AS output_count, \
     (SELECT COUNT(*) FROM input_ports i WHERE i.product_id = p.id) AS input_count";

pub(crate) fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

pub(crate) fn format_of(text: &str) -> DocumentFormat {
    DocumentFormat::parse(text).unwrap_or(DocumentFormat::Yaml)
}

pub(crate) fn product_row(row: &AnyRow) -> Result<ProductRow, sqlx::Error> {
    Ok(ProductRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        domain_id: row.try_get("domain_id")?,
        team_id: row.try_get("team_id")?,
        status: row.try_get("status")?,
        product_type: row.try_get("product_type")?,
        version: row.try_get("version")?,
        purpose: row.try_get("purpose")?,
        tags: json_list(&row.try_get::<String, _>("tags")?),
        classifications: json_list(&row.try_get::<String, _>("classifications")?),
        output_ports: row.try_get("output_count")?,
        input_ports: row.try_get("input_count")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        revision: row.try_get("revision")?,
    })
}

pub(crate) fn revision(row: &AnyRow) -> Result<RevisionRecord, sqlx::Error> {
    Ok(RevisionRecord {
        revision: row.try_get("revision")?,
        version: row.try_get("version")?,
        status: row.try_get("status")?,
        source: row.try_get("source")?,
        source_format: format_of(&row.try_get::<String, _>("source_format")?),
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
    })
}

fn output_port(row: &AnyRow) -> Result<OutputPortRow, sqlx::Error> {
    Ok(OutputPortRow {
        product_id: row.try_get("product_id")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        port_type: row.try_get("port_type")?,
        version: row.try_get("version")?,
        description: row.try_get("description")?,
        contract_id: row.try_get("contract_id")?,
    })
}

fn input_port(row: &AnyRow) -> Result<InputPortRow, sqlx::Error> {
    Ok(InputPortRow {
        product_id: row.try_get("product_id")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        version: row.try_get("version")?,
        contract_id: row.try_get("contract_id")?,
        external_source: row.try_get("external_source")?,
    })
}

/// An output port together with the product that offers it (for pickers and lineage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedPort {
    pub port: OutputPortRow,
    pub product_name: String,
    pub domain_id: String,
    pub team_id: String,
    pub status: String,
}

/// A product that reads one of another product's output ports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumer {
    pub product: ProductRow,
    pub input_port: String,
    pub contract_id: String,
    pub output_port: String,
}

impl Store {
    /// Stores a publication atomically: every product and contract with its new revision, the
    /// derived ports, fields and search rows, and the audit events. Nothing is written if any
    /// revision check fails.
    pub async fn publish(&self, publication: &Publication) -> Result<Published> {
        let mut tx = self.begin_write().await?;
        let mut published = Published::default();
        let mut touched: BTreeSet<String> = BTreeSet::new();
        for contract in &publication.contracts {
            let revision = contracts::write(&mut tx, contract).await?;
            published.contracts.push((contract.id.clone(), revision));
            let readers: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT product_id FROM output_ports WHERE contract_id = $1",
            )
            .bind(&contract.id)
            .fetch_all(&mut *tx)
            .await?;
            touched.extend(readers);
        }
        for product in &publication.products {
            let revision = write_product(&mut tx, product).await?;
            published.products.push((product.id.clone(), revision));
            touched.insert(product.id.clone());
        }
        for id in &touched {
            refresh_derived(&mut tx, id).await?;
        }
        if !publication.products.is_empty() {
            check_acyclic(&mut tx, self.dialect, &publication.products).await?;
        }
        for event in &publication.audit {
            audit::insert(&mut tx, event).await?;
        }
        let changes: Vec<Change> = touched
            .iter()
            .map(|id| Change::Product { id: id.clone() })
            .collect();
        self.commit(tx, &changes).await?;
        published.touched = touched.into_iter().collect();
        Ok(published)
    }

    pub async fn get_product(&self, id: &str) -> Result<Option<ProductRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS}, p.document, p.source, p.source_format, p.created_by, p.updated_by \
             FROM products p WHERE p.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db()?)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(ProductRecord {
            row: product_row(&row)?,
            document: row.try_get("document")?,
            source: row.try_get("source")?,
            source_format: format_of(&row.try_get::<String, _>("source_format")?),
            created_by: row.try_get("created_by")?,
            updated_by: row.try_get("updated_by")?,
        }))
    }

    /// Every product, or those of one domain or one team, by name.
    pub async fn list_products(
        &self,
        domain_id: Option<&str>,
        team_id: Option<&str>,
    ) -> Result<Vec<ProductRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS} FROM products p \
             WHERE ($1 IS NULL OR p.domain_id = $1) AND ($2 IS NULL OR p.team_id = $2) ORDER BY p.name, p.id"
        )))
        .bind(domain_id)
        .bind(team_id)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(product_row).collect::<Result<_, _>>()?)
    }

    /// Every product's id, domain, team and current document (the governance run reads the
    /// whole registry at once).
    pub async fn product_documents(&self) -> Result<Vec<(String, String, String, String)>> {
        let rows = sqlx::query("SELECT id, domain_id, team_id, document FROM products ORDER BY id")
            .fetch_all(&self.db()?)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Whether a product id is taken (for the wizard's live check).
    pub async fn product_exists(&self, id: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(&self.db()?)
            .await?;
        Ok(n > 0)
    }

    pub async fn output_ports(&self, product_id: &str) -> Result<Vec<OutputPortRow>> {
        let rows =
            sqlx::query("SELECT * FROM output_ports WHERE product_id = $1 ORDER BY position")
                .bind(product_id)
                .fetch_all(&self.db()?)
                .await?;
        Ok(rows.iter().map(output_port).collect::<Result<_, _>>()?)
    }

    pub async fn input_ports(&self, product_id: &str) -> Result<Vec<InputPortRow>> {
        let rows = sqlx::query("SELECT * FROM input_ports WHERE product_id = $1 ORDER BY position")
            .bind(product_id)
            .fetch_all(&self.db()?)
            .await?;
        Ok(rows.iter().map(input_port).collect::<Result<_, _>>()?)
    }

    /// The output ports that publish the given contracts, with their products.
    pub async fn ports_by_contract(&self, contract_ids: &[String]) -> Result<Vec<OfferedPort>> {
        let mut out = Vec::new();
        for id in contract_ids {
            out.extend(self.offered_ports(Some(id), None, i64::MAX).await?);
        }
        Ok(out)
    }

    /// Output ports across the mesh whose product name, product id, port name or contract id
    /// contains `text` (all of them without text), for the wizard's upstream picker.
    pub async fn search_output_ports(&self, text: &str, limit: i64) -> Result<Vec<OfferedPort>> {
        self.offered_ports(None, Some(text), limit).await
    }

    async fn offered_ports(
        &self,
        contract_id: Option<&str>,
        text: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OfferedPort>> {
        let pattern = text.map(|t| format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
        let rows = sqlx::query(
            "SELECT o.product_id, o.name, o.position, o.port_type, o.version, o.description, o.contract_id, \
             p.name AS product_name, p.domain_id, p.team_id, p.status \
             FROM output_ports o JOIN products p ON p.id = o.product_id \
             WHERE ($1 IS NULL OR o.contract_id = $1) \
             AND ($2 IS NULL OR lower(p.name) LIKE $2 OR lower(p.id) LIKE $2 OR lower(o.name) LIKE $2 \
                  OR lower(COALESCE(o.contract_id, '')) LIKE $2) \
             ORDER BY p.name, o.position LIMIT $3",
        )
        .bind(contract_id)
        .bind(pattern)
        .bind(limit)
        .fetch_all(&self.db()?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OfferedPort {
                    port: output_port(row)?,
                    product_name: row.try_get("product_name")?,
                    domain_id: row.try_get("domain_id")?,
                    team_id: row.try_get("team_id")?,
                    status: row.try_get("status")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The products whose input ports read one of this product's output ports.
    pub async fn consumers(&self, product_id: &str) -> Result<Vec<Consumer>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS}, i.name AS input_port, i.contract_id AS via_contract, o.name AS output_port \
             FROM output_ports o \
             JOIN input_ports i ON i.contract_id = o.contract_id \
             JOIN products p ON p.id = i.product_id \
             WHERE o.product_id = $1 AND i.product_id <> $1 ORDER BY p.name, i.name"
        )))
        .bind(product_id)
        .fetch_all(&self.db()?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Consumer {
                    product: product_row(row)?,
                    input_port: row.try_get("input_port")?,
                    contract_id: row.try_get("via_contract")?,
                    output_port: row.try_get("output_port")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Every input-port edge of the mesh as `(consumer product, producer product)`, for lineage.
    pub async fn product_edges(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT DISTINCT i.product_id AS consumer, o.product_id AS producer \
             FROM input_ports i JOIN output_ports o ON o.contract_id = i.contract_id \
             WHERE i.product_id <> o.product_id",
        )
        .fetch_all(&self.db()?)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("consumer")?, r.try_get("producer")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Every stored revision of a product, newest first, without the document text (see
    /// [`Store::product_revision`] for one revision's text).
    pub async fn product_revision_list(&self, id: &str) -> Result<Vec<RevisionRecord>> {
        let rows = sqlx::query(
            "SELECT revision, version, status, '' AS source, source_format, created_at, created_by \
             FROM product_revisions WHERE product_id = $1 ORDER BY revision DESC",
        )
        .bind(id)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(revision).collect::<Result<_, _>>()?)
    }

    /// Every stored revision of a product with its text, newest first.
    pub async fn product_revisions(&self, id: &str) -> Result<Vec<RevisionRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM product_revisions WHERE product_id = $1 ORDER BY revision DESC",
        )
        .bind(id)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(revision).collect::<Result<_, _>>()?)
    }

    pub async fn product_revision(&self, id: &str, number: i64) -> Result<Option<RevisionRecord>> {
        let row =
            sqlx::query("SELECT * FROM product_revisions WHERE product_id = $1 AND revision = $2")
                .bind(id)
                .bind(number)
                .fetch_optional(&self.db()?)
                .await?;
        Ok(row.as_ref().map(revision).transpose()?)
    }

    /// How many products there are (for dashboards and readiness).
    pub async fn count_products(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM products")
            .fetch_one(&self.db()?)
            .await?)
    }
}

/// Checks the expected revision and returns the revision the write will get.
pub(crate) async fn next_revision(
    conn: &mut AnyConnection,
    table: &str,
    what: &str,
    id: &str,
    expect: Expect,
) -> Result<i64> {
    let current: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT revision FROM {table} WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match (expect, current) {
        (Expect::New, Some(_)) => Err(StoreError::Duplicate(format!("{what} '{id}'"))),
        (Expect::Revision(_), None) => Err(StoreError::NotFound(format!("{what} '{id}'"))),
        (Expect::Revision(want), Some(have)) if want != have => Err(StoreError::Stale {
            what: format!("{what} '{id}'"),
            current: have,
        }),
        (_, current) => Ok(current.unwrap_or(0) + 1),
    }
}

async fn write_product(conn: &mut AnyConnection, p: &ProductWrite) -> Result<i64> {
    let revision = next_revision(conn, "products", "data product", &p.id, p.expect).await?;
    let at = now();
    let tags = serde_json::to_string(&p.tags).unwrap_or_else(|_| String::from("[]"));
    let done = sqlx::query(
        "INSERT INTO products (id, name, domain_id, team_id, status, product_type, version, purpose, tags, \
         document, source, source_format, revision, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $15) \
         ON CONFLICT (id) DO UPDATE SET name = $2, domain_id = $3, team_id = $4, status = $5, product_type = $6, \
         version = $7, purpose = $8, tags = $9, document = $10, source = $11, source_format = $12, revision = $13, \
         updated_at = $14, updated_by = $15 WHERE products.revision = $13 - 1",
    )
    .bind(&p.id)
    .bind(&p.name)
    .bind(&p.domain_id)
    .bind(&p.team_id)
    .bind(&p.status)
    .bind(&p.product_type)
    .bind(&p.version)
    .bind(&p.purpose)
    .bind(&tags)
    .bind(&p.document)
    .bind(&p.source)
    .bind(p.source_format.as_str())
    .bind(revision)
    .bind(&at)
    .bind(&p.actor)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        // Another writer got in between the check and the write (PostgreSQL, read committed).
        return Err(stale(conn, "products", "data product", &p.id).await);
    }
    for table in ["output_ports", "input_ports", "product_tags"] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE product_id = $1"
        )))
        .bind(&p.id)
        .execute(&mut *conn)
        .await?;
    }
    for (i, port) in p.output_ports.iter().enumerate() {
        sqlx::query(
            "INSERT INTO output_ports (product_id, name, position, port_type, version, description, contract_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&p.id)
        .bind(&port.name)
        .bind(i as i64)
        .bind(&port.port_type)
        .bind(&port.version)
        .bind(&port.description)
        .bind(&port.contract_id)
        .execute(&mut *conn)
        .await?;
    }
    for (i, port) in p.input_ports.iter().enumerate() {
        sqlx::query(
            "INSERT INTO input_ports (product_id, name, position, version, contract_id, external_source) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&p.id)
        .bind(&port.name)
        .bind(i as i64)
        .bind(&port.version)
        .bind(&port.contract_id)
        .bind(&port.external_source)
        .execute(&mut *conn)
        .await?;
    }
    let unique_tags: BTreeSet<&String> = p.tags.iter().collect();
    for tag in unique_tags {
        sqlx::query("INSERT INTO product_tags (product_id, tag) VALUES ($1, $2)")
            .bind(&p.id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO product_revisions (product_id, revision, version, status, source, source_format, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&p.id)
    .bind(revision)
    .bind(&p.version)
    .bind(&p.status)
    .bind(&p.source)
    .bind(p.source_format.as_str())
    .bind(&at)
    .bind(&p.actor)
    .execute(&mut *conn)
    .await?;
    Ok(revision)
}

/// Recomputes what a product borrows from its contracts: the classifications it carries and its
/// search row (name, description, tags and field names).
async fn refresh_derived(conn: &mut AnyConnection, product_id: &str) -> Result<()> {
    let Some(row) = sqlx::query("SELECT name, purpose, tags, document FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(());
    };
    let name: String = row.try_get("name")?;
    let purpose: String = row.try_get("purpose")?;
    let tags = json_list(&row.try_get::<String, _>("tags")?).join(" ");
    let document: serde_json::Value =
        serde_json::from_str(&row.try_get::<String, _>("document")?).unwrap_or_default();
    let description = ["usage", "limitations"]
        .iter()
        .filter_map(|k| {
            document
                .pointer(&format!("/description/{k}"))
                .and_then(|v| v.as_str())
        })
        .fold(purpose, |acc, s| format!("{acc}\n{s}"));
    let fields = sqlx::query(
        "SELECT f.field_name, f.classification FROM contract_fields f \
         JOIN output_ports o ON o.contract_id = f.contract_id WHERE o.product_id = $1 ORDER BY f.contract_id, f.position",
    )
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut names = Vec::new();
    let mut classes = BTreeSet::new();
    for f in &fields {
        names.push(f.try_get::<String, _>("field_name")?);
        if let Some(c) = f.try_get::<Option<String>, _>("classification")? {
            classes.insert(c.to_lowercase());
        }
    }
    let classes: Vec<String> = classes.into_iter().collect();
    sqlx::query("UPDATE products SET classifications = $2 WHERE id = $1")
        .bind(product_id)
        .bind(serde_json::to_string(&classes).unwrap_or_else(|_| String::from("[]")))
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM product_search WHERE product_id = $1")
        .bind(product_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO product_search (product_id, name, description, tags, fields) VALUES ($1, $2, $3, $4, $5)")
        .bind(product_id)
        .bind(&name)
        .bind(&description)
        .bind(&tags)
        .bind(names.join(" "))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Every instance takes this lock (PostgreSQL, for the rest of the transaction) before it checks
/// the declared product lineage, so checks and their writes happen one after another across
/// instances: the second check sees what the first committed.
const LINEAGE_LOCK: i64 = 0x4d45_5348_4c49_4e45; // "MESHLINE"

/// Refuses the publication if a written product now reaches itself through declared input ports
/// (in the rows as this transaction sees them: its own writes and everything committed). The
/// workbench checks the same thing beforehand on its in-memory graph, with a finding that names
/// the input port; this is the guard against a publication another instance committed that this
/// instance's graph has not heard of yet. SQLite needs no lock: its writers are already one at a
/// time (`BEGIN IMMEDIATE`).
async fn check_acyclic(
    tx: &mut AnyConnection,
    dialect: crate::Dialect,
    products: &[ProductWrite],
) -> Result<()> {
    if dialect == crate::Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LINEAGE_LOCK)
            .execute(&mut *tx)
            .await?;
    }
    for product in products {
        // Pairs (product, the product it reads from) downstream of this one; UNION keeps the
        // walk finite whatever the graph holds.
        let pairs: Vec<(String, String)> = sqlx::query_as(
            "WITH RECURSIVE downstream (product_id, via) AS ( \
                 SELECT i.product_id, o.product_id FROM output_ports o \
                 JOIN input_ports i ON i.contract_id = o.contract_id WHERE o.product_id = $1 \
               UNION \
                 SELECT i.product_id, o.product_id FROM downstream d \
                 JOIN output_ports o ON o.product_id = d.product_id \
                 JOIN input_ports i ON i.contract_id = o.contract_id \
             ) SELECT product_id, via FROM downstream",
        )
        .bind(&product.id)
        .fetch_all(&mut *tx)
        .await?;
        if let Some(cycle) = cycle_through(&product.id, &pairs) {
            return Err(StoreError::Cycle(cycle));
        }
    }
    Ok(())
}

/// The shortest way from `start` back to itself through (reader, read) pairs, in the direction
/// data flows (`start` is read by the next one, …, the last one is read by `start`).
fn cycle_through(start: &str, pairs: &[(String, String)]) -> Option<Vec<String>> {
    use std::collections::{HashMap, VecDeque};
    let mut readers: HashMap<&str, Vec<&str>> = HashMap::new();
    for (reader, read) in pairs {
        readers
            .entry(read.as_str())
            .or_default()
            .push(reader.as_str());
    }
    let mut came_from: HashMap<&str, &str> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for &next in readers.get(at).map(Vec::as_slice).unwrap_or_default() {
            if next == start {
                let mut path = vec![at.to_owned()];
                let mut step = at;
                while step != start {
                    step = came_from[step];
                    path.push(step.to_owned());
                }
                path.reverse();
                path.push(start.to_owned());
                return Some(path);
            }
            if next != start && !came_from.contains_key(next) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::cycle_through;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_shortest_cycle_is_named_in_the_direction_data_flows() {
        // b reads a, c reads b, a reads c: a → b → c → a. d reads b (not on the cycle).
        let p = pairs(&[("b", "a"), ("c", "b"), ("d", "b"), ("a", "c")]);
        assert_eq!(cycle_through("a", &p).unwrap(), ["a", "b", "c", "a"]);
        assert_eq!(
            cycle_through("a", &pairs(&[("a", "a")])).unwrap(),
            ["a", "a"]
        );
        assert_eq!(cycle_through("a", &pairs(&[("b", "a"), ("c", "b")])), None);
    }
}
