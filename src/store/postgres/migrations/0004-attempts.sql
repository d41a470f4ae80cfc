-- One row per finished attempt (done, retry, dead) with its error, for the console's detail page;
-- written by the same statement as the job's state change.
CREATE TABLE attempts (
  id bigserial PRIMARY KEY,
  job_id bigint NOT NULL,
  attempt integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('done', 'retry', 'dead')),
  error text,
  ended_at timestamptz NOT NULL
);
CREATE INDEX attempts_by_job ON attempts (job_id);
