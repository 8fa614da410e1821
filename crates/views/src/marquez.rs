//! The shapes of Marquez's API (`/api/v1/namespaces`, `/api/v1/lineage`, …), so that
//! `marquez-python` and the tools built on it read Meshwork's observed lineage unmodified.

use serde_json::Value;

macro_rules! marquez {
    ($(#[$attr:meta])* $vis:vis struct $name:ident $($body:tt)*) => {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "camelCase")]
        $(#[$attr])*
        $vis struct $name $($body)*
    };
}

marquez! {
    pub struct MzNamespaces {
        pub namespaces: Vec<MzNamespace>,
        pub total_count: usize,
    }
}

marquez! {
    pub struct MzNamespace {
        pub name: String,
        pub created_at: String,
        pub updated_at: String,
        pub owner_name: String,
        pub description: Option<String>,
        pub is_hidden: bool,
    }
}

marquez! {
    pub struct MzId {
        pub namespace: String,
        pub name: String,
    }
}

marquez! {
    pub struct MzDatasets {
        pub total_count: i64,
        pub datasets: Vec<MzDataset>,
    }
}

marquez! {
    pub struct MzDataset {
        pub id: MzId,
        /// `DB_TABLE` or `STREAM`.
        #[serde(rename = "type")]
        pub dataset_type: String,
        pub name: String,
        pub physical_name: String,
        pub created_at: String,
        pub updated_at: String,
        pub namespace: String,
        pub source_name: String,
        pub fields: Vec<MzField>,
        pub tags: Vec<String>,
        pub last_modified_at: Option<String>,
        pub description: Option<String>,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub facets: Value,
        pub current_version: Option<String>,
        pub deleted: bool,
        /// The data product port this dataset is served as, when Meshwork knows one.
        pub data_product_port: Option<String>,
    }
}

marquez! {
    pub struct MzField {
        pub name: String,
        #[serde(rename = "type")]
        pub field_type: Option<String>,
        pub tags: Vec<String>,
        pub description: Option<String>,
    }
}

marquez! {
    pub struct MzJobs {
        pub total_count: i64,
        pub jobs: Vec<MzJob>,
    }
}

marquez! {
    pub struct MzJob {
        pub id: MzId,
        /// `BATCH`, `STREAM` or `SERVICE`.
        #[serde(rename = "type")]
        pub job_type: String,
        pub name: String,
        pub simple_name: String,
        pub created_at: String,
        pub updated_at: String,
        pub namespace: String,
        pub inputs: Vec<MzId>,
        pub outputs: Vec<MzId>,
        pub location: Option<String>,
        pub description: Option<String>,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub facets: Value,
        pub latest_run: Option<MzRun>,
    }
}

marquez! {
    pub struct MzRuns {
        pub total_count: i64,
        pub runs: Vec<MzRun>,
    }
}

marquez! {
    pub struct MzRun {
        pub id: String,
        pub created_at: String,
        pub updated_at: String,
        pub nominal_start_time: Option<String>,
        pub nominal_end_time: Option<String>,
        /// `NEW`, `RUNNING`, `COMPLETED`, `ABORTED` or `FAILED`.
        pub state: String,
        pub started_at: Option<String>,
        pub ended_at: Option<String>,
        pub duration_ms: Option<i64>,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub args: Value,
        pub input_dataset_versions: Vec<MzDatasetVersionRef>,
        pub output_dataset_versions: Vec<MzDatasetVersionRef>,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub facets: Value,
        pub job_version: MzId,
        pub error_message: Option<String>,
    }
}

marquez! {
    pub struct MzDatasetVersionRef {
        pub dataset_version_id: MzId,
    }
}

marquez! {
    /// `GET /api/v1/lineage` and `GET /api/v1/column-lineage`.
    pub struct MzLineage {
        pub graph: Vec<MzNode>,
    }
}

marquez! {
    pub struct MzNode {
        /// `dataset:<namespace>:<name>`, `job:<namespace>:<name>` or
        /// `datasetField:<namespace>:<dataset>:<field>`.
        pub id: String,
        /// `DATASET`, `JOB` or `DATASET_FIELD`.
        #[serde(rename = "type")]
        pub node_type: String,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        pub data: Value,
        pub in_edges: Vec<MzEdge>,
        pub out_edges: Vec<MzEdge>,
    }
}

marquez! {
    pub struct MzEdge {
        pub origin: String,
        pub destination: String,
    }
}
