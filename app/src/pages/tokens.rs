//! API tokens: create personal or team tokens (the secret is shown once) and revoke them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::directory::{CreateToken, RevokeToken, list_tokens};
use crate::api::session::get_session;
use crate::components::confirm::ConfirmSubmit;
use crate::components::states::{EmptyState, ErrorPanel, Skeleton};
use crate::time::RelTime;

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <Title text="API tokens"/>
        <div class="page-header"><div><h1>"API tokens"</h1>
            <p class="lead">"Tokens let CI pipelines and tools publish and read through the API: send "<code>"Authorization: Bearer …"</code>" or "<code>"x-api-key: …"</code>". With the Data Contract CLI, set "<code>"ENTROPY_DATA_HOST"</code>" to this server and "<code>"ENTROPY_DATA_API_KEY"</code>" to the token."</p></div></div>
        <Suspense fallback=|| view! { <Skeleton rows=4/> }>
            {move || Suspend::new(async move {
                let Ok(session) = session.await else { return view! { <p>"…"</p> }.into_any() };
                let Some(user) = session.user else {
                    return view! { <EmptyState title="Sign in to manage tokens"><p><a href="/signin?next=/settings/tokens">"Sign in"</a></p></EmptyState> }.into_any();
                };
                let owned: Vec<(String, String)> = user.teams.iter().filter(|t| t.role == "owner").map(|t| (t.team_id.clone(), t.team_name.clone())).collect();
                view! {
                    <section class="panel">
                        <h2>"New token"</h2>
                        <ActionForm action=create attr:class="token-form">
                            <label for="token-name">"Name"</label>
                            <input id="token-name" name="name" required=true placeholder="e.g. github-actions-orders"/>
                            <label for="token-team">"Acts as"</label>
                            <select id="token-team" name="team_id">
                                <option value="">{format!("Me ({})", user.username)}</option>
                                {owned.into_iter().map(|(id, name)| view! { <option value=id.clone()>{format!("Team {name}")}</option> }).collect_view()}
                            </select>
                            <button class="button primary" type="submit">"Create token"</button>
                        </ActionForm>
                        {move || create.value().get().map(|r| match r {
                            Ok(created) => view! {
                                <div class="notice success" role="status" data-testid="new-token">
                                    <p><strong>"Copy this token now: it will not be shown again."</strong></p>
                                    <code class="secret">{created.secret}</code>
                                </div>
                            }.into_any(),
                            Err(e) => view! { <p class="inline-error" role="alert">{e.message().to_owned()}</p> }.into_any(),
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
        <Transition fallback=|| view! { <Skeleton rows=4/> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) if list.is_empty() => view! { <section class="panel"><p class="muted">"No tokens yet."</p></section> }.into_any(),
                    Ok(list) => view! {
                        <section class="panel">
                            <h2>"Your tokens"</h2>
                            <div class="table-wrap"><table class="data-table">
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Owner"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col">"State"</th><th scope="col"></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|t| {
                                        let live = t.revoked_at.is_none();
                                        view! {
                                            <tr>
                                                <td><strong>{t.name.clone()}</strong><br/><code class="muted">{format!("{}…", t.prefix)}</code></td>
                                                <td><span class="muted">{if t.owner_kind == "team" { "team " } else { "" }}</span>{t.owner_name.clone()}</td>
                                                <td><RelTime ts=t.created_at/></td>
                                                <td>{match t.last_used_at { Some(ts) => view! { <RelTime ts=ts/> }.into_any(), None => view! { <span class="muted">"never"</span> }.into_any() }}</td>
                                                <td>{if live { "active" } else { "revoked" }}</td>
                                                <td>{live.then(|| view! {
                                                    <ActionForm action=revoke>
                                                        <input type="hidden" name="id" value=t.id.clone()/>
                                                        <ConfirmSubmit label="Revoke" class="button small" testid="revoke-token"
                                                            consequence=format!("Revoke \u{201c}{}\u{201d}? Every script or pipeline using it is refused from now on; this cannot be undone (make a new token instead).", t.name)/>
                                                    </ActionForm>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
