//! Step 5: where the data comes from — upstream products' output ports picked from a searchable
//! list, or external sources outside the mesh.

use domain::odps::{CustomProperty, EXTERNAL_SOURCE_PROPERTY, InputPort};
use leptos::prelude::*;
use views::PortRef;

use super::check::{finding_key, focus_soon};
use super::ctx::WizardCtx;
use crate::api::wizard::search_ports;
use crate::components::icons::Icon;

fn input_name(existing: &[InputPort], base: &str) -> String {
    let base = domain::slugify(base);
    let base = if base.is_empty() {
        String::from("input")
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while existing.iter().any(|p| p.name == name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Focuses the input port added last.
fn focus_new_input(ctx: WizardCtx) {
    let last = ctx
        .state
        .with_untracked(|s| s.product.input_ports.len().saturating_sub(1));
    focus_soon(format!("input-{last}"));
}

#[component]
pub fn Inputs() -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let query = RwSignal::new(String::new());
    let results = Resource::new(move || query.get(), search_ports);
    let external_name = RwSignal::new(String::new());
    let external_location = RwSignal::new(String::new());
    let add_upstream = move |port: PortRef| {
        ctx.restructure(move |st| {
            let name = input_name(
                &st.product.input_ports,
                &format!(
                    "{}-{}",
                    port.product_id
                        .rsplit('.')
                        .next()
                        .unwrap_or(&port.product_id),
                    port.port_name
                ),
            );
            st.product.input_ports.push(InputPort {
                name,
                version: Some(port.version.clone()),
                contract_id: port.contract_id.clone(),
                ..InputPort::default()
            });
        });
        focus_new_input(ctx);
    };
    let add_external = move |_| {
        let (name, location) = (
            external_name.get_untracked(),
            external_location.get_untracked(),
        );
        if location.trim().is_empty() {
            return;
        }
        ctx.restructure(move |st| {
            let name = input_name(
                &st.product.input_ports,
                if name.trim().is_empty() {
                    &location
                } else {
                    &name
                },
            );
            st.product.input_ports.push(InputPort {
                name,
                custom_properties: vec![CustomProperty::new(
                    EXTERNAL_SOURCE_PROPERTY,
                    location.trim(),
                )],
                ..InputPort::default()
            });
        });
        external_name.set(String::new());
        external_location.set(String::new());
        focus_new_input(ctx);
    };
    view! {
        <h2>"Input ports"</h2>
        <p class="help">"Declare where the data comes from. Upstream products' owners see you as a consumer, and the lineage graph connects you."</p>
        <h3>"Declared inputs"</h3>
        {move || {
            ctx.layout.track();
            let ports = s.with_untracked(|s| s.product.input_ports.clone());
            if ports.is_empty() {
                return view! { <p class="muted" data-testid="no-inputs">"No inputs yet: pick an upstream output port below, or declare an external source."</p> }.into_any();
            }
            view! {
                <ul class="input-list" data-testid="declared-inputs">
                    {ports.into_iter().enumerate().map(|(i, port)| {
                        let what = match (&port.contract_id, port.external_source()) {
                            (Some(c), _) => view! { <span>"reads contract "<code>{c.clone()}</code></span> }.into_any(),
                            (None, Some(src)) => view! { <span>"external source "<code>{src.to_owned()}</code></span> }.into_any(),
                            _ => view! { <span class="field-error">"no source"</span> }.into_any(),
                        };
                        let name = port.name.clone();
                        // Problems of an input the user just added show at once: adding it was the edit.
                        let problems = move || {
                            let ids: Vec<String> = s.with(|s| s.contracts.iter().map(|c| c.id.clone()).collect());
                            let at = format!("p:/inputPorts/{i}");
                            ctx.findings().into_iter().filter(|f| {
                                finding_key(&ids, f).is_some_and(|k| k == at || k.starts_with(&format!("{at}/")))
                            }).map(|f| f.message).collect::<Vec<_>>()
                        };
                        view! {
                            <li id=format!("input-{i}") tabindex="-1">
                                <strong>{port.name.clone()}</strong>" "{what}
                                {move || {
                                    let list = problems();
                                    (!list.is_empty()).then(|| view! { <small class="field-error" role="alert">{list.join("; ")}</small> })
                                }}
                                <button type="button" class="icon-button danger" aria-label=format!("Remove input {name}")
                                    on:click=move |_| ctx.restructure(move |st| if i < st.product.input_ports.len() { st.product.input_ports.remove(i); })>
                                    <Icon name="trash"/>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h3>"Add an upstream output port"</h3>
        <label for="port-search" class="visually-hidden">"Search output ports"</label>
        <input id="port-search" type="search" placeholder="Search products and ports, e.g. orders" prop:value=move || query.get()
            on:input=move |ev| query.set(event_target_value(&ev)) autocomplete="off"/>
        <Transition fallback=|| view! { <p class="muted">"Searching…"</p> }>
            {move || Suspend::new(async move {
                let own = s.with_untracked(|s| s.product.id.clone());
                match results.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No output port matches."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="port-picker" data-testid="port-picker">
                            {list.into_iter().filter(|port| port.product_id != own).map(|port| {
                                let style = format!("--domain:{}", port.domain_color);
                                let contract = port.contract_id.clone();
                                // Plain closures, not a derived signal: a signal created in here
                                // is disposed with the list, and the button still read it while
                                // the step was being taken down (a panic on leaving step 5).
                                let chosen = move || s.with(|s| s.product.input_ports.iter().any(|i| i.contract_id.is_some() && i.contract_id == contract));
                                let chosen_label = chosen.clone();
                                let label = format!("Add {} · {}", port.product_name, port.port_name);
                                let picked = port.clone();
                                view! {
                                    <li style=style>
                                        <span class="dot" aria-hidden="true"></span>
                                        <span class="port-picker-name"><strong>{port.product_name.clone()}</strong>
                                            <small class="muted">{format!(" {} · {} · v{}", port.port_name, port.port_type.clone().unwrap_or_default(), port.version)}</small></span>
                                        <button type="button" class="button small" disabled=chosen aria-label=label
                                            on:click=move |_| add_upstream(picked.clone())>
                                            {move || if chosen_label() { "Added" } else { "Add" }}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="inline-error">{e.message().to_owned()}</p> }.into_any(),
                }
            })}
        </Transition>
        <h3>"Or declare an external source"</h3>
        <div class="form-grid">
            <div class="field">
                <label for="external-name">"Name"</label>
                <input id="external-name" placeholder="crm" prop:value=move || external_name.get() on:input=move |ev| external_name.set(event_target_value(&ev))/>
            </div>
            <div class="field span-2">
                <label for="external-location">"Location"</label>
                <input id="external-location" placeholder="salesforce://Account" prop:value=move || external_location.get() on:input=move |ev| external_location.set(event_target_value(&ev))/>
            </div>
            <div class="field align-end">
                <button type="button" class="button" on:click=add_external>"Add external source"</button>
            </div>
        </div>
    }
}
