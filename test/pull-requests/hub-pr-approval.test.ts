import { afterEach, describe, expect, it } from "vitest";
import { runActionInProcess } from "../action/support/run-action-in-process.ts";
import {
  startWriteBackBridge,
  WRITE_BACK_HF_TOKEN,
  type WriteBackBridge,
} from "../mirror/support/start-write-back-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

const HEAD = "575db8b7a51b6f85eb06eee540738584589f131c";
const SECOND = "6666666666777777777788888888889999999999";
const STRANGER = { id: "61d2000c3c2083e1c08af99f", name: "drive-by" };

let bridge: WriteBackBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

/**
 * The bridge as `hf-bridge serve` runs it, mirroring some-user/some-repo's PR #3 into acme/widgets
 * (write-back on) with Hub PR CI. widget-maintainer has write access there, widget-reader only read.
 */
async function start(author?: { id: string; name: string }, writeBack = true) {
  bridge = await startWriteBackBridge({
    config: {
      routes: [
        {
          hub: "some-user/*",
          github: "acme/widgets",
          discussions: { writeBack },
          pullRequests: { workflow: "hub-pr.yml" },
        },
      ],
    },
    workflows: ["hub-pr.yml"],
    ...(author ? { author } : {}),
  });
}

async function push(newSha: string, oldSha: string | null = null) {
  const payload = readFixture("composed-repo.content-update-pr-ref-create.json");
  const answer = await bridge.postHub({
    ...payload,
    updatedRefs: [{ ref: "refs/pr/3", oldSha, newSha }],
  });
  expect(answer.status).toBe(202);
  return bridge.settled(answer.json?.deliveryId ?? 0);
}

let commentId = 900;
async function comment(login: string, body: string) {
  commentId += 1;
  const answer = await bridge.postGitHub(
    "issue_comment",
    bridge.commentPayload(commentId, login, body),
  );
  expect(answer.status).toBe(202);
  return bridge.settled(answer.json?.deliveryId ?? 0);
}

/** The Hub's answer for the PR's head, which the bridge reads when the PR leaves draft. */
function headIs(sha: string) {
  bridge.hub.addRoute({
    method: "GET",
    pattern: /^\/api\/models\/some-user\/some-repo\/revision\/refs(%2F|\/)pr(%2F|\/)3$/i,
    handle: () => ({ status: 200, body: { id: "some-user/some-repo", sha } }),
  });
}

/** The Hub's `discussion.update` webhook of PR #3 taken out of draft. */
async function readyForReview() {
  bridge.discussion.status = "open";
  const payload = readFixture("composed-discussion-update-closed-pr.json");
  const answer = await bridge.postHub({
    ...payload,
    discussion: { ...(payload.discussion as object), status: "open" },
  });
  expect(answer.status).toBe(202);
  return bridge.settled(answer.json?.deliveryId ?? 0);
}

async function label(login: string, name: string) {
  const payload = {
    ...(bridge.closedPayload(login) as object),
    action: "labeled",
    label: { id: 1, name, color: "0e8a16" },
  };
  const answer = await bridge.postGitHub("issues", payload);
  expect(answer.status).toBe(202);
  return bridge.settled(answer.json?.deliveryId ?? 0);
}

function runs() {
  return (bridge.github.state.repos.get("acme/widgets")?.workflowDispatches ?? []).map(
    (run) => run.inputs,
  );
}

/**
 * The example workflow's last step (examples/hub-pr-ci.yml), as the runner starts it for the run the
 * bridge dispatched: the dispatch's inputs are the event, `discussion` the PR number.
 */
function reportStep(inputs: Record<string, unknown>, status: string, runId: string) {
  return runActionInProcess({
    inputs: {
      mode: "report",
      status,
      discussion: String(inputs.pr),
      "hf-token": WRITE_BACK_HF_TOKEN,
      "hub-url": bridge.hub.url,
      "github-token": "unused-for-hub-reports",
    },
    env: {
      GITHUB_REPOSITORY: "acme/widgets",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_API_URL: bridge.github.url,
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_WORKFLOW: "Hub pull request CI",
    },
    event: {
      name: "workflow_dispatch",
      payload: { workflow: ".github/workflows/hub-pr.yml", inputs },
    },
  });
}

function issueComments() {
  return [...bridge.github.state.comments.values()]
    .filter((c) => c.repoKey === "acme/widgets" && c.issueNumber === bridge.issue.number)
    .map((c) => c.body);
}

describe("Hub PR CI end to end: trust, approval on the mirrored issue, one approval per commit", () => {
  it("starts the workflow for the repo owner's PR without asking anyone", async () => {
    await start();
    const delivery = await push(HEAD);
    expect(delivery.jobState).toBe("done");
    expect(runs()).toMatchObject([
      { pr: "3", headSha: HEAD, author: "some-user", approved: "true", approvedBy: "repo owner" },
    ]);
    expect(issueComments().some((body) => body.includes("waits for approval"))).toBe(false);
  });

  it("runs the loop: a trusted PR's commit starts the workflow, whose report step keeps one status comment on the Hub PR", async () => {
    await start();
    await push(HEAD);
    const [first] = runs();
    if (!first) throw new Error("the trusted PR's commit started no run");
    expect((await reportStep(first, "failure", "501")).errors).toEqual([]);
    const status = () =>
      bridge.hubComments().filter((text) => text.startsWith("<!-- hf-github-bridge:status"));
    expect(status()).toEqual([expect.stringContaining("- Head SHA: `575db8b`")]);
    expect(status()[0]).toContain("❌ failed");

    await push(SECOND, HEAD);
    const second = runs()[1];
    if (!second) throw new Error("the second commit started no run");
    expect((await reportStep(second, "success", "502")).errors).toEqual([]);
    // The same comment, edited: the newest commit's result replaces the old one.
    expect(status()).toEqual([expect.stringContaining("- Head SHA: `6666666`")]);
    expect(status()[0]).toContain("✅ succeeded");
    expect(status()[0]).toContain("https://github.com/acme/widgets/actions/runs/502");
  });

  it("starts the run when the PR leaves draft, and a push of the same head commit starts no second run", async () => {
    await start();
    headIs(HEAD);
    const ready = await readyForReview();
    expect(ready.jobState).toBe("done");
    expect(runs()).toMatchObject([{ pr: "3", headSha: HEAD, approvedBy: "repo owner" }]);
    const pushed = await push(HEAD);
    expect(pushed.jobState).toBe("done");
    expect(runs()).toHaveLength(1);
    expect(JSON.stringify(pushed.outcome)).toContain("already started for 575db8b7a51b");
    await push(SECOND, HEAD);
    expect(runs()).toMatchObject([{ headSha: HEAD }, { headSha: SECOND }]);
  });

  it("holds a stranger's PR until a write-access maintainer approves it, refuses a reader, and asks again for the next commit", async () => {
    await start(STRANGER);
    bridge.hub.addRoute({
      method: "GET",
      pattern: /^\/api\/organizations\/some-user\/members$/,
      handle: () => ({ status: 404, body: { error: "Not Found" } }),
    });

    const held = await push(HEAD);
    expect(held.jobState).toBe("done");
    expect(runs()).toEqual([]);
    const requests = () => issueComments().filter((body) => body.includes("waits for approval"));
    expect(requests()).toHaveLength(1);
    expect(requests()[0]).toContain("575db8b7a51b");
    expect(requests()[0]).toContain("`/approve`");
    // Leaving draft on the same head commit asks nothing twice and starts nothing.
    headIs(HEAD);
    const ready = await readyForReview();
    expect(ready.jobState).toBe("done");
    expect(JSON.stringify(ready.outcome)).toContain("held: Hub pull request #3");
    expect(requests()).toHaveLength(1);
    expect(runs()).toEqual([]);

    const refused = await comment("widget-reader", "/approve");
    expect(refused.jobState).toBe("done");
    expect(runs()).toEqual([]);
    expect(refused.outcome?.effects[0]?.result).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining('widget-reader has "read" access to acme/widgets'),
    });
    expect(issueComments().filter((body) => body.includes("your approval was refused"))).toEqual([
      expect.stringContaining("@widget-reader"),
    ]);

    const approved = await comment("widget-maintainer", "/approve");
    expect(approved.jobState).toBe("done");
    expect(runs()).toMatchObject([
      {
        pr: "3",
        headSha: HEAD,
        author: "drive-by",
        base: "refs/heads/main",
        approved: "true",
        approvedBy: "widget-maintainer",
      },
    ]);
    // A second approval of the same commit starts nothing more.
    await comment("widget-maintainer", "/approve");
    expect(runs()).toHaveLength(1);
    // The command is not written back to the Hub as a reply.
    expect(bridge.hubComments().some((text) => text.includes("/approve"))).toBe(false);

    await push(SECOND, HEAD);
    expect(runs()).toHaveLength(1);
    expect(requests()).toHaveLength(2);
    expect(requests()[1]).toContain("666666666677");
    // The label approves too, checked the same way.
    expect(
      (await label("widget-reader", "hub-pr:approved")).outcome?.effects[0]?.result,
    ).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining('widget-reader has "read" access'),
    });
    expect(runs()).toHaveLength(1);
    await label("widget-maintainer", "hub-pr:approved");
    expect(runs()).toMatchObject([
      { headSha: HEAD },
      { headSha: SECOND, approved: "true", approvedBy: "widget-maintainer" },
    ]);
  });

  it("takes /approve on a route that mirrors discussions without write-back", async () => {
    await start(STRANGER, false);
    bridge.hub.addRoute({
      method: "GET",
      pattern: /^\/api\/organizations\/some-user\/members$/,
      handle: () => ({ status: 404, body: { error: "Not Found" } }),
    });
    await push(HEAD);
    expect(runs()).toEqual([]);
    const approved = await comment("widget-maintainer", "/approve");
    expect(approved.jobState).toBe("done");
    expect(runs()).toMatchObject([{ headSha: HEAD, approvedBy: "widget-maintainer" }]);
  });
});
