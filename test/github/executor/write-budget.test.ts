import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Effect } from "../../../src/effects/effect.ts";
import { createWriteBudgetExecutor } from "../../../src/github/create-write-budget-executor.ts";
import { PermanentJobError } from "../../../src/jobs/job-errors.ts";
import { type ExecutorHarness, settle, startExecutorHarness } from "./executor-harness.ts";

const REPO = { owner: "acme", repo: "app" };
const ISSUE = "hub-discussion:loop-test:1";

function comment(n: number): Effect {
  return {
    type: "create-comment",
    idempotencyKey: `comment-${n}`,
    repo: REPO,
    issue: ISSUE,
    link: `hub-comment:loop-${n}`,
    body: `echo ${n}`,
  };
}

describe("the per-thread write budget", () => {
  let h: ExecutorHarness;
  beforeEach(async () => {
    h = await startExecutorHarness();
  });
  afterEach(async () => {
    h.github.expectNoViolations();
    await h.close();
  });

  it("stops a thread that keeps being written to, with an alert, and lets it write again an hour later", async () => {
    const budgeted = createWriteBudgetExecutor({
      inner: h.executor,
      logger: pino({ level: "silent" }),
      writesPerHour: 3,
    });
    const run = (effect: Effect) =>
      settle(
        budgeted.execute(effect, {
          job: h.job,
          store: h.store,
          log: pino({ level: "silent" }),
          signal: new AbortController().signal,
        }),
      );
    const created = await run({
      type: "create-issue",
      idempotencyKey: "issue",
      repo: REPO,
      link: ISSUE,
      title: "t",
      body: "b",
    });
    await h.store.recordEffect(h.job, "issue", { status: created.status }, created.links);
    await run(comment(1));
    await run(comment(2));

    const tripped = run(comment(3));
    await expect(tripped).rejects.toBeInstanceOf(PermanentJobError);
    await expect(tripped).rejects.toThrow(
      /write budget spent: .* received 3 GitHub writes in the last hour \(at most 3\)/,
    );
    const comments = () => [...h.github.state.comments.values()];
    expect(comments()).toHaveLength(2);

    await h.advance(60 * 60_000 + 1);
    await run(comment(3));
    expect(comments()).toHaveLength(3);
  });
});
