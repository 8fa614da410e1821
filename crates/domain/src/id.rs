//! Identifiers: slugs for domains, teams and ports, and the looser document ids of products and
//! contracts (which may be URNs such as `urn:datacontract:sales:orders`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string is not a valid identifier, phrased so it can be shown to the user as is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters long (it has {len})")]
    TooLong { max: usize, len: usize },
    #[error("must start with a letter or digit")]
    BadStart,
    #[error("must end with a letter or digit")]
    BadEnd,
    #[error("contains {found:?}; only {allowed} are allowed")]
    BadChar { found: char, allowed: &'static str },
}

/// A lower-case identifier of a domain, team or port: `sales`, `customer-analytics`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 63;
    const ALLOWED: &'static str = "lower-case letters a-z, digits and '-'";

    pub fn parse(raw: &str) -> Result<Slug, IdError> {
        check_chars(raw, Self::MAX_LEN, Self::ALLOWED, |c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
        })?;
        Ok(Slug(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The id of a data product or data contract. ODPS and ODCS leave the form open (UUIDs, URNs, dotted
/// names); Meshwork asks for printable ASCII without spaces or slashes so that every id is also a
/// URL path segment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentId(String);

impl DocumentId {
    pub const MAX_LEN: usize = 200;
    const ALLOWED: &'static str = "ASCII letters, digits, '.', '_', ':' and '-'";

    pub fn parse(raw: &str) -> Result<DocumentId, IdError> {
        check_chars(raw, Self::MAX_LEN, Self::ALLOWED, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-')
        })?;
        Ok(DocumentId(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_chars(
    raw: &str,
    max: usize,
    allowed: &'static str,
    ok: impl Fn(char) -> bool,
) -> Result<(), IdError> {
    let first = raw.chars().next().ok_or(IdError::Empty)?;
    let len = raw.chars().count();
    if len > max {
        return Err(IdError::TooLong { max, len });
    }
    if let Some(found) = raw.chars().find(|c| !ok(*c)) {
        return Err(IdError::BadChar { found, allowed });
    }
    if !first.is_ascii_alphanumeric() {
        return Err(IdError::BadStart);
    }
    if !raw.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(IdError::BadEnd);
    }
    Ok(())
}

macro_rules! string_newtype {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(raw: String) -> Result<Self, IdError> {
                <$t>::parse(&raw)
            }
        }
        impl From<$t> for String {
            fn from(id: $t) -> String {
                id.0
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
string_newtype!(Slug);
string_newtype!(DocumentId);

/// Turns a human name into a slug: `Customer Revenue (EU)` becomes `customer-revenue-eu`.
/// Letters with accents lose them where that is a plain ASCII letter; anything else separates words.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    out.truncate(Slug::MAX_LEN);
    out.trim_end_matches('-').to_owned()
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => "a",
        'ä' | 'æ' => "ae",
        'ç' | 'č' | 'ć' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'ö' | 'œ' => "oe",
        'ù' | 'ú' | 'û' => "u",
        'ü' => "ue",
        'ß' => "ss",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        _ => return vec![c],
    };
    folded.chars().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lower_case_words() {
        for ok in ["sales", "customer-analytics", "a", "team-42"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn slugs_reject_with_a_reason() {
        let cases = [
            ("", IdError::Empty),
            (
                "Sales",
                IdError::BadChar {
                    found: 'S',
                    allowed: Slug::ALLOWED,
                },
            ),
            ("-sales", IdError::BadStart),
            ("sales-", IdError::BadEnd),
            (
                "sa les",
                IdError::BadChar {
                    found: ' ',
                    allowed: Slug::ALLOWED,
                },
            ),
            (
                "sälés",
                IdError::BadChar {
                    found: 'ä',
                    allowed: Slug::ALLOWED,
                },
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(Slug::parse(raw), Err(want), "{raw:?}");
        }
        assert_eq!(
            Slug::parse(&"a".repeat(64)),
            Err(IdError::TooLong { max: 63, len: 64 })
        );
    }

    #[test]
    fn document_ids_allow_urns_and_dotted_names() {
        for ok in [
            "sales.customer-revenue",
            "urn:datacontract:shop:orders",
            "A_1",
        ] {
            assert!(DocumentId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["a/b", "a b", "a\u{200b}b", ":a", "a:", "ünï"] {
            assert!(DocumentId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugify_makes_readable_ids() {
        assert_eq!(slugify("Customer Revenue (EU)"), "customer-revenue-eu");
        assert_eq!(slugify("  Größe & Maß  "), "groesse-mass");
        assert_eq!(slugify("日本"), "");
        assert_eq!(slugify("a--b"), "a-b");
    }
}
