//! Escaping for markup that the app writes as text rather than through `view!` (the lineage
//! drawing's SVG string, the document title on the server).

/// Escapes text for an HTML or SVG text node or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes text for a path segment or a query value (everything but unreserved
/// characters).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A link target the page may use as given: web and mail addresses only. Anything else
/// (`javascript:`, `data:`, `vbscript:`, a scheme-relative `//host`) is shown as text instead.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        .then(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_web_and_mail_links_are_links() {
        assert!(super::safe_href("https://chat.example.com/c/1").is_some());
        assert!(super::safe_href("mailto:team@example.com").is_some());
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "//evil",
            "vbscript:x",
        ] {
            assert_eq!(super::safe_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            super::escape(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
