//! Meshwork's web UI: pages are rendered on the server and then hydrated from WASM, so every page
#![recursion_limit = "512"]
//! is readable before the WASM arrives. Data comes from server functions, which call the same
//! `workbench` use cases as the REST API.

pub mod api;
pub mod components;
pub mod error;
pub mod governance;
pub mod lineage;
pub mod markup;
pub mod pages;
pub mod routes;
pub mod time;
pub mod wizard;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, provide_meta_context};
use leptos_router::Lazy;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::head::DocumentTitle;
use crate::components::layout::Layout;
use crate::pages::{catalog, not_found};

/// The browser's entry point: hydrates the server-rendered page — loading the code of the lazy
/// page it shows first — and only then marks the body `data-hydrated` (end-to-end tests and the
/// first-load measurement wait for it; a hydration error leaves it unset) and starts fetching the
/// other pages' code while the browser is idle. An effect in `App` would run as soon as the frame
/// is hydrated, before a lazy page's chunk has arrived.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else {
            return;
        };
        let mounted = hydrate_from_async(body.clone(), App).await;
        mounted.forget();
        let _ = body.set_attribute("data-hydrated", "true");
        routes::prefetch_when_idle();
    });
}

/// The session cookie's name (the server sets it; pages read it through the request).
pub const SESSION_COOKIE: &str = "meshwork_session";

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // Apply the saved theme before the first paint, so dark mode never flashes white.
                <script nonce=use_nonce()>
                    "try{var t=localStorage.getItem('meshwork-theme');if(t)document.documentElement.dataset.theme=t}catch(e){}"
                </script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: routes inside the common layout.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="meshwork" href="/pkg/meshwork.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Meshwork: the self-serve data mesh workbench"/>
        <DocumentTitle/>
        <Router>
            <Layout>
                <Routes fallback=not_found::NotFound>
                    <Route path=path!("/") view=catalog::CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view={Lazy::<routes::SignIn>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/products/:id") view={Lazy::<routes::Product>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/products/:id/edit") view={Lazy::<routes::EditProduct>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/register") view={Lazy::<routes::Register>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/domains") view={Lazy::<routes::Domains>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/domains/:id") view={Lazy::<routes::Domain>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/teams") view={Lazy::<routes::Teams>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/teams/:id") view={Lazy::<routes::Team>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/settings/tokens") view={Lazy::<routes::Tokens>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/lineage") view={Lazy::<routes::Explorer>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/lineage/impact") view={Lazy::<routes::Impact>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/mesh") view={Lazy::<routes::MeshMap>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/governance") view={Lazy::<routes::Governance>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/governance/*rest") view={Lazy::<routes::Governance>::new()} ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
