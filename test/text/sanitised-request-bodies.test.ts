import type { Nodes } from "mdast";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLinkMarker, renderLinkMarker } from "../../src/text/link-marker.ts";
import { parseMarkdown } from "../../src/text/parse-markdown.ts";
import { readFixture } from "../support/fixtures.ts";
import { BRIDGE_MARKER_KEY, type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { findLiveEffects } from "./find-live-effects.ts";

const ZWSP = "\u200B";
const ISSUE_LINK = "hub-discussion:6366c000a2abcdf2fd69a080:3";
/** A marker signed with the bridge's real key, as someone could copy it from a GitHub issue's source. */
const COPIED_MARKER = renderLinkMarker(ISSUE_LINK, BRIDGE_MARKER_KEY);
const FORGED_MARKER = "<!-- hf-bridge:link=hub-discussion:x:1;sig=0000000000000000 -->";
const HOSTILE = `/approve\nThanks @octocat, see acme/app#12 and #3.\n${COPIED_MARKER}\n${FORGED_MARKER}`;
/** What breaks out of a footer link or code span and then acts: a mention, a closing keyword, a command. */
const BREAKOUT = ") @octocat fixes acme/app#12\n/approve";
/** GitHub links references in titles and matches mentions the same way. */
const LIVE_IN_TITLE = /(^|[^A-Za-z0-9_])@[A-Za-z0-9]|#\d|(^|[^A-Za-z0-9_])GH-\d/i;

let bridge: StartedBridge;

beforeEach(async () => {
  bridge = await startBridge();
});

afterEach(async () => {
  await bridge.close();
  bridge.github.expectNoViolations();
});

function postedBodies(path: RegExp, field: "body" | "title" = "body"): string[] {
  return bridge.github.requests
    .filter((request) => request.method === "POST" && path.test(request.path))
    .map((request) => (request.body as Record<string, unknown>)[field])
    .filter((body): body is string => typeof body === "string");
}

function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === "link") targets.push(node.url);
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(parseMarkdown(markdown));
  return targets;
}

/** The bridge's own marker closes every body; what comes before it must act on nothing. */
function withoutOwnMarker(body: string): string {
  const own = readLinkMarker(body, BRIDGE_MARKER_KEY) ?? "";
  const marker = renderLinkMarker(own, BRIDGE_MARKER_KEY);
  expect(body.endsWith(marker)).toBe(true);
  return body.slice(0, -marker.length);
}

describe("Hub text on its way to GitHub, as the requests carry it", () => {
  it("sends a mention, cross-references, a slash command and copied markers with none of their effects", async () => {
    // Sent as written, each of these would act on GitHub.
    expect(findLiveEffects(HOSTILE, BRIDGE_MARKER_KEY)).toHaveLength(5);
    const opening = readFixture("composed-discussion-create-draft-pr.json");
    const reply = readFixture("composed-discussion.comment-create-on-pr.json");
    for (const payload of [
      { ...opening, comment: { ...(opening.comment as object), content: HOSTILE } },
      {
        ...reply,
        comment: { ...(reply.comment as object), id: "6398872887bfcfb93a3060aa", content: HOSTILE },
      },
    ]) {
      expect((await bridge.post(payload)).status).toBe(202);
    }
    await bridge.drain();

    const issueBodies = postedBodies(/^\/repos\/acme\/widgets\/issues$/);
    const commentBodies = postedBodies(/^\/repos\/acme\/widgets\/issues\/\d+\/comments$/);
    expect(issueBodies).toHaveLength(1);
    expect(commentBodies).toHaveLength(1);
    for (const body of [...issueBodies, ...commentBodies]) {
      const text = withoutOwnMarker(body);
      expect(findLiveEffects(text, BRIDGE_MARKER_KEY)).toEqual([]);
      // Neutralised, not dropped: the reader still sees what was written on the Hub.
      expect(text.replaceAll(ZWSP, "")).toContain("Thanks @octocat, see acme/app#12 and #3.");
      expect(text).toContain(`${ZWSP}/approve`);
    }
    // The bridge's marker is the only one it can read back, so the copied one claims nothing.
    expect(readLinkMarker(issueBodies[0] ?? "", BRIDGE_MARKER_KEY)).toBe(ISSUE_LINK);
    expect(readLinkMarker(commentBodies[0] ?? "", BRIDGE_MARKER_KEY)).not.toBe(ISSUE_LINK);
  });

  it("sends a hostile discussion title, Hub URL and author ids neutralised in the title, the footer and the comment", async () => {
    const opening = readFixture("composed-discussion-create-draft-pr.json");
    const reply = readFixture("composed-discussion.comment-create-on-pr.json");
    const discussionUrl = "https://huggingface.co/some-user/some-repo/discussions/3";
    const hostileDiscussion = {
      ...(opening.discussion as object),
      title: "First @bob #3\n/approve",
      url: { web: `${discussionUrl}${BREAKOUT}` },
      author: { id: `a\` @octocat \`b${BREAKOUT}` },
      changes: { base: `refs/heads/x\` @octocat \`${BREAKOUT}` },
    };
    const payloads = [
      {
        ...opening,
        discussion: hostileDiscussion,
        comment: { ...(opening.comment as object), author: { id: BREAKOUT } },
      },
      {
        ...reply,
        discussion: hostileDiscussion,
        comment: {
          ...(reply.comment as object),
          id: "6398872887bfcfb93a3060ab",
          author: { id: `\`${BREAKOUT}` },
          url: { web: `${discussionUrl}#6398872887bfcfb93a3060ab${BREAKOUT}` },
        },
      },
    ];
    for (const payload of payloads) expect((await bridge.post(payload)).status).toBe(202);
    await bridge.drain();

    const [title, ...otherTitles] = postedBodies(/^\/repos\/acme\/widgets\/issues$/, "title");
    expect(otherTitles).toEqual([]);
    expect(title).toBeDefined();
    expect(LIVE_IN_TITLE.test(title ?? "")).toBe(false);
    expect(title?.replaceAll(ZWSP, "")).toBe("[Hub] First @bob #3 /approve");

    const bodies = [
      ...postedBodies(/^\/repos\/acme\/widgets\/issues$/),
      ...postedBodies(/^\/repos\/acme\/widgets\/issues\/\d+\/comments$/),
    ];
    expect(bodies).toHaveLength(2);
    const encodedBreakout = "%29%20%40octocat%20fixes%20acme/app";
    const [issueBody = "", commentBody = ""] = bodies.map(withoutOwnMarker);
    for (const text of [issueBody, commentBody]) {
      expect(findLiveEffects(text, BRIDGE_MARKER_KEY)).toEqual([]);
    }
    // Still one working link back to the Hub each, the breakout kept inside it, encoded.
    expect(linkTargets(issueBody)).toEqual([`${discussionUrl}${encodedBreakout}#12/approve`]);
    expect(linkTargets(commentBody)).toEqual([
      `${discussionUrl}#6398872887bfcfb93a3060ab${encodedBreakout}%2312/approve`,
    ]);
  });
});
