import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/config-schema.ts";
import { runJob } from "../../../src/worker/run-job.ts";
import { type ExecutorHarness, settle, startExecutorHarness } from "./executor-harness.ts";

/** The harness's job is the Hub fixture's discussion on some-user/some-repo. */
const config = configSchema.parse({
  routes: [{ hub: "some-user/some-repo", github: "acme/app", discussions: true }],
});

describe("the GitHub executor inside the worker's runJob", () => {
  let h: ExecutorHarness;
  beforeEach(async () => {
    h = await startExecutorHarness();
  });
  afterEach(async () => {
    h.github.expectNoViolations();
    await h.close();
  });

  function run() {
    return settle(
      runJob(h.job, {
        store: h.store,
        config,
        executor: h.executor,
        log: pino({ level: "silent" }),
        policy: { maxAttempts: 5, retryDelayMs: () => 1_000, now: () => new Date() },
        signal: new AbortController().signal,
      }),
    );
  }

  it("mirrors the discussion and records the issue's link with the job's result", async () => {
    await run();

    const issues = [...(h.github.state.repos.get("acme/app")?.issues.values() ?? [])];
    expect(issues).toHaveLength(1);
    const delivery = (await h.store.listDeliveries({ limit: 1 }))[0];
    expect(delivery?.jobState).toBe("done");
    const created = delivery?.outcome?.effects.find(({ effect }) => effect.type === "create-issue");
    expect(created?.result).toMatchObject({ status: "done", githubId: issues[0]?.id });
    if (created?.effect.type !== "create-issue") throw new Error("no create-issue effect planned");
    expect(await h.store.getLink(created.effect.link)).toMatchObject({
      githubNumber: issues[0]?.number,
    });
  });

  it("dead-letters the job at once when GitHub answers 422, with GitHub's reason", async () => {
    h.github.inject({
      kind: "status",
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ code: "custom", message: "title is too long" }],
      },
      match: { operationId: "issues/create" },
    });
    await run();

    const [dead] = await h.store.listDeadLetters({ limit: 10 });
    expect(dead?.jobId).toBe(h.job.id);
    expect(dead?.attempts).toBe(1);
    expect(dead?.lastError).toMatch(
      /create issue in acme\/app: GitHub answered 422: Validation Failed; custom title is too long/,
    );
    expect(dead?.lastError).not.toMatch(/ghs_|bearer/i);
  });
});
