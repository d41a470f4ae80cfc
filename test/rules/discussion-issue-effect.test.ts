import { describe, expect, it } from "vitest";
import { routeSchema } from "../../src/config/config-schema.ts";
import { discussionIssueEffect } from "../../src/rules/discussion-issue-effect.ts";
import { resolveDiscussionSettings } from "../../src/rules/resolve-discussion-settings.ts";
import { fixtureEvent } from "../support/fixtures.ts";

const ISSUE = "hub-discussion:6366c000a2abcdf2fd69a080:3";
const settings = resolveDiscussionSettings(
  routeSchema.parse({ hub: "**", github: "acme/mirror", discussions: { writeBack: true } }),
);

describe("discussionIssueEffect", () => {
  it("creates the issue on demand for an event that is not the opening one, without its post", () => {
    const event = fixtureEvent("composed-discussion.comment-create-on-pr.json");
    if (event.kind !== "comment.created") throw new Error(`unexpected kind ${event.kind}`);
    if (!settings) throw new Error("discussions are on in this route");
    const effect = discussionIssueEffect(event, { owner: "acme", repo: "mirror" }, settings);
    expect(effect).toMatchObject({
      type: "create-issue",
      idempotencyKey: `create-issue:${ISSUE}:on-demand`,
      link: ISSUE,
      title: "[Hub] Hello!",
      labels: ["huggingface", "hub-pr"],
    });
    const [post, , footer] = effect.body.split("\n\n");
    // The comment is mirrored by its own effect; the body says only where the discussion is.
    expect(post).toBe("_No description on the Hub._");
    expect(footer).toBe(
      "_Mirrored from the Hub; comments here by members with write access are posted there too._",
    );
  });
});
