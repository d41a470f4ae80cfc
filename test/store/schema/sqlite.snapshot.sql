-- index attempts_by_job
CREATE INDEX attempts_by_job ON attempts (job_id);

-- index deliveries_by_received_at
CREATE INDEX deliveries_by_received_at ON deliveries (received_at);

-- index jobs_dead
CREATE INDEX jobs_dead ON jobs (updated_at, id) WHERE state = 'dead';

-- index jobs_queued_due
CREATE INDEX jobs_queued_due ON jobs (not_before, id) WHERE state = 'queued';

-- index jobs_running_lease
CREATE INDEX jobs_running_lease ON jobs (lease_expires_at, id) WHERE state = 'running';

-- table attempts
CREATE TABLE attempts (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('done', 'retry', 'dead')),
  error TEXT,
  ended_at INTEGER NOT NULL
) STRICT;

-- table deliveries
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  dedupe_key TEXT NOT NULL,
  body TEXT NOT NULL,
  headers TEXT NOT NULL,
  disposition TEXT NOT NULL CHECK (disposition IN ('queued', 'ignored', 'rejected')),
  reason TEXT,
  event_kind TEXT,
  duplicates INTEGER NOT NULL DEFAULT 0
, dedupe_hash INTEGER, webhook_id TEXT, webhook_hash INTEGER, body_packed BLOB, headers_packed BLOB) STRICT;

-- table intents
CREATE TABLE intents (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  repo TEXT NOT NULL,
  job_id INTEGER NOT NULL,
  token TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;

-- table jobs
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL UNIQUE REFERENCES deliveries (id),
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
  event TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL,
  lease_token TEXT,
  lease_expires_at INTEGER,
  worker_id TEXT,
  last_error TEXT,
  completed_effects TEXT NOT NULL DEFAULT '{}',
  outcome TEXT,
  updated_at INTEGER NOT NULL
, event_packed BLOB, outcome_packed BLOB, hub_repo TEXT) STRICT;

-- table leases
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

-- table links
CREATE TABLE links (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  repo TEXT NOT NULL,
  github_id INTEGER NOT NULL,
  github_number INTEGER,
  state TEXT,
  updated_at INTEGER NOT NULL
) STRICT;

-- table schema_migrations
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT;

-- table state
CREATE TABLE state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
