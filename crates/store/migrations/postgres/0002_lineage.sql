-- Observed lineage (OpenLineage), PostgreSQL flavour. Kept column for column identical to
-- ../sqlite/0002_lineage.sql. Names and namespaces are OpenLineage's own; timestamps are RFC 3339 UTC.

-- Every event received, by the SHA-256 of its canonical JSON: sending one again changes nothing.
CREATE TABLE ol_events (
    hash          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('run', 'dataset', 'job')),
    event_type    TEXT,
    event_time    TEXT NOT NULL,
    run_id        TEXT,
    job_namespace TEXT,
    job_name      TEXT,
    producer      TEXT,
    received_at   TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX ol_events_run ON ol_events (run_id);

CREATE TABLE ol_datasets (
    namespace       TEXT NOT NULL,
    name            TEXT NOT NULL,
    -- The schema facet's fields as JSON: [{"name", "type", "description"}].
    fields          TEXT,
    facets          TEXT NOT NULL DEFAULT '{}',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- The last COMPLETE run that wrote the dataset.
    last_written_at TEXT,
    last_written_by TEXT,
    PRIMARY KEY (namespace, name)
);

CREATE TABLE ol_jobs (
    namespace     TEXT NOT NULL,
    name          TEXT NOT NULL,
    job_type      TEXT,
    facets        TEXT NOT NULL DEFAULT '{}',
    latest_run_id TEXT,
    -- Where the job's inputs and outputs come from: a run (or '' for a JobEvent), as of when, and
    -- whether that is final (a completed run or a JobEvent) or stands in for one still going.
    io_run_id     TEXT,
    io_at         TEXT,
    io_final      BIGINT NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (namespace, name)
);

-- What a job reads and writes: the datasets of its latest completed run (or of a newer JobEvent,
-- with an empty run id); until a run completes, those of its newest run.
CREATE TABLE ol_job_io (
    job_namespace TEXT NOT NULL,
    job_name      TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('input', 'output')),
    namespace     TEXT NOT NULL,
    name          TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    PRIMARY KEY (job_namespace, job_name, direction, namespace, name)
);
CREATE INDEX ol_job_io_dataset ON ol_job_io (namespace, name);

CREATE TABLE ol_runs (
    run_id        TEXT PRIMARY KEY,
    job_namespace TEXT NOT NULL,
    job_name      TEXT NOT NULL,
    -- The latest event type; a terminal state (COMPLETE, FAIL, ABORT) is never replaced by an
    -- earlier START or RUNNING that arrives late.
    state         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    started_at    TEXT,
    ended_at      TEXT,
    error_message TEXT,
    parent_run_id TEXT,
    facets        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ol_runs_job ON ol_runs (job_namespace, job_name, created_at);

CREATE TABLE ol_run_io (
    run_id    TEXT NOT NULL REFERENCES ol_runs (run_id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (run_id, direction, namespace, name)
);

-- Column lineage, as last reported for each output dataset.
CREATE TABLE ol_column_lineage (
    namespace       TEXT NOT NULL,
    name            TEXT NOT NULL,
    field           TEXT NOT NULL,
    input_namespace TEXT NOT NULL,
    input_name      TEXT NOT NULL,
    input_field     TEXT NOT NULL,
    transformations TEXT NOT NULL DEFAULT '[]',
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (namespace, name, field, input_namespace, input_name, input_field)
);
CREATE INDEX ol_column_lineage_input ON ol_column_lineage (input_namespace, input_name);

-- Data quality metrics and assertions, kept as observations for SLA and quality reporting.
CREATE TABLE ol_observations (
    id          BIGSERIAL PRIMARY KEY,
    event_hash  TEXT NOT NULL,
    run_id      TEXT,
    namespace   TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('metrics', 'assertion')),
    column_name TEXT,
    assertion   TEXT,
    success     BIGINT,
    value       TEXT NOT NULL,
    observed_at TEXT NOT NULL
);
CREATE INDEX ol_observations_dataset ON ol_observations (namespace, name, observed_at);
