//! The few places where SQLite and PostgreSQL really differ: URLs and full-text search. Everything
//! else in the store is one SQL text for both.

use crate::error::StoreError;

/// Which database the store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn from_url(url: &str) -> Result<Dialect, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Dialect::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Dialect::Postgres)
        } else {
            Err(StoreError::Config(format!(
                "DATABASE_URL must start with sqlite: or postgres:// (got {:?})",
                url.split(':').next().unwrap_or_default()
            )))
        }
    }

    /// SQLite files are created when missing (`mode=rwc`).
    pub fn normalise_url(self, url: &str) -> String {
        match self {
            Dialect::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    /// The statement that lists products matching a full-text query, best first, as
    /// `(product_id, rank)` with a lower rank being better. `$1` is the text from [`Self::fts_query`].
    pub fn fts_select(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "SELECT product_id, bm25(product_search, 10.0, 2.0, 5.0, 3.0) AS rank \
                 FROM product_search WHERE product_search MATCH $1"
            }
            Dialect::Postgres => {
                "SELECT product_id, CAST(-ts_rank(document, to_tsquery('simple', $1)) AS DOUBLE PRECISION) AS rank \
                 FROM product_search WHERE document @@ to_tsquery('simple', $1)"
            }
        }
    }

    /// Turns search words into the backend's query syntax: every word must match, as a prefix.
    /// Words are reduced to letters and digits first, so no query syntax can be injected.
    pub fn fts_query(self, text: &str) -> Option<String> {
        let words = search_words(text);
        if words.is_empty() {
            return None;
        }
        Some(match self {
            Dialect::Sqlite => words
                .iter()
                .map(|w| format!("\"{w}\"*"))
                .collect::<Vec<_>>()
                .join(" AND "),
            Dialect::Postgres => words
                .iter()
                .map(|w| format!("{w}:*"))
                .collect::<Vec<_>>()
                .join(" & "),
        })
    }
}

/// The words of a search text: runs of letters and digits, lower-cased.
pub fn search_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(16)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_cannot_inject_syntax() {
        assert_eq!(
            Dialect::Sqlite.fts_query("customer_id\" OR *").as_deref(),
            Some("\"customer\"* AND \"id\"* AND \"or\"*")
        );
        assert_eq!(
            Dialect::Postgres.fts_query("rev & !x").as_deref(),
            Some("rev:* & x:*")
        );
        assert_eq!(Dialect::Sqlite.fts_query(" -- "), None);
    }

    #[test]
    fn sqlite_files_are_created() {
        assert_eq!(
            Dialect::Sqlite.normalise_url("sqlite://a.db"),
            "sqlite://a.db?mode=rwc"
        );
        assert!(Dialect::from_url("mysql://x").is_err());
    }
}
