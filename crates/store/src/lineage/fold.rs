//! Folding a batch of OpenLineage events, in order, into the rows they leave behind: the same
//! result as storing them one by one, computed in memory so that the batch is written with a
//! dozen statements whatever its size (a statement costs tens of microseconds; an event carries a
//! dozen of them).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{
    ColumnLineageRow, DatasetKey, Direction, LineageEventWrite, ObservationWrite, is_terminal,
};

/// A run as stored.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RunState {
    pub job: (String, String),
    pub state: String,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub error_message: Option<String>,
    pub parent_run_id: Option<String>,
    pub facets: String,
}

impl RunState {
    fn new(job: (String, String), state: &str, t: &str, error: Option<String>) -> RunState {
        RunState {
            job,
            state: state.to_owned(),
            created_at: t.to_owned(),
            updated_at: t.to_owned(),
            started_at: matches!(state, "START" | "RUNNING").then(|| t.to_owned()),
            ended_at: is_terminal(state).then(|| t.to_owned()),
            error_message: error,
            parent_run_id: None,
            facets: String::from("{}"),
        }
    }

    /// Folds an event into a run. Events may arrive out of order: a terminal state is never
    /// replaced by a START or RUNNING, and of two states of the same kind the later one wins.
    fn merge(&mut self, state: &str, t: &str, error: Option<String>) {
        let keep_old = (is_terminal(&self.state) && !is_terminal(state))
            || (is_terminal(&self.state) == is_terminal(state) && t < self.updated_at.as_str());
        if matches!(state, "START" | "RUNNING") && self.started_at.as_deref().is_none_or(|s| t < s)
        {
            self.started_at = Some(t.to_owned());
        }
        if is_terminal(state) && !keep_old {
            self.ended_at = Some(t.to_owned());
        }
        if !keep_old {
            self.state = state.to_owned();
        }
        if t < self.created_at.as_str() {
            self.created_at = t.to_owned();
        }
        if t > self.updated_at.as_str() {
            self.updated_at = t.to_owned();
        }
        if error.is_some() {
            self.error_message = error;
        }
    }
}

/// Where a job's inputs and outputs come from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum IoDef {
    /// Everything a run reported (`ol_run_io`).
    Run(String),
    /// What a JobEvent listed.
    Static(Vec<(DatasetKey, Direction)>),
}

/// A job as the batch leaves it.
#[derive(Clone, Debug, Default)]
pub(crate) struct JobState {
    pub job_type: Option<String>,
    pub facets: String,
    pub created_at: String,
    pub updated_at: String,
    /// The newest run: (created_at, run id).
    pub latest: Option<(String, String)>,
    pub io_at: Option<String>,
    pub io_final: bool,
    /// A new definition of the job's inputs and outputs, when the batch made one.
    pub io: Option<IoDef>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct DatasetState {
    pub fields: Option<String>,
    pub facets: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the database knew before the batch, for the runs and jobs it touches.
#[derive(Debug, Default)]
pub(crate) struct Known {
    pub runs: HashMap<String, RunState>,
    pub jobs: HashMap<(String, String), KnownJob>,
}

/// A job as the database knew it before the batch.
#[derive(Clone, Debug, Default)]
pub(crate) struct KnownJob {
    /// Its newest run, as (created_at, run id).
    pub latest: Option<(String, String)>,
    /// When its inputs and outputs were last set.
    pub io_at: Option<String>,
    /// Whether they were set by a completed run.
    pub io_final: bool,
}

/// Everything to write for a batch.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub datasets: BTreeMap<DatasetKey, DatasetState>,
    pub jobs: BTreeMap<(String, String), JobState>,
    pub runs: BTreeMap<String, RunState>,
    pub run_io: BTreeSet<(String, &'static str, String, String)>,
    /// Completed runs: their outputs were refreshed at this time.
    pub completed: BTreeMap<String, String>,
    pub columns: BTreeMap<DatasetKey, Vec<ColumnLineageRow>>,
    pub observations: Vec<(String, Option<String>, ObservationWrite, String)>,
    /// Per event: whether it changed its job's inputs and outputs.
    pub io_changed: Vec<bool>,
}

/// Folds the new events of a batch, in order, over what the database knew.
pub(crate) fn fold(events: &[&LineageEventWrite], known: &Known) -> Folded {
    let mut f = Folded::default();
    // Runs of each job seen in the batch, to find the newest after every event.
    let mut runs_of: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
    for e in events {
        let t = e.event_time.as_str();
        for d in &e.datasets {
            let s = f
                .datasets
                .entry(d.key.clone())
                .or_insert_with(|| DatasetState {
                    created_at: t.to_owned(),
                    updated_at: t.to_owned(),
                    ..DatasetState::default()
                });
            if d.fields.is_some() {
                s.fields = d.fields.clone();
            }
            if d.facets.is_some() {
                s.facets = d.facets.clone();
            }
            if t < s.created_at.as_str() {
                s.created_at = t.to_owned();
            }
            if t > s.updated_at.as_str() {
                s.updated_at = t.to_owned();
            }
        }
        let mut io_changed = false;
        if let Some(job) = &e.job {
            let key = (job.namespace.clone(), job.name.clone());
            let KnownJob {
                latest: db_latest,
                io_at: db_io_at,
                io_final: db_final,
            } = known.jobs.get(&key).cloned().unwrap_or_default();
            let j = f.jobs.entry(key.clone()).or_insert_with(|| JobState {
                facets: String::from("{}"),
                created_at: t.to_owned(),
                updated_at: t.to_owned(),
                latest: db_latest.clone(),
                io_at: db_io_at,
                io_final: db_final,
                ..JobState::default()
            });
            if job.job_type.is_some() {
                j.job_type = job.job_type.clone();
            }
            if job.facets != "{}" {
                j.facets = job.facets.clone();
            }
            if t < j.created_at.as_str() {
                j.created_at = t.to_owned();
            }
            if t > j.updated_at.as_str() {
                j.updated_at = t.to_owned();
            }
            let io: Vec<(DatasetKey, Direction)> = e
                .datasets
                .iter()
                .filter_map(|d| d.direction.map(|dir| (d.key.clone(), dir)))
                .collect();
            if let Some(run) = &e.run {
                let state = e
                    .event_type
                    .clone()
                    .unwrap_or_else(|| String::from("OTHER"));
                let merged = match f.runs.get_mut(&run.run_id) {
                    Some(r) => {
                        r.merge(&state, t, run.error_message.clone());
                        r.clone()
                    }
                    None => {
                        let mut r = match known.runs.get(&run.run_id) {
                            Some(old) => {
                                let mut r = old.clone();
                                r.merge(&state, t, run.error_message.clone());
                                r
                            }
                            None => {
                                RunState::new(key.clone(), &state, t, run.error_message.clone())
                            }
                        };
                        r.job = key.clone();
                        f.runs.insert(run.run_id.clone(), r.clone());
                        r
                    }
                };
                let stored = f.runs.get_mut(&run.run_id).expect("just stored");
                if run.parent_run_id.is_some() {
                    stored.parent_run_id = run.parent_run_id.clone();
                }
                if run.facets != "{}" {
                    stored.facets = run.facets.clone();
                }
                for (k, dir) in &io {
                    f.run_io.insert((
                        run.run_id.clone(),
                        dir.as_str(),
                        k.namespace.clone(),
                        k.name.clone(),
                    ));
                }
                // The job's newest run: the database's, or one of the batch's, whichever began last.
                let batch_runs = runs_of.entry(key.clone()).or_default();
                batch_runs.insert(run.run_id.clone());
                let mut latest = db_latest.map(|(created, id)| match f.runs.get(&id) {
                    Some(r) => (r.created_at.clone(), id),
                    None => (created, id),
                });
                for id in batch_runs.iter() {
                    let candidate = (f.runs[id].created_at.clone(), id.clone());
                    if latest.as_ref().is_none_or(|l| candidate > *l) {
                        latest = Some(candidate);
                    }
                }
                let j = f.jobs.get_mut(&key).expect("just stored");
                j.latest = latest;
                if merged.state == "COMPLETE" {
                    // A completed run defines what the job reads and writes: everything any of
                    // its events reported (a START may name the inputs, the COMPLETE the outputs).
                    let ended = merged.ended_at.clone().unwrap_or_else(|| t.to_owned());
                    if !j.io_final || j.io_at.as_deref().is_none_or(|at| ended.as_str() >= at) {
                        j.io = Some(IoDef::Run(run.run_id.clone()));
                        j.io_at = Some(ended.clone());
                        j.io_final = true;
                        io_changed = true;
                    }
                    f.completed.insert(run.run_id.clone(), ended);
                } else if !j.io_final
                    && !io.is_empty()
                    && j.latest.as_ref().is_some_and(|(_, id)| *id == run.run_id)
                {
                    // Until a run completes, the newest run's reports stand in.
                    j.io = Some(IoDef::Run(run.run_id.clone()));
                    j.io_at = Some(merged.created_at.clone());
                    io_changed = true;
                }
            } else if e.kind == "job" {
                // A JobEvent describes the job's inputs and outputs as of its time; a run
                // completed later knows better.
                let j = f.jobs.get_mut(&key).expect("just stored");
                if !j.io_final || j.io_at.as_deref().is_none_or(|at| t >= at) {
                    j.io = Some(IoDef::Static(io));
                    j.io_at = Some(t.to_owned());
                    j.io_final = true;
                    io_changed = true;
                }
            }
        }
        for c in &e.column_lineage {
            f.columns.insert(c.output.clone(), c.fields.clone());
        }
        for o in &e.observations {
            f.observations.push((
                e.hash.clone(),
                e.run.as_ref().map(|r| r.run_id.clone()),
                o.clone(),
                t.to_owned(),
            ));
        }
        f.io_changed.push(io_changed);
    }
    f
}
