//! The one error shape of the API, also the error of every server function.

use domain::Finding;

crate::view! {
    /// What went wrong, for people and programs: a stable `code`, a sentence, and for validation
    /// failures every finding with its path.
    pub struct ApiError {
        /// `unauthenticated`, `forbidden`, `not_found`, `bad_request`, `invalid`, `conflict`,
        /// `precondition_required`, `payload_too_large`, `unsupported_media_type`,
        /// `method_not_allowed`, `unavailable` or `internal`.
        pub code: String,
        pub message: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub findings: Vec<Finding>,
        /// When policies refuse a write: what each found (the same findings are in `findings`,
        /// as rule `policy:<id>`, for clients that only read those).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub policy_findings: Vec<crate::PolicyFinding>,
        /// On a conflict: the revision the caller should re-read and merge with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub current_revision: Option<i64>,
    }
}

crate::view! {
    /// The JSON body of every error response: `{"error": {...}}`.
    pub struct ErrorBody {
        pub error: ApiError,
    }
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.to_owned(),
            message: message.into(),
            findings: Vec::new(),
            policy_findings: Vec::new(),
            current_revision: None,
        }
    }

    /// The HTTP status that goes with the code.
    pub fn status(&self) -> u16 {
        match self.code.as_str() {
            "unauthenticated" => 401,
            "forbidden" => 403,
            "not_found" => 404,
            "method_not_allowed" => 405,
            "conflict" => 409,
            "payload_too_large" => 413,
            "unsupported_media_type" => 415,
            "invalid" => 422,
            "precondition_required" => 428,
            "unavailable" => 503,
            "internal" => 500,
            _ => 400,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
