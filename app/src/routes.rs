//! The pages that load their code only when they are visited: every page but the catalog (the
//! front door). With `cargo leptos build --split`, each one's WASM is a chunk of its own, so the
//! catalog pays only for itself and a product page for the catalog's frame and its own code; after hydration the
//! chunks are fetched when the browser is idle (and at once when a link to them is hovered or
//! focused), so navigating to them stays instant. **Invariant:** every heavy page added later
//! (governance, access, dashboards) gets a route here, and nothing in the main chunk calls into
//! its module except through this file.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let $route = this;
                let _ = $route;
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(
    /// `/products/:id`: a product page.
    Product => crate::pages::product::ProductPage
);
lazy_page!(
    /// `/signin`.
    SignIn => crate::pages::signin::SignInPage
);
lazy_page!(
    /// `/domains`.
    Domains => crate::pages::directory::DomainsPage
);
lazy_page!(
    /// `/domains/:id`.
    Domain => crate::pages::directory::DomainPage
);
lazy_page!(
    /// `/teams`.
    Teams => crate::pages::directory::TeamsPage
);
lazy_page!(
    /// `/teams/:id`.
    Team => crate::pages::directory::TeamPage
);
lazy_page!(
    /// `/settings/tokens`.
    Tokens => crate::pages::tokens::TokensPage
);
lazy_page!(
    /// `/register`: the registration wizard.
    Register => crate::wizard::RegisterPage
);
lazy_page!(
    /// `/products/:id/edit`: the wizard, filled in.
    EditProduct => crate::wizard::EditProductPage
);
lazy_page!(
    /// `/lineage`: the explorer.
    Explorer => crate::lineage::explorer::LineagePage
);
lazy_page!(
    /// `/lineage/impact`: everything downstream of a node.
    Impact => crate::lineage::impact::ImpactPage
);
lazy_page!(
    /// `/mesh`: domains and the flows between them.
    MeshMap => crate::lineage::mesh::MeshMapPage
);

lazy_page!(
    /// `/governance` and every page under it: the report, policies, waivers.
    Governance => crate::governance::GovernancePage
);

/// Fetches the code of the lazy page a path leads to (nothing for other paths, or twice).
pub fn prefetch(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let path = path.split(['?', '#']).next().unwrap_or_default().to_owned();
        leptos::task::spawn_local(async move {
            let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
            match segments.as_slice() {
                ["register"] => Register::preload().await,
                ["lineage"] => Explorer::preload().await,
                ["lineage", "impact"] => Impact::preload().await,
                ["mesh"] => MeshMap::preload().await,
                ["governance", ..] => Governance::preload().await,
                ["products", _] => Product::preload().await,
                ["products", _, "edit"] => EditProduct::preload().await,
                ["signin"] => SignIn::preload().await,
                ["domains"] => Domains::preload().await,
                ["domains", _] => Domain::preload().await,
                ["teams"] => Teams::preload().await,
                ["teams", _] => Team::preload().await,
                ["settings", "tokens"] => Tokens::preload().await,
                _ => {}
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// After hydration, once the browser is idle: every lazy page's code, most visited first.
pub fn prefetch_when_idle() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let fetch_all = Closure::once_into_js(|| {
            for path in [
                "/products/x",
                "/lineage",
                "/domains",
                "/teams",
                "/register",
                "/mesh",
                "/governance",
                "/lineage/impact",
                "/domains/x",
                "/teams/x",
                "/products/x/edit",
                "/signin",
                "/settings/tokens",
            ] {
                prefetch(path);
            }
        });
        let window = window();
        let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match idle {
            Some(request) => {
                let _ = request.call1(&window, &fetch_all);
            }
            None => {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    fetch_all.unchecked_ref(),
                    1_500,
                );
            }
        }
    }
}
