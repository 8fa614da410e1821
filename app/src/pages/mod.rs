//! One module per page (or group of small pages).

pub mod catalog;
pub mod directory;
pub mod not_found;
pub mod product;
pub mod signin;
pub mod tokens;
