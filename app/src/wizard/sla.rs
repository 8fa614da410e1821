//! Step 4: service levels (freshness, update frequency, availability, retention) and quality
//! rules for each output port.

use leptos::prelude::*;

use super::check::{Doc, FieldCheck, FieldMessage, key_of};
use super::ctx::{WizardCtx, choice};
use super::state::{METRICS, OPERATORS, RuleForm, UNITS, rules, set_rules, set_sla, sla_value};
use crate::components::icons::Icon;

#[component]
pub fn SlaAndQuality() -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    view! {
        <h2>"SLA & quality"</h2>
        <p class="help">"What consumers can rely on: how fresh the data is, how often it is updated, how available it is, how long it is kept, and which checks it always passes."</p>
        {move || {
            ctx.layout.track();
            let n = ctx.state.with_untracked(|s| s.contracts.len());
            (0..n).map(|p| view! { <PortSla p=p/> }).collect_view()
        }}
    }
}

/// The check of an SLA property's field: its findings are at `/slaProperties/<index>`, and the
/// index is wherever the property is in the contract now.
fn sla_check(ctx: WizardCtx, id: String, p: usize, property: &'static str) -> FieldCheck {
    FieldCheck::dynamic(ctx, id, 4, move || {
        let at = ctx.state.with(|s| {
            s.contracts.get(p).and_then(|c| {
                c.sla_properties.iter().position(|x| {
                    x.property.eq_ignore_ascii_case(property)
                        || (property == "latency" && x.property.eq_ignore_ascii_case("freshness"))
                })
            })
        });
        match at {
            Some(i) => key_of(Doc::Contract(p), &format!("/slaProperties/{i}")),
            None => String::new(),
        }
    })
}

#[component]
fn PortSla(p: usize) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let port_name = move || {
        s.with(|s| {
            s.product
                .output_ports
                .get(p)
                .map(|o| o.name.clone())
                .unwrap_or_default()
        })
    };
    let availability = sla_check(ctx, format!("sla-{p}-availability"), p, "availability");
    view! {
        <section class="contract-editor">
            <h3>{move || format!("Output port “{}”", port_name())}</h3>
            <div class="form-grid">
                <Duration p=p property="latency" label="Freshness (at most this old)"/>
                <Duration p=p property="frequency" label="Updated every"/>
                <div class="field">
                    <label for=format!("sla-{p}-availability")>"Availability (%)"</label>
                    <input id=format!("sla-{p}-availability") inputmode="decimal" placeholder="99.9"
                        aria-invalid=availability.invalid() aria-describedby=availability.described_by() on:blur=availability.blur()
                        prop:value=move || s.with(|s| s.contracts.get(p).map(|c| sla_value(c, "availability").0).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); ctx.update(|st| if let Some(c) = st.contracts.get_mut(p) { set_sla(c, "availability", &v, None); }); }/>
                    <FieldMessage check=availability.clone()/>
                </div>
                <Duration p=p property="retention" label="Kept for"/>
            </div>
            <Rules p=p/>
        </section>
    }
}

#[component]
fn Duration(p: usize, property: &'static str, label: &'static str) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let current = move || {
        s.with(|s| {
            s.contracts
                .get(p)
                .map(|c| sla_value(c, property))
                .unwrap_or_default()
        })
    };
    let default_unit = if property == "retention" { "y" } else { "d" };
    let unit = move || {
        let u = current().1;
        if u.is_empty() {
            default_unit.to_owned()
        } else {
            u
        }
    };
    let value_id = format!("sla-{p}-{property}");
    let unit_id = format!("sla-{p}-{property}-unit");
    let check = sla_check(ctx, value_id.clone(), p, property);
    view! {
        <div class="field duration">
            <label for=value_id.clone()>{label}</label>
            <div class="inline-inputs">
                <input id=value_id inputmode="decimal" placeholder="1" prop:value=move || current().0
                    aria-invalid=check.invalid() aria-describedby=check.described_by() on:blur=check.blur()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        let unit = { let u = current().1; if u.is_empty() { default_unit.to_owned() } else { u } };
                        ctx.update(|st| if let Some(c) = st.contracts.get_mut(p) { set_sla(c, property, &v, Some(&unit)); });
                    }/>
                <select id=unit_id aria-label=format!("{label}: unit") prop:value=move || { let u = current().1; if u.is_empty() { default_unit.to_owned() } else { u } }
                    on:change=move |ev| {
                        let unit = event_target_value(&ev);
                        let value = current().0;
                        ctx.update(|st| if let Some(c) = st.contracts.get_mut(p) { set_sla(c, property, &value, Some(&unit)); });
                    }>
                    {UNITS.iter().map(|(v, l)| choice(*v, *l, unit)).collect_view()}
                </select>
            </div>
            <FieldMessage check=check.clone()/>
        </div>
    }
}

#[component]
fn Rules(p: usize) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let forms = move || s.with(|s| s.contracts.get(p).map(rules).unwrap_or_default());
    let change = move |i: usize, f: Box<dyn FnOnce(&mut RuleForm)>| {
        let mut all = forms();
        if let Some(rule) = all.get_mut(i) {
            f(rule);
        }
        ctx.update(move |st| {
            if let Some(c) = st.contracts.get_mut(p) {
                set_rules(c, &all);
            }
        });
    };
    let fields = move || {
        s.with(|s| {
            s.contracts
                .get(p)
                .and_then(|c| c.schema.first())
                .map(|o| {
                    o.properties
                        .iter()
                        .map(|x| x.name.clone())
                        .filter(|n| !n.is_empty())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <h4>"Quality rules"</h4>
        {move || {
            ctx.layout.track();
            let list = s.with_untracked(|s| s.contracts.get(p).map(rules).unwrap_or_default());
            if list.is_empty() {
                return view! { <p class="muted">"No quality rules yet. A row count above zero is a good first one."</p> }.into_any();
            }
            view! {
                <ul class="rule-list">
                    {list.into_iter().enumerate().map(|(i, _)| {
                        let read = move |g: fn(&RuleForm) -> String| move || forms().get(i).map(g).unwrap_or_default();
                        view! {
                            <li class="rule-row">
                                <select aria-label=format!("Rule {}: applies to", i + 1) prop:value=read(|r| r.field.clone())
                                    on:change=move |ev| { let v = event_target_value(&ev); change(i, Box::new(move |r| r.field = v)); }>
                                    {choice("", "Whole object", read(|r| r.field.clone()))}
                                    {fields().into_iter().map(|f| choice(f.clone(), f, read(|r| r.field.clone()))).collect_view()}
                                </select>
                                <select aria-label=format!("Rule {}: metric", i + 1) prop:value=read(|r| r.metric.clone())
                                    on:change=move |ev| { let v = event_target_value(&ev); change(i, Box::new(move |r| r.metric = v)); }>
                                    {METRICS.iter().map(|(v, l)| choice(*v, *l, read(|r| r.metric.clone()))).collect_view()}
                                </select>
                                <select aria-label=format!("Rule {}: comparison", i + 1) prop:value=read(|r| r.operator.clone())
                                    on:change=move |ev| { let v = event_target_value(&ev); change(i, Box::new(move |r| r.operator = v)); }>
                                    {OPERATORS.iter().map(|(v, l)| choice(*v, *l, read(|r| r.operator.clone()))).collect_view()}
                                </select>
                                <input aria-label=format!("Rule {}: value", i + 1) class="narrow" inputmode="decimal" prop:value=read(|r| r.value.clone())
                                    on:input=move |ev| { let v = event_target_value(&ev); change(i, Box::new(move |r| r.value = v)); }/>
                                <input aria-label=format!("Rule {}: description", i + 1) placeholder="Why it matters" prop:value=read(|r| r.description.clone())
                                    on:input=move |ev| { let v = event_target_value(&ev); change(i, Box::new(move |r| r.description = v)); }/>
                                <button type="button" class="icon-button danger" aria-label=format!("Remove rule {}", i + 1)
                                    on:click=move |_| { let mut all = forms(); if i < all.len() { all.remove(i); } ctx.restructure(move |st| if let Some(c) = st.contracts.get_mut(p) { set_rules(c, &all); }); }>
                                    <Icon name="trash"/>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <button type="button" class="button small" data-testid="add-rule" on:click=move |_| {
            let mut all = forms();
            all.push(RuleForm { field: String::new(), metric: String::from("rowCount"), operator: String::from("mustBeGreaterThan"), value: String::from("0"), description: String::new() });
            ctx.restructure(move |st| if let Some(c) = st.contracts.get_mut(p) { set_rules(c, &all); });
        }><Icon name="plus"/>"Add quality rule"</button>
    }
}
