-- The claim ordered by id over an OR of both live states, which the planner answered by walking
-- the primary key past every finished job. Each arm now reads its own index in its own order
-- (postgres-claim-sql.ts).
DROP INDEX jobs_queued_due;
DROP INDEX jobs_running_lease;
CREATE INDEX jobs_queued_due ON jobs (not_before, id) WHERE state = 'queued';
CREATE INDEX jobs_running_lease ON jobs (lease_expires_at, id) WHERE state = 'running';
