//! Step 3: the contract of each output port — a schema editor (objects and fields with types,
//! required, primary key, classification, PII and descriptions; add, remove and reorder rows), or
//! an ODCS YAML pasted or uploaded to fill it.

use domain::odcs::{DataContractDoc, SchemaObject, SchemaProperty};
use domain::{Classification, LogicalType};
use leptos::prelude::*;

use super::check::{Doc, FieldCheck, FieldMessage, focus_soon};
use super::ctx::{WizardCtx, choice};
use super::state::sync_contract_ids;
use crate::components::icons::Icon;

#[component]
pub fn Contracts() -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    view! {
        <h2>"Contracts"</h2>
        <p class="help">"The contract is the promise each output port makes: its schema, types and what is sensitive. Describe the fields, or fill the editor from an existing ODCS document."</p>
        {move || {
            ctx.layout.track();
            let n = ctx.state.with_untracked(|s| s.contracts.len());
            (0..n).map(|p| view! { <ContractEditor p=p/> }).collect_view()
        }}
    }
}

#[component]
fn ContractEditor(p: usize) -> impl IntoView {
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
    view! {
        <section class="contract-editor" data-contract-index=p>
            <h3>{move || format!("Output port “{}”", port_name())}</h3>
            <ImportContract p=p/>
            {move || {
                ctx.layout.track();
                let objects = s.with_untracked(|s| s.contracts.get(p).map(|c| c.schema.len()).unwrap_or(0));
                (0..objects).map(|o| view! { <ObjectEditor p=p o=o/> }).collect_view()
            }}
            <button type="button" class="button small" on:click=move |_| ctx.restructure(|st| if let Some(c) = st.contracts.get_mut(p) {
                c.schema.push(SchemaObject { name: format!("object_{}", c.schema.len() + 1), physical_type: Some(String::from("table")), ..SchemaObject::default() });
            })><Icon name="plus"/>"Add object"</button>
        </section>
    }
}

#[component]
fn ObjectEditor(p: usize, o: usize) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let object = move |f: fn(&SchemaObject) -> String| {
        move || {
            s.with(|s| {
                s.contracts
                    .get(p)
                    .and_then(|c| c.schema.get(o))
                    .map(f)
                    .unwrap_or_default()
            })
        }
    };
    let edit = move |f: Box<dyn FnOnce(&mut SchemaObject)>| {
        ctx.update(move |st| {
            if let Some(obj) = st.contracts.get_mut(p).and_then(|c| c.schema.get_mut(o)) {
                f(obj)
            }
        })
    };
    let id = move |what: &str| format!("c{p}-o{o}-{what}");
    let name_c = FieldCheck::new(
        ctx,
        id("name"),
        Doc::Contract(p),
        format!("/schema/{o}/name"),
    );
    let description_c = FieldCheck::new(
        ctx,
        id("description"),
        Doc::Contract(p),
        format!("/schema/{o}/description"),
    );
    view! {
        <div class="object-editor">
            <div class="form-grid">
                <div class="field">
                    <label for=id("name")>"Object (table, topic or file) name"</label>
                    <input id=id("name") prop:value=object(|x| x.name.clone()) spellcheck="false" aria-invalid=name_c.invalid() aria-describedby=name_c.described_by() on:blur=name_c.blur()
                        on:input=move |ev| { let v = event_target_value(&ev).trim().to_owned(); edit(Box::new(move |x| x.name = v)); }/>
                    <FieldMessage check=name_c.clone()/>
                </div>
                <div class="field span-3">
                    <label for=id("description")>"Description"</label>
                    <input id=id("description") prop:value=object(|x| x.description.clone().unwrap_or_default()) aria-invalid=description_c.invalid() aria-describedby=description_c.described_by() on:blur=description_c.blur()
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |x| x.description = if v.is_empty() { None } else { Some(v) })); }/>
                    <FieldMessage check=description_c.clone()/>
                </div>
            </div>
            <div class="table-wrap">
                <table class="field-editor">
                    <caption class="visually-hidden">"Fields"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Field"</th><th scope="col">"Logical type"</th><th scope="col">"Physical type"</th>
                            <th scope="col" title="Required">"Req."</th><th scope="col" title="Primary key">"PK"</th>
                            <th scope="col">"Classification"</th><th scope="col">"PII"</th><th scope="col">"Description"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            ctx.layout.track();
                            let n = s.with_untracked(|s| s.contracts.get(p).and_then(|c| c.schema.get(o)).map(|x| x.properties.len()).unwrap_or(0));
                            (0..n).map(|f| view! { <FieldRow p=p o=o f=f last=f + 1 == n/> }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <div class="row-actions">
                <button type="button" class="button small" data-testid="add-field" on:click=move |_| {
                    ctx.restructure(|st| if let Some(x) = st.contracts.get_mut(p).and_then(|c| c.schema.get_mut(o)) {
                        x.properties.push(SchemaProperty { logical_type: Some(String::from("string")), ..SchemaProperty::default() });
                    });
                    let n = s.with_untracked(|s| s.contracts.get(p).and_then(|c| c.schema.get(o)).map_or(0, |x| x.properties.len()));
                    focus_soon(format!("c{p}-o{o}-f{}-name", n.saturating_sub(1)));
                }><Icon name="plus"/>"Add field"</button>
                {(o > 0).then(|| view! {
                    <button type="button" class="button small danger" on:click=move |_| ctx.restructure(|st| if let Some(c) = st.contracts.get_mut(p) && o < c.schema.len() { c.schema.remove(o); })>
                        <Icon name="trash"/>"Remove object"
                    </button>
                })}
            </div>
        </div>
    }
}

#[component]
fn FieldRow(p: usize, o: usize, f: usize, last: bool) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let s = ctx.state;
    let read = move |g: fn(&SchemaProperty) -> String| {
        move || {
            s.with(|s| {
                s.contracts
                    .get(p)
                    .and_then(|c| c.schema.get(o))
                    .and_then(|x| x.properties.get(f))
                    .map(g)
                    .unwrap_or_default()
            })
        }
    };
    let flag = move |g: fn(&SchemaProperty) -> bool| {
        move || {
            s.with(|s| {
                s.contracts
                    .get(p)
                    .and_then(|c| c.schema.get(o))
                    .and_then(|x| x.properties.get(f))
                    .is_some_and(g)
            })
        }
    };
    let write = move |g: Box<dyn FnOnce(&mut SchemaProperty)>| {
        ctx.update(move |st| {
            if let Some(prop) = st
                .contracts
                .get_mut(p)
                .and_then(|c| c.schema.get_mut(o))
                .and_then(|x| x.properties.get_mut(f))
            {
                g(prop)
            }
        })
    };
    let swap = move |a: usize, b: usize| {
        ctx.restructure(move |st| {
            if let Some(x) = st.contracts.get_mut(p).and_then(|c| c.schema.get_mut(o))
                && a < x.properties.len()
                && b < x.properties.len()
            {
                x.properties.swap(a, b);
            }
        })
    };
    let label = move || {
        let n = read(|x| x.name.clone())();
        if n.is_empty() {
            format!("field {}", f + 1)
        } else {
            n
        }
    };
    let logical = read(|x| {
        x.logical_type
            .as_deref()
            .and_then(|t| LogicalType::parse(t).ok())
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default()
    });
    let class = read(|x| {
        x.classification
            .as_deref()
            .and_then(|c| Classification::parse(c).ok())
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default()
    });
    let cell = move |what: &str, pointer: &str| {
        FieldCheck::new(
            ctx,
            format!("c{p}-o{o}-f{f}-{what}"),
            Doc::Contract(p),
            format!("/schema/{o}/properties/{f}/{pointer}"),
        )
    };
    let (name_c, logical_c, physical_c, class_c, description_c) = (
        cell("name", "name"),
        cell("logical", "logicalType"),
        cell("physical", "physicalType"),
        cell("classification", "classification"),
        cell("description", "description"),
    );
    view! {
        <tr data-field-index=f>
            <td><input id=format!("c{p}-o{o}-f{f}-name") aria-label=move || format!("Name of {}", label()) prop:value=read(|x| x.name.clone()) spellcheck="false" class="field-name" aria-invalid=name_c.invalid() aria-describedby=name_c.described_by() on:blur=name_c.blur()
                on:input=move |ev| { let v = event_target_value(&ev).trim().to_owned(); write(Box::new(move |x| x.name = v)); }/><FieldMessage check=name_c.clone()/></td>
            <td><select id=format!("c{p}-o{o}-f{f}-logical") aria-label=move || format!("Logical type of {}", label()) prop:value=logical aria-invalid=logical_c.invalid() aria-describedby=logical_c.described_by() on:blur=logical_c.blur()
                on:change=move |ev| { let v = event_target_value(&ev); write(Box::new(move |x| x.logical_type = Some(v))); }>
                {LogicalType::ALL.iter().map(|t| choice(t.as_str(), t.as_str(), logical)).collect_view()}
            </select><FieldMessage check=logical_c.clone()/></td>
            <td><input id=format!("c{p}-o{o}-f{f}-physical") aria-invalid=physical_c.invalid() aria-describedby=physical_c.described_by() on:blur=physical_c.blur() aria-label=move || format!("Physical type of {}", label()) prop:value=read(|x| x.physical_type.clone().unwrap_or_default()) placeholder="VARCHAR" class="narrow"
                on:input=move |ev| { let v = event_target_value(&ev); write(Box::new(move |x| x.physical_type = if v.is_empty() { None } else { Some(v) })); }/><FieldMessage check=physical_c.clone()/></td>
            <td><input type="checkbox" aria-label=move || format!("{} is required", label()) prop:checked=flag(|x| x.required == Some(true) || x.primary_key == Some(true))
                on:change=move |ev| { let v = event_target_checked(&ev); write(Box::new(move |x| x.required = Some(v))); }/></td>
            <td><input type="checkbox" aria-label=move || format!("{} is part of the primary key", label()) prop:checked=flag(|x| x.primary_key == Some(true))
                on:change=move |ev| {
                    let v = event_target_checked(&ev);
                    ctx.update(move |st| if let Some(x) = st.contracts.get_mut(p).and_then(|c| c.schema.get_mut(o)) {
                        if let Some(prop) = x.properties.get_mut(f) {
                            prop.primary_key = Some(v);
                            if v { prop.required = Some(true); } else { prop.primary_key_position = None; }
                        }
                        // Number the key fields in row order.
                        let mut pos = 0;
                        for prop in x.properties.iter_mut() {
                            if prop.primary_key == Some(true) { pos += 1; prop.primary_key_position = Some(pos); }
                        }
                    });
                }/></td>
            <td><select id=format!("c{p}-o{o}-f{f}-classification") aria-label=move || format!("Classification of {}", label()) prop:value=class aria-invalid=class_c.invalid() aria-describedby=class_c.described_by() on:blur=class_c.blur()
                on:change=move |ev| { let v = event_target_value(&ev); write(Box::new(move |x| x.classification = if v.is_empty() { None } else { Some(v) })); }>
                {choice("", "—", class)}
                {Classification::ALL.iter().map(|c| choice(c.as_str(), c.label(), class)).collect_view()}
            </select><FieldMessage check=class_c.clone()/></td>
            <td><input type="checkbox" aria-label=move || format!("{} holds personal data", label()) prop:checked=flag(|x| x.is_pii())
                on:change=move |ev| { let v = event_target_checked(&ev); write(Box::new(move |x| x.set_pii(v))); }/></td>
            <td><input id=format!("c{p}-o{o}-f{f}-description") aria-invalid=description_c.invalid() aria-describedby=description_c.described_by() on:blur=description_c.blur() aria-label=move || format!("Description of {}", label()) prop:value=read(|x| x.description.clone().unwrap_or_default())
                on:input=move |ev| { let v = event_target_value(&ev); write(Box::new(move |x| x.description = if v.is_empty() { None } else { Some(v) })); }/><FieldMessage check=description_c.clone()/></td>
            <td class="row-buttons">
                <button type="button" class="icon-button" disabled=f == 0 on:click=move |_| swap(f, f - 1) aria-label=move || format!("Move {} up", label())><Icon name="arrow-up"/></button>
                <button type="button" class="icon-button" disabled=last on:click=move |_| swap(f, f + 1) aria-label=move || format!("Move {} down", label())><Icon name="arrow-down"/></button>
                <button type="button" class="icon-button danger" aria-label=move || format!("Remove {}", label())
                    on:click=move |_| ctx.restructure(move |st| if let Some(x) = st.contracts.get_mut(p).and_then(|c| c.schema.get_mut(o)) && f < x.properties.len() { x.properties.remove(f); })>
                    <Icon name="trash"/>
                </button>
            </td>
        </tr>
    }
}

/// Paste or upload an ODCS document to fill the editor.
#[component]
fn ImportContract(p: usize) -> impl IntoView {
    let ctx = expect_context::<WizardCtx>();
    let text = RwSignal::new(String::new());
    let message: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    let apply = move |source: String| {
        let parsed = domain::parse_document(&source)
            .map_err(|e| e.message)
            .and_then(|(value, _)| {
                serde_json::from_value::<DataContractDoc>(value)
                    .map_err(|e| format!("this is not an ODCS contract: {e}"))
            });
        match parsed {
            Ok(mut contract) => {
                let fields = contract.fields().len();
                let from = contract.id.clone();
                ctx.restructure(move |st| {
                    if let Some(slot) = st.contracts.get_mut(p) {
                        if st.editing.is_some() {
                            contract.id.clone_from(&slot.id);
                        }
                        *slot = contract;
                    }
                    sync_contract_ids(st);
                });
                message.set(Some(Ok(format!("Filled in {fields} fields from {from}."))));
                text.set(String::new());
            }
            Err(e) => message.set(Some(Err(e))),
        }
    };
    let upload = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(v) => apply(v.as_string().unwrap_or_default()),
                        Err(_) => {
                            message.set(Some(Err(String::from("the file could not be read"))))
                        }
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let textarea_id = format!("import-{p}");
    let file_id = format!("import-file-{p}");
    view! {
        <details class="import">
            <summary>"Fill from an ODCS document (paste or upload YAML)"</summary>
            <label for=textarea_id.clone()>"ODCS YAML or JSON"</label>
            <textarea id=textarea_id rows="8" spellcheck="false" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                placeholder="apiVersion: v3.2.0\nkind: DataContract\n…"></textarea>
            <div class="row-actions">
                <button type="button" class="button small" data-testid="apply-yaml" on:click=move |_| apply(text.get_untracked())>"Apply"</button>
                <label class="button small" for=file_id.clone()>"Upload a file…"</label>
                <input id=file_id type="file" accept=".yaml,.yml,.json" class="visually-hidden" on:change=upload/>
            </div>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="notice success" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="inline-error" role="alert">{text}</p> }.into_any(),
            })}
        </details>
    }
}
