#!/usr/bin/env node
// Claim cost against the queue's length: the same claims timed with 2,000 and 100,000 jobs queued,
// on SQLite (the store's own connection, in this thread) and, with BENCH_POSTGRES_URL, on PostgreSQL.
// Prints one line per backend and length; `npm run bench` runs it and copies the lines into RESULTS.md.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createPostgresStore } from "../src/store/postgres/create-postgres-store.ts";
import { POSTGRES_CLAIM_SQL } from "../src/store/postgres/postgres-claim-sql.ts";
import { createSqliteOperations } from "../src/store/sqlite/create-sqlite-operations.ts";
import { FIND_DUE_JOB_SQL } from "../src/store/sqlite/find-due-job-sql.ts";
import { openSqliteDatabase } from "../src/store/sqlite/open-sqlite-database.ts";

const LENGTHS = [2_000, 100_000];
/** Claims timed per length; each takes one job off the front, so the queue stays about as long. */
const CLAIMS = 500;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || undefined;

const EVENT = JSON.stringify({ kind: "bench", id: 1 });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function report(backend: string, queued: number, micros: number[]): string {
  const line = `${backend}: ${queued} queued: claim median ${median(micros).toFixed(1)} µs, max ${Math.max(...micros).toFixed(1)} µs (${micros.length} claims)`;
  console.log(line);
  return line;
}

function measureSqlite(queued: number): string {
  const dir = mkdtempSync(join(tmpdir(), "hfb-claim-"));
  try {
    const db = openSqliteDatabase(join(dir, "bridge.db"), 1_000);
    const now = Date.now();
    db.exec("BEGIN");
    // Done jobs ahead of the queue, as a store that has run a while holds them.
    db.prepare(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
      INSERT INTO deliveries (source, received_at, dedupe_key, dedupe_hash, body, headers, disposition)
      SELECT 'hub', :now, 'k' || i, i, '{}', '{}', 'queued' FROM n`).run({
      count: queued * 2,
      now,
    });
    db.prepare(`
      INSERT INTO jobs (delivery_id, state, event, not_before, updated_at)
      SELECT id, CASE WHEN id <= :count THEN 'done' ELSE 'queued' END, :event, :now - 1000, :now
      FROM deliveries`).run({ count: queued, event: EVENT, now });
    db.exec("COMMIT");
    db.exec("ANALYZE");
    // The read alone, without the lease's commit and fsync: what grew with the queue before.
    const find = db.prepare(FIND_DUE_JOB_SQL);
    const reads: number[] = [];
    for (let i = 0; i < CLAIMS; i++) {
      const started = process.hrtime.bigint();
      find.get({ now });
      reads.push(Number(process.hrtime.bigint() - started) / 1_000);
    }
    const operations = createSqliteOperations(db);
    const micros: number[] = [];
    for (let i = 0; i < CLAIMS; i++) {
      const started = process.hrtime.bigint();
      const job = operations.claimJob({ workerId: "bench", leaseMs: 60_000, now: new Date(now) });
      micros.push(Number(process.hrtime.bigint() - started) / 1_000);
      if (!job) throw new Error("the queue ran dry; raise its length or lower CLAIMS");
    }
    db.close();
    return `${report("SQLite", queued, micros)}; ${report("SQLite read only", queued, reads)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measurePostgres(url: string, queued: number): Promise<string> {
  const schema = `hfb_claim_${process.pid}_${queued}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const store = await createPostgresStore({ connectionString: url, schema });
    try {
      await admin.query(`SET search_path = ${schema}`);
      await admin.query(
        `INSERT INTO deliveries (source, received_at, dedupe_key, body, headers, disposition)
         SELECT 'hub', now(), 'k' || i, '{}', '{}', 'queued' FROM generate_series(1, $1) AS i`,
        [queued * 2],
      );
      await admin.query(
        `INSERT INTO jobs (delivery_id, state, event, not_before)
         SELECT id, CASE WHEN id <= $1 THEN 'done' ELSE 'queued' END, $2::jsonb, now() - interval '1 second'
         FROM deliveries`,
        [queued, EVENT],
      );
      await admin.query("ANALYZE jobs");
      // The plan and the read's own time, without the pool, the round trip and the commit.
      await admin.query("BEGIN");
      const explained = await admin.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${POSTGRES_CLAIM_SQL}`, [
        "t",
        new Date(Date.now() + 60_000),
        "bench",
        new Date(),
      ]);
      await admin.query("ROLLBACK");
      const plan = (explained.rows[0] as { "QUERY PLAN": Array<{ "Execution Time": number }> })[
        "QUERY PLAN"
      ][0];
      console.log(
        `PostgreSQL: ${queued} queued: EXPLAIN ANALYZE execution ${plan?.["Execution Time"]} ms`,
      );
      const micros: number[] = [];
      for (let i = 0; i < CLAIMS; i++) {
        const started = process.hrtime.bigint();
        const job = await store.claimJob({ workerId: "bench", leaseMs: 60_000 });
        micros.push(Number(process.hrtime.bigint() - started) / 1_000);
        if (!job) throw new Error("the queue ran dry; raise its length or lower CLAIMS");
      }
      return report("PostgreSQL", queued, micros);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

export async function measureClaimCost(): Promise<string[]> {
  const lines: string[] = [];
  for (const queued of LENGTHS) lines.push(measureSqlite(queued));
  if (POSTGRES_URL) {
    for (const queued of LENGTHS) lines.push(await measurePostgres(POSTGRES_URL, queued));
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) await measureClaimCost();
