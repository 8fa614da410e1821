//! The frame of every page: the left navigation, the top bar with the global search (`/` focuses
//! it), the theme toggle and the signed-in user.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::session::get_session;
use crate::components::icons::Icon;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session());
    provide_context(session);
    #[cfg(feature = "hydrate")]
    {
        use leptos::ev::keydown;
        let handle = window_event_listener(keydown, |ev| {
            let typing = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .map(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || el.has_attribute("contenteditable")
                })
                .unwrap_or(false);
            if ev.key() == "/"
                && !typing
                && !ev.ctrl_key()
                && !ev.meta_key()
                && let Some(input) = document().get_element_by_id("global-search")
            {
                ev.prevent_default();
                if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(input) {
                    let _ = input.focus();
                }
            }
        });
        on_cleanup(move || handle.remove());
    }
    let location = use_location();
    let query = move || location.query.with(|q| q.get("q").unwrap_or_default());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="app-frame" on:pointerover=move |ev| prefetch_target(&ev) on:focusin=move |ev| prefetch_target(&ev)>
            <aside class="sidebar">
                <a class="brand" href="/">
                    <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
                        <circle cx="8" cy="8" r="4" fill="var(--brand-1)"/>
                        <circle cx="24" cy="8" r="4" fill="var(--brand-2)"/>
                        <circle cx="16" cy="24" r="4" fill="var(--brand-3)"/>
                        <path d="M8 8L24 8L16 24Z" fill="none" stroke="currentColor" stroke-width="1.5" opacity="0.5"/>
                    </svg>
                    <span>"Meshwork"</span>
                </a>
                <nav class="main-nav" aria-label="Main">
                    <A href="/" exact=true attr:title="Catalog"><Icon name="catalog"/><span>"Catalog"</span></A>
                    <A href="/register" attr:title="Register product"><Icon name="plus"/><span>"Register product"</span></A>
                    <A href="/lineage" attr:title="Lineage"><Icon name="lineage"/><span>"Lineage"</span></A>
                    <A href="/mesh" attr:title="Mesh map"><Icon name="mesh"/><span>"Mesh map"</span></A>
                    <A href="/domains" attr:title="Domains"><Icon name="domains"/><span>"Domains"</span></A>
                    <A href="/teams" attr:title="Teams"><Icon name="teams"/><span>"Teams"</span></A>
                    <A href="/governance" attr:title="Governance"><Icon name="governance"/><span>"Governance"</span></A>
                    <A href="/settings/tokens" attr:title="API tokens"><Icon name="key"/><span>"API tokens"</span></A>
                </nav>
                <div class="sidebar-foot">
                    <a href="/api/openapi.json" title="REST API (OpenAPI)"><Icon name="api"/><span>"REST API (OpenAPI)"</span></a>
                </div>
            </aside>
            <div class="main-column">
                <header class="topbar">
                    <form class="global-search" action="/" method="get" role="search">
                        <Icon name="search"/>
                        <input id="global-search" type="search" name="q" prop:value=query
                            placeholder="Search data products, fields, tags…" aria-label="Search data products" autocomplete="off"/>
                        <kbd aria-hidden="true">"/"</kbd>
                    </form>
                    <ThemeToggle/>
                    <UserCorner/>
                </header>
                <main id="main" class="content" tabindex="-1">{children()}</main>
            </div>
        </div>
        <div id="toasts" class="toasts" aria-live="polite"></div>
    }
}

/// Fetches a lazy page's code as soon as a link to it is pointed at or focused.
fn prefetch_target(ev: &leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"));
        if let Some(href) = link
            && href.starts_with('/')
        {
            crate::routes::prefetch(&href);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[component]
fn ThemeToggle() -> impl IntoView {
    let toggle = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let root = document().document_element();
            if let Some(root) = root {
                let current = root.get_attribute("data-theme").unwrap_or_default();
                let dark_now = match current.as_str() {
                    "dark" => true,
                    "light" => false,
                    _ => window()
                        .match_media("(prefers-color-scheme: dark)")
                        .ok()
                        .flatten()
                        .is_some_and(|m| m.matches()),
                };
                let next = if dark_now { "light" } else { "dark" };
                let _ = root.set_attribute("data-theme", next);
                if let Ok(Some(storage)) = window().local_storage() {
                    let _ = storage.set_item("meshwork-theme", next);
                }
            }
        }
    };
    view! {
        <button type="button" class="icon-button" on:click=toggle title="Switch between light and dark theme" aria-label="Switch theme">
            // The moon in the light theme (switch to dark), the sun in the dark one; CSS picks.
            <span class="theme-icon to-dark"><Icon name="theme"/></span>
            <span class="theme-icon to-light"><Icon name="sun"/></span>
        </button>
    }
}

#[component]
fn UserCorner() -> impl IntoView {
    let session = expect_context::<Resource<Result<views::SessionView, crate::error::UiError>>>();
    view! {
        <Suspense fallback=|| view! { <span class="user-corner muted">"…"</span> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(views::SessionView { user: Some(user), .. }) => {
                        let team = user.teams.first().map(|t| t.team_name.clone()).unwrap_or_else(|| {
                            if user.is_admin { String::from("Platform admin") } else { String::from("No team yet") }
                        });
                        let initials: String = user.display_name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
                        view! {
                            <div class="user-corner">
                                <span class="avatar" aria-hidden="true">{initials}</span>
                                <span class="who">
                                    <strong data-testid="current-user">{user.display_name.clone()}</strong>
                                    <small>{team}</small>
                                </span>
                                <form method="post" action="/auth/signout">
                                    <button type="submit" class="link-button">"Sign out"</button>
                                </form>
                            </div>
                        }.into_any()
                    }
                    _ => view! { <a class="button small" href="/signin">"Sign in"</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}
