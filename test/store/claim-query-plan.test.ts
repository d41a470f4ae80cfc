import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.ts";
import { POSTGRES_CLAIM_SQL } from "../../src/store/postgres/postgres-claim-sql.ts";
import { FIND_DUE_JOB_SQL } from "../../src/store/sqlite/find-due-job-sql.ts";
import { openSqliteDatabase } from "../../src/store/sqlite/open-sqlite-database.ts";
import { postgresAvailable } from "../support/postgres.ts";

/** Enough finished and queued jobs that a scan would be the planner's worse choice by far. */
const DONE_JOBS = 5_000;
const QUEUED_JOBS = 5_000;
const RUNNING_JOBS = 50;
const EVENT = JSON.stringify({ kind: "plan-test" });

const probe = await postgresAvailable();

describe("the claim's query plan", () => {
  it("SQLite reads one entry of each live-job index and scans no table", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hfb-plan-"));
    const db = openSqliteDatabase(join(dir, "bridge.db"), 1_000);
    try {
      const now = Date.now();
      db.exec("BEGIN");
      db.prepare(`
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
        INSERT INTO deliveries (source, received_at, dedupe_key, dedupe_hash, body, headers, disposition)
        SELECT 'hub', :now, 'k' || i, i, '{}', '{}', 'queued' FROM n`).run({
        count: DONE_JOBS + QUEUED_JOBS + RUNNING_JOBS,
        now,
      });
      db.prepare(`
        INSERT INTO jobs (delivery_id, state, event, not_before, lease_expires_at, updated_at)
        SELECT id,
          CASE WHEN id <= :done THEN 'done' WHEN id <= :live THEN 'queued' ELSE 'running' END,
          :event, :now, CASE WHEN id > :live THEN :now END, :now
        FROM deliveries`).run({
        done: DONE_JOBS,
        live: DONE_JOBS + QUEUED_JOBS,
        event: EVENT,
        now,
      });
      db.exec("COMMIT");
      db.exec("ANALYZE");

      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${FIND_DUE_JOB_SQL}`).all({ now }) as Array<{
          detail: string;
        }>
      ).map((row) => row.detail);
      // "SCAN jobs" (with or without an index) reads every row or entry; a one-row subquery's SCAN is fine.
      expect(plan.filter((detail) => /^SCAN (jobs|j)\b/.test(detail))).toEqual([]);
      expect(plan).toContain("SEARCH jobs USING COVERING INDEX jobs_queued_due (not_before<?)");
      expect(plan).toContain(
        "SEARCH jobs USING COVERING INDEX jobs_running_lease (lease_expires_at<?)",
      );
      // And the plan answers: the oldest queued job (the first after the done ones).
      expect(db.prepare(FIND_DUE_JOB_SQL).get({ now })).toEqual({ id: DONE_JOBS + 1 });
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  if (!probe.reachable) {
    it("PostgreSQL needs a reachable PostgreSQL", (context) => {
      if (probe.required)
        throw new Error(`${probe.problem}; HF_BRIDGE_REQUIRE_POSTGRES=1 forbids skipping`);
      context.skip(probe.problem);
    });
    return;
  }

  it("PostgreSQL walks the live-job partial indexes and scans no table", async () => {
    const schema = `hfb_test_plan_${process.pid}`;
    const store = await createPostgresStore({ connectionString: probe.url, schema });
    const client = new pg.Client({ connectionString: probe.url });
    await client.connect();
    try {
      await client.query(`SET search_path = ${schema}`);
      await client.query(
        `INSERT INTO deliveries (source, received_at, dedupe_key, body, headers, disposition)
         SELECT 'hub', now(), 'k' || i, '{}', '{}', 'queued' FROM generate_series(1, $1) AS i`,
        [DONE_JOBS + QUEUED_JOBS + RUNNING_JOBS],
      );
      await client.query(
        `INSERT INTO jobs (delivery_id, state, event, not_before, lease_expires_at)
         SELECT id,
           CASE WHEN id <= $1 THEN 'done' WHEN id <= $2 THEN 'queued' ELSE 'running' END,
           $3::jsonb, now() - interval '1 second',
           CASE WHEN id > $2 THEN now() + interval '1 minute' END
         FROM deliveries`,
        [DONE_JOBS, DONE_JOBS + QUEUED_JOBS, EVENT],
      );
      await client.query("ANALYZE jobs");
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${POSTGRES_CLAIM_SQL}`, [
        "token",
        new Date(Date.now() + 60_000),
        "plan-test",
        new Date(),
      ]);
      const nodes = flatten(
        (rows[0] as { "QUERY PLAN": Array<{ Plan: PlanNode }> })["QUERY PLAN"][0]?.Plan,
      );
      const scans = nodes.filter((node) => /Seq Scan|Bitmap Heap Scan/.test(node["Node Type"]));
      expect(scans.map((node) => `${node["Node Type"]} on ${node["Relation Name"]}`)).toEqual([]);
      const indexes = nodes.map((node) => node["Index Name"]).filter(Boolean);
      expect(indexes).toContain("jobs_queued_due");
      expect(indexes).toContain("jobs_running_lease");
      // The queued arm needs no sort: the index hands out entries in the claim's order.
      expect(nodes.map((node) => node["Node Type"])).not.toContain("Sort");
    } finally {
      await client.end();
      await store.close();
      const admin = new pg.Client({ connectionString: probe.url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode | undefined): PlanNode[] {
  if (!node) return [];
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
