//! Lineage in the browser: the explorer, impact analysis, the mesh map, and the lineage part of a
//! product page. Layouts come from the server; the browser draws them as SVG.

pub mod canvas;
pub mod explorer;
pub mod impact;
pub mod mesh;
pub mod prefetch;
#[cfg(feature = "ssr")]
pub mod product;
pub mod url;
