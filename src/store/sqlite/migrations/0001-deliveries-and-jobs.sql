-- The inbox (deliveries and their dedupe keys), the job queue, links and state. Times are
-- milliseconds since the epoch; JSON columns hold text.
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
) STRICT;
CREATE TABLE dedupe (
  key TEXT PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
  first_seen INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX dedupe_first_seen ON dedupe (first_seen);
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
) STRICT;
CREATE INDEX jobs_by_state_due ON jobs (state, not_before);
CREATE INDEX jobs_by_state_lease ON jobs (state, lease_expires_at);
CREATE TABLE links (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  repo TEXT NOT NULL,
  github_id INTEGER NOT NULL,
  github_number INTEGER,
  state TEXT,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
