import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { sqliteMigrations } from "../../src/store/sqlite/sqlite-migrations.ts";
import { LeaseLostError, type NewDelivery, StoreUnavailableError } from "../../src/store/store.ts";
import { storedText } from "../../src/store/stored-text.ts";
import { countWalCommits } from "./count-wal-commits.ts";
import { fixtureDelivery } from "./fixture-delivery.ts";
import { describeStoreConformance } from "./store-conformance.ts";

for (const writerThread of ["worker", "main"] as const) {
  describeStoreConformance(`SQLite (${writerThread} thread)`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "hfb-sqlite-"));
    const store = await createSqliteStore({ path: join(dir, "bridge.db"), writerThread });
    return {
      store,
      destroy: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
}

describe("SQLite store", () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hfb-sqlite-"));
    path = join(dir, "bridge.db");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps deliveries, jobs, links and state across close and reopen", async () => {
    const first = await createSqliteStore({ path });
    const delivery = fixtureDelivery("hookdeck-discussion.comment-create.json");
    const recorded = await first.recordDelivery(delivery);
    await first.putLink({ key: "k", kind: "issue", repo: "a/b", githubId: 5, githubNumber: 2 });
    await first.setState("cursor", { page: 3 });
    await first.close();

    const second = await createSqliteStore({ path });
    try {
      expect(await second.recordDelivery(delivery)).toEqual({
        status: "duplicate",
        deliveryId: recorded.deliveryId,
      });
      const job = await second.claimJob({ workerId: "w", leaseMs: 1000 });
      expect(job?.event).toEqual(delivery.event);
      expect(await second.getLink("k")).toMatchObject({ githubId: 5, githubNumber: 2 });
      expect(await second.getState("cursor")).toEqual({ page: 3 });
    } finally {
      await second.close();
    }
  });

  it("records the schema version once and reopens without reapplying it", async () => {
    await (await createSqliteStore({ path })).close();
    await (await createSqliteStore({ path })).close();
    const db = new DatabaseSync(path);
    try {
      expect(db.prepare("SELECT version FROM schema_migrations").all()).toEqual(
        // Every migration applied once, numbered 1, 2, 3, … with no gap.
        sqliteMigrations().map((_, index) => ({ version: index + 1 })),
      );
      expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    } finally {
      db.close();
    }
  });

  it("upgrades a version 1 file in place: its deliveries still deduplicate and prune", async () => {
    const old = new DatabaseSync(path);
    old.exec(sqliteMigrations()[0]?.sql ?? "");
    old.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT",
    );
    old.exec("INSERT INTO schema_migrations VALUES (1, 0)");
    const delivery = fixtureDelivery("hookdeck-discussion.comment-create.json");
    // Written as the version 1 writer did: the delivery row, then its key in the dedupe table.
    old
      .prepare(
        "INSERT INTO deliveries (id, source, received_at, dedupe_key, body, headers, disposition) VALUES (7, 'hub', 0, ?, ?, '{}', 'ignored')",
      )
      .run(delivery.dedupeKey, delivery.body);
    old.prepare("INSERT INTO dedupe VALUES (?, 7, 0)").run(delivery.dedupeKey);
    old.close();

    const store = await createSqliteStore({ path });
    try {
      expect(await store.recordDelivery(delivery)).toEqual({ status: "duplicate", deliveryId: 7 });
      expect(await store.prune(new Date(1))).toBe(1);
      expect((await store.recordDelivery(delivery)).status).toBe("accepted");
    } finally {
      await store.close();
    }
  });

  it("reads a delivery and job written as plain text before packing, and filters on its Hub repo", async () => {
    const delivery = fixtureDelivery("hookdeck-discussion.comment-create.json");
    const old = new DatabaseSync(path);
    old.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT",
    );
    const beforePacking = sqliteMigrations().filter((step) => step.version < 9);
    for (const step of beforePacking) {
      old.exec(step.sql.replaceAll("bridge_dedupe_hash(dedupe_key)", "0"));
      old.prepare("INSERT INTO schema_migrations VALUES (?, 0)").run(step.version);
    }
    // Written as the version 8 writer did: plain JSON text in body, headers and event.
    old
      .prepare(
        "INSERT INTO deliveries (id, source, received_at, dedupe_key, dedupe_hash, body, headers, disposition, event_kind) VALUES (7, 'hub', 0, ?, 1, ?, ?, 'queued', ?)",
      )
      .run(
        delivery.dedupeKey,
        delivery.body,
        JSON.stringify(delivery.headers),
        delivery.event?.kind ?? null,
      );
    old
      .prepare(
        "INSERT INTO jobs (id, delivery_id, state, event, not_before, updated_at) VALUES (3, 7, 'queued', ?, 0, 0)",
      )
      .run(JSON.stringify(delivery.event));
    const outcome = { summary: "1 effect", effects: [] };
    old.exec(
      "INSERT INTO deliveries (id, source, received_at, dedupe_key, dedupe_hash, body, headers, disposition) VALUES (8, 'hub', 0, 'k8', 2, '{}', '{}', 'queued')",
    );
    old
      .prepare(
        "INSERT INTO jobs (delivery_id, state, event, outcome, not_before, updated_at) VALUES (8, 'done', '{}', ?, 0, 0)",
      )
      .run(JSON.stringify(outcome));
    old.close();

    const store = await createSqliteStore({ path });
    try {
      const detail = await store.getDeliveryDetail(7);
      expect(detail?.body).toBe(delivery.body);
      expect(detail?.headers).toEqual(delivery.headers);
      expect(detail?.event).toEqual(delivery.event);
      const repo = (delivery.event as { repo: { name: string } }).repo.name;
      expect(detail?.summary.hubRepo).toBe(repo);
      const page = await store.listDeliveryPage({ limit: 10, hubRepo: repo });
      expect(page.deliveries.map((summary) => summary.id)).toEqual([7]);
      expect((await store.getDelivery(8))?.outcome).toEqual(outcome);
      expect(
        (await store.listDeliveryPage({ limit: 10, hubRepo: "other/repo" })).deliveries,
      ).toEqual([]);
      const job = await store.claimJob({ workerId: "w", leaseMs: 1000 });
      expect(job).toMatchObject({ id: 3, deliveryId: 7, event: delivery.event });
    } finally {
      await store.close();
    }
  });

  it("deduplicates against deliveries that another connection wrote to the same file", async () => {
    const first = await createSqliteStore({ path });
    const second = await createSqliteStore({ path, writerThread: "main" });
    try {
      const delivery = fixtureDelivery("hookdeck-discussion.comment-create.json");
      // Both have loaded their keys before either writes; the second must still see the first's row.
      expect(
        await second.recordDelivery(fixtureDelivery("hookdeck-repo-update.json")),
      ).toMatchObject({ status: "accepted" });
      const accepted = await first.recordDelivery(delivery);
      expect(accepted.status).toBe("accepted");
      expect(await second.recordDelivery(delivery)).toEqual({
        status: "duplicate",
        deliveryId: accepted.deliveryId,
      });
      expect(await first.recordDelivery(delivery)).toEqual({
        status: "duplicate",
        deliveryId: accepted.deliveryId,
      });
    } finally {
      await second.close();
      await first.close();
    }
  });

  it("tells apart two keys with the same 32-bit hash, before and after a reopen and a prune", async () => {
    // A known FNV-1a collision (both hash to 2857592253): only the stored key can tell them apart.
    const [first, second] = ["488772", "2026080"].map((suffix, index) =>
      fixtureDelivery("hookdeck-repo-update.json", {
        dedupeKey: `hub:discussion.comment:create:${suffix}`,
        disposition: "ignored",
        event: undefined,
        receivedAt: new Date(index + 1),
      }),
    ) as [NewDelivery, NewDelivery];
    let store = await createSqliteStore({ path });
    try {
      expect(await store.recordDelivery(first)).toMatchObject({
        status: "accepted",
        deliveryId: 1,
      });
      expect(await store.recordDelivery(second)).toMatchObject({
        status: "accepted",
        deliveryId: 2,
      });
      await store.close();
      store = await createSqliteStore({ path });
      expect(await store.recordDelivery(second)).toEqual({ status: "duplicate", deliveryId: 2 });
      // Pruning the first leaves the second's key in force, and frees the first's.
      expect(await store.prune(new Date(2))).toBe(1);
      expect(await store.recordDelivery(second)).toEqual({ status: "duplicate", deliveryId: 2 });
      expect(await store.recordDelivery(first)).toMatchObject({
        status: "accepted",
        deliveryId: 3,
      });
    } finally {
      await store.close();
    }
  });

  it("refuses a file written by a newer schema, naming it", async () => {
    await (await createSqliteStore({ path })).close();
    const db = new DatabaseSync(path);
    db.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)");
    db.close();
    await expect(createSqliteStore({ path })).rejects.toThrow(
      new RegExp(
        `has schema version 99 but this bridge knows only up to ${sqliteMigrations().length}`,
      ),
    );
  });

  it("never stores the webhook secret header or another credential header", async () => {
    const store = await createSqliteStore({ path });
    await store.recordDelivery(
      fixtureDelivery("hookdeck-repo-update.json", {
        headers: {
          "X-Webhook-Secret": "hunter2",
          "Proxy-Authorization": "Basic aHVudGVyMg==",
          "content-type": "application/json",
        },
      }),
    );
    await store.close();
    const db = new DatabaseSync(path);
    try {
      const rows = db.prepare("SELECT headers, headers_packed FROM deliveries").all();
      expect(rows.map((row) => storedText(row.headers_packed, row.headers))).toEqual([
        '{"content-type":"application/json"}',
      ]);
    } finally {
      db.close();
    }
  });

  it.each(["worker", "main"] as const)(
    "rejects a whole failed batch with StoreUnavailableError and keeps none of it (%s thread)",
    async (writerThread) => {
      const store = await createSqliteStore({ path, writerThread });
      // A second connection plays the failing disk: the poisoned insert aborts the shared transaction.
      const saboteur = new DatabaseSync(path);
      saboteur.exec(`
      CREATE TRIGGER poison BEFORE INSERT ON deliveries WHEN NEW.dedupe_key = 'poison'
      BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END`);
      try {
        const good = fixtureDelivery("hookdeck-discussion.comment-create.json");
        const other = fixtureDelivery("hookdeck-discussion-create-pr.json");
        const batch = [good, { ...good, dedupeKey: "poison" }, other].map((delivery) =>
          store.recordDelivery(delivery),
        );
        const settled = await Promise.allSettled(batch);
        for (const outcome of settled) {
          expect(outcome.status).toBe("rejected");
          const reason = (outcome as PromiseRejectedResult).reason;
          expect(reason).toBeInstanceOf(StoreUnavailableError);
          expect(reason.message).toMatch(/recording 3 deliveries failed: disk I\/O error/);
        }
        expect(await store.listDeliveries({ limit: 10 })).toEqual([]);
        expect(await store.claimJob({ workerId: "w", leaseMs: 1000 })).toBeUndefined();

        saboteur.exec("DROP TRIGGER poison");
        expect(await store.recordDelivery(good)).toMatchObject({ status: "accepted", jobId: 1 });
      } finally {
        saboteur.close();
        await store.close();
      }
    },
  );

  it("commits the delivery batches that queued while the writer was busy in one transaction", async () => {
    const store = await createSqliteStore({ path });
    const other = new DatabaseSync(path);
    try {
      await store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json"));
      const before = countWalCommits(`${path}-wal`);
      other.exec("BEGIN IMMEDIATE");
      // The first batch reaches the SQLite thread and waits there for the lock; two more batches,
      // sent on later turns of the event loop, queue behind it.
      const first = store.recordDelivery(fixtureDelivery("hookdeck-discussion-create-pr.json"));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = store.recordDelivery(
        fixtureDelivery("hookdeck-discussion.comment-create.json"),
      );
      await new Promise((resolve) => setImmediate(resolve));
      const third = store.recordDelivery(fixtureDelivery("hookdeck-repo-delete.json"));
      await new Promise((resolve) => setTimeout(resolve, 50));
      other.exec("ROLLBACK");
      const results = await Promise.all([first, second, third]);
      expect(results.map((result) => result.status)).toEqual(["accepted", "accepted", "accepted"]);
      expect(countWalCommits(`${path}-wal`) - before).toBe(2);
    } finally {
      other.close();
      await store.close();
    }
  });

  it("commits a job's claim, effect result and completion that queued behind an ingest batch with it, each answered for itself", async () => {
    const store = await createSqliteStore({ path });
    const other = new DatabaseSync(path);
    try {
      await store.recordDelivery(fixtureDelivery("hookdeck-discussion-create-pr.json"));
      await store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json"));
      const claim = { workerId: "w1", leaseMs: 60_000, now: new Date() };
      const running = await store.claimJob(claim);
      if (!running) throw new Error("no job was queued");
      const before = countWalCommits(`${path}-wal`);
      other.exec("BEGIN IMMEDIATE");
      // The batch reaches the SQLite thread and waits there for the lock; the job's writes queue behind it.
      const batch = store.recordDelivery(fixtureDelivery("hookdeck-repo-delete.json"));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = store.claimJob(claim);
      const effect = store.recordEffect(running, "effect-1", { status: "planned", detail: "d" });
      const stale = store.renewLease(
        { ...running, leaseToken: "not-the-lease" },
        60_000,
        new Date(),
      );
      const done = store.completeJob(running, { summary: "1 effect: 1 planned", effects: [] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      other.exec("ROLLBACK");
      expect(await batch).toMatchObject({ status: "accepted" });
      expect(await next).toMatchObject({ deliveryId: 2 });
      await effect;
      await expect(stale).rejects.toThrow(LeaseLostError);
      await done;
      // The batch alone (it waited for the lock), then the four job writes together.
      expect(countWalCommits(`${path}-wal`) - before).toBe(2);
      const detail = await store.getDeliveryDetail(running.deliveryId);
      expect(detail?.summary.jobState).toBe("done");
      expect(detail?.completedEffects).toEqual({ "effect-1": { status: "planned", detail: "d" } });
    } finally {
      other.close();
      await store.close();
    }
  });

  it("stores a finished job's effect results once: its outcome holds them, the row only what the outcome lacks", async () => {
    const store = await createSqliteStore({ path });
    try {
      await store.recordDelivery(fixtureDelivery("hookdeck-discussion-create-pr.json"));
      await store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json"));
      const claim = { workerId: "w1", leaseMs: 60_000 };
      const first = await store.claimJob(claim);
      const second = await store.claimJob(claim);
      if (!first || !second) throw new Error("two jobs were queued");
      const planned = { status: "planned" as const, detail: "would dispatch" };
      const effect = {
        type: "repository-dispatch" as const,
        idempotencyKey: "dispatch:1",
        repo: { owner: "acme", repo: "app" },
        eventType: "hub-update",
        clientPayload: {},
      };
      for (const job of [first, second]) await store.recordEffect(job, "dispatch:1", planned);
      await store.recordEffect(second, "comment:dropped", { status: "done", githubId: 9 });
      const outcome = { summary: "1 effect: 1 planned", effects: [{ effect, result: planned }] };
      await store.completeJob(first, outcome);
      await store.completeJob(second, outcome);
    } finally {
      await store.close();
    }
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      expect(db.prepare("SELECT completed_effects FROM jobs ORDER BY id").all()).toEqual([
        { completed_effects: "{}" },
        {
          completed_effects: JSON.stringify({ "comment:dropped": { status: "done", githubId: 9 } }),
        },
      ]);
    } finally {
      db.close();
    }
  });

  it("rejects a batch with StoreUnavailableError while another process holds the write lock", async () => {
    const store = await createSqliteStore({ path, answerWithinMs: 50 });
    const other = new DatabaseSync(path);
    try {
      other.exec("BEGIN IMMEDIATE");
      const locked = store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json"));
      await expect(locked).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(locked).rejects.toThrow(/recording 1 deliveries failed: database is locked/);
      other.exec("ROLLBACK");
      expect(
        await store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json")),
      ).toMatchObject({ status: "accepted", deliveryId: 1 });
    } finally {
      other.close();
      await store.close();
    }
  });

  it("rejects writes after close with StoreUnavailableError", async () => {
    const store = await createSqliteStore({ path });
    const pending = store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json"));
    await store.close();
    expect(await pending).toMatchObject({ status: "accepted" });
    await expect(
      store.recordDelivery(fixtureDelivery("hookdeck-repo-delete.json")),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.setState("k", 1)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("names the path when the file cannot be opened", async () => {
    await expect(createSqliteStore({ path: join(dir, "missing", "bridge.db") })).rejects.toThrow(
      /SQLite store ".*missing\/bridge.db" cannot be opened/,
    );
  });
});
