//! Graphviz DOT: any subgraph written out for `dot`, and the plain graph files of the layout
//! benchmark read back in (so `meshwork layout` and `dot -Tplain` read the same file).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::layout::{LayoutGraph, LayoutNode};
use crate::traverse::Subgraph;

/// A subgraph as DOT: left to right, one cluster per domain, products as boxes, observed
/// datasets and jobs as their own shapes, edges styled by kind.
pub fn to_dot(sub: &Subgraph, colours: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "digraph lineage {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=11];\n  edge [color=\"#64748b\"];\n",
    );
    let mut by_domain: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, n) in sub.nodes.iter().enumerate() {
        by_domain
            .entry(n.data.domain.as_deref())
            .or_default()
            .push(i);
    }
    for (domain, members) in &by_domain {
        let indent = if domain.is_some() { "    " } else { "  " };
        if let Some(d) = domain {
            let _ = writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{d}")));
            let _ = writeln!(out, "    label={};", quote(d));
            let colour = colours.get(*d).map(String::as_str).unwrap_or("#94a3b8");
            let _ = writeln!(out, "    color={};", quote(colour));
        }
        for &i in members {
            let n = &sub.nodes[i];
            let shape = match n.id.kind() {
                "product" => "box",
                "port" => "cds",
                "dataset" => "cylinder",
                "job" => "component",
                _ => "note",
            };
            let _ = writeln!(
                out,
                "{indent}{} [label={}, shape={shape}];",
                quote(&n.id.to_string()),
                quote(&n.data.label)
            );
        }
        if domain.is_some() {
            out.push_str("  }\n");
        }
    }
    for e in &sub.edges {
        let style = match e.kind.as_str() {
            "declared" => "solid",
            "agreement" => "bold",
            "publishes" | "serves" => "dotted",
            _ => "dashed",
        };
        let label = e
            .label
            .as_deref()
            .map(|l| format!(", label={}", quote(l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} -> {} [style={style}{label}];",
            quote(&e.from.to_string()),
            quote(&e.to.to_string())
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT id: always quoted, with quotes and backslashes escaped.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Reads the DOT subset the layout benchmark writes: `name [width=…, height=…];` node lines (in
/// inches, as Graphviz reads them) and `a -> b;` edge lines. Returns node names and the graph in
/// points.
pub fn parse_plain_dot(text: &str) -> Result<(Vec<String>, LayoutGraph), String> {
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut graph = LayoutGraph::default();
    let mut id = |name: &str, graph: &mut LayoutGraph| -> usize {
        let name = name.trim().trim_matches('"').to_owned();
        *index.entry(name.clone()).or_insert_with(|| {
            names.push(name);
            graph.nodes.push(LayoutNode {
                width: 54.0,
                height: 36.0,
                group: None,
            });
            graph.nodes.len() - 1
        })
    };
    for (number, raw) in text.lines().enumerate() {
        let line = raw.trim().trim_end_matches(';').trim();
        if line.is_empty()
            || line.starts_with("digraph")
            || line.starts_with('}')
            || line.starts_with("//")
            || line.starts_with("rankdir")
            || line.starts_with("node ")
            || line.starts_with("edge ")
            || line.starts_with("graph ")
        {
            continue;
        }
        if let Some((a, b)) = line.split_once("->") {
            let b = b.split('[').next().unwrap_or(b);
            let (a, b) = (id(a, &mut graph), id(b, &mut graph));
            graph.edges.push((a, b));
        } else if let Some((name, attrs)) = line.split_once('[') {
            let v = id(name, &mut graph);
            for attr in attrs.trim_end_matches(']').split(',') {
                let Some((key, value)) = attr.split_once('=') else {
                    continue;
                };
                let value: f64 = value.trim().trim_matches('"').parse().map_err(|_| {
                    format!("line {}: {} is not a number", number + 1, value.trim())
                })?;
                match key.trim() {
                    "width" => graph.nodes[v].width = value * 72.0,
                    "height" => graph.nodes[v].height = value * 72.0,
                    _ => {}
                }
            }
        } else {
            id(line, &mut graph);
        }
    }
    Ok((names, graph))
}
