import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Effect } from "../../src/effects/effect.ts";
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

  it("shows each effect on its own line (kind, target, outcome, link) and the error of a failed job", async () => {
    await mkdir(join(dir, "data"), { recursive: true });
    const store = await createStore(join(dir, "data", "bridge.db"));
    try {
      for (const key of ["planned", "done", "dead", "retrying"]) {
        await store.recordDelivery(
          fixtureDelivery("hubdocs-discussion-create-pr.json", { dedupeKey: `effects-${key}` }),
        );
      }
      const claim = async () => {
        const job = await store.claimJob({ workerId: "test", leaseMs: 60_000 });
        if (!job) throw new Error("a seeded job was not claimable");
        return job;
      };
      const repo = { owner: "acme", repo: "widgets" };
      const createIssue: Effect = {
        type: "create-issue",
        idempotencyKey: "k1",
        repo,
        link: "hub-discussion:abc:5",
        title: "[Hub] Update co2 emissions",
        body: "…",
        labels: ["huggingface", "hub-pr"],
      };
      const dispatch: Effect = {
        type: "repository-dispatch",
        idempotencyKey: "k2",
        repo,
        eventType: "hf.model.updated",
        clientPayload: {},
      };
      await store.completeJob(await claim(), {
        summary: "2 effects: 2 planned",
        effects: [
          {
            effect: createIssue,
            result: { status: "planned", detail: "create issue in acme/widgets" },
          },
          { effect: dispatch, result: { status: "planned", detail: "send hf.model.updated" } },
        ],
      });
      await store.completeJob(await claim(), {
        summary: "3 effects: 1 done, 1 skipped, 1 accepted",
        effects: [
          {
            effect: createIssue,
            result: {
              status: "done",
              githubId: 7,
              url: "https://github.com/acme/widgets/issues/7",
            },
          },
          {
            effect: {
              type: "add-labels",
              idempotencyKey: "k3",
              repo,
              issue: "hub-discussion:abc:5",
              labels: ["draft"],
            },
            result: { status: "skipped", detail: "already labelled" },
          },
          {
            effect: dispatch,
            result: { status: "accepted", detail: "accepted by GitHub, no run known" },
          },
        ],
      });
      await store.deadLetterJob(
        await claim(),
        "PermanentJobError: GitHub answered 422: Validation Failed",
      );
      await store.retryJob(
        await claim(),
        "Error: GitHub answered 502: Bad Gateway",
        new Date(Date.now() + 60_000),
      );
    } finally {
      await store.close();
    }

    const listed = await runCli(["deliveries"], { cwd: dir });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe("");
    expect(listed.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/^#4 \S+ hub discussion\.opened queued job 4 queued \(1 attempts\)$/),
      "    last attempt failed, will retry: Error: GitHub answered 502: Bad Gateway",
      expect.stringMatching(/^#3 \S+ hub discussion\.opened queued job 3 dead \(1 attempts\)$/),
      "    failed: PermanentJobError: GitHub answered 422: Validation Failed",
      expect.stringMatching(
        /^#2 \S+ hub discussion\.opened queued job 2 done \(1 attempts\) — 3 effects: 1 done, 1 skipped, 1 accepted$/,
      ),
      '    create-issue acme/widgets "[Hub] Update co2 emissions" [huggingface, hub-pr]: done https://github.com/acme/widgets/issues/7',
      "    add-labels acme/widgets [draft]: skipped (already labelled)",
      "    repository-dispatch acme/widgets hf.model.updated: accepted (accepted by GitHub, no run known)",
      expect.stringMatching(
        /^#1 \S+ hub discussion\.opened queued job 1 done \(1 attempts\) — 2 effects: 2 planned$/,
      ),
      '    create-issue acme/widgets "[Hub] Update co2 emissions" [huggingface, hub-pr]: planned',
      "    repository-dispatch acme/widgets hf.model.updated: planned",
    ]);

    // The same, whole, for scripts.
    const json = await runCli(["deliveries", "--json"], { cwd: dir });
    const deliveries = JSON.parse(json.stdout) as DeliverySummary[];
    expect(
      deliveries.map((d) => [d.jobState, d.lastError ?? null, d.outcome?.effects.length ?? 0]),
    ).toEqual([
      ["queued", "Error: GitHub answered 502: Bad Gateway", 0],
      ["dead", "PermanentJobError: GitHub answered 422: Validation Failed", 0],
      ["done", null, 3],
      ["done", null, 2],
    ]);
    expect(deliveries[2]?.outcome?.effects[0]?.result.url).toBe(
      "https://github.com/acme/widgets/issues/7",
    );
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
      `hf-bridge: no dead-lettered job ${deadJobId} — fix: pick a job id from "npx hf-bridge dead-letters"`,
    );
  });

  it("says where it looked when there is no store yet, and creates none", async () => {
    const result = await runCli(["deliveries"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'hf-bridge: no store at data/bridge.db (SQLite) — fix: start the bridge with "npx hf-bridge serve" first',
    );
    const stillMissing = await runCli(["dead-letters"], { cwd: dir });
    expect(stillMissing.code).toBe(1);
  });
});
