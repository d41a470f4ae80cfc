import { describe, expect, it } from "vitest";
import { dedupeKey } from "../../src/events/dedupe-key.ts";
import type { HubPayloadV3 } from "../../src/hf/hub-payload-schema.ts";
import { parseHubPayload } from "../../src/hf/parse-hub-payload.ts";
import { hubWebhookFixtureNames, readFixture } from "../support/fixtures.ts";

function payloadOf(body: unknown): HubPayloadV3 {
  const parsed = parseHubPayload(body);
  if (parsed.outcome !== "accepted") throw new Error(`fixture refused: ${parsed.reason}`);
  return parsed.payload;
}

function keyOf(body: unknown): string {
  return dedupeKey(payloadOf(body));
}

function withComment(body: Record<string, unknown>, patch: Record<string, unknown>) {
  return { ...body, comment: { ...(body.comment as object), ...patch } };
}

describe("dedupeKey", () => {
  const comment = readFixture("composed-discussion.comment-create-on-pr.json");

  it("gives a replayed delivery (same bytes, parsed again) the same key", () => {
    for (const name of hubWebhookFixtureNames()) {
      const parsed = parseHubPayload(readFixture(name));
      if (parsed.outcome !== "accepted") continue;
      expect(dedupeKey(parsed.payload), name).toBe(keyOf(readFixture(name)));
    }
  });

  it("tells apart two different comments with the same text", () => {
    expect(keyOf(withComment(comment, { id: "aaaaaaaaaaaaaaaaaaaaaaaa" }))).not.toBe(
      keyOf(withComment(comment, { id: "bbbbbbbbbbbbbbbbbbbbbbbb" })),
    );
  });

  it("tells apart two edits of one comment by their content", () => {
    const edited = readFixture("composed-discussion.comment-update-edited.json");
    expect(keyOf(withComment(edited, { content: "first edit" }))).not.toBe(
      keyOf(withComment(edited, { content: "second edit" })),
    );
  });

  it("tells apart hiding a comment from editing it", () => {
    expect(keyOf(readFixture("composed-discussion.comment-update-hidden.json"))).not.toBe(
      keyOf(readFixture("composed-discussion.comment-update-edited.json")),
    );
  });

  it("does not depend on the order of updatedRefs", () => {
    const body = readFixture("composed-repo.content-update-main-and-new-tag.json");
    const refs = body.updatedRefs as unknown[];
    expect(refs.length).toBeGreaterThan(1);
    expect(keyOf({ ...body, updatedRefs: [...refs].reverse() })).toBe(keyOf(body));
  });

  it("tells apart a new PR ref from a main push with the same headSha", () => {
    const body = readFixture("composed-repo.content-update-pr-ref-create.json");
    const otherPr = (body.updatedRefs as Array<Record<string, unknown>>).map((ref) => ({
      ...ref,
      ref: "refs/pr/99",
    }));
    expect(keyOf({ ...body, updatedRefs: otherPr })).not.toBe(keyOf(body));
  });

  it("tells apart discussion status changes and retitles", () => {
    const closed = readFixture("composed-discussion-update-closed-pr.json");
    const discussion = closed.discussion as Record<string, unknown>;
    const reopened = { ...closed, discussion: { ...discussion, status: "open" } };
    const retitled = { ...closed, discussion: { ...discussion, title: "new title" } };
    const keys = new Set([keyOf(closed), keyOf(reopened), keyOf(retitled)]);
    expect(keys.size).toBe(3);
  });

  it("keeps each Hub webhook a separate source of events", () => {
    expect(keyOf({ ...comment, webhook: { id: "other-webhook", version: 3 } })).not.toBe(
      keyOf(comment),
    );
  });

  it("does not depend on the key order inside updatedConfig", () => {
    const body = readFixture("composed-repo.config-update-private-true.json");
    const a = keyOf({ ...body, updatedConfig: { private: true, zeta: 1 } });
    const b = keyOf({ ...body, updatedConfig: { zeta: 1, private: true } });
    expect(a).toBe(b);
  });

  it("starts with the scope and action so operators can read it", () => {
    expect(keyOf(comment)).toMatch(/^hub:discussion\.comment:create:[0-9a-f]{64}$/);
  });
});
