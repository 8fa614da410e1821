//! Meshwork's web UI: pages are rendered on the server and then hydrated from WASM, so every page
#![recursion_limit = "512"]
//! is readable before the WASM arrives. Data comes from server functions, which call the same
//! `workbench` use cases as the REST API.

pub mod api;
pub mod components;
pub mod error;
pub mod lineage;
pub mod markup;
pub mod pages;
pub mod time;
pub mod wizard;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::head::DocumentTitle;
use crate::components::layout::Layout;
use crate::pages::{catalog, directory, not_found, product, signin, tokens};

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
    // Effects run only in the browser: this marks the page as interactive (Playwright waits for it).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="meshwork" href="/pkg/meshwork.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Meshwork: the self-serve data mesh workbench"/>
        <DocumentTitle/>
        <Router>
            <Layout>
                <Routes fallback=not_found::NotFound>
                    <Route path=path!("/") view=catalog::CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view=signin::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/products/:id") view=product::ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/products/:id/edit") view=wizard::EditProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=wizard::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/domains") view=directory::DomainsPage ssr=SsrMode::Async/>
                    <Route path=path!("/domains/:id") view=directory::DomainPage ssr=SsrMode::Async/>
                    <Route path=path!("/teams") view=directory::TeamsPage ssr=SsrMode::Async/>
                    <Route path=path!("/teams/:id") view=directory::TeamPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings/tokens") view=tokens::TokensPage ssr=SsrMode::Async/>
                    <Route path=path!("/lineage") view=lineage::explorer::LineagePage ssr=SsrMode::Async/>
                    <Route path=path!("/lineage/impact") view=lineage::impact::ImpactPage ssr=SsrMode::Async/>
                    <Route path=path!("/mesh") view=lineage::mesh::MeshMapPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
