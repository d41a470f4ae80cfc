/**
 * Numbered schema steps, applied in order at open inside the store's schema (it is the search_path).
 * Never edit a released step: add the next one.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
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
    `,
  },
  {
    // A create's intent, written right before its request, so whoever creates the object next looks
    // for it on GitHub first. Resolved rows are deleted; the table holds only creates in doubt.
    version: 2,
    sql: `
      CREATE TABLE intents (
        key text PRIMARY KEY,
        kind text NOT NULL,
        repo text NOT NULL,
        job_id bigint NOT NULL,
        token text NOT NULL,
        recorded_at timestamptz NOT NULL
      );
    `,
  },
  {
    // The sender's delivery id (the Hub's Webhook-Id header). Its dedupe key (webhookIdKey) is claimed
    // in the dedupe table beside the payload key, so either one makes a later copy a duplicate.
    version: 3,
    sql: "ALTER TABLE deliveries ADD COLUMN webhook_id text;",
  },
  {
    // One row per finished attempt (done, retry, dead) with its error, for the console's detail page;
    // written by the same statement as the job's state change.
    version: 4,
    sql: `
      CREATE TABLE attempts (
        id bigserial PRIMARY KEY,
        job_id bigint NOT NULL,
        attempt integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('done', 'retry', 'dead')),
        error text,
        ended_at timestamptz NOT NULL
      );
      CREATE INDEX attempts_by_job ON attempts (job_id);
    `,
  },
  {
    // The claim ordered by id over an OR of both live states, which the planner answered by walking
    // the primary key past every finished job. Each arm now reads its own index in its own order
    // (postgres-claim-sql.ts).
    version: 5,
    sql: `
      DROP INDEX jobs_queued_due;
      DROP INDEX jobs_running_lease;
      CREATE INDEX jobs_queued_due ON jobs (not_before, id) WHERE state = 'queued';
      CREATE INDEX jobs_running_lease ON jobs (lease_expires_at, id) WHERE state = 'running';
    `,
  },
  {
    // Leases that let one replica of several do a job alone (one poller per watch across the fleet);
    // another takes over once the holder stops renewing.
    version: 6,
    sql: `
      CREATE TABLE leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      );
    `,
  },
  {
    // GitHub's write limits shared by the replicas: a row per lane (installation or token) holding
    // the slot of the write in flight and what spacing and the rolling caps count, and each thread's
    // recent writes for the write budget. Times are the bridge's epoch milliseconds.
    version: 7,
    sql: `
      CREATE TABLE write_lanes (
        lane text PRIMARY KEY,
        last_write_end double precision,
        last_content_end double precision,
        content_starts double precision[] NOT NULL DEFAULT '{}',
        paused_until double precision,
        pause_reason text NOT NULL DEFAULT '',
        holder text,
        held_until double precision
      );
      CREATE TABLE thread_writes (
        thread text NOT NULL,
        at double precision NOT NULL
      );
      CREATE INDEX thread_writes_by_thread ON thread_writes (thread, at);
    `,
  },
];
