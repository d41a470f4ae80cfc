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
    expect(answer.status).toBe(200);
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

    // A redelivery of the GitHub webhook posts nothing twice.
    await bridge.postGitHub(
      "issue_comment",
      githubComment(9001, "widget-maintainer", "Thanks, merging soon."),
    );
    expect(hubComments()).toHaveLength(2);
  });

  it("ignores a comment by someone without write access, and says why in the log", async () => {
    await bridge.postGitHub(
      "issue_comment",
      githubComment(9002, "widget-reader", "+1 please merge"),
    );
    await bridge.postGitHub("issue_comment", githubComment(9003, "drive-by", "spam"));
    expect(bridge.hub?.requests.filter((request) => request.method === "POST")).toStrictEqual([]);
    expect(hubComments()).toHaveLength(1);
    const reasons = bridge.logs.filter((line) => line.includes('"writeBack":"comment"'));
    expect(reasons.join("\n")).toContain('widget-reader has \\"read\\" access to acme/widgets');
    expect(reasons.join("\n")).toContain('drive-by has \\"read\\" access to acme/widgets');
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
    const discussion = bridge.hub?.state.repos
      .get("models/some-user/some-repo")
      ?.discussions.get(3);
    expect(discussion?.status).toBe("draft");
    await bridge.postGitHub("issues", closed("widget-maintainer", "User"));
    expect(discussion?.status).toBe("closed");
  });
});
