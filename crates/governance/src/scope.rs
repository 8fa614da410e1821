//! Whom a policy applies to. Every list narrows; an empty list does not. A finding carries the
//! reasons its policy applied, so a team can see why a rule is asked of them.

use serde::{Deserialize, Serialize};

/// The facts of a product a scope is decided on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub domain: Option<String>,
    pub product_type: Option<String>,
    pub status: Option<String>,
    pub tags: Vec<String>,
    pub port_types: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_domains: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub product_types: Vec<String>,
    /// Any of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    /// Products with at least one output port of these types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_types: Vec<String>,
}

impl Scope {
    /// Why the scope covers the product (`domain=sales`, `type=sourceAligned`), or `None` when it
    /// does not.
    pub fn applies(&self, facts: &Facts) -> Option<Vec<String>> {
        let mut why = Vec::new();
        let domain = facts.domain.as_deref().unwrap_or_default();
        if self.exclude_domains.iter().any(|d| d == domain) {
            return None;
        }
        if !self.domains.is_empty() {
            if !self.domains.iter().any(|d| d == domain) {
                return None;
            }
            why.push(format!("domain={domain}"));
        } else if !self.exclude_domains.is_empty() {
            why.push(format!("domain={domain} (not excluded)"));
        }
        if !self.product_types.is_empty() {
            let t = facts.product_type.as_deref()?;
            if !self.product_types.iter().any(|x| x == t) {
                return None;
            }
            why.push(format!("type={t}"));
        }
        if !self.statuses.is_empty() {
            let s = facts.status.as_deref()?;
            if !self.statuses.iter().any(|x| x == s) {
                return None;
            }
            why.push(format!("status={s}"));
        }
        if !self.tags.is_empty() {
            let tag = facts.tags.iter().find(|t| self.tags.contains(t))?;
            why.push(format!("tag={tag}"));
        }
        if !self.port_types.is_empty() {
            let port = facts
                .port_types
                .iter()
                .find(|t| self.port_types.contains(t))?;
            why.push(format!("port type={port}"));
        }
        if why.is_empty() {
            why.push(String::from("all products"));
        }
        Some(why)
    }

    /// The domains the scope names, to be checked against the registry.
    pub fn named_domains(&self) -> impl Iterator<Item = &str> {
        self.domains
            .iter()
            .chain(&self.exclude_domains)
            .map(String::as_str)
    }
}
