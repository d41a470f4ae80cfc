import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Effect } from "../../../src/effects/effect.ts";
import {
  LOST_CREATE_MARGIN_MS,
  REQUEST_TIMEOUT_MS,
} from "../../../src/github/create-github-executor.ts";
import {
  PermanentJobError,
  RetryLaterError,
  RetryNotBeforeError,
} from "../../../src/jobs/job-errors.ts";
import { renderLinkMarker } from "../../../src/text/link-marker.ts";
import {
  type ExecutorHarness,
  HEAD_SHA,
  MARKER_KEY,
  repoRef,
  startExecutorHarness,
  TEST_TOKEN,
  TEST_TOKEN_LOGIN,
} from "./executor-harness.ts";

const ISSUE_LINK = "hub-discussion:acme/model:7";
const LOST_CREATE_SETTLE_MS = REQUEST_TIMEOUT_MS + LOST_CREATE_MARGIN_MS;

function createIssue(overrides: Partial<Extract<Effect, { type: "create-issue" }>> = {}): Effect {
  return {
    type: "create-issue",
    idempotencyKey: "create-issue:7",
    repo: repoRef(),
    link: ISSUE_LINK,
    title: "[Hub] Model card typo",
    body: "The card says 12 layers; the config has 24.",
    labels: ["huggingface", "hub-discussion"],
    ...overrides,
  };
}

function createComment(n: number): Effect {
  return {
    type: "create-comment",
    idempotencyKey: `create-comment:${n}`,
    repo: repoRef(),
    issue: ISSUE_LINK,
    link: `hub-comment:acme/model:7:${n}`,
    body: `Comment number ${n} from the Hub.`,
  };
}

/** The most request times that fall within any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= windowMs) first++;
    max = Math.max(max, last - first + 1);
  }
  return max;
}

function issuesIn(h: ExecutorHarness) {
  return [...(h.github.state.repos.get("acme/app")?.issues.values() ?? [])];
}

function commentsIn(h: ExecutorHarness) {
  return [...h.github.state.comments.values()];
}

function requestsTo(h: ExecutorHarness, method: string, path: RegExp) {
  return h.github.requests.filter(
    (request) => request.method === method && path.test(request.path),
  );
}

describe("createGitHubExecutor against the fake GitHub", () => {
  let h: ExecutorHarness;
  beforeEach(async () => {
    h = await startExecutorHarness();
  });
  afterEach(async () => {
    h.github.expectNoViolations();
    await h.close();
  });

  it("creates an issue once, skips the same create, and updates when the text changed", async () => {
    const first = await h.run(createIssue());
    expect(first).toMatchObject({ status: "done", githubId: expect.any(Number) });
    const [issue] = issuesIn(h);
    expect(issuesIn(h)).toHaveLength(1);
    expect(issue?.labels).toEqual(["huggingface", "hub-discussion"]);
    expect(issue?.body).toContain(renderLinkMarker(ISSUE_LINK, MARKER_KEY));
    expect(await h.store.getLink(ISSUE_LINK)).toMatchObject({
      kind: "issue",
      repo: "acme/app",
      githubNumber: issue?.number,
    });

    expect(await h.run(createIssue())).toMatchObject({ status: "skipped" });
    const edited = await h.run(
      createIssue({ body: "The card says 12 layers; config: 24 (edited)." }),
    );
    expect(edited).toMatchObject({ status: "done", detail: expect.stringContaining("updated") });
    expect(issuesIn(h)).toHaveLength(1);
    expect(issuesIn(h)[0]?.body).toContain("(edited)");
    expect(requestsTo(h, "POST", /\/issues$/)).toHaveLength(1);
  });

  it("leaves exactly one issue when GitHub commits the create and then answers 502", async () => {
    h.github.inject({
      kind: "commitThenStatus",
      status: 502,
      match: { operationId: "issues/create" },
    });
    const result = await h.run(createIssue());

    expect(issuesIn(h)).toHaveLength(1);
    expect(requestsTo(h, "POST", /\/issues$/)).toHaveLength(1);
    expect(result).toMatchObject({ status: "done", detail: expect.stringContaining("502") });
    const lookup = requestsTo(h, "GET", /\/repos\/acme\/app\/issues$/);
    expect(lookup[0]?.query).toMatchObject({ creator: "hf-github-bridge[bot]", state: "all" });
    expect((await h.store.getLink(ISSUE_LINK))?.githubNumber).toBe(issuesIn(h)[0]?.number);
  });

  it("counts an attempt, never defers, when the lookup after a lost create is rate limited", async () => {
    h.github.inject({
      kind: "commitThenStatus",
      status: 502,
      match: { operationId: "issues/create" },
    });
    h.github.inject({
      kind: "rateLimit",
      status: 429,
      headers: { "retry-after": "30" },
      match: { operationId: "issues/list-for-repo" },
    });
    const failed = h.run(createIssue());
    // A deferral would bring the job back with its attempt uncounted, and it would create blindly.
    await expect(failed).rejects.not.toBeInstanceOf(RetryLaterError);
    await expect(failed).rejects.toThrow(/looking for the issue with the marker of .* failed too/);

    await h.advance(30_000);
    expect(await h.run(createIssue(), { ...h.job, attempts: 2 })).toMatchObject({ status: "done" });
    expect(issuesIn(h)).toHaveLength(1);
    expect(requestsTo(h, "POST", /\/issues$/)).toHaveLength(1);
  });

  it("leaves exactly one comment when GitHub commits the comment and then answers 502", async () => {
    await h.run(createIssue());
    h.github.inject({
      kind: "commitThenStatus",
      status: 502,
      match: { operationId: "issues/create-comment" },
    });
    const result = await h.run(createComment(1));

    expect(result.status).toBe("done");
    expect(commentsIn(h)).toHaveLength(1);
    expect(requestsTo(h, "POST", /\/comments$/)).toHaveLength(1);
    expect((await h.store.getLink("hub-comment:acme/model:7:1"))?.githubId).toBe(
      commentsIn(h)[0]?.id,
    );
    // A second run of the same job sees the recorded link and writes nothing.
    expect(await h.run(createComment(1))).toMatchObject({ status: "skipped" });
    expect(commentsIn(h)).toHaveLength(1);
  });

  it("looks before re-posting a comment whose connection dropped", async () => {
    await h.run(createIssue());
    h.github.inject({ kind: "drop", match: { operationId: "issues/create-comment" } });
    await expect(h.run(createComment(1))).rejects.toThrow(
      /no comment with the marker .* found yet/,
    );
    expect(commentsIn(h)).toHaveLength(0);

    // Until the dropped request can no longer land, finding nothing proves nothing: no re-post.
    const early = h.run(createComment(1), { ...h.job, attempts: 2 });
    await expect(early).rejects.toBeInstanceOf(RetryNotBeforeError);
    await expect(early).rejects.toThrow(/has no recorded answer and nothing was found yet/);
    expect(requestsTo(h, "POST", /\/comments$/)).toHaveLength(1);

    await h.advance(LOST_CREATE_SETTLE_MS);
    expect(await h.run(createComment(1), { ...h.job, attempts: 3 })).toMatchObject({
      status: "done",
    });
    expect(commentsIn(h)).toHaveLength(1);
    const lookups = requestsTo(h, "GET", /\/issues\/\d+\/comments$/);
    expect(lookups).toHaveLength(3);
  });

  it("forgets an installation whose token cannot be renewed, then says the App is missing", async () => {
    await h.run(createIssue());
    const repo = h.github.state.repos.get("acme/app");
    if (repo === undefined) throw new Error("fake repo missing");
    repo.installationId = null;
    h.github.inject({ kind: "expireToken", match: { operationId: "issues/create-comment" } });
    await h.advance(60_000);
    await expect(h.run(createComment(1))).rejects.not.toBeInstanceOf(PermanentJobError);

    const next = h.run(createComment(1));
    await expect(next).rejects.toBeInstanceOf(PermanentJobError);
    await expect(next).rejects.toThrow(
      "The GitHub App is not installed on acme/app: install it at https://github.com/apps/hf-github-bridge/installations/new",
    );
  });

  it("ignores a marker pasted by someone else and does not re-post blindly after a 502", async () => {
    await h.run(createIssue());
    const issueNumber = issuesIn(h)[0]?.number ?? 0;
    // Someone copies the bridge's marker for comment 2 into their own comment.
    h.github.state.comments.set(999_999, {
      id: 999_999,
      repoKey: "acme/app",
      issueNumber,
      body: `spoof ${renderLinkMarker("hub-comment:acme/model:7:2", MARKER_KEY)}`,
      user: { login: "mallory", id: 66, type: "User" },
      created_at: new Date(),
      updated_at: new Date(),
    });
    h.github.inject({
      kind: "status",
      status: 502,
      match: { operationId: "issues/create-comment" },
    });

    const failed = h.run(createComment(2));
    await expect(failed).rejects.toThrow(/no comment with the marker .* found yet/);
    await expect(failed).rejects.not.toBeInstanceOf(PermanentJobError);
    expect(await h.store.getLink("hub-comment:acme/model:7:2")).toBeUndefined();

    // The worker's next attempt, once the 502'd request can no longer land, looks again, finds
    // nothing of its own, and posts.
    await h.advance(LOST_CREATE_SETTLE_MS);
    const retried = await h.run(createComment(2), { ...h.job, attempts: 2 });
    expect(retried.status).toBe("done");
    const own = commentsIn(h).filter((comment) => comment.user.login === "hf-github-bridge[bot]");
    expect(own).toHaveLength(1);
    expect(requestsTo(h, "POST", /\/comments$/)).toHaveLength(2);
  });

  it("waits out a secondary rate limit with retry-after: 30 without sending, then succeeds", async () => {
    await h.run(createIssue());
    h.github.inject({
      kind: "rateLimit",
      status: 403,
      headers: { "retry-after": "30" },
      match: { operationId: "issues/create-comment" },
    });
    const limitedAt = Date.now();
    const deferred = h.run(createComment(1));
    await expect(deferred).rejects.toBeInstanceOf(RetryLaterError);
    const notBefore = await deferred.then(
      () => 0,
      (error: RetryLaterError) => error.notBefore.getTime(),
    );
    expect(notBefore).toBeGreaterThanOrEqual(limitedAt + 30_000);

    // A job that comes back early is sent back to the queue without a request.
    const requestsBefore = h.github.requests.length;
    await h.advance(10_000);
    await expect(h.run(createComment(1))).rejects.toBeInstanceOf(RetryLaterError);
    expect(h.github.requests.length).toBe(requestsBefore);

    // The pause covers every write through the installation, not just the limited request.
    const dispatch: Effect = {
      type: "repository-dispatch",
      idempotencyKey: "dispatch:during-pause",
      repo: repoRef(),
      eventType: "hf.model.updated",
      clientPayload: {},
    };
    await expect(h.run(dispatch)).rejects.toBeInstanceOf(RetryLaterError);
    expect(h.github.requests.length).toBe(requestsBefore);

    await h.advance(notBefore - Date.now());
    const after = await h.run(createComment(1));
    expect(after.status).toBe("done");
    const posts = requestsTo(h, "POST", /\/comments$/);
    expect(posts).toHaveLength(2);
    const [limitedPost] = posts;
    if (limitedPost === undefined) throw new Error("the rate-limited POST is not in the log");
    const limited = limitedPost.time.getTime();
    // Every request after the limited one, of any kind, waited the 30 s out.
    const sentAfter = h.github.requests.slice(h.github.requests.indexOf(limitedPost) + 1);
    expect(sentAfter.filter((request) => request.time.getTime() < limited + 30_000)).toEqual([]);
    expect(posts[1]?.time.getTime()).toBeGreaterThanOrEqual(limited + 30_000);
    expect(commentsIn(h)).toHaveLength(1);
  });

  it("spaces 50 queued comment creates to one installation at least 3 s apart", async () => {
    await h.run(createIssue());
    const results = await h.runAll(Array.from({ length: 50 }, (_, i) => createComment(i + 1)));

    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(commentsIn(h)).toHaveLength(50);
    const times = requestsTo(h, "POST", /\/comments$/).map((request) => request.time.getTime());
    expect(times).toHaveLength(50);
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(3_000);
  });

  it("never sends more than 80 of 600 queued comment creates per rolling minute, or 500 per hour", async () => {
    await h.run(createIssue());
    let queued = Array.from({ length: 600 }, (_, i) => createComment(i + 1));
    let deferrals = 0;
    while (queued.length > 0) {
      const results = await h.runAll(queued);
      const comeBackAt: number[] = [];
      queued = queued.filter((_, i) => {
        const result = results[i];
        if (result?.status !== "rejected") return false;
        // Anything but a deferral fails here, naming the error.
        expect(result.reason).toBeInstanceOf(RetryLaterError);
        comeBackAt.push((result.reason as RetryLaterError).notBefore.getTime());
        return true;
      });
      deferrals += queued.length;
      // As the queue would: the deferred jobs come back at their not-before time.
      if (queued.length > 0) await h.advance(Math.min(...comeBackAt) - Date.now());
    }

    expect(commentsIn(h)).toHaveLength(600);
    const times = requestsTo(h, "POST", /\/comments$/).map((request) => request.time.getTime());
    expect(times).toHaveLength(600);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(80);
    expect(maxInWindow(times, 3_600_000)).toBe(500);
    // The hourly cap is far beyond an inline wait, so the overflow went back to the queue.
    expect(deferrals).toBeGreaterThan(0);
  }, 120_000);

  it("dead-letters a 422 at once with GitHub's reason", async () => {
    h.github.inject({
      kind: "status",
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ resource: "Issue", field: "title", code: "missing_field" }],
      },
      match: { operationId: "issues/create" },
    });
    const failed = h.run(createIssue());
    await expect(failed).rejects.toBeInstanceOf(PermanentJobError);
    await expect(failed).rejects.toThrow(/422: Validation Failed; title missing_field/);
    expect(requestsTo(h, "POST", /\/issues$/)).toHaveLength(1);
    expect(issuesIn(h)).toHaveLength(0);
  });

  it("refreshes a token that expires mid-queue once and carries on", async () => {
    await h.run(createIssue());
    // Past auth-app's own 401 retries, which only cover a token's first 5 s (replication lag).
    await h.advance(60_000);
    const tokensBefore = requestsTo(h, "POST", /\/access_tokens$/).length;
    h.github.inject({ kind: "expireToken", match: { operationId: "issues/create-comment" } });
    const results = await h.runAll([1, 2, 3, 4].map(createComment));

    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(commentsIn(h)).toHaveLength(4);
    expect(requestsTo(h, "POST", /\/access_tokens$/).length).toBe(tokensBefore + 1);
    expect(h.github.requests.filter((request) => request.status === 401)).toHaveLength(1);
  });

  it("sends 120 annotations as one create and two updates", async () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({
      path: "config.json",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "warning" as const,
      message: `finding ${i + 1}`,
    }));
    const result = await h.run({
      type: "create-check-run",
      idempotencyKey: "check:1",
      repo: repoRef(),
      link: `hub-commit:acme/model:${HEAD_SHA}`,
      name: "Hugging Face Hub",
      headSha: HEAD_SHA,
      status: "completed",
      conclusion: "neutral",
      output: { title: "Hub commit", summary: "120 findings", annotations },
    });

    expect(result.status).toBe("done");
    expect(requestsTo(h, "POST", /\/check-runs$/)).toHaveLength(1);
    expect(requestsTo(h, "PATCH", /\/check-runs\/\d+$/)).toHaveLength(2);
    const [checkRun] = [...h.github.state.checkRuns.values()];
    expect(checkRun?.output.annotations).toHaveLength(120);
    expect(checkRun?.external_id).toBe(`hub-commit:acme/model:${HEAD_SHA}`);
    expect(await h.store.getLink(`hub-commit:acme/model:${HEAD_SHA}`)).toMatchObject({
      kind: "check-run",
      githubId: checkRun?.id,
      state: { annotationsSent: 120 },
    });
  });

  it("cuts an annotation title to GitHub's 255 characters instead of having the request refused", async () => {
    await h.run({
      type: "create-check-run",
      idempotencyKey: "check:title",
      repo: repoRef(),
      link: `hub-commit:acme/title:${HEAD_SHA}`,
      name: "Hugging Face Hub",
      headSha: HEAD_SHA,
      status: "completed",
      conclusion: "neutral",
      output: {
        title: "Hub commit",
        summary: "one finding",
        annotations: [
          {
            path: "README.md",
            start_line: 1,
            end_line: 1,
            annotation_level: "notice",
            message: "m",
            title: "🤗".repeat(300),
          },
        ],
      },
    });
    const [checkRun] = [...h.github.state.checkRuns.values()];
    if (!checkRun) throw new Error("no check run was created");
    const title = (checkRun.output.annotations[0] as { title: string }).title;
    expect(Array.from(title)).toHaveLength(255);
    expect(title.endsWith("…")).toBe(true);
  });

  it("resumes annotations after a failed batch instead of creating the check run again", async () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({
      path: "README.md",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "notice" as const,
      message: `note ${i + 1}`,
    }));
    const effect: Effect = {
      type: "create-check-run",
      idempotencyKey: "check:resume",
      repo: repoRef(),
      link: "hub-commit:acme/model:resume",
      name: "Hugging Face Hub",
      headSha: HEAD_SHA,
      status: "completed",
      conclusion: "neutral",
      output: { title: "Hub commit", summary: "120 notes", annotations },
    };
    h.github.inject({
      kind: "status",
      status: 503,
      match: { operationId: "checks/update" },
      times: 1,
    });
    await expect(h.run(effect)).rejects.toThrow(/503/);
    expect(await h.run(effect)).toMatchObject({ status: "done" });

    expect(requestsTo(h, "POST", /\/check-runs$/)).toHaveLength(1);
    const [checkRun] = [...h.github.state.checkRuns.values()];
    expect(checkRun?.output.annotations.map((a) => a.message)).toEqual(
      annotations.map((a) => a.message),
    );

    // An update with more than 50 annotations appends in batches too.
    await h.run({
      type: "update-check-run",
      idempotencyKey: "check:update",
      repo: repoRef(),
      checkRun: effect.link,
      output: { title: "Hub commit", summary: "70 more", annotations: annotations.slice(0, 70) },
    });
    expect(checkRun?.output.annotations).toHaveLength(190);
    expect((await h.store.getLink(effect.link))?.state).toEqual({ annotationsSent: 120 });
  });

  it("records a repository dispatch as accepted and a workflow dispatch with its run", async () => {
    const accepted = await h.run({
      type: "repository-dispatch",
      idempotencyKey: "dispatch:1",
      repo: repoRef(),
      eventType: "hf.model.updated",
      clientPayload: { repo: "acme/model", sha: HEAD_SHA },
    });
    expect(accepted).toMatchObject({
      status: "accepted",
      detail: expect.stringContaining("no run known"),
    });

    const started = await h.run({
      type: "workflow-dispatch",
      idempotencyKey: "workflow:1",
      repo: repoRef(),
      workflow: "hf-sync.yml",
      ref: "main",
      inputs: { sha: HEAD_SHA },
    });
    expect(started).toMatchObject({
      status: "done",
      githubId: expect.any(Number),
      url: expect.any(String),
    });
    expect(requestsTo(h, "POST", /\/dispatches$/).at(-1)?.body).toMatchObject({
      return_run_details: true,
    });
  });

  it("leaves a 5xx on an update to the worker's backoff, sending it once", async () => {
    await h.run(createIssue());
    h.github.inject({ kind: "status", status: 503, match: { operationId: "issues/update" } });
    const failed = h.run({
      type: "close-issue",
      idempotencyKey: "close:7",
      repo: repoRef(),
      issue: ISSUE_LINK,
      reason: "completed",
    });
    await expect(failed).rejects.toThrow(/503/);
    await expect(failed).rejects.not.toBeInstanceOf(PermanentJobError);
    expect(requestsTo(h, "PATCH", /\/issues\/\d+$/)).toHaveLength(1);
  });

  it("names the missing object when an update has no link", async () => {
    const failed = h.run({
      type: "update-comment",
      idempotencyKey: "edit:9",
      repo: repoRef(),
      comment: "hub-comment:acme/model:7:9",
      body: "edited",
    });
    await expect(failed).rejects.toBeInstanceOf(PermanentJobError);
    await expect(failed).rejects.toThrow(
      /no GitHub comment is linked to hub-comment:acme\/model:7:9/,
    );
  });

  it("finds its check run by external_id when the create's answer is lost", async () => {
    h.github.inject({
      kind: "commitThenStatus",
      status: 504,
      match: { operationId: "checks/create" },
    });
    const link = `hub-commit:acme/model:${HEAD_SHA}`;
    const result = await h.run({
      type: "create-check-run",
      idempotencyKey: "check:lost",
      repo: repoRef(),
      link,
      name: "Hugging Face Hub",
      headSha: HEAD_SHA,
      status: "completed",
      conclusion: "success",
      // Over GitHub's 65,535-byte cap in UTF-8, though under it in characters.
      output: { title: "Hub commit", summary: "ok", text: "é".repeat(40_000) },
    });

    expect(result.status).toBe("done");
    expect(h.github.state.checkRuns.size).toBe(1);
    const text = [...h.github.state.checkRuns.values()][0]?.output.text ?? "";
    expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(65_535);
    expect(text).toMatch(/truncated to fit GitHub's check run limit\.$/);
    expect(requestsTo(h, "POST", /\/check-runs$/)).toHaveLength(1);
    expect((await h.store.getLink(link))?.githubId).toBe([...h.github.state.checkRuns.keys()][0]);
  });

  it("edits, labels, closes and reopens the mirrored issue and edits and deletes a comment", async () => {
    await h.run(createIssue());
    await h.run(createComment(1));
    const base = { repo: repoRef(), issue: ISSUE_LINK };
    await h.run({ ...base, type: "update-issue", idempotencyKey: "u", title: "[Hub] Retitled" });
    await h.run({ ...base, type: "add-labels", idempotencyKey: "a", labels: ["draft"] });
    await h.run({
      ...base,
      type: "remove-labels",
      idempotencyKey: "r",
      labels: ["draft", "absent"],
    });
    await h.run({ ...base, type: "close-issue", idempotencyKey: "c", reason: "not_planned" });
    let issue = issuesIn(h)[0];
    expect(issue).toMatchObject({
      title: "[Hub] Retitled",
      state: "closed",
      state_reason: "not_planned",
    });
    expect(issue?.labels).toEqual(["huggingface", "hub-discussion"]);
    expect(issue?.body).toContain(renderLinkMarker(ISSUE_LINK, MARKER_KEY));
    await h.run({ ...base, type: "reopen-issue", idempotencyKey: "o" });
    issue = issuesIn(h)[0];
    expect(issue?.state).toBe("open");

    const comment = { repo: repoRef(), comment: "hub-comment:acme/model:7:1" };
    await h.run({
      ...comment,
      type: "update-comment",
      idempotencyKey: "e",
      body: "Edited on the Hub.",
    });
    expect(commentsIn(h)[0]?.body).toContain("Edited on the Hub.");
    expect(commentsIn(h)[0]?.body).toContain(renderLinkMarker(comment.comment, MARKER_KEY));
    expect(
      await h.run({
        ...comment,
        type: "update-comment",
        idempotencyKey: "e2",
        body: "Edited on the Hub.",
      }),
    ).toMatchObject({ status: "skipped" });

    // Someone deletes it on GitHub first; the bridge's delete still reaches its goal.
    h.github.state.comments.clear();
    expect(await h.run({ ...comment, type: "delete-comment", idempotencyKey: "d" })).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("already gone"),
    });
    expect(await h.run({ ...comment, type: "delete-comment", idempotencyKey: "d2" })).toMatchObject(
      {
        status: "skipped",
      },
    );
    expect(requestsTo(h, "DELETE", /\/comments\/\d+$/)).toHaveLength(1);
  });

  it("retries a comment on an issue that is not mirrored yet with backoff, naming the issue", async () => {
    const failed = h.run(createComment(1));
    await expect(failed).rejects.toThrow(
      `the issue for ${ISSUE_LINK} is not mirrored yet, so comment hub-comment:acme/model:7:1 has nowhere to go`,
    );
    await expect(failed).rejects.not.toBeInstanceOf(PermanentJobError);
    expect(h.github.requests.filter((request) => request.method === "POST")).toEqual([]);
  });
});

describe("createGitHubExecutor with a plain GITHUB_TOKEN", () => {
  let h: ExecutorHarness;
  beforeEach(async () => {
    h = await startExecutorHarness({ auth: "token" });
  });
  afterEach(async () => {
    h.github.expectNoViolations();
    await h.close();
  });

  it("trusts markers only on issues authored by the token's user after a lost create", async () => {
    h.github.inject({
      kind: "commitThenStatus",
      status: 502,
      match: { operationId: "issues/create" },
    });
    const result = await h.run(createIssue());

    expect(result.status).toBe("done");
    expect(issuesIn(h)).toHaveLength(1);
    expect(issuesIn(h)[0]?.user.login).toBe(TEST_TOKEN_LOGIN);
    const lookup = requestsTo(h, "GET", /\/repos\/acme\/app\/issues$/);
    expect(lookup[0]?.query).toMatchObject({ creator: TEST_TOKEN_LOGIN });
    expect(requestsTo(h, "POST", /\/access_tokens$/)).toEqual([]);
  });

  it("dead-letters a 401 for a token it cannot refresh, without the token in the reason", async () => {
    await h.run(createIssue());
    h.github.inject({ kind: "expireToken", match: { operationId: "issues/create-comment" } });
    const failed = h.run(createComment(1));
    await expect(failed).rejects.toBeInstanceOf(PermanentJobError);
    await expect(failed).rejects.toThrow(/GitHub answered 401 \(Bad credentials\)/);
    await expect(failed).rejects.not.toThrow(TEST_TOKEN);
  });
});
