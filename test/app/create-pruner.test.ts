import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPruner } from "../../src/app/create-pruner.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { fixtureDelivery } from "../store/fixture-delivery.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-06-01T00:00:00Z");

describe("createPruner", () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hfb-prune-"));
    store = await createSqliteStore({ path: join(dir, "bridge.db") });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("forgets deliveries past the retention at start, keeping younger ones and live jobs", async () => {
    const ignored = (fixture: string, ageDays: number) =>
      fixtureDelivery(fixture, {
        disposition: "ignored",
        event: undefined,
        receivedAt: new Date(NOW.getTime() - ageDays * DAY_MS),
      });
    const old = ignored("hookdeck-repo-update.json", 31);
    const young = ignored("hookdeck-repo-delete.json", 29);
    const oldButLive = fixtureDelivery("hookdeck-discussion.comment-create.json", {
      receivedAt: new Date(NOW.getTime() - 40 * DAY_MS),
    });
    for (const delivery of [old, young, oldButLive]) await store.recordDelivery(delivery);

    const pruner = createPruner({
      store,
      retentionDays: 30,
      logger: createLogger({ level: "silent" }),
      now: () => NOW,
    });
    pruner.start();
    await pruner.stop();

    expect((await store.recordDelivery(old)).status).toBe("accepted");
    expect((await store.recordDelivery(young)).status).toBe("duplicate");
    expect((await store.recordDelivery(oldButLive)).status).toBe("duplicate");
  });

  it("logs a failed prune and tries again at the next interval", async () => {
    const failures: string[] = [];
    const logger = createLogger({
      level: "warn",
      destination: { write: (line) => failures.push(line) },
    });
    await store.close();
    const pruner = createPruner({
      store,
      retentionDays: 30,
      logger,
      intervalMs: 5,
      now: () => NOW,
    });
    pruner.start();
    await vi.waitFor(() => expect(failures.length).toBeGreaterThanOrEqual(2));
    await pruner.stop();
    for (const line of failures) {
      expect(line).toMatch(/pruning old deliveries failed; retrying at the next interval/);
    }
    store = await createSqliteStore({ path: join(dir, "bridge.db") });
  });
});
