import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFixture } from "../support/fixtures.ts";
import { BRIDGE_HUB_ACCOUNT, type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { commentsOn, issueFor } from "./github-state.ts";
import { seedHubPullRequest } from "./seed-hub-pull-request.ts";

const ISSUE_KEY = "hub-discussion:6366c000a2abcdf2fd69a080:3";
const REPOSITORY = { name: "widgets", full_name: "acme/widgets", owner: { login: "acme" } };

let bridge: StartedBridge;

beforeEach(async () => {
  bridge = await startBridge({
    hub: true,
    config: {
      routes: [
        {
          hub: "some-user/*",
          github: "acme/widgets",
          discussions: { writeBack: true, closeOnHub: true },
        },
      ],
    },
  });
  seedHubPullRequest(bridge.hub);
  await bridge.post("composed-discussion-create-draft-pr.json");
  await bridge.drain();
});

afterEach(async () => {
  await bridge.close();
  bridge.github.expectNoViolations();
});

function githubComment(id: number, login: string, body: string) {
  const issue = issueFor(bridge.github, ISSUE_KEY);
  return {
    action: "created",
    issue: { number: issue.number, body: issue.body },
    comment: { id, body, user: { login, type: "User" } },
    repository: REPOSITORY,
    sender: { login, type: "User" },
    installation: { id: 1 },
  };
}

function hubComments(): string[] {
  const discussion = bridge.hub?.state.repos.get("models/some-user/some-repo")?.discussions.get(3);
  return (discussion?.events ?? [])
    .filter((event) => event.type === "comment")
    .map((event) => (event.data.latest as { raw: string }).raw);
}

function githubWrites(): string[] {
  return bridge.github.requests
    .filter((request) => request.method !== "GET" && !request.path.startsWith("/app/"))
    .map((request) => `${request.method} ${request.path}`);
}

/** The Hub's webhook for a comment on discussion #3, as the Hub would send it. */
function hubCommentWebhook(id: string, authorId: string, content: string) {
  const created = readFixture("composed-discussion.comment-create-on-pr.json");
  return {
    ...created,
    comment: { ...(created.comment as object), id, author: { id: authorId }, content },
  };
}

describe("GitHub → Hub write-back", () => {
  it("posts a member's comment to the Hub, attributed, and mirrors none of its echoes back", async () => {
    const answer = await bridge.postGitHub(
      "issue_comment",
      githubComment(9001, "widget-maintainer", "Thanks, merging soon."),
    );
    expect(answer).toMatchObject({ status: 202, body: { status: "queued" } });
    await bridge.drain();
    expect(hubComments()).toStrictEqual([
      "This adds an env key",
      "widget-maintainer on GitHub wrote:\n\nThanks, merging soon.",
    ]);
    const echoId =
      bridge.hub?.state.repos.get("models/some-user/some-repo")?.discussions.get(3)?.events.at(-1)
        ?.id ?? "";

    const writesBefore = githubWrites().length;
    const commentsBefore = commentsOn(bridge.github, 1).length;
    // The echo as the Hub sends it (authored by the bridge's account), then the same id from another
    // author id, which only the link recorded for newMessage.id can recognise.
    await bridge.post(
      hubCommentWebhook(
        echoId,
        BRIDGE_HUB_ACCOUNT.id,
        "widget-maintainer on GitHub wrote:\n\nThanks, merging soon.",
      ),
    );
    await bridge.post(
      hubCommentWebhook(
        echoId,
        "someone-else",
        "widget-maintainer on GitHub wrote:\n\nThanks, merging soon (edited).",
      ),
    );
    await bridge.drain();
    expect(githubWrites().length).toBe(writesBefore);
    expect(commentsOn(bridge.github, 1)).toHaveLength(commentsBefore);

    // The same comment delivered again under another delivery id (a second webhook) posts nothing twice.
    await bridge.postGitHub(
      "issue_comment",
      githubComment(9001, "widget-maintainer", "Thanks, merging soon."),
    );
    await bridge.drain();
    expect(hubComments()).toHaveLength(2);
    const [again] = await bridge.store.listDeliveries({ limit: 1 });
    expect(again?.outcome?.effects[0]?.result).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("GitHub comment 9001 was already posted to the Hub"),
    });
  });

  it("skips a comment by someone without write access, and says why in the job's outcome", async () => {
    await bridge.postGitHub(
      "issue_comment",
      githubComment(9002, "widget-reader", "+1 please merge"),
    );
    await bridge.postGitHub("issue_comment", githubComment(9003, "drive-by", "spam"));
    await bridge.drain();
    expect(bridge.hub?.requests.filter((request) => request.method === "POST")).toStrictEqual([]);
    expect(hubComments()).toHaveLength(1);
    const details = (await bridge.store.listDeliveries({ limit: 2 })).map(
      (delivery) => delivery.outcome?.effects[0]?.result.detail,
    );
    expect(details).toStrictEqual([
      'drive-by has "read" access to acme/widgets; only members with write access speak through the bridge',
      'widget-reader has "read" access to acme/widgets; only members with write access speak through the bridge',
    ]);
  });

  it("stores comments by bots and on unmirrored issues as ignored, with no job", async () => {
    const bot = githubComment(9004, "hf-github-bridge[bot]", "mirrored from the Hub");
    const byBot = await bridge.postGitHub("issue_comment", {
      ...bot,
      comment: { ...bot.comment, user: { login: "hf-github-bridge[bot]", type: "Bot" } },
    });
    expect(byBot).toMatchObject({
      status: 202,
      body: { status: "ignored", reason: "written by a bot (the bridge's own comments included)" },
    });
    const plain = githubComment(9005, "widget-maintainer", "on another issue");
    const unmirrored = await bridge.postGitHub("issue_comment", {
      ...plain,
      issue: { number: 99, body: "a bug report typed on GitHub" },
    });
    expect(unmirrored.body).toMatchObject({
      status: "ignored",
      reason: "the issue does not mirror a Hub discussion (no bridge marker in its body)",
    });
    const stored = await bridge.store.listDeliveries({ limit: 2 });
    expect(
      stored.map((delivery) => [delivery.source, delivery.disposition, delivery.jobId]),
    ).toEqual([
      ["github", "ignored", undefined],
      ["github", "ignored", undefined],
    ]);
    expect(hubComments()).toHaveLength(1);
  });

  it("closes the Hub discussion when a member closes the issue, and not when the bridge does", async () => {
    const issue = issueFor(bridge.github, ISSUE_KEY);
    const closed = (login: string, type: string) => ({
      action: "closed",
      issue: { number: issue.number, body: issue.body },
      sender: { login, type },
      repository: REPOSITORY,
      installation: { id: 1 },
    });
    await bridge.postGitHub("issues", closed("hf-github-bridge[bot]", "Bot"));
    await bridge.drain();
    const discussion = bridge.hub?.state.repos
      .get("models/some-user/some-repo")
      ?.discussions.get(3);
    expect(discussion?.status).toBe("draft");
    expect(
      (await bridge.postGitHub("issues", closed("widget-maintainer", "User"))).body,
    ).toMatchObject({ status: "queued" });
    await bridge.drain();
    expect(discussion?.status).toBe("closed");
    expect(discussion?.events.at(-1)?.data).toStrictEqual({ status: "closed" });
  });
});
