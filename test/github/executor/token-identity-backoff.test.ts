import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Effect } from "../../../src/effects/effect.ts";
import {
  type ExecutorHarness,
  repoRef,
  startExecutorHarness,
  TEST_TOKEN_LOGIN,
} from "./executor-harness.ts";

/** Jobs over ten minutes of fake time, one every two seconds, as a queue retrying them would send. */
const JOBS = 300;
const JOB_SPACING_MS = 2_000;
/**
 * 1 s doubling to the 5-minute cap: look-ups at 0, 1, 3, 7, 15, 31, 63, 127, 255 and 511 s, ten in
 * the ten minutes; one more is allowed for the job that lands exactly on a boundary.
 */
const MAX_IDENTITY_LOOKUPS = 11;
const BACKOFF_CAP_MS = 300_000;

function createIssue(n: number): Effect {
  return {
    type: "create-issue",
    idempotencyKey: `create-issue:${n}`,
    repo: repoRef(),
    link: `hub-discussion:acme/model:${n}`,
    title: `[Hub] Discussion ${n}`,
    body: "Body",
    labels: ["huggingface"],
  };
}

describe("the token's identity (GET /user)", () => {
  let h: ExecutorHarness;
  beforeEach(async () => {
    h = await startExecutorHarness({ auth: "token" });
  });
  afterEach(async () => {
    h.github.expectNoViolations();
    await h.close();
  });

  const identityLookups = () =>
    h.github.requests.filter((request) => request.method === "GET" && request.path === "/user");

  it("is looked up a bounded number of times across many jobs while GET /user fails, then once", async () => {
    const heal = h.github.inject({
      kind: "status",
      status: 500,
      times: Number.POSITIVE_INFINITY,
      match: { method: "GET", path: "/user" },
    });
    for (let n = 0; n < JOBS; n++) {
      // Each job fails with the look-up's error (the worker retries it later) and writes nothing.
      await expect(h.run(createIssue(n))).rejects.toMatchObject({ status: 500 });
      await h.advance(JOB_SPACING_MS);
    }
    expect(h.github.requests.filter((request) => request.method === "POST")).toEqual([]);
    const failedLookups = identityLookups().length;
    expect(failedLookups).toBeGreaterThan(1);
    expect(failedLookups).toBeLessThanOrEqual(MAX_IDENTITY_LOOKUPS);

    heal();
    await h.advance(BACKOFF_CAP_MS);
    for (let n = JOBS; n < JOBS + 20; n++) {
      expect((await h.run(createIssue(n))).status).toBe("done");
    }
    // One look-up after the backoff, then the cached identity for every later job.
    expect(identityLookups().length).toBe(failedLookups + 1);
    const issues = [...(h.github.state.repos.get("acme/app")?.issues.values() ?? [])];
    expect(issues).toHaveLength(20);
    expect(issues.every((issue) => issue.user.login === TEST_TOKEN_LOGIN)).toBe(true);
  });
});
