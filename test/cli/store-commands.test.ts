import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.ts";
import type { DeadLetter, DeliverySummary } from "../../src/store/store.ts";
import { fixtureDelivery } from "../store/fixture-delivery.ts";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, runCli } from "./support/run-cli.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-store-cli-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A store in `<dir>/<dataDir>/bridge.db` holding one done job, one dead job and one ignored delivery. */
async function seedStore(dataDir: string): Promise<{ deadJobId: number }> {
  await mkdir(join(dir, dataDir), { recursive: true });
  const store = await createStore(join(dir, dataDir, "bridge.db"));
  try {
    await store.recordDelivery(fixtureDelivery("hubdocs-discussion-create-pr.json"));
    await store.recordDelivery(
      fixtureDelivery("composed-repo.content-update-main-and-new-tag.json"),
    );
    await store.recordDelivery(
      fixtureDelivery("hookdeck-repo-update.json", {
        disposition: "ignored",
        reason: "no route matches model openai-community/gpt2",
        event: undefined,
      }),
    );
    const done = await store.claimJob({ workerId: "test", leaseMs: 60_000 });
    const dead = await store.claimJob({ workerId: "test", leaseMs: 60_000 });
    if (!done || !dead) throw new Error("the seeded jobs were not claimable");
    await store.completeJob(done, { summary: "nothing to do", effects: [] });
    await store.deadLetterJob(dead, "GitHub answered 422: Validation Failed");
    return { deadJobId: dead.id };
  } finally {
    await store.close();
  }
}

describe("deliveries, dead-letters and replay read the store directly", {
  timeout: CHILD_PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("lists deliveries as JSON and as lines, honouring --limit and --data", async () => {
    await seedStore("custom-data");
    const json = await runCli(["deliveries", "--json", "--data", "custom-data"], { cwd: dir });
    expect(json.code).toBe(0);
    const deliveries = JSON.parse(json.stdout) as DeliverySummary[];
    expect(deliveries.map((d) => [d.disposition, d.eventKind ?? null, d.jobState ?? null])).toEqual(
      [
        ["ignored", null, null],
        ["queued", "content.updated", "dead"],
        ["queued", "discussion.opened", "done"],
      ],
    );

    const lines = await runCli(["deliveries", "--limit", "1", "--data", "custom-data"], {
      cwd: dir,
    });
    expect(lines.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^#3 \S+ hub - ignored — no route matches model openai-community\/gpt2$/,
      ),
    ]);

    const badLimit = await runCli(["deliveries", "--limit", "0"], { cwd: dir });
    expect(badLimit.code).toBe(1);
    expect(badLimit.stderr).toContain('"0" is not a count; use a whole number of 1 or more');
  });

  it("shows a dead letter, replays it once, and refuses an unknown job id", async () => {
    const { deadJobId } = await seedStore("data");
    const listed = await runCli(["dead-letters", "--json"], { cwd: dir });
    const deadLetters = JSON.parse(listed.stdout) as DeadLetter[];
    expect(deadLetters.map((d) => [d.jobId, d.event.kind, d.lastError])).toEqual([
      [deadJobId, "content.updated", "GitHub answered 422: Validation Failed"],
    ]);

    const replayed = await runCli(["replay", String(deadJobId)], { cwd: dir });
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(`job ${deadJobId} re-queued`);

    const after = await runCli(["dead-letters"], { cwd: dir });
    expect(after.stdout.trim()).toBe("no dead letters");
    const again = await runCli(["replay", String(deadJobId)], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `hf-bridge: no dead-lettered job ${deadJobId} — fix: pick a job id from "hf-bridge dead-letters"`,
    );
  });

  it("says where it looked when there is no store yet, and creates none", async () => {
    const result = await runCli(["deliveries"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'hf-bridge: no store at data/bridge.db (SQLite) — fix: start the bridge with "hf-bridge serve" first',
    );
    const stillMissing = await runCli(["dead-letters"], { cwd: dir });
    expect(stillMissing.code).toBe(1);
  });
});
