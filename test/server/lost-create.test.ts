import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, eventually } from "../cli/support/run-cli.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { commentCreated, discussionOpened } from "./support/hub-payloads.ts";
import { readJobs } from "./support/read-jobs.ts";
import {
  type GitHubBridgeChild,
  startGitHubBridgeChild,
} from "./support/start-github-bridge-child.ts";

/** Shortened from 30 s so the test does not wait 45 s; the margin is scaled the same way. */
const REQUEST_TIMEOUT_MS = 1_500;
const LOST_CREATE_MARGIN_MS = 3_000;
/** Past the client's timeout, and inside the settle window (timeout + margin) the rule waits out. */
const CREATE_DELAY_MS = 3_000;

let github: FakeGitHub;
let bridge: GitHubBridgeChild | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await bridge?.kill();
  bridge = undefined;
  await github?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("a create whose answer is lost", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS }, () => {
  it("posts exactly one comment when GitHub serves the create past the client's timeout", async () => {
    github = await startFakeGitHub({ repos: [{ owner: "acme", name: "widgets" }] });
    const dir = mkdtempSync(join(tmpdir(), "lost-create-"));
    dirs.push(dir);
    const dbPath = join(dir, "bridge.db");
    bridge = await startGitHubBridgeChild(github.url, {
      dbPath,
      config: { routes: [{ hub: "some-user/*", github: "acme/widgets", discussions: true }] },
      worker: { pollIntervalMs: 50, backoff: { baseMs: 100, capMs: 200 } },
      github: {
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        lostCreateMarginMs: LOST_CREATE_MARGIN_MS,
        writeLimits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
      },
      graceMs: 1_000,
    });
    const issues = () => [...(github.state.repos.get("acme/widgets")?.issues.values() ?? [])];

    expect((await bridge.post(discussionOpened(7))).status).toBe(202);
    await eventually(async () => (issues().length === 1 ? true : undefined), "the mirrored issue");
    github.inject({
      kind: "delay",
      ms: CREATE_DELAY_MS,
      match: { operationId: "issues/create-comment" },
    });
    expect((await bridge.post(commentCreated(7, 1))).status).toBe(202);

    const jobs = await eventually(async () => {
      const rows = readJobs(dbPath);
      return rows.length === 2 && rows.every((job) => job.state === "done") ? rows : undefined;
    }, "both jobs done");
    // Count only once the delayed create has been served too: it lands whatever the client did.
    await eventually(
      async () =>
        github.requests.every((request) => request.status !== undefined) ? true : undefined,
      "every request to the fake GitHub answered",
    );
    const comments = [...github.state.comments.values()];
    expect(comments).toHaveLength(1);
    const posts = github.requests.filter((r) => r.operationId === "issues/create-comment");
    expect(posts).toHaveLength(1);
    // The comment was found by its marker after the lost answer, not posted again.
    expect(jobs[1]?.attempts).toBeGreaterThanOrEqual(2);
    expect(jobs[1]?.outcome?.effects.at(-1)?.result).toMatchObject({
      status: "done",
      githubId: comments[0]?.id,
      detail: expect.stringContaining("found by its marker"),
    });
    // No lookup that could prove the create absent was followed by a second POST: the only lookups
    // after the POST are the one right after the timeout and the one after the settle window.
    const lookups = github.requests.filter(
      (r) => r.operationId === "issues/list-comments" && r.time >= (posts[0]?.time ?? new Date()),
    );
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    const lastLookup = lookups.at(-1)?.time.getTime() ?? 0;
    // The intent is dated a moment before the POST reaches the fake; a second covers that moment.
    expect(lastLookup - (posts[0]?.time.getTime() ?? 0)).toBeGreaterThanOrEqual(
      REQUEST_TIMEOUT_MS + LOST_CREATE_MARGIN_MS - 1_000,
    );
    github.expectNoViolations();
  });
});
