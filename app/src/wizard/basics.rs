//! Step 1: name and id, owning team and domain, type, version, the three descriptions (markdown)
//! and tags.

use domain::ProductType;
use domain::odps::{Description, Team};
use leptos::prelude::*;

use super::check::{Doc, FieldCheck, FieldMessage};
use super::ctx::{WizardCtx, choice};
use super::state::{suggested_id, sync_contract_ids};

#[component]
pub fn Basics() -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let editing = s.with_untracked(|s| s.editing.is_some());
    let text = move |f: fn(&views::WizardState) -> Option<String>| {
        move || s.with(|s| f(s).unwrap_or_default())
    };
    let team = move || s.with(|s| s.product.team_name().unwrap_or_default().to_owned());
    let domain = move || s.with(|s| s.product.domain.clone().unwrap_or_default());
    let kind = move || {
        s.with(|s| {
            s.product
                .product_type
                .as_deref()
                .and_then(|t| ProductType::parse(t).ok())
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default()
        })
    };
    let set_name = move |ev| {
        let name = event_target_value(&ev);
        ctx.update(|st| {
            if st.editing.is_none() && !st.id_edited {
                st.product.id = suggested_id(st.product.domain.as_deref(), &name);
            }
            st.product.name = Some(name);
            sync_contract_ids(st);
        });
    };
    let set_id = move |ev| {
        let id = event_target_value(&ev).trim().to_owned();
        ctx.update(|st| {
            st.id_edited = true;
            st.product.id = id;
            sync_contract_ids(st);
        });
    };
    let set_team = move |ev| {
        let team = event_target_value(&ev);
        let domain = ctx.teams.with_value(|t| {
            t.iter()
                .find(|(id, _, _)| *id == team)
                .map(|(_, _, d)| d.clone())
        });
        ctx.update(|st| {
            st.product.team.get_or_insert_with(Team::default).name = Some(team);
            if let Some(d) = domain {
                if st.editing.is_none() && !st.id_edited {
                    let name = st.product.name.clone().unwrap_or_default();
                    st.product.id = suggested_id(Some(&d), &name);
                }
                st.product.domain = Some(d);
            }
            sync_contract_ids(st);
        });
    };
    let set_domain = move |ev| {
        let domain = event_target_value(&ev);
        ctx.update(|st| {
            if st.editing.is_none() && !st.id_edited {
                let name = st.product.name.clone().unwrap_or_default();
                st.product.id = suggested_id(Some(&domain), &name);
            }
            st.product.domain = Some(domain);
            sync_contract_ids(st);
        });
    };
    let description = move |field: &'static str| {
        move |ev| {
            let value = event_target_value(&ev);
            ctx.update(|st| {
                let d = st
                    .product
                    .description
                    .get_or_insert_with(Description::default);
                let slot = match field {
                    "purpose" => &mut d.purpose,
                    "usage" => &mut d.usage,
                    _ => &mut d.limitations,
                };
                *slot = if value.is_empty() { None } else { Some(value) };
            });
        }
    };
    let tags_text = RwSignal::new(s.with_untracked(|s| s.product.tags.join(", ")));
    let set_tags = move |ev| {
        let raw = event_target_value(&ev);
        tags_text.set(raw.clone());
        let tags: Vec<String> = raw
            .split(',')
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        ctx.update(|st| st.product.tags = tags);
    };

    // Live check that the id is free (new registrations), a moment after the last keystroke.
    #[cfg(feature = "hydrate")]
    if !editing {
        let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
        Effect::watch(
            move || s.with(|s| s.product.id.clone()),
            move |id, _, _| {
                if let Some(h) = timer.get_value() {
                    h.clear();
                }
                let id = id.clone();
                if id.is_empty() {
                    ctx.id_check.set(None);
                    return;
                }
                let handle = set_timeout_with_handle(
                    move || {
                        leptos::task::spawn_local(async move {
                            if let Ok(check) = crate::api::wizard::check_id(id).await {
                                ctx.id_check.set(Some(check));
                            }
                        })
                    },
                    std::time::Duration::from_millis(250),
                )
                .ok();
                timer.set_value(handle);
            },
            true,
        );
    }
    let id_status = move || {
        ctx.id_check.get().filter(|c| s.with(|s| s.product.id == c.id)).map(|c| {
            if c.valid && c.available {
                view! { <span class="field-ok" data-testid="id-available">"✓ available"</span> }.into_any()
            } else {
                view! { <span class="field-error" data-testid="id-taken">{c.message.unwrap_or_default()}</span> }.into_any()
            }
        })
    };
    let check = move |id: &str, path: &str| FieldCheck::new(ctx, id, Doc::Product, path);
    let (name_c, id_c, team_c, domain_c) = (
        check("product-name", "/name"),
        check("product-id", "/id").help("product-id-help"),
        check("product-team", "/team"),
        check("product-domain", "/domain"),
    );
    let (type_c, version_c, tags_c) = (
        check("product-type", "/type"),
        check("product-version", "/version").help("product-version-help"),
        check("product-tags", "/tags").help("tags-help"),
    );
    let (purpose_c, usage_c, limitations_c) = (
        check("product-purpose", "/description/purpose"),
        check("product-usage", "/description/usage"),
        check("product-limitations", "/description/limitations"),
    );
    view! {
        <h2>"Basics"</h2>
        <div class="form-grid">
            <div class="field span-2">
                <label for="product-name">"Name"</label>
                <input id="product-name" prop:value=text(|s| s.product.name.clone()) on:input=set_name required=true
                    placeholder="e.g. Customer Revenue" autocomplete="off" aria-invalid=name_c.invalid() aria-describedby=name_c.described_by() on:blur=name_c.blur()/>
                <FieldMessage check=name_c.clone()/>
            </div>
            <div class="field span-2">
                <label for="product-id">"Id"</label>
                <input id="product-id" prop:value=move || s.with(|s| s.product.id.clone()) on:input=set_id disabled=editing
                    autocomplete="off" spellcheck="false" aria-invalid=id_c.invalid() aria-describedby=id_c.described_by() on:blur=id_c.blur()/>
                <small id="product-id-help" class="help">
                    {if editing { "The id of a published product cannot change." } else { "Suggested from the domain and name; letters, digits, '.', '_', ':' and '-'." }}
                    " "{id_status}
                </small>
                <FieldMessage check=id_c.clone()/>
            </div>
            <div class="field">
                <label for="product-team">"Owning team"</label>
                <select id="product-team" on:change=set_team prop:value=team aria-invalid=team_c.invalid() aria-describedby=team_c.described_by() on:blur=team_c.blur()>
                    <option value="" disabled=true>"Choose a team"</option>
                    {ctx.teams.get_value().into_iter().map(|(id, name, _)| choice(id, name, team)).collect_view()}
                </select>
                <FieldMessage check=team_c.clone()/>
            </div>
            <div class="field">
                <label for="product-domain">"Domain"</label>
                <select id="product-domain" on:change=set_domain prop:value=domain aria-invalid=domain_c.invalid() aria-describedby=domain_c.described_by() on:blur=domain_c.blur()>
                    <option value="" disabled=true>"Choose a domain"</option>
                    {ctx.domains.get_value().into_iter().map(|(id, name, _)| choice(id, name, domain)).collect_view()}
                </select>
                <FieldMessage check=domain_c.clone()/>
            </div>
            <div class="field">
                <label for="product-type">"Type"</label>
                <select id="product-type" prop:value=kind aria-invalid=type_c.invalid() aria-describedby=type_c.described_by() on:blur=type_c.blur()
                    on:change=move |ev| { let v = event_target_value(&ev); ctx.update(|st| st.product.product_type = Some(v)); }>
                    {ProductType::ALL.iter().map(|t| choice(t.as_str(), t.label(), kind)).collect_view()}
                </select>
                <FieldMessage check=type_c.clone()/>
            </div>
            <div class="field">
                <label for="product-version">"Version"</label>
                <input id="product-version" prop:value=text(|s| s.product.version.clone()) aria-invalid=version_c.invalid() aria-describedby=version_c.described_by() on:blur=version_c.blur()
                    on:input=move |ev| { let v = event_target_value(&ev).trim().to_owned(); ctx.update(|st| st.product.version = Some(v)); }/>
                <small id="product-version-help" class="help">"Semantic version, e.g. 1.0.0."</small>
                <FieldMessage check=version_c.clone()/>
            </div>
            <div class="field span-4">
                <label for="product-purpose">"Purpose"</label>
                <textarea id="product-purpose" rows="3" prop:value=text(|s| s.product.description.as_ref().and_then(|d| d.purpose.clone())) on:input=description("purpose") aria-invalid=purpose_c.invalid() aria-describedby=purpose_c.described_by() on:blur=purpose_c.blur()
                    placeholder="What the data is and what it is for. Markdown is supported."></textarea>
                <FieldMessage check=purpose_c.clone()/>
            </div>
            <div class="field span-2">
                <label for="product-usage">"Usage"</label>
                <textarea id="product-usage" rows="3" prop:value=text(|s| s.product.description.as_ref().and_then(|d| d.usage.clone())) on:input=description("usage") aria-invalid=usage_c.invalid() aria-describedby=usage_c.described_by() on:blur=usage_c.blur()
                    placeholder="How to use it: keys to join on, filters to apply."></textarea>
                <FieldMessage check=usage_c.clone()/>
            </div>
            <div class="field span-2">
                <label for="product-limitations">"Limitations"</label>
                <textarea id="product-limitations" rows="3" prop:value=text(|s| s.product.description.as_ref().and_then(|d| d.limitations.clone())) on:input=description("limitations") aria-invalid=limitations_c.invalid() aria-describedby=limitations_c.described_by() on:blur=limitations_c.blur()
                    placeholder="What it is not good for; known gaps and delays."></textarea>
                <FieldMessage check=limitations_c.clone()/>
            </div>
            <div class="field span-4">
                <label for="product-tags">"Tags"</label>
                <input id="product-tags" prop:value=move || tags_text.get() on:input=set_tags placeholder="finance, daily" aria-invalid=tags_c.invalid() aria-describedby=tags_c.described_by() on:blur=tags_c.blur()/>
                <small id="tags-help" class="help">"Separate tags with commas."</small>
                <FieldMessage check=tags_c.clone()/>
            </div>
        </div>
    }
}
