//! Domain and team pages: who owns which products, and who is in which team.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::directory::{get_domain, get_team, list_domains, list_teams};
use crate::components::states::{EmptyState, ErrorPanel, Skeleton};
use crate::pages::catalog::ProductCardView;

#[component]
pub fn DomainsPage() -> impl IntoView {
    let domains = Resource::new(|| (), |_| list_domains());
    view! {
        <Title text="Domains"/>
        <div class="page-header"><div><h1>"Domains"</h1><p class="lead">"The business domains of the mesh and the teams that own their data."</p></div></div>
        <Suspense fallback=|| view! { <Skeleton rows=6/> }>
            {move || Suspend::new(async move {
                match domains.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="No domains yet"><p>"A platform admin creates domains with "<code>"POST /api/v1/domains"</code>", or load the demo with "<code>"meshwork demo"</code>"."</p></EmptyState>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="tiles">
                            {list.into_iter().map(|d| {
                                let style = format!("--domain:{}", d.color);
                                let parent = d.parent_id.clone();
                                view! {
                                    <li class="tile" style=style>
                                        <h2><span class="dot" aria-hidden="true"></span><a href=format!("/domains/{}", d.id)>{d.name}</a></h2>
                                        {parent.map(|p| view! { <small class="muted">{format!("part of {p}")}</small> })}
                                        <p>{d.description}</p>
                                        <p class="tile-stats">
                                            <a href=format!("/?domain={}", d.id)>{format!("{} data products", d.product_count)}</a>
                                            <span>{format!(" · {} teams", d.team_count)}</span>
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DomainPage() -> impl IntoView {
    let params = use_params_map();
    let domain = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        get_domain,
    );
    view! {
        <Suspense fallback=|| view! { <Skeleton rows=8/> }>
            {move || Suspend::new(async move {
                match domain.await {
                    Ok(d) => {
                        let style = format!("--domain:{}", d.domain.color);
                        view! {
                            <Title text=d.domain.name.clone()/>
                            <nav class="breadcrumbs" aria-label="Breadcrumb">
                                <a href="/domains">"Domains"</a><span aria-hidden="true">"/"</span>
                                {d.parent.clone().map(|p| view! { <a href=format!("/domains/{}", p.id)>{p.name}</a><span aria-hidden="true">"/"</span> })}
                                <span aria-current="page">{d.domain.name.clone()}</span>
                            </nav>
                            <header class="product-header" style=style>
                                <div class="title-row"><span class="dot big" aria-hidden="true"></span><h1>{d.domain.name.clone()}</h1></div>
                                <p>{d.domain.description.clone()}</p>
                            </header>
                            {(!d.children.is_empty()).then(|| view! {
                                <section class="panel"><h2>"Sub-domains"</h2>
                                    <ul class="link-list">{d.children.into_iter().map(|c| view! { <li><a href=format!("/domains/{}", c.id)>{c.name}</a></li> }).collect_view()}</ul>
                                </section>
                            })}
                            <section class="panel">
                                <h2>"Teams"<span class="count-pill">{d.teams.len()}</span></h2>
                                {if d.teams.is_empty() {
                                    view! { <p class="muted">"No team belongs to this domain yet."</p> }.into_any()
                                } else {
                                    view! { <ul class="link-list">{d.teams.into_iter().map(|t| view! {
                                        <li><a href=format!("/teams/{}", t.id)>{t.name}</a><small class="muted">{format!(" · {} members · {} products", t.member_count, t.product_count)}</small></li>
                                    }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            <section class="panel">
                                <h2>"Data products"<span class="count-pill">{d.products.len()}</span></h2>
                                {if d.products.is_empty() {
                                    view! { <EmptyState title="No data products yet"><p><a href="/register">"Register one"</a>" for this domain."</p></EmptyState> }.into_any()
                                } else {
                                    view! { <ul class="cards">{d.products.into_iter().map(|c| view! { <li><ProductCardView card=c/></li> }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The sortable columns of the teams table: (query value, heading).
const TEAM_COLUMNS: &[(&str, &str)] = &[
    ("name", "Team"),
    ("domain", "Domain"),
    ("members", "Members"),
    ("products", "Data products"),
];

#[component]
pub fn TeamsPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let teams = Resource::new(|| (), |_| list_teams());
    let sort = move || query.with(|q| q.get("sort").unwrap_or_else(|| String::from("name")));
    view! {
        <Title text="Teams"/>
        <div class="page-header"><div><h1>"Teams"</h1><p class="lead">"Every team owns the data products of its domain."</p></div></div>
        <Suspense fallback=|| view! { <Skeleton rows=6/> }>
            {move || Suspend::new(async move {
                match teams.await {
                    Ok(list) if list.is_empty() => view! { <EmptyState title="No teams yet"><p>"A platform admin creates teams with "<code>"POST /api/v1/teams"</code>"."</p></EmptyState> }.into_any(),
                    Ok(mut list) => {
                        let by = sort();
                        match by.as_str() {
                            "domain" => list.sort_by(|a, b| a.domain_name.cmp(&b.domain_name).then_with(|| a.name.cmp(&b.name))),
                            "members" => list.sort_by(|a, b| b.member_count.cmp(&a.member_count).then_with(|| a.name.cmp(&b.name))),
                            "products" => list.sort_by(|a, b| b.product_count.cmp(&a.product_count).then_with(|| a.name.cmp(&b.name))),
                            _ => list.sort_by_key(|a| a.name.to_lowercase()),
                        }
                        view! {
                            <div class="table-wrap">
                                <table class="data-table">
                                    <thead><tr>
                                        {TEAM_COLUMNS.iter().map(|(key, heading)| {
                                            let sorted = by == *key;
                                            view! {
                                                <th scope="col" aria-sort=if sorted { "ascending" } else { "none" }>
                                                    <a href=format!("/teams?sort={key}") class:sorted=sorted>{*heading}{sorted.then_some(" ▾")}</a>
                                                </th>
                                            }
                                        }).collect_view()}
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|t| {
                                            let style = format!("--domain:{}", t.domain_color);
                                            view! {
                                                <tr>
                                                    <td><a href=format!("/teams/{}", t.id)>{t.name}</a><br/><small class="muted">{t.description}</small></td>
                                                    <td style=style><span class="dot" aria-hidden="true"></span><a href=format!("/domains/{}", t.domain_id)>{t.domain_name}</a></td>
                                                    <td>{t.member_count}</td>
                                                    <td><a href=format!("/?team={}", t.id)>{t.product_count}</a></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let params = use_params_map();
    let team = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        get_team,
    );
    view! {
        <Suspense fallback=|| view! { <Skeleton rows=8/> }>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(t) => {
                        let style = format!("--domain:{}", t.team.domain_color);
                        view! {
                            <Title text=t.team.name.clone()/>
                            <nav class="breadcrumbs" aria-label="Breadcrumb">
                                <a href="/teams">"Teams"</a><span aria-hidden="true">"/"</span><span aria-current="page">{t.team.name.clone()}</span>
                            </nav>
                            <header class="product-header" style=style>
                                <div class="title-row"><h1>{t.team.name.clone()}</h1></div>
                                <p>{t.team.description.clone()}</p>
                                <div class="facts"><span>"Domain "<a href=format!("/domains/{}", t.team.domain_id)>{t.team.domain_name.clone()}</a></span></div>
                            </header>
                            <div class="product-layout">
                                <section class="panel product-main">
                                    <h2>"Data products"<span class="count-pill">{t.products.len()}</span></h2>
                                    {if t.products.is_empty() {
                                        view! { <EmptyState title="No data products yet"><p><a href="/register">"Register the team's first product"</a>"."</p></EmptyState> }.into_any()
                                    } else {
                                        view! { <ul class="cards">{t.products.into_iter().map(|c| view! { <li><ProductCardView card=c/></li> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                <section class="panel product-side">
                                    <h2>"Members"<span class="count-pill">{t.members.len()}</span></h2>
                                    {if t.members.is_empty() {
                                        view! { <p class="muted">"No members yet."</p> }.into_any()
                                    } else {
                                        view! { <ul class="people">{t.members.into_iter().map(|m| view! {
                                            <li><span class="avatar small" aria-hidden="true">{m.display_name.chars().next().unwrap_or('?').to_string()}</span>{m.display_name}
                                            <small class="muted">{format!(" @{} · {}", m.username, m.role)}</small></li>
                                        }).collect_view()}</ul> }.into_any()
                                    }}
                                    {t.can_manage.then(|| view! { <p class="muted small">"Manage members with "<code>{format!("PUT /api/v1/teams/{}/members/{{username}}", t.team.id)}</code>"."</p> })}
                                </section>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
