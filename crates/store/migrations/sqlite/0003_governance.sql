-- Federated computational governance, SQLite flavour. Kept column for column identical to
-- ../postgres/0003_governance.sql. Policies, findings and results are stored as the JSON of
-- `crates/governance` types; the store only knows their keys.

-- Every version of every policy. A draft is edited in place; once a policy has left draft, a
-- change writes the next version, so a finding's (policy, version) always names what it ran.
CREATE TABLE policies (
    id         TEXT NOT NULL,
    version    BIGINT NOT NULL,
    state      TEXT NOT NULL,
    document   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

-- A waiver excuses one product from one policy until a day, once approved by someone other
-- than who asked for it.
CREATE TABLE waivers (
    id           TEXT PRIMARY KEY,
    policy_id    TEXT NOT NULL,
    product_id   TEXT NOT NULL,
    reason       TEXT NOT NULL,
    expires      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'revoked')),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by   TEXT,
    decided_at   TEXT,
    note         TEXT
);
CREATE INDEX waivers_product ON waivers (product_id);

-- Every full evaluation of the registry (after a policy or waiver change, nightly, on demand).
CREATE TABLE governance_runs (
    id         TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    reason     TEXT NOT NULL,
    products   BIGINT NOT NULL,
    findings   BIGINT NOT NULL,
    blocking   BIGINT NOT NULL
);

-- Each product's standing after the newest run (and after each publication, which evaluates
-- that product): the `report::Evaluated` JSON.
CREATE TABLE governance_results (
    product_id   TEXT PRIMARY KEY,
    run_id       TEXT NOT NULL,
    domain_id    TEXT NOT NULL,
    team_id      TEXT NOT NULL,
    evaluated_at TEXT NOT NULL,
    failing      BIGINT NOT NULL,
    warnings     BIGINT NOT NULL,
    waived       BIGINT NOT NULL,
    -- passing, warnings or failing (an error not waived), for the catalog's facet and cards.
    state        TEXT NOT NULL,
    evaluated    TEXT NOT NULL
);

-- Since when a product has been failing a policy (for "days failing").
CREATE TABLE governance_failing (
    product_id TEXT NOT NULL,
    policy_id  TEXT NOT NULL,
    since      TEXT NOT NULL,
    PRIMARY KEY (product_id, policy_id)
);

-- Daily snapshots of the compliance matrix, so trends are history and not today's rules applied
-- to the past. The last run of a day writes that day's row.
CREATE TABLE governance_daily (
    day        TEXT NOT NULL,
    group_kind TEXT NOT NULL CHECK (group_kind IN ('domain', 'team')),
    group_id   TEXT NOT NULL,
    policy_id  TEXT NOT NULL,
    applicable BIGINT NOT NULL,
    passing    BIGINT NOT NULL,
    waived     BIGINT NOT NULL,
    failing    BIGINT NOT NULL,
    PRIMARY KEY (day, group_kind, group_id, policy_id)
);
