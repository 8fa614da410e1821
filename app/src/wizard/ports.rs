//! Step 2: the output ports — name, type, version, description, and where the data is served
//! (the server of the port's contract).

use domain::PortType;
use leptos::prelude::*;

use super::check::{Doc, FieldCheck, FieldMessage, focus_soon};
use super::ctx::{WizardCtx, choice};
use super::state::{
    SERVER_TYPES, add_output_port, remove_output_port, server_field, set_server_field,
    set_server_type, sync_contract_ids,
};
use crate::components::icons::Icon;

#[component]
pub fn Ports() -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    view! {
        <h2>"Output ports"</h2>
        <p class="help">"Each output port is one way consumers read the product, with its own contract. Most products have one table; add a topic or an API if you offer them."</p>
        {move || {
            ctx.layout.track();
            let n = ctx.state.with_untracked(|s| s.product.output_ports.len());
            (0..n).map(|i| view! { <PortRow i=i/> }).collect_view()
        }}
        <button type="button" class="button" data-testid="add-output-port" on:click=move |_| {
            ctx.restructure(add_output_port);
            let last = ctx.state.with_untracked(|s| s.product.output_ports.len().saturating_sub(1));
            focus_soon(format!("port-{last}-name"));
        }>
            <Icon name="plus"/>"Add output port"
        </button>
    }
}

#[component]
fn PortRow(i: usize) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let port = move |f: fn(&domain::odps::OutputPort) -> String| {
        move || s.with(|s| s.product.output_ports.get(i).map(f).unwrap_or_default())
    };
    let server_type = move || {
        s.with(|s| {
            s.contracts
                .get(i)
                .and_then(|c| c.servers.first())
                .map(|sv| sv.server_type.clone())
                .unwrap_or_default()
        })
    };
    let id = |name: &str| format!("port-{i}-{name}");
    let kind = port(|p| {
        p.port_type
            .as_deref()
            .and_then(|t| PortType::parse(t).ok())
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default()
    });
    let check = move |what: &str| {
        FieldCheck::new(
            ctx,
            id(what),
            Doc::Product,
            format!("/outputPorts/{i}/{what}"),
        )
    };
    let (name_c, type_c, version_c, description_c) = (
        check("name"),
        check("type"),
        check("version"),
        check("description"),
    );
    view! {
        <fieldset class="port-editor" data-port-index=i>
            <legend>{move || format!("Output port {}", i + 1)}</legend>
            <div class="form-grid">
                <div class="field">
                    <label for=id("name")>"Name"</label>
                    <input id=id("name") prop:value=port(|p| p.name.clone()) autocomplete="off" spellcheck="false" aria-invalid=name_c.invalid() aria-describedby=name_c.described_by() on:blur=name_c.blur()
                        on:input=move |ev| { let v = event_target_value(&ev).trim().to_owned(); ctx.update(|st| { if let Some(p) = st.product.output_ports.get_mut(i) { p.name = v; } sync_contract_ids(st); }); }/>
                    <FieldMessage check=name_c.clone()/>
                </div>
                <div class="field">
                    <label for=id("type")>"Type"</label>
                    <select id=id("type") prop:value=kind aria-invalid=type_c.invalid() aria-describedby=type_c.described_by() on:blur=type_c.blur()
                        on:change=move |ev| { let v = event_target_value(&ev); ctx.update(|st| if let Some(p) = st.product.output_ports.get_mut(i) { p.port_type = Some(v); }); }>
                        {PortType::ALL.iter().map(|t| choice(t.as_str(), t.label(), kind)).collect_view()}
                    </select>
                    <FieldMessage check=type_c.clone()/>
                </div>
                <div class="field">
                    <label for=id("version")>"Version"</label>
                    <input id=id("version") prop:value=port(|p| p.version.clone().unwrap_or_default()) aria-invalid=version_c.invalid() aria-describedby=version_c.described_by() on:blur=version_c.blur()
                        on:input=move |ev| { let v = event_target_value(&ev).trim().to_owned(); ctx.update(|st| { if let Some(p) = st.product.output_ports.get_mut(i) { p.version = Some(v); } sync_contract_ids(st); }); }/>
                    <FieldMessage check=version_c.clone()/>
                </div>
                <div class="field">
                    <label for=id("server")>"Served from"</label>
                    <select id=id("server") prop:value=server_type
                        on:change=move |ev| { let v = event_target_value(&ev); ctx.restructure(|st| if let Some(c) = st.contracts.get_mut(i) { set_server_type(c, &v); }); }>
                        {SERVER_TYPES.iter().map(|(v, label, _)| choice(*v, *label, server_type)).collect_view()}
                    </select>
                </div>
                {move || {
                    ctx.layout.track();
                    let kind = s.with_untracked(|s| s.contracts.get(i).and_then(|c| c.servers.first()).map(|sv| sv.server_type.clone()).unwrap_or_default());
                    let fields = SERVER_TYPES.iter().find(|t| t.0 == kind).map(|t| t.2).unwrap_or(&[]);
                    fields.iter().map(|(field, label)| {
                        let field: &'static str = field;
                        let input_id = format!("port-{i}-server-{field}");
                        let c = FieldCheck::new(ctx, input_id.clone(), Doc::Contract(i), format!("/servers/0/{field}"));
                        view! {
                            <div class="field">
                                <label for=input_id.clone()>{*label}</label>
                                <input id=input_id aria-invalid=c.invalid() aria-describedby=c.described_by() on:blur=c.blur() prop:value=move || s.with(|s| s.contracts.get(i).map(|c| server_field(c, field)).unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); ctx.update(|st| if let Some(c) = st.contracts.get_mut(i) { set_server_field(c, field, v.trim()); }); }/>
                                <FieldMessage check=c.clone()/>
                            </div>
                        }
                    }).collect_view()
                }}
                <div class="field span-4">
                    <label for=id("description")>"Description"</label>
                    <input id=id("description") prop:value=port(|p| p.description.clone().unwrap_or_default()) aria-invalid=description_c.invalid() aria-describedby=description_c.described_by() on:blur=description_c.blur() placeholder="What this port serves, e.g. one row per order and day"
                        on:input=move |ev| { let v = event_target_value(&ev); ctx.update(|st| if let Some(p) = st.product.output_ports.get_mut(i) { p.description = if v.is_empty() { None } else { Some(v) }; }); }/>
                    <FieldMessage check=description_c.clone()/>
                </div>
            </div>
            <div class="row-actions">
                <span class="muted small">"Contract "<code>{move || s.with(|s| s.contracts.get(i).map(|c| c.id.clone()).unwrap_or_default())}</code></span>
                <button type="button" class="button small danger" on:click=move |_| ctx.restructure(|st| remove_output_port(st, i))
                    aria-label=move || format!("Remove output port {}", i + 1)>
                    <Icon name="trash"/>"Remove port"
                </button>
            </div>
        </fieldset>
    }
}
