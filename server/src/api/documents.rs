//! Document bodies and answers: bundles of a product with its contracts, and YAML or JSON by
//! `?format=` or the `Accept` header.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::DocumentFormat;
use serde::Deserialize;
use serde_json::Value;
use workbench::SourceDoc;

use crate::error::HttpError;

/// Which document to read, and in which format.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DocumentQuery {
    /// `yaml` or `json`; default: the `Accept` header, else the format it was published in.
    pub format: Option<String>,
    /// A stored revision number.
    pub revision: Option<i64>,
    /// The latest revision of this semantic version.
    pub version: Option<String>,
}

impl DocumentQuery {
    pub fn selector(&self) -> Result<workbench::DocSelector<'_>, HttpError> {
        match (&self.revision, &self.version) {
            (Some(_), Some(_)) => Err(HttpError::bad_request("give revision or version, not both")),
            (Some(r), None) => Ok(workbench::DocSelector::Revision(*r)),
            (None, Some(v)) => Ok(workbench::DocSelector::Version(v)),
            (None, None) => Ok(workbench::DocSelector::Current),
        }
    }
}

/// The format asked for: `?format=` first, then `Accept`; `None` means "as published".
pub fn negotiate(
    headers: &HeaderMap,
    format: Option<&str>,
) -> Result<Option<DocumentFormat>, HttpError> {
    if let Some(f) = format {
        return match f {
            "yaml" | "yml" => Ok(Some(DocumentFormat::Yaml)),
            "json" => Ok(Some(DocumentFormat::Json)),
            other => Err(HttpError::bad_request(format!(
                "format '{other}' is not one of yaml or json"
            ))),
        };
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    Ok(if accept.contains("yaml") {
        Some(DocumentFormat::Yaml)
    } else if accept.contains("json") {
        Some(DocumentFormat::Json)
    } else {
        None
    })
}

/// A document answer with the right Content-Type.
pub fn document_response(text: String, format: DocumentFormat) -> Response {
    let content_type = match format {
        DocumentFormat::Yaml => "application/yaml; charset=utf-8",
        DocumentFormat::Json => "application/json",
    };
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        text,
    )
        .into_response()
}

/// A product body: a bare ODPS document, or `{"product": …, "contracts": […]}`.
pub fn split_bundle(body: SourceDoc) -> Result<(SourceDoc, Vec<SourceDoc>), HttpError> {
    let is_bundle = body.value.get("product").is_some() && body.value.get("kind").is_none();
    if !is_bundle {
        return Ok((body, Vec::new()));
    }
    let Value::Object(mut map) = body.value else {
        return Err(HttpError::bad_request("the body must be an object"));
    };
    if let Some(extra) = map.keys().find(|k| *k != "product" && *k != "contracts") {
        return Err(HttpError::bad_request(format!(
            "unknown field '{extra}' in the bundle; it holds only product and contracts"
        )));
    }
    let product = SourceDoc::from_value(map.remove("product").unwrap_or(Value::Null))?;
    let contracts = match map.remove("contracts") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(SourceDoc::from_value)
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(HttpError::bad_request(
                "contracts must be a list of ODCS documents",
            ));
        }
    };
    Ok((product, contracts))
}
