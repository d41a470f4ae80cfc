import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { startBridgeChild } from "./support/start-bridge-child.ts";
import {
  ROUTED_DISCUSSION,
  startTestBridge,
  TEST_SECRET,
  type TestBridge,
} from "./support/start-test-bridge.ts";

const children: ChildProcess[] = [];
const dirs: string[] = [];
let bridge: TestBridge | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await bridge?.close();
  bridge = undefined;
});

/** Starts the server in its own process and resolves with its URL once it listens. */
async function startChild(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const started = await startBridgeChild(dbPath, TEST_SECRET);
  children.push(started.child);
  return started;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("durability", () => {
  it("keeps a delivery and its job when the process is killed right after the 202", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bridge-durability-"));
    dirs.push(dir);
    const dbPath = join(dir, "bridge.db");

    const first = await startChild(dbPath);
    const accepted = await postWebhook(`${first.url}/webhooks/huggingface`, ROUTED_DISCUSSION);
    expect(accepted.status).toBe(202);
    await killHard(first.child);

    const second = await startChild(dbPath);
    const again = await postWebhook(`${second.url}/webhooks/huggingface`, ROUTED_DISCUSSION);
    expect(again.json).toEqual({ status: "duplicate", deliveryId: accepted.json?.deliveryId });
    await killHard(second.child);

    const store = await createSqliteStore({ path: dbPath });
    try {
      const deliveries = await store.listDeliveries({ limit: 10 });
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({
        id: accepted.json?.deliveryId,
        disposition: "queued",
        eventKind: "discussion.opened",
        jobState: "queued",
        duplicates: 1,
      });
      const job = await store.claimJob({ workerId: "after-crash", leaseMs: 60_000 });
      expect(job?.deliveryId).toBe(accepted.json?.deliveryId);
      expect(job?.event.kind).toBe("discussion.opened");
    } finally {
      await store.close();
    }
  });

  it("answers ten concurrent copies of one delivery with one 202 and nine 200, and queues one job", async () => {
    bridge = await startTestBridge();
    const { webhookUrl, store } = bridge;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => postWebhook(webhookUrl, ROUTED_DISCUSSION)),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    const ids = new Set(responses.map((response) => response.json?.deliveryId));
    expect(ids.size).toBe(1);
    expect(await store.claimJob({ workerId: "w1", leaseMs: 60_000 })).toBeDefined();
    expect(await store.claimJob({ workerId: "w2", leaseMs: 60_000 })).toBeUndefined();
    expect((await store.listDeliveries({ limit: 10 }))[0]?.duplicates).toBe(9);
  });
});
