/**
 * Numbered schema steps, applied in order at open. Never edit a released step: add the next one.
 * Times are milliseconds since the epoch; JSON columns hold text.
 */
export const SQLITE_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
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
    `,
  },
  {
    // The dedupe table's text keys made every new delivery dirty a random page of a wide index, the
    // largest cost of an ingest commit. A 32-bit hash of the key (registered by migrateSqlite) indexes
    // the deliveries themselves; the key is compared on the few rows a hash finds, and writers already
    // serialise on BEGIN IMMEDIATE, so the lookup and the insert cannot interleave.
    version: 2,
    sql: `
      ALTER TABLE deliveries ADD COLUMN dedupe_hash INTEGER;
      UPDATE deliveries SET dedupe_hash = bridge_dedupe_hash(dedupe_key);
      CREATE INDEX deliveries_by_dedupe_hash ON deliveries (dedupe_hash);
      CREATE INDEX deliveries_by_received_at ON deliveries (received_at);
      DROP TABLE dedupe;
    `,
  },
  {
    // Even a hash index dirtied a random page per delivery, half of what each commit wrote. The hashes
    // are now held in memory by the writer (create-sqlite-dedupe-index.ts); the column stays for it.
    version: 3,
    sql: "DROP INDEX deliveries_by_dedupe_hash;",
  },
  {
    // A create's intent, written right before its request, so whoever creates the object next looks
    // for it on GitHub first. Resolved rows are deleted; the table holds only creates in doubt.
    version: 4,
    sql: `
      CREATE TABLE intents (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        repo TEXT NOT NULL,
        job_id INTEGER NOT NULL,
        token TEXT NOT NULL,
        recorded_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    // The sender's delivery id (the Hub's Webhook-Id header), the first dedupe check; its key's hash
    // joins the writer's in-memory index beside the payload key's (create-sqlite-dedupe-index.ts).
    version: 5,
    sql: `
      ALTER TABLE deliveries ADD COLUMN webhook_id TEXT;
      ALTER TABLE deliveries ADD COLUMN webhook_hash INTEGER;
    `,
  },
  {
    // One row per finished attempt (done, retry, dead) with its error, for the console's detail page;
    // written in the same transaction as the job's state change.
    version: 6,
    sql: `
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('done', 'retry', 'dead')),
        error TEXT,
        ended_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX attempts_by_job ON attempts (job_id);
    `,
  },
  {
    // The claim read every due job to find the smallest id: 0.1 ms with 2k queued, 6.6 ms at 76k, on
    // the thread that runs the group commits. Partial indexes hold only live jobs, in the claim's order
    // (find-due-job-sql.ts reads the first entry of each), and dead letters in the order they are listed.
    version: 7,
    sql: `
      DROP INDEX jobs_by_state_due;
      DROP INDEX jobs_by_state_lease;
      CREATE INDEX jobs_queued_due ON jobs (not_before, id) WHERE state = 'queued';
      CREATE INDEX jobs_running_lease ON jobs (lease_expires_at, id) WHERE state = 'running';
      CREATE INDEX jobs_dead ON jobs (updated_at, id) WHERE state = 'dead';
    `,
  },
  {
    // Leases (see the Store interface): one process holds them all on SQLite, kept so both backends
    // behave alike and pass one conformance suite.
    version: 8,
    sql: `
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];
