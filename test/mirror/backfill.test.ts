import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  backfillDiscussions,
  MAX_BACKFILL_REPLIES_PER_DISCUSSION,
} from "../../src/mirror/backfill-discussions.ts";
import type { FakeHubRepo } from "../support/fake-hub/types.ts";
import { BRIDGE_HUB_ACCOUNT, type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { commentsOn, issueFor, issuesOf } from "./github-state.ts";

const REPO_ID = "6366c000a2abcdf2fd69a080";
const AUTHOR = { id: "61d2000c3c2083e1c08af22d", name: "some-user" };

let bridge: StartedBridge;
let repo: FakeHubRepo;

beforeEach(async () => {
  bridge = await startBridge({ hub: true });
  const added = bridge.hub?.addRepo({ id: REPO_ID, type: "model", name: "some-user/some-repo" });
  if (!added) throw new Error("the fake Hub did not start");
  repo = added;
  const discussions = [
    { num: 1, title: "Old question", status: "open" as const, isPullRequest: false },
    { num: 2, title: "Stale idea", status: "closed" as const, isPullRequest: false },
    { num: 3, title: "Hello!", status: "draft" as const, isPullRequest: true },
    { num: 4, title: "Merged fix", status: "merged" as const, isPullRequest: true },
  ];
  for (const discussion of discussions) {
    bridge.hub?.addDiscussion(repo, {
      ...discussion,
      author: AUTHOR,
      ...(discussion.isPullRequest
        ? { changes: { base: "refs/heads/main", mergeCommitId: "ab".repeat(20) } }
        : {}),
      openingComment: {
        id: `64000000000000000000000${discussion.num}`,
        text: `Opening post ${discussion.num}`,
      },
    });
  }
});

afterEach(async () => {
  await bridge.close();
  bridge.github.expectNoViolations();
});

function backfill() {
  const hub = bridge.hubClient;
  if (!hub) throw new Error("no Hub client");
  return backfillDiscussions({
    store: bridge.store,
    hub,
    config: bridge.config,
    repo: { type: "model", name: "some-user/some-repo" },
  });
}

describe("hf-bridge backfill", () => {
  it("mirrors the discussions opened before the bridge, skipping one already mirrored, and creates nothing the second time", async () => {
    // #3 arrived by webhook before the backfill.
    await bridge.post("composed-discussion-create-draft-pr.json");
    await bridge.drain();

    expect(await backfill()).toStrictEqual({
      listed: 4,
      queued: 3,
      skipped: 1,
      replies: 0,
      repliesLeftOut: 0,
    });
    await bridge.drain();
    expect(issuesOf(bridge.github)).toHaveLength(4);
    expect(issueFor(bridge.github, `hub-discussion:${REPO_ID}:1`)).toMatchObject({
      title: "[Hub] Old question",
      state: "open",
      labels: ["huggingface", "hub-discussion"],
    });
    expect(issueFor(bridge.github, `hub-discussion:${REPO_ID}:1`).body).toContain("Opening post 1");
    expect(issueFor(bridge.github, `hub-discussion:${REPO_ID}:2`)).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
    });
    const merged = issueFor(bridge.github, `hub-discussion:${REPO_ID}:4`);
    expect(merged).toMatchObject({
      state: "closed",
      state_reason: "completed",
      labels: ["huggingface", "hub-pr"],
    });
    expect(commentsOn(bridge.github, merged.number).map((c) => c.body)).toStrictEqual([
      expect.stringContaining(`as commit \`${"ab".repeat(20)}\``),
    ]);

    const requestsBefore = bridge.github.requests.length;
    const issuesBefore = JSON.stringify(issuesOf(bridge.github));
    expect(await backfill()).toStrictEqual({
      listed: 4,
      queued: 0,
      skipped: 4,
      replies: 0,
      repliesLeftOut: 0,
    });
    await bridge.drain();
    expect(bridge.github.requests.length).toBe(requestsBefore);
    expect(JSON.stringify(issuesOf(bridge.github))).toBe(issuesBefore);
  });

  it("mirrors the replies already on the Hub, in order, hidden ones as a notice and its own skipped", async () => {
    const discussion = repo.discussions.get(2);
    if (!discussion) throw new Error("no discussion #2");
    const reply = (id: string, author: typeof AUTHOR, text: string, hidden = false) => ({
      id,
      type: "comment" as const,
      createdAt: discussion.createdAt,
      author,
      data: { latest: { raw: text }, hidden, edited: false },
    });
    discussion.events.push(
      reply("65000000000000000000aa01", AUTHOR, "First reply"),
      { ...reply("65000000000000000000aa02", AUTHOR, ""), type: "status-change" as const },
      reply("65000000000000000000aa03", BRIDGE_HUB_ACCOUNT, "The bridge's own write-back"),
      reply("65000000000000000000aa04", AUTHOR, "Rude words", true),
      reply("65000000000000000000aa05", AUTHOR, "Last reply"),
    );
    expect(await backfill()).toMatchObject({ queued: 4, replies: 4, repliesLeftOut: 0 });
    await bridge.drain();
    const issue = issueFor(bridge.github, `hub-discussion:${REPO_ID}:2`);
    expect(issue).toMatchObject({ state: "closed" });
    const bodies = commentsOn(bridge.github, issue.number).map((c) => c.body);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toContain("First reply");
    expect(bodies[1]).toContain("hidden on the Hub");
    expect(bodies[1]).not.toContain("Rude words");
    expect(bodies[2]).toContain("Last reply");
    expect(bodies.join("\n")).not.toContain("own write-back");
  });

  it("mirrors at most MAX_BACKFILL_REPLIES_PER_DISCUSSION replies of one discussion and counts the rest", async () => {
    const discussion = repo.discussions.get(1);
    if (!discussion) throw new Error("no discussion #1");
    const total = MAX_BACKFILL_REPLIES_PER_DISCUSSION + 7;
    for (let i = 0; i < total; i += 1) {
      discussion.events.push({
        id: `66${String(i).padStart(22, "0")}`,
        type: "comment",
        createdAt: discussion.createdAt,
        author: AUTHOR,
        data: { latest: { raw: `Reply ${i}` }, hidden: false, edited: false },
      });
    }
    expect(await backfill()).toMatchObject({
      queued: 4,
      replies: MAX_BACKFILL_REPLIES_PER_DISCUSSION,
      repliesLeftOut: 7,
    });
    // The bound holds where it matters, before any write: what was queued.
    const queued = await bridge.store.listDeliveries({ limit: 1000 });
    expect(queued.filter((delivery) => delivery.eventKind === "comment.created")).toHaveLength(
      MAX_BACKFILL_REPLIES_PER_DISCUSSION,
    );
  });

  it("refuses a Hub repo no route mirrors, saying how to fix it", async () => {
    const hub = bridge.hubClient;
    if (!hub) throw new Error("no Hub client");
    await expect(
      backfillDiscussions({
        store: bridge.store,
        hub,
        config: bridge.config,
        repo: { type: "dataset", name: "acme/data" },
      }),
    ).rejects.toThrow(
      'dataset "acme/data" is not mirrored: no route matches dataset "acme/data"; add a route with discussions: true to the config',
    );
  });
});
