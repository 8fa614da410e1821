//! The few icons Meshwork uses, as inline SVG that inherits the text colour.

use leptos::prelude::*;

/// An icon by name; decorative, so hidden from screen readers.
#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    let path = match name {
        "catalog" => "M3 4h7v7H3zM14 4h7v7h-7zM3 15h7v7H3zM14 15h7v7h-7z",
        "plus" => "M12 5v14M5 12h14",
        "domains" => "M12 3l9 5-9 5-9-5 9-5zM3 13l9 5 9-5",
        "teams" => "M16 11a4 4 0 1 0-8 0M4 21a8 8 0 0 1 16 0",
        "key" => "M15 7a4 4 0 1 1-3.9 5H8v3H5v-3H3v-3h8.1A4 4 0 0 1 15 7z",
        "search" => "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM21 21l-5-5",
        "theme" => "M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z",
        "sun" => {
            "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"
        }
        "download" => "M12 4v11M7 10l5 5 5-5M5 20h14",
        "edit" => "M4 20h4L19 9l-4-4L4 16v4z",
        "arrow-up" => "M12 19V5M6 11l6-6 6 6",
        "arrow-down" => "M12 5v14M6 13l6 6 6-6",
        "trash" => "M5 7h14M10 11v6M14 11v6M7 7l1 13h8l1-13M9 7V4h6v3",
        "check" => "M5 12l5 5 9-10",
        "warning" => "M12 3l10 18H2L12 3zM12 10v5M12 18v.5",
        "upstream" => "M7 17L17 7M9 7h8v8",
        "api" => "M8 6l-5 6 5 6M16 6l5 6-5 6",
        "docs" => "M6 3h9l4 4v14H6zM14 3v5h5",
        "lineage" => {
            "M5 6a2 2 0 1 0 0 .1M19 6a2 2 0 1 0 0 .1M12 18a2 2 0 1 0 0 .1M7 6h10M6 8l5 8M18 8l-5 8"
        }
        "mesh" => "M4 5h6v5H4zM14 5h6v5h-6zM9 15h6v5H9zM7 10v2h10v-2M12 12v3",
        "governance" => "M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6zM8.5 12l2.5 2.5 4.5-5",
        _ => "M12 12h.01",
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor"
            stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
            <path d=path/>
        </svg>
    }
}
