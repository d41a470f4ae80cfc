import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteOperations } from "../../src/store/sqlite/create-sqlite-operations.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { openSqliteDatabase } from "../../src/store/sqlite/open-sqlite-database.ts";
import type { EffectResult, Job, LinkInput } from "../../src/store/store.ts";
import { fixtureDelivery } from "./fixture-delivery.ts";

const RELAXED = "PRAGMA synchronous = NORMAL";
const LINK: LinkInput = { key: "issue:k", kind: "issue", repo: "acme/app", githubId: 7 };

/**
 * Whether an effect's result is committed without its own fsync (synchronous=NORMAL) is invisible to
 * a process crash, so it is read off the statements the SQLite connection is given.
 */
describe("SQLite: which effect results are synced on their own", () => {
  let dir: string;
  let db: DatabaseSync;
  let statements: string[];
  let jobs: Job[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hfb-effect-sync-"));
    const path = join(dir, "bridge.db");
    const store = await createSqliteStore({ path });
    await store.recordDelivery(fixtureDelivery("hookdeck-discussion-create-pr.json"));
    await store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json"));
    jobs = [];
    for (let claimed = await store.claimJob({ workerId: "w", leaseMs: 60_000 }); claimed; ) {
      jobs.push(claimed);
      claimed = await store.claimJob({ workerId: "w", leaseMs: 60_000 });
    }
    await store.close();
    db = openSqliteDatabase(path, 1_000);
    statements = [];
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      statements.push(sql);
      exec(sql);
    };
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  function held(index: number): Job {
    const job = jobs[index];
    if (!job) throw new Error(`job ${index} was not claimed`);
    return job;
  }

  const cases: Array<[string, EffectResult, LinkInput[], string[], boolean]> = [
    ["a dry-run plan", { status: "planned", detail: "would comment" }, [], [], false],
    ["a skip", { status: "skipped", detail: "already in step" }, [], [], false],
    ["a GitHub write", { status: "done", githubId: 7 }, [], [], true],
    ["an accepted dispatch", { status: "accepted" }, [], [], true],
    ["a skip that records a link", { status: "skipped" }, [LINK], [], true],
    ["a skip that resolves an intent", { status: "skipped" }, [], ["dispatch:k"], true],
  ];

  for (const [what, result, links, intents, synced] of cases) {
    it(`${what} is ${synced ? "synced on its own" : "left to the next synced commit"}, alone and in a group`, () => {
      const operations = createSqliteOperations(db);
      statements.length = 0;
      operations.recordEffect(held(0), "alone", result, links, intents);
      expect(statements.includes(RELAXED)).toBe(!synced);

      statements.length = 0;
      operations.writeGroup([
        { operation: "recordEffect", args: [held(1), "grouped", result, links, intents] },
        { operation: "renewLease", args: [held(1), 60_000, Date.now()] },
      ]);
      expect(statements.includes(RELAXED)).toBe(!synced);
      expect(statements).toContain("COMMIT");

      const stored = db
        .prepare("SELECT completed_effects FROM jobs WHERE id = ?")
        .get(held(1).id) as { completed_effects: string };
      expect(JSON.parse(stored.completed_effects)).toEqual({ grouped: result });
    });
  }
});
