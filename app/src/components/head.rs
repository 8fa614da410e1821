//! The document's `<title>`. leptos_meta writes the title into the server's HTML as it is, without
//! escaping (in the browser it sets `document.title`, which is text), so the one formatter of the
//! app escapes it on the server: a product named `</title><script>…` stays text in every head.

use leptos::prelude::*;
use leptos_meta::Title;

/// The root title: every page's `<Title text=…/>` goes through this formatter. **Invariant:** no
/// other `Title` in the app sets a formatter, so nothing reaches the head unescaped.
#[component]
pub fn DocumentTitle() -> impl IntoView {
    view! { <Title formatter=document_title/> }
}

/// "Page · Meshwork", escaped for HTML when rendered on the server.
pub fn document_title(page: String) -> String {
    let full = if page.trim().is_empty() {
        String::from("Meshwork")
    } else {
        format!("{page} · Meshwork")
    };
    if cfg!(feature = "ssr") {
        crate::markup::escape(&full)
    } else {
        full
    }
}

#[cfg(test)]
mod tests {
    use super::document_title;

    #[test]
    #[cfg(feature = "ssr")]
    fn the_server_title_is_escaped() {
        assert_eq!(
            document_title(String::from("Evil </title><script>alert(1)</script>")),
            "Evil &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Meshwork"
        );
        assert_eq!(document_title(String::new()), "Meshwork");
    }
}
