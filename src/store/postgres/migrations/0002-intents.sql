-- A create's intent, written right before its request, so whoever creates the object next looks
-- for it on GitHub first. Resolved rows are deleted; the table holds only creates in doubt.
CREATE TABLE intents (
  key text PRIMARY KEY,
  kind text NOT NULL,
  repo text NOT NULL,
  job_id bigint NOT NULL,
  token text NOT NULL,
  recorded_at timestamptz NOT NULL
);
