import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderLinkMarker } from "../../src/text/link-marker.ts";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, eventually } from "../cli/support/run-cli.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import {
  commentCreated,
  commentId,
  discussionOpened,
  FIXTURE_REPO_ID,
  pushed,
} from "./support/hub-payloads.ts";
import { readJobs } from "./support/read-jobs.ts";
import {
  CHILD_MARKER_KEY,
  type GitHubBridgeChild,
  type GitHubBridgeChildOptions,
  startGitHubBridgeChild,
} from "./support/start-github-bridge-child.ts";

const CONFIG = {
  routes: [
    {
      hub: "some-user/*",
      github: "acme/widgets",
      discussions: true,
      dispatch: [{ refs: ["refs/heads/*"] }],
    },
  ],
};
const TUNING: Omit<GitHubBridgeChildOptions, "dbPath"> = {
  config: CONFIG,
  // A killed bridge's jobs are taken over 1.5 s after its last renewal.
  worker: { leaseMs: 1_500, pollIntervalMs: 50, backoff: { baseMs: 100, capMs: 500 } },
  github: {
    requestTimeoutMs: 1_500,
    lostCreateMarginMs: 3_000,
    writeLimits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
  },
  graceMs: 1_000,
};
/**
 * For the create that lands after its sender was killed: the restarted bridge's comment job runs
 * before the killed job's lease (6 s) runs out, the create lands 4 s after it was sent, and the
 * settle window (1.5 s timeout + 4 s margin) outlasts that.
 */
const SLOW_CREATE: Omit<GitHubBridgeChildOptions, "dbPath"> = {
  ...TUNING,
  worker: { ...TUNING.worker, leaseMs: 6_000 },
  github: { ...TUNING.github, lostCreateMarginMs: 4_000 },
};
const CREATE_DELAY_MS = 4_000;
const KILL_ROUNDS = 8;

let github: FakeGitHub;
let bridge: GitHubBridgeChild | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await bridge?.kill();
  bridge = undefined;
  await github?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function issues() {
  return [...(github.state.repos.get("acme/widgets")?.issues.values() ?? [])];
}

/** How many GitHub objects carry each link marker: the count that must be exactly one. */
function markerCounts(bodies: string[], keys: string[]): Record<string, number> {
  return Object.fromEntries(
    keys.map((key) => {
      const marker = renderLinkMarker(key, CHILD_MARKER_KEY);
      return [key, bodies.filter((body) => body.includes(marker)).length];
    }),
  );
}

const issueKey = (num: number) => `hub-discussion:${FIXTURE_REPO_ID}:${num}`;

/**
 * Resolves once every job is done and every request GitHub got has been served: a create sent by a
 * killed bridge lands whatever became of its sender, so only then are the counts final.
 */
async function waitUntilSettled(dbPath: string, jobs: number): Promise<void> {
  await eventually(async () => {
    const rows = readJobs(dbPath);
    const done = rows.length === jobs && rows.every((job) => job.state === "done");
    return done && github.requests.every((request) => request.status !== undefined)
      ? true
      : undefined;
  }, `all ${jobs} jobs done`).catch(() => {
    const rows = readJobs(dbPath).map((job) => [job.state, job.attempts, job.lastError]);
    throw new Error(`not all ${jobs} jobs are done: ${JSON.stringify(rows)}`);
  });
}

describe("a bridge killed between a create and its record", {
  timeout: CHILD_PROCESS_TEST_TIMEOUT_MS * 2,
}, () => {
  it("does not open a second issue when a comment job of the restarted bridge mirrors first", async () => {
    github = await startFakeGitHub({ repos: [{ owner: "acme", name: "widgets" }] });
    const dir = mkdtempSync(join(tmpdir(), "crash-create-"));
    dirs.push(dir);
    const dbPath = join(dir, "bridge.db");
    bridge = await startGitHubBridgeChild(github.url, { dbPath, ...SLOW_CREATE });
    github.inject({ kind: "delay", ms: CREATE_DELAY_MS, match: { operationId: "issues/create" } });

    expect((await bridge.post(discussionOpened(1))).status).toBe(202);
    await eventually(
      async () =>
        github.requests.some((r) => r.operationId === "issues/create" && r.status === undefined)
          ? true
          : undefined,
      "the issue's create on its way",
    );
    await bridge.kill();

    bridge = await startGitHubBridgeChild(github.url, { dbPath, ...SLOW_CREATE });
    expect((await bridge.post(commentCreated(1, 1))).status).toBe(202);
    await waitUntilSettled(dbPath, 2);

    expect(issues()).toHaveLength(1);
    expect(
      markerCounts(
        issues().map((issue) => issue.body ?? ""),
        [issueKey(1)],
      ),
    ).toEqual({
      [issueKey(1)]: 1,
    });
    expect([...github.state.comments.values()]).toHaveLength(1);
    github.expectNoViolations();
  });

  it("creates each issue and comment once, and every dispatch, across a loop of kills", async () => {
    github = await startFakeGitHub({ repos: [{ owner: "acme", name: "widgets" }] });
    const dir = mkdtempSync(join(tmpdir(), "crash-loop-"));
    dirs.push(dir);
    const dbPath = join(dir, "bridge.db");
    // Reproducible "random" kill moments; the seed is printed with the counts.
    const seed = Date.now() % 100_000;
    let state = seed;
    const random = () => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };

    const expectedRefs: string[] = [];
    let deliveries = 0;
    for (let round = 1; round <= KILL_ROUNDS; round++) {
      bridge = await startGitHubBridgeChild(github.url, { dbPath, ...TUNING });
      // Widen the window between a create reaching GitHub and its answer being recorded.
      const operationId = ["issues/create", "issues/create-comment", "repos/create-dispatch-event"][
        round % 3
      ];
      github.inject({
        kind: "delay",
        ms: 300 + Math.floor(random() * 700),
        match: { operationId },
      });
      const refs = [`refs/heads/r${round}-a`, `refs/heads/r${round}-b`];
      expectedRefs.push(...refs);
      for (const payload of [
        discussionOpened(10 + round),
        commentCreated(10 + round, 1),
        pushed(refs, round),
      ]) {
        expect((await bridge.post(payload)).status).toBe(202);
        deliveries++;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(random() * 900)));
      await bridge.kill();
    }

    bridge = await startGitHubBridgeChild(github.url, { dbPath, ...TUNING });
    await waitUntilSettled(dbPath, deliveries);
    await bridge.stop();
    bridge = undefined;

    const numbers = Array.from({ length: KILL_ROUNDS }, (_, i) => 11 + i);
    const issueKeys = numbers.map(issueKey);
    const commentKeys = numbers.map((num) => `hub-comment:${commentId(num, 1)}`);
    const sentDispatches = github.state.repos.get("acme/widgets")?.dispatches ?? [];
    console.info(
      `kill loop (seed ${seed}): ${KILL_ROUNDS} kills, ${deliveries} deliveries; GitHub got ${issues().length} issues, ${github.state.comments.size} comments, ${sentDispatches.length} dispatches`,
    );
    expect(
      markerCounts(
        issues().map((issue) => issue.body ?? ""),
        issueKeys,
      ),
    ).toEqual(Object.fromEntries(issueKeys.map((key) => [key, 1])));
    expect(issues()).toHaveLength(KILL_ROUNDS);
    const commentBodies = [...github.state.comments.values()].map((comment) => comment.body);
    expect(markerCounts(commentBodies, commentKeys)).toEqual(
      Object.fromEntries(commentKeys.map((key) => [key, 1])),
    );
    expect(commentBodies).toHaveLength(KILL_ROUNDS);
    // A dispatch leaves nothing to look up: one whose sender died mid-way is sent again, carrying
    // the id of the dispatch it repeats, so a workflow can drop it. None is missing.
    const refsById = new Map<string, Set<string>>();
    for (const dispatch of sentDispatches) {
      const id = String(dispatch.client_payload?.dispatchId);
      const ref = String((dispatch.client_payload?.hf as { ref?: string } | undefined)?.ref);
      refsById.set(id, (refsById.get(id) ?? new Set()).add(ref));
    }
    expect([...refsById.values()].every((refs) => refs.size === 1)).toBe(true);
    expect([...refsById.values()].flatMap((refs) => [...refs]).sort()).toStrictEqual(
      [...expectedRefs].sort(),
    );
    github.expectNoViolations();
  });
});
