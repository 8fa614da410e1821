//! Observed lineage from OpenLineage: the events as received, and what they tell about datasets,
//! jobs, runs, column lineage and data quality. Writing is in [`ingest`], reading in [`read`].

mod fold;
mod ingest;
mod read;

pub use ingest::{Ingested, changes_of};
pub use read::GraphProductRecord;

/// One event, parsed and checked by the workbench, ready to store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineageEventWrite {
    /// SHA-256 of the canonical JSON; an event whose hash is stored is a repeat.
    pub hash: String,
    /// `run`, `dataset` or `job`.
    pub kind: String,
    pub event_type: Option<String>,
    pub event_time: String,
    pub producer: Option<String>,
    pub body: String,
    pub job: Option<JobWrite>,
    pub run: Option<RunWrite>,
    pub datasets: Vec<DatasetWrite>,
    /// Column lineage by output dataset: each replaces what was known of that dataset.
    pub column_lineage: Vec<ColumnLineageWrite>,
    pub observations: Vec<ObservationWrite>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobWrite {
    pub namespace: String,
    pub name: String,
    pub job_type: Option<String>,
    /// JSON of the job facets.
    pub facets: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunWrite {
    pub run_id: String,
    pub parent_run_id: Option<String>,
    pub error_message: Option<String>,
    /// JSON of the run facets.
    pub facets: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DatasetKey {
    pub namespace: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Input,
    Output,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DatasetWrite {
    pub key: DatasetKey,
    /// `None` for the dataset of a `DatasetEvent`.
    pub direction: Option<Direction>,
    /// JSON of the schema facet's fields, when the event has one.
    pub fields: Option<String>,
    /// JSON of the dataset facets, when any.
    pub facets: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnLineageWrite {
    pub output: DatasetKey,
    pub fields: Vec<ColumnLineageRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnLineageRow {
    pub field: String,
    pub input: DatasetKey,
    pub input_field: String,
    /// JSON of the transformations.
    pub transformations: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObservationWrite {
    pub dataset: DatasetKey,
    /// `metrics` or `assertion`.
    pub kind: String,
    pub column: Option<String>,
    pub assertion: Option<String>,
    pub success: Option<bool>,
    /// JSON of the metrics or of the assertion.
    pub value: String,
}

/// A job with what it reads and writes, for the graph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobIoRecord {
    pub namespace: String,
    pub name: String,
    pub job_type: Option<String>,
    pub latest_state: Option<String>,
    pub inputs: Vec<DatasetKey>,
    pub outputs: Vec<DatasetKey>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DatasetRecord {
    pub key: DatasetKey,
    pub fields: Option<String>,
    pub facets: String,
    pub created_at: String,
    pub updated_at: String,
    pub last_written_at: Option<String>,
    pub last_written_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JobRecord {
    pub namespace: String,
    pub name: String,
    pub job_type: Option<String>,
    pub facets: String,
    pub latest_run_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub inputs: Vec<DatasetKey>,
    pub outputs: Vec<DatasetKey>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    pub run_id: String,
    pub job_namespace: String,
    pub job_name: String,
    pub state: String,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub error_message: Option<String>,
    pub parent_run_id: Option<String>,
    pub facets: String,
    pub inputs: Vec<DatasetKey>,
    pub outputs: Vec<DatasetKey>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceRecord {
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObservationRecord {
    pub dataset: DatasetKey,
    pub run_id: Option<String>,
    pub kind: String,
    pub column: Option<String>,
    pub assertion: Option<String>,
    pub success: Option<bool>,
    pub value: String,
    pub observed_at: String,
}

/// A column-lineage row with the output dataset it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnLineageRecord {
    pub output: DatasetKey,
    pub row: ColumnLineageRow,
}

/// Whether a run state ends the run.
pub fn is_terminal(state: &str) -> bool {
    matches!(state, "COMPLETE" | "FAIL" | "ABORT")
}
