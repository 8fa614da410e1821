//! The explorer keeps all of its state in the URL, so every view can be shared, the back button
//! works, and every control is a plain link that works before (and without) the WASM.

use leptos_router::params::ParamsMap;

use crate::api::lineage::ExploreArgs;

/// Percent-encodes a query value.
pub fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() + 8);
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            other => {
                out.push('%');
                out.push(char::from(HEX[usize::from(other >> 4)]));
                out.push(char::from(HEX[usize::from(other & 15)]));
            }
        }
    }
    out
}

/// The explorer's whole state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExplorerUrl {
    pub args: ExploreArgs,
    /// The selected node (the side panel shows it).
    pub selected: Option<String>,
    /// Text to find in the graph.
    pub find: String,
}

fn flag(q: &ParamsMap, key: &str) -> bool {
    matches!(q.get(key).as_deref(), Some("1" | "true" | "on"))
}

impl ExplorerUrl {
    /// The state an explorer link (`/lineage?…`) leads to; `None` for any other link.
    pub fn from_href(href: &str) -> Option<ExplorerUrl> {
        let query = match href.split_once('?') {
            Some(("/lineage", query)) => query,
            None if href == "/lineage" => "",
            _ => return None,
        };
        let mut map = ParamsMap::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            // `insert` decodes the value as the router does for the page's own URL.
            map.insert(k.to_owned(), v.to_owned());
        }
        Some(ExplorerUrl::from_query(&map))
    }

    pub fn from_query(q: &ParamsMap) -> ExplorerUrl {
        let list = |k: &str| -> Vec<String> {
            let mut v: Vec<String> = q
                .get_all(k)
                .unwrap_or_default()
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let text = |k: &str| q.get(k).filter(|s| !s.trim().is_empty());
        let number = |k: &str| q.get(k).and_then(|s| s.parse::<u32>().ok());
        ExplorerUrl {
            args: ExploreArgs {
                focus: q.get("focus").unwrap_or_default(),
                scope: text("scope").filter(|s| s != "products"),
                upstream: number("up"),
                downstream: number("down"),
                expand: list("expand"),
                unlimited: list("more"),
                group: flag(q, "group"),
                ports: flag(q, "ports"),
                path_from: text("from"),
                path_to: text("to"),
                max_nodes: q.get("max").and_then(|s| s.parse().ok()),
                fan_out: q.get("fan").and_then(|s| s.parse().ok()),
            },
            selected: text("sel"),
            find: q.get("find").unwrap_or_default(),
        }
    }

    pub fn upstream(&self) -> u32 {
        self.args.upstream.unwrap_or(1)
    }

    pub fn downstream(&self) -> u32 {
        self.args.downstream.unwrap_or(1)
    }

    pub fn scope(&self) -> &str {
        self.args.scope.as_deref().unwrap_or("products")
    }

    /// This state as query parameters, in a stable order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let a = &self.args;
        if !a.focus.is_empty() {
            out.push(("focus", a.focus.clone()));
        }
        if let Some(s) = &a.scope {
            out.push(("scope", s.clone()));
        }
        if let Some(u) = a.upstream {
            out.push(("up", u.to_string()));
        }
        if let Some(d) = a.downstream {
            out.push(("down", d.to_string()));
        }
        out.extend(a.expand.iter().map(|e| ("expand", e.clone())));
        out.extend(a.unlimited.iter().map(|m| ("more", m.clone())));
        if a.group {
            out.push(("group", String::from("1")));
        }
        if a.ports {
            out.push(("ports", String::from("1")));
        }
        if let Some(f) = &a.path_from {
            out.push(("from", f.clone()));
        }
        if let Some(t) = &a.path_to {
            out.push(("to", t.clone()));
        }
        if let Some(f) = a.fan_out {
            out.push(("fan", f.to_string()));
        }
        if let Some(m) = a.max_nodes {
            out.push(("max", m.to_string()));
        }
        if !self.find.is_empty() {
            out.push(("find", self.find.clone()));
        }
        // Last, so that links selecting different nodes share everything before it.
        if let Some(s) = &self.selected {
            out.push(("sel", s.clone()));
        }
        out
    }

    /// This state as a link to the explorer.
    pub fn href(&self) -> String {
        let mut out = String::from("/lineage");
        for (i, (k, v)) in self.pairs().into_iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            out.push('=');
            out.push_str(&encode(&v));
        }
        out
    }

    /// Links that select each of many nodes, sharing everything but the selection: the link for
    /// a node is the returned prefix followed by [`encode`] of its id.
    pub fn select_prefix(&self) -> String {
        let mut out = self.with(|u| u.selected = None).href();
        out.push_str(if out.contains('?') { "&sel=" } else { "?sel=" });
        out
    }

    /// A copy changed by `f`.
    pub fn with(&self, f: impl FnOnce(&mut ExplorerUrl)) -> ExplorerUrl {
        let mut next = self.clone();
        f(&mut next);
        next
    }

    /// Centred on another node, everything else kept but the expansions and the path.
    pub fn refocus(&self, node: &str) -> ExplorerUrl {
        self.with(|u| {
            u.args.focus = node.to_owned();
            u.args.expand.clear();
            u.args.unlimited.clear();
            u.args.path_from = None;
            u.args.path_to = None;
            u.selected = Some(node.to_owned());
        })
    }

    /// With a node expanded (or collapsed again).
    pub fn toggle_expand(&self, node: &str) -> ExplorerUrl {
        self.with(|u| {
            if let Some(i) = u.args.expand.iter().position(|e| e == node) {
                u.args.expand.remove(i);
            } else {
                u.args.expand.push(node.to_owned());
                u.args.expand.sort();
            }
            u.selected = Some(node.to_owned());
        })
    }

    /// With every neighbour of a node shown ("and N more" clicked).
    pub fn show_all(&self, node: &str) -> ExplorerUrl {
        self.with(|u| {
            if !u.args.unlimited.iter().any(|e| e == node) {
                u.args.unlimited.push(node.to_owned());
                u.args.unlimited.sort();
            }
        })
    }

    pub fn select(&self, node: &str) -> ExplorerUrl {
        self.with(|u| u.selected = Some(node.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExplorerUrl {
        ExplorerUrl::from_href(&format!("/lineage?{query}")).unwrap()
    }

    #[test]
    fn only_explorer_links_are_read() {
        assert!(ExplorerUrl::from_href("/products/a?focus=x").is_none());
        assert!(ExplorerUrl::from_href("/lineage/impact?node=x").is_none());
        assert_eq!(
            ExplorerUrl::from_href("/lineage").unwrap(),
            ExplorerUrl::default()
        );
    }

    #[test]
    fn the_url_round_trips() {
        let url = parse(
            "focus=dataset%3Apostgres%3A%2F%2Fdb%3A5432%3Aa.b&up=2&expand=product%3Ax&expand=product%3Aa&group=1&sel=product%3Ax",
        );
        assert_eq!(url.args.focus, "dataset:postgres://db:5432:a.b");
        assert_eq!(url.upstream(), 2);
        assert_eq!(url.downstream(), 1);
        assert_eq!(url.args.expand, ["product:a", "product:x"]);
        assert!(url.args.group);
        let again = parse(url.href().trim_start_matches("/lineage?"));
        assert_eq!(again, url);
    }

    #[test]
    fn links_change_one_thing() {
        let url = parse("focus=product%3Aa&expand=product%3Ab&from=product%3Ab");
        let refocused = url.refocus("product:c");
        assert_eq!(
            (refocused.args.focus.as_str(), refocused.args.expand.len()),
            ("product:c", 0)
        );
        assert_eq!(refocused.args.path_from, None);
        let toggled = url.toggle_expand("product:b");
        assert!(toggled.args.expand.is_empty());
        assert_eq!(
            url.toggle_expand("product:c").args.expand,
            ["product:b", "product:c"]
        );
        assert_eq!(url.show_all("port:a:out").args.unlimited, ["port:a:out"]);
        assert_eq!(parse("").href(), "/lineage");
    }

    #[test]
    fn select_links_share_a_prefix() {
        for query in [
            "focus=product%3Aa&up=2",
            "focus=product%3Aa&find=ord&sel=product%3Ab",
            "",
        ] {
            let url = parse(query);
            let id = "port:orders:v1 out";
            let link = format!("{}{}", url.select_prefix(), encode(id));
            assert_eq!(
                parse(link.split_once('?').map_or("", |(_, q)| q)),
                url.select(id)
            );
        }
        assert_eq!(encode("a:b/c d~é"), "a%3Ab%2Fc%20d~%C3%A9");
    }
}
