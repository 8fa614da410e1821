-- Meshwork registry, SQLite flavour. Kept column for column identical to ../postgres/0001_registry.sql:
-- ids, timestamps (RFC 3339 UTC, fixed width so they sort) and JSON are text; integers are 64-bit.

CREATE TABLE domains (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    parent_id   TEXT REFERENCES domains (id),
    color       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    revision    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    email         TEXT,
    password_hash TEXT,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    domain_id   TEXT NOT NULL REFERENCES domains (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    revision    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE team_members (
    team_id  TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    added_at TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    user_id      TEXT REFERENCES users (id) ON DELETE CASCADE,
    team_id      TEXT REFERENCES teams (id) ON DELETE CASCADE,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT,
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE products (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    domain_id       TEXT NOT NULL REFERENCES domains (id),
    team_id         TEXT NOT NULL REFERENCES teams (id),
    status          TEXT NOT NULL,
    product_type    TEXT,
    version         TEXT NOT NULL,
    purpose         TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '[]',
    classifications TEXT NOT NULL DEFAULT '[]',
    document        TEXT NOT NULL,
    source          TEXT NOT NULL,
    source_format   TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
);
CREATE INDEX products_domain ON products (domain_id);
CREATE INDEX products_team ON products (team_id);

CREATE TABLE product_revisions (
    product_id    TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL,
    version       TEXT NOT NULL,
    status        TEXT NOT NULL,
    source        TEXT NOT NULL,
    source_format TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    PRIMARY KEY (product_id, revision)
);

CREATE TABLE output_ports (
    product_id  TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    port_type   TEXT,
    version     TEXT NOT NULL,
    description TEXT,
    contract_id TEXT,
    PRIMARY KEY (product_id, name)
);
CREATE INDEX output_ports_contract ON output_ports (contract_id);

CREATE TABLE input_ports (
    product_id      TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    version         TEXT,
    contract_id     TEXT,
    external_source TEXT,
    PRIMARY KEY (product_id, name)
);
CREATE INDEX input_ports_contract ON input_ports (contract_id);

CREATE TABLE product_tags (
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
);

CREATE TABLE contracts (
    id            TEXT PRIMARY KEY,
    name          TEXT,
    version       TEXT NOT NULL,
    status        TEXT,
    domain_id     TEXT,
    team_id       TEXT REFERENCES teams (id),
    document      TEXT NOT NULL,
    source        TEXT NOT NULL,
    source_format TEXT NOT NULL,
    revision      INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);

CREATE TABLE contract_revisions (
    contract_id   TEXT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL,
    version       TEXT NOT NULL,
    status        TEXT,
    source        TEXT NOT NULL,
    source_format TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    PRIMARY KEY (contract_id, revision)
);

CREATE TABLE contract_fields (
    contract_id    TEXT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    position       INTEGER NOT NULL,
    object_name    TEXT NOT NULL,
    field_name     TEXT NOT NULL,
    logical_type   TEXT,
    physical_type  TEXT,
    required       INTEGER NOT NULL DEFAULT 0,
    primary_key    INTEGER NOT NULL DEFAULT 0,
    classification TEXT,
    pii            INTEGER NOT NULL DEFAULT 0,
    description    TEXT,
    PRIMARY KEY (contract_id, path)
);

CREATE TABLE drafts (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id TEXT,
    title      TEXT NOT NULL,
    state      TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX drafts_user ON drafts (user_id);

CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    summary      TEXT NOT NULL,
    diff         TEXT
);
CREATE INDEX audit_events_subject ON audit_events (subject_kind, subject_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Full-text search over products: name, description, tags and the field names of their contracts.
-- The store writes one row per product in the same transaction as the product.
CREATE VIRTUAL TABLE product_search USING fts5 (
    product_id UNINDEXED,
    name,
    description,
    tags,
    fields,
    tokenize = 'unicode61 remove_diacritics 2'
);
