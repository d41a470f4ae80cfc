-- One row per finished attempt (done, retry, dead) with its error, for the console's detail page;
-- written in the same transaction as the job's state change.
CREATE TABLE attempts (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('done', 'retry', 'dead')),
  error TEXT,
  ended_at INTEGER NOT NULL
) STRICT;
CREATE INDEX attempts_by_job ON attempts (job_id);
