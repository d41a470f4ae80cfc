import { afterEach, expect, it } from "vitest";
import { readFixture } from "../support/fixtures.ts";
import { type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { commentsOn, issueFor } from "./github-state.ts";
import { seedHubPullRequest } from "./seed-hub-pull-request.ts";

const ISSUE_KEY = "hub-discussion:6366c000a2abcdf2fd69a080:3";
const DISCUSSION_PATH = "/api/models/some-user/some-repo/discussions/3";
const REVIEWER = { id: "62aa00000000000000000001", name: "hub-reviewer" };

let bridge: StartedBridge | undefined;

afterEach(async () => {
  await bridge?.close();
  bridge?.github.expectNoViolations();
  bridge = undefined;
});

/** A new comment on some-user/some-repo #3 by `authorId`, as the Hub's webhook sends it (ids only). */
function commentWebhook(id: string, authorId: string, content: string): Record<string, unknown> {
  const body = readFixture("composed-discussion.comment-create-on-pr.json");
  return {
    ...body,
    comment: { ...(body.comment as object), id, author: { id: authorId }, content },
  };
}

function lookups(started: StartedBridge): number {
  return (started.hub?.requests ?? []).filter(
    (request) => request.method === "GET" && request.path === DISCUSSION_PATH,
  ).length;
}

it("names Hub users in issues and comment headers, with the users: map's GitHub login as plain text, one lookup per discussion", async () => {
  bridge = await startBridge({
    hub: true,
    config: {
      routes: [{ hub: "some-user/*", github: "acme/widgets", discussions: true }],
      users: { "some-user": "octo-some" },
    },
  });
  const discussion = seedHubPullRequest(bridge.hub);
  for (const id of ["64aa00000000000000000001", "64aa00000000000000000002"]) {
    discussion.events.push({
      id,
      type: "comment",
      createdAt: "2026-01-01T00:00:00.000Z",
      author: REVIEWER,
      data: { latest: { raw: `review ${id}` }, hidden: false },
    });
  }

  await bridge.post("composed-discussion-create-draft-pr.json");
  await bridge.post(commentWebhook("64aa00000000000000000001", REVIEWER.id, "First review"));
  await bridge.post(commentWebhook("64aa00000000000000000002", REVIEWER.id, "Second review"));
  await bridge.drain();

  const issue = issueFor(bridge.github, ISSUE_KEY);
  expect(issue.body).toContain("- Author: Hub user `some-user (GitHub: octo-some)`");
  expect(issue.body).not.toContain("61d2000c3c2083e1c08af22d");
  // A login is never a live mention.
  expect(issue.body).not.toMatch(/@octo-some/);
  const headers = commentsOn(bridge.github, issue.number).map(
    (comment) => comment.body?.split("\n")[0],
  );
  expect(headers).toEqual([
    expect.stringMatching(/^Hub user `hub-reviewer` \[commented on the Hub\]/),
    expect.stringMatching(/^Hub user `hub-reviewer` \[commented on the Hub\]/),
  ]);
  // Three jobs on one discussion, its authors all in the first listing: one request.
  expect(lookups(bridge)).toBe(1);
});

it("shows the id and still mirrors when the lookup fails, and {{authorId}} keeps the id", async () => {
  bridge = await startBridge({
    hub: true,
    config: {
      routes: [
        {
          hub: "some-user/*",
          github: "acme/widgets",
          discussions: {
            bodyTemplate: "Opened by {{author}} (id {{authorId}}): {{content}}",
            commentTemplate: "{{commentAuthor}} / {{commentAuthorId}}: {{content}}",
          },
        },
      ],
    },
  });
  seedHubPullRequest(bridge.hub);
  await bridge.post("composed-discussion-create-draft-pr.json");
  await bridge.drain();
  const issue = issueFor(bridge.github, ISSUE_KEY);
  expect(issue.body).toContain(
    "Opened by some-user (id 61d2000c3c2083e1c08af22d): This adds an env key",
  );

  // A newcomer, and the Hub fails the lookup: the id is shown and the job is done, not failed.
  bridge.hub?.inject({ method: "GET", path: /\/discussions\/3$/, kind: "status", status: 503 });
  await bridge.post(commentWebhook("64aa00000000000000000009", REVIEWER.id, "Looks good"));
  await bridge.drain();
  const [comment] = commentsOn(bridge.github, issue.number);
  expect(comment?.body).toContain(`${REVIEWER.id} / ${REVIEWER.id}: Looks good`);
  const [delivery] = await bridge.store.listDeliveries({ limit: 1 });
  expect(delivery).toMatchObject({ jobState: "done", attempts: 1 });
  expect(bridge.logs.join("\n")).toContain(
    "could not look up the authors of model some-user/some-repo #3 on the Hub; showing their ids",
  );
});
