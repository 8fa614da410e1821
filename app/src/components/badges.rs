//! Badges with their own colours: product status, classification, product type, domain chips and
//! tags. Each reads without colour too (the word is always written out).

use leptos::prelude::*;

fn label(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let class = format!("badge status status-{status}");
    view! { <span class=class title="Lifecycle status">{label(&status)}</span> }
}

#[component]
pub fn ClassificationBadge(#[prop(into)] classification: String) -> impl IntoView {
    let class = format!("badge class class-{classification}");
    view! { <span class=class title="Data classification">{label(&classification)}</span> }
}

#[component]
pub fn PiiBadge() -> impl IntoView {
    view! { <span class="badge pii" title="Personal data (PII)">"PII"</span> }
}

/// A product type as people read it: `Source-aligned`, `Aggregate`, `Consumer-aligned`.
pub fn type_name(product_type: &str) -> String {
    domain::ProductType::parse(product_type)
        .map(|v| v.label().to_owned())
        .unwrap_or_else(|_| product_type.to_owned())
}

#[component]
pub fn TypeLabel(product_type: Option<String>) -> impl IntoView {
    let text = product_type
        .map(|t| type_name(&t))
        .unwrap_or_else(|| String::from("Untyped"));
    view! { <span class="type-label">{text}</span> }
}

/// A domain's colour dot and name, linking to the domain page.
#[component]
pub fn DomainChip(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] color: String,
) -> impl IntoView {
    let href = format!("/domains/{id}");
    let style = format!("--domain:{color}");
    view! {
        <a class="domain-chip" href=href style=style>
            <span class="dot" aria-hidden="true"></span>
            {name}
        </a>
    }
}

#[component]
pub fn Tags(tags: Vec<String>) -> impl IntoView {
    view! {
        <ul class="tags" aria-label="Tags">
            {tags.into_iter().map(|t| {
                let href = format!("/?tag={t}");
                view! { <li><a class="tag" href=href>{format!("#{t}")}</a></li> }
            }).collect_view()}
        </ul>
    }
}
