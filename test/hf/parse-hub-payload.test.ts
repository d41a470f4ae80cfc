import { describe, expect, it } from "vitest";
import { normalizeHubPayload } from "../../src/events/normalize-hub-payload.ts";
import { parseHubPayload } from "../../src/hf/parse-hub-payload.ts";
import { hubWebhookFixtureNames, readFixture } from "../support/fixtures.ts";

/** What each Hub fixture must become: an event kind, or a refusal whose reason names the problem. */
const EXPECTED: Record<string, string> = {
  "composed-discussion-create-draft-pr.json": "discussion.opened",
  "composed-discussion-create-plain-discussion.json": "discussion.opened",
  "composed-discussion-update-closed-pr.json": "discussion.closed",
  "composed-discussion-update-merged-pr.json": "discussion.merged",
  "composed-discussion.comment-create-on-pr.json": "comment.created",
  "composed-discussion.comment-create-private-dataset.json": "comment.created",
  "composed-discussion.comment-update-edited.json": "comment.edited",
  "composed-discussion.comment-update-hidden.json": "comment.hidden",
  "composed-repo-move-movedTo.json": "repo.moved",
  "composed-repo.config-update-empty.json": "config.updated",
  "composed-repo.config-update-private-false.json": "config.updated",
  "composed-repo.config-update-private-true.json": "config.updated",
  "composed-repo.content-update-branch-create.json": "content.updated",
  "composed-repo.content-update-main-and-new-tag.json": "content.updated",
  "composed-repo.content-update-pr-ref-create.json": "content.updated",
  "composed-repo.content-update-private-dataset.json": "content.updated",
  "composed-repo.content-update-tag-delete.json": "content.updated",
  "datasetviewer-v2-discussion.comment-add-dataset.json": "comment.created",
  "datasetviewer-v2-repo-add-minimal.json": "ignored: legacy v2 payload without repo.id",
  "datasetviewer-v2-repo-move-minimal.json": "ignored: legacy v2 payload without repo.id",
  "datasetviewer-v2-repo.content-update-dataset.json": "ignored: body.updatedRefs is required",
  "hfhub-discussion-create-pr.json": "discussion.opened",
  "hfhub-discussion-update-closed-space.json": "discussion.closed",
  "hfhub-repo.content-update-space-pr-ref.json": "content.updated",
  "hookdeck-discussion-create-pr.json": "discussion.opened",
  "hookdeck-discussion-delete.json": "discussion.deleted",
  "hookdeck-discussion-update-closed.json": "discussion.closed",
  "hookdeck-discussion.comment-create.json": "comment.created",
  "hookdeck-discussion.comment-update-hidden.json": "invalid: body.discussion is required",
  "hookdeck-repo-create.json": "repo.created",
  "hookdeck-repo-delete.json": "repo.deleted",
  "hookdeck-repo-move.json": "invalid: body.movedTo is required",
  "hookdeck-repo-update.json": "repo.updated",
  "hookdeck-repo.config-update-empty.json": "config.updated",
  "hookdeck-repo.config-update-private-true.json": "config.updated",
  "hookdeck-repo.config.dois-update-unknown-scope.json": "config.updated",
  "hookdeck-repo.content-update-refs.json": "content.updated",
  "hubdocs-2022draft-discussion-create-pr-gitalyuid.json": "discussion.opened",
  "hubdocs-discussion-create-pr.json": "discussion.opened",
};

describe("parseHubPayload on every Hub fixture", () => {
  it("covers every fixture in test/fixtures/hf", () => {
    expect(hubWebhookFixtureNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} → ${expected}`, () => {
      const parsed = parseHubPayload(readFixture(name));
      if (parsed.outcome === "accepted") {
        expect(normalizeHubPayload(parsed.payload).kind).toBe(expected);
      } else {
        const [outcome, reasonPart] = expected.split(": ");
        expect(parsed.outcome).toBe(outcome);
        expect(parsed.reason).toContain(reasonPart);
      }
    });
  }
});

describe("parseHubPayload rules", () => {
  it("treats an unknown narrowed scope as an update on its known parent", () => {
    const parsed = parseHubPayload(
      readFixture("hookdeck-repo.config.dois-update-unknown-scope.json"),
    );
    expect(parsed.outcome).toBe("accepted");
    if (parsed.outcome !== "accepted") return;
    expect(parsed.payload.event).toMatchObject({ scope: "repo.config", action: "update" });
    expect(parsed.notes).toEqual(['scope "repo.config.dois" treated as "update" on "repo.config"']);
  });

  it("ignores a scope with no known parent instead of refusing it", () => {
    const body = {
      ...readFixture("hookdeck-repo-update.json"),
      event: { scope: "billing", action: "update" },
    };
    expect(parseHubPayload(body)).toEqual({
      outcome: "ignored",
      reason: 'event.scope "billing" is not a scope the bridge knows',
    });
  });

  it("ignores an action the bridge does not handle on a known scope", () => {
    const body = {
      ...readFixture("hookdeck-repo-update.json"),
      event: { scope: "repo", action: "archive" },
    };
    expect(parseHubPayload(body)).toMatchObject({ outcome: "ignored" });
  });

  it("keeps fields it does not check, so new Hub fields pass through", () => {
    const body = readFixture("hubdocs-discussion-create-pr.json");
    const withExtra = {
      ...body,
      newTopLevel: 1,
      repo: { ...(body.repo as object), brandNew: "x" },
    };
    const parsed = parseHubPayload(withExtra);
    expect(parsed.outcome).toBe("accepted");
    if (parsed.outcome !== "accepted") return;
    expect(parsed.payload).toMatchObject({ newTopLevel: 1, repo: { brandNew: "x" } });
  });

  it("names the field, quotes the bad value and refuses a wrong type", () => {
    const body = readFixture("hubdocs-discussion-create-pr.json");
    const parsed = parseHubPayload({ ...body, repo: { ...(body.repo as object), private: "no" } });
    expect(parsed).toMatchObject({ outcome: "invalid" });
    if (parsed.outcome !== "invalid") return;
    expect(parsed.reason).toContain("body.repo.private");
    expect(parsed.reason).toContain('(found "no")');
  });

  it("has no comment text when the comment is hidden, even if a sender puts null", () => {
    const body = readFixture("composed-discussion.comment-update-hidden.json");
    const withNull = { ...body, comment: { ...(body.comment as object), content: null } };
    for (const candidate of [body, withNull]) {
      const parsed = parseHubPayload(candidate);
      expect(parsed.outcome).toBe("accepted");
      if (parsed.outcome !== "accepted") return;
      const event = normalizeHubPayload(parsed.payload);
      expect(event.kind).toBe("comment.hidden");
      expect("comment" in event && event.comment && "content" in event.comment).toBe(false);
    }
  });

  it("maps a legacy v2 payload explicitly and says so", () => {
    const parsed = parseHubPayload(
      readFixture("datasetviewer-v2-discussion.comment-add-dataset.json"),
    );
    expect(parsed.outcome).toBe("accepted");
    if (parsed.outcome !== "accepted") return;
    expect(parsed.payload.event).toEqual({ scope: "discussion.comment", action: "create" });
    expect(parsed.notes).toEqual(["legacy v2 payload mapped to version 3"]);
  });

  it.each([
    ["an array", []],
    ["a string", "hello"],
    ["null", null],
    ["an object without event or repo", { hello: "world" }],
  ])("refuses %s as not a Hub payload", (_label, body) => {
    expect(parseHubPayload(body).outcome).toBe("invalid");
  });

  it("ignores a future payload version instead of misreading it", () => {
    const body = readFixture("hubdocs-discussion-create-pr.json");
    expect(parseHubPayload({ ...body, webhook: { id: "w", version: 4 } })).toEqual({
      outcome: "ignored",
      reason: "webhook.version 4 is not supported; only 3 is",
    });
  });

  it("links to the configured Hub (HF_ENDPOINT), rebuilding huggingface.co links for it", () => {
    const parsed = parseHubPayload(readFixture("composed-discussion.comment-create-on-pr.json"));
    expect(parsed.outcome).toBe("accepted");
    if (parsed.outcome !== "accepted") return;
    const event = normalizeHubPayload(parsed.payload, "http://127.0.0.1:8999/");
    if (event.kind !== "comment.created") throw new Error(`unexpected ${event.kind}`);
    expect(event.repo.webUrl).toBe("http://127.0.0.1:8999/some-user/some-repo");
    expect(event.discussion.webUrl).toBe("http://127.0.0.1:8999/some-user/some-repo/discussions/3");
    expect(event.comment.webUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:8999\/some-user\/some-repo\/discussions\/3#/,
    );
  });

  it("never trusts a payload URL off the Hub", () => {
    const parsed = parseHubPayload(
      readFixture("hubdocs-2022draft-discussion-create-pr-gitalyuid.json"),
    );
    expect(parsed.outcome).toBe("accepted");
    if (parsed.outcome !== "accepted") return;
    const event = normalizeHubPayload(parsed.payload);
    expect(event.kind === "discussion.opened" && event.discussion.webUrl).toBe(
      "https://huggingface.co/gpt2/discussions/19",
    );
  });
});
