-- A create's intent, written right before its request, so whoever creates the object next looks
-- for it on GitHub first. Resolved rows are deleted; the table holds only creates in doubt.
CREATE TABLE intents (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  repo TEXT NOT NULL,
  job_id INTEGER NOT NULL,
  token TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
