//! Markdown to HTML for descriptions, sanitised so that no document can inject script.

use std::sync::OnceLock;

use pulldown_cmark::{Options, Parser, html};

/// The sanitiser is built once: its allow-lists are costly to assemble for every description.
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .link_rel(Some("noopener noreferrer nofollow"))
            .add_generic_attributes(["align"]);
        builder
    })
}

/// Renders markdown (tables, strikethrough, task lists) and removes anything unsafe: scripts,
/// event handlers, `javascript:` links, inline styles. Links open safely in a new tab.
pub fn render(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    sanitiser().clean(&raw).to_string()
}

/// The first sentence-ish of markdown as plain text, at most `max` characters, for cards.
pub fn excerpt(markdown: &str, max: usize) -> String {
    let text: String = Parser::new(markdown)
        .filter_map(|event| match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => Some(t.to_string()),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => {
                Some(String::from(" "))
            }
            pulldown_cmark::Event::End(_) => Some(String::from(" ")),
            _ => None,
        })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_but_cannot_inject_script() {
        let html = render(
            "**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    #[test]
    fn tables_and_links_survive() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n[docs](https://example.com)");
        assert!(html.contains("<table>"), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }

    #[test]
    fn excerpts_are_plain_and_short() {
        assert_eq!(
            excerpt("# Title\n\nSome *rich* text.", 100),
            "Title Some rich text."
        );
        let long = excerpt(&"word ".repeat(50), 30);
        assert!(long.chars().count() <= 30 && long.ends_with('…'), "{long}");
    }
}
