//! The sign-in page: a plain form posted to the server, so it works before (and without) WASM.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    let error = q("error");
    let next = {
        let n = q("next");
        if n.is_empty() { String::from("/") } else { n }
    };
    let username = q("username");
    let signed_out = !q("signed_out").is_empty();
    view! {
        <Title text="Sign in"/>
        <div class="signin">
            <form class="panel signin-form" method="post" action="/auth/signin">
                <h1>"Sign in to Meshwork"</h1>
                {signed_out.then(|| view! { <p class="notice success" role="status">"You are signed out."</p> })}
                {(!error.is_empty()).then(|| view! { <p class="inline-error" role="alert" data-testid="signin-error">{error.clone()}</p> })}
                <input type="hidden" name="next" value=next/>
                <label for="username">"Username"</label>
                <input id="username" name="username" autocomplete="username" required=true value=username autofocus=true/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true/>
                <button class="button primary wide" type="submit">"Sign in"</button>
                <p class="muted small">"Accounts are created by a platform admin. CI pipelines use API tokens instead."</p>
            </form>
        </div>
    }
}
