-- The inbox (deliveries and their dedupe keys), the job queue, links and state.
CREATE TABLE deliveries (
  id bigserial PRIMARY KEY,
  source text NOT NULL,
  received_at timestamptz NOT NULL,
  dedupe_key text NOT NULL,
  body text NOT NULL,
  headers jsonb NOT NULL,
  disposition text NOT NULL CHECK (disposition IN ('queued', 'ignored', 'rejected')),
  reason text,
  event_kind text,
  duplicates integer NOT NULL DEFAULT 0
);
-- The dedupe row is written first (it decides who wins a key), so its check waits for commit.
CREATE TABLE dedupe (
  key text PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES deliveries (id) DEFERRABLE INITIALLY DEFERRED,
  first_seen timestamptz NOT NULL
);
CREATE INDEX dedupe_first_seen ON dedupe (first_seen);
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL UNIQUE REFERENCES deliveries (id),
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
  event jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  not_before timestamptz NOT NULL,
  lease_token text,
  lease_expires_at timestamptz,
  worker_id text,
  last_error text,
  completed_effects jsonb NOT NULL DEFAULT '{}',
  outcome jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_queued_due ON jobs (not_before) WHERE state = 'queued';
CREATE INDEX jobs_running_lease ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_dead ON jobs (updated_at) WHERE state = 'dead';
CREATE TABLE links (
  key text PRIMARY KEY,
  kind text NOT NULL,
  repo text NOT NULL,
  github_id bigint NOT NULL,
  github_number integer,
  state jsonb,
  updated_at timestamptz NOT NULL
);
CREATE TABLE state (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
