import { describe, expect, it } from "vitest";
import { type Route, routeSchema } from "../../src/config/config-schema.ts";
import {
  type DiscussionEvent,
  planDiscussionEffects,
} from "../../src/rules/plan-discussion-effects.ts";
import { fixtureEvent } from "../support/fixtures.ts";

const ACME = { owner: "acme", repo: "mirror" };
const SOME_REPO_ID = "6366c000a2abcdf2fd69a080";
const ISSUE = `hub-discussion:${SOME_REPO_ID}:3`;
const GPT2_ISSUE = "hub-discussion:621ffdc036468d709f17434d:19";
const COMMENT = "hub-comment:6398872887bfcfb93a306f18";
const DISCUSSION_URL = "https://huggingface.co/some-user/some-repo/discussions/3";
const COMMENT_URL =
  "https://huggingface.co/some-user/some-repo/discussions/4#6398872887bfcfb93a306f18";
const AUTHOR = "61d2000c3c2083e1c08af22d";

function route(discussions: unknown = true, fields: Record<string, unknown> = {}): Route {
  return routeSchema.parse({ hub: "**", github: "acme/mirror", discussions, ...fields });
}

function discussionFixture(name: string): DiscussionEvent {
  const event = fixtureEvent(name);
  if (!("discussion" in event)) throw new Error(`${name} is ${event.kind}`);
  return event;
}

type CommentEvent = Extract<DiscussionEvent, { kind: `comment.${string}` }>;

function commentFixture(name: string): CommentEvent {
  const event = discussionFixture(name);
  if (event.kind === "comment.created" || event.kind === "comment.edited") return event;
  if (event.kind === "comment.hidden") return event;
  throw new Error(`${name} is ${event.kind}`);
}

function plan(event: DiscussionEvent, routes: Route[] = [route()]) {
  const first = planDiscussionEffects(event, routes);
  // Pure: the same event plans the same effects, keys included.
  expect(planDiscussionEffects(structuredClone(event), routes)).toStrictEqual(first);
  return first;
}

describe("planDiscussionEffects", () => {
  it("opens an issue for a new Hub pull request, labelled and linked back", () => {
    const event = discussionFixture("hubdocs-discussion-create-pr.json");
    const url = "https://huggingface.co/openai-community/gpt2/discussions/19";
    expect(plan(event)).toStrictEqual({
      effects: [
        {
          type: "create-issue",
          idempotencyKey: `create-issue:${GPT2_ISSUE}`,
          repo: ACME,
          link: GPT2_ISSUE,
          title: "[Hub] Update co2 emissions",
          body: [
            "Add co2 emissions information to the model card",
            "---",
            "_Mirrored from the Hub; reply there to take part._",
            [
              `- Hub pull request: [openai-community/gpt2 #\u200B19](${url})`,
              "- Author: Hub user `61d2f90c3c2083e1c08af22d`",
              "- Pull request: yes, into `refs/heads/main`",
            ].join("\n"),
          ].join("\n\n"),
          labels: ["huggingface", "hub-pr"],
          sourceUrl: url,
        },
      ],
    });
  });

  it("says the Hub gave no description when the opening post has no text", () => {
    const event = discussionFixture("hookdeck-discussion-create-pr.json");
    const [effect] = plan(event).effects;
    expect(effect?.type === "create-issue" && effect.body.split("\n\n")[0]).toBe(
      "_No description on the Hub._",
    );
    const anonymous = { ...event, discussion: { ...event.discussion, authorId: undefined } };
    const template = "{{author}} {{authorId}} {{commentAuthor}} {{commentAuthorId}} {{commentUrl}}";
    const [templated] = plan(anonymous, [route({ bodyTemplate: template })]).effects;
    // No opening post: the comment variables fall back to the discussion's.
    expect(templated?.type === "create-issue" && templated.body).toBe(
      "unknown unknown unknown unknown <https://huggingface.co/u/r/discussions/19>",
    );
  });

  it("fills a body template with every variable, tagged by where it came from", () => {
    const opened = discussionFixture("composed-discussion-create-draft-pr.json");
    const named: DiscussionEvent = {
      ...opened,
      discussion: {
        ...opened.discussion,
        authorName: "alice",
        authorGitHubLogin: "alice-gh",
        baseRef: undefined,
      },
    };
    const template =
      "{{kind}} {{status}} {{type}} {{repo}}#{{num}} {{title}} by {{author}} ({{authorId}}); pr: {{pullRequest}}; {{commentAuthor}} {{commentAuthorId}} {{commentUrl}} {{url}}\n\n{{content}}";
    const [effect] = plan(named, [route({ bodyTemplate: template })]).effects;
    expect(effect?.type === "create-issue" && effect.body).toBe(
      `pull request draft model some-user/some-repo#\u200B3 Hello! by alice (GitHub: alice-gh) (${AUTHOR}); pr: yes; ${AUTHOR} ${AUTHOR} <${COMMENT_URL}> <${DISCUSSION_URL}>\n\nThis adds an env key`,
    );
    expect(effect?.type === "create-issue" && effect.labels).toStrictEqual([
      "huggingface",
      "hub-pr",
      "draft",
    ]);
  });

  it("mirrors a comment, one created hidden as the notice, one without text as saying so", () => {
    const created = commentFixture("composed-discussion.comment-create-on-pr.json");
    expect(plan(created).effects).toStrictEqual([
      {
        type: "create-comment",
        idempotencyKey: `create-comment:${COMMENT}`,
        repo: ACME,
        issue: ISSUE,
        link: COMMENT,
        body: `Hub user \`${AUTHOR}\` [commented on the Hub](${COMMENT_URL}):\n\nThis adds an env key`,
        sourceUrl: COMMENT_URL,
      },
    ]);
    const hidden = {
      ...created,
      comment: { ...created.comment, hidden: true, content: undefined },
    };
    const [notice] = plan(hidden).effects;
    expect(notice?.type === "create-comment" && notice.body).toBe(
      `_This comment was [hidden on the Hub](${COMMENT_URL}); its text is no longer mirrored._`,
    );
    const blank = { ...created, comment: { ...created.comment, content: "  \n" } };
    const [empty] = plan(blank).effects;
    expect(empty?.type === "create-comment" && empty.body).toBe(
      `Hub user \`${AUTHOR}\` [commented on the Hub](${COMMENT_URL}):\n\n_No text on the Hub._`,
    );
  });

  it("renders comments with the route's comment template", () => {
    const created = commentFixture("composed-discussion.comment-create-on-pr.json");
    const [effect] = plan(created, [
      route({ commentTemplate: "{{commentAuthor}}: {{content}}" }),
    ]).effects;
    expect(effect?.type === "create-comment" && effect.body).toBe(
      `${AUTHOR}: This adds an env key`,
    );
  });

  it("updates a comment on an edit, keyed by the new text, and blanks it when hidden", () => {
    const edited = commentFixture("composed-discussion.comment-update-edited.json");
    const first = plan(edited).effects;
    expect(first).toStrictEqual([
      {
        type: "update-comment",
        idempotencyKey: `update-comment:${COMMENT}:cb5785a69e076c33`,
        repo: ACME,
        comment: COMMENT,
        body: `Hub user \`${AUTHOR}\` [commented on the Hub](${COMMENT_URL}):\n\nThis adds an env key (edited)`,
        sourceUrl: COMMENT_URL,
      },
    ]);
    const again = { ...edited, comment: { ...edited.comment, content: "second edit" } };
    expect(plan(again).effects[0]?.idempotencyKey).not.toBe(first[0]?.idempotencyKey);
    const emptied = { ...edited, comment: { ...edited.comment, content: undefined } };
    expect(plan(emptied).effects[0]?.idempotencyKey).toBe(
      `update-comment:${COMMENT}:e3b0c44298fc1c14`,
    );

    const hidden = commentFixture("composed-discussion.comment-update-hidden.json");
    expect(plan(hidden).effects).toStrictEqual([
      {
        type: "update-comment",
        idempotencyKey: `update-comment:${COMMENT}:hidden`,
        repo: ACME,
        comment: COMMENT,
        body: `_This comment was [hidden on the Hub](${COMMENT_URL}); its text is no longer mirrored._`,
      },
    ]);
  });

  it("closes a closed pull request as not planned and drops its draft label", () => {
    expect(plan(discussionFixture("composed-discussion-update-closed-pr.json"))).toStrictEqual({
      effects: [
        {
          type: "close-issue",
          idempotencyKey: `close-issue:${ISSUE}:closed`,
          repo: ACME,
          issue: ISSUE,
          reason: "not_planned",
        },
        {
          type: "remove-labels",
          idempotencyKey: `remove-labels:${ISSUE}:draft`,
          repo: ACME,
          issue: ISSUE,
          labels: ["draft"],
        },
      ],
    });
  });

  it("closes a closed discussion with nothing to unlabel, under the route's draft label name", () => {
    const closed = discussionFixture("composed-discussion-update-closed-pr.json");
    const discussion: DiscussionEvent = {
      ...closed,
      discussion: { ...closed.discussion, isPullRequest: false },
    };
    expect(plan(discussion).effects.map((effect) => effect.type)).toStrictEqual(["close-issue"]);
    const [, remove] = plan(closed, [route({ labels: { draft: "wip" } })]).effects;
    expect(remove?.type === "remove-labels" && remove.labels).toStrictEqual(["wip"]);
  });

  it("notes a merge, into what and as which commit, and closes as completed", () => {
    const merged = discussionFixture("composed-discussion-update-merged-pr.json");
    expect(plan(merged).effects).toStrictEqual([
      {
        type: "create-comment",
        idempotencyKey: `create-comment:${ISSUE}:merged-note`,
        repo: ACME,
        issue: ISSUE,
        link: `${ISSUE}:merged-note`,
        body: `_The Hub pull request [#\u200B3](${DISCUSSION_URL}) was merged into \`refs/heads/main\` as commit \`575db8b7a51b6f85eb06eee540738584589f131c\`, so this issue is closed as completed._`,
      },
      {
        type: "close-issue",
        idempotencyKey: `close-issue:${ISSUE}:merged`,
        repo: ACME,
        issue: ISSUE,
        reason: "completed",
      },
      {
        type: "remove-labels",
        idempotencyKey: `remove-labels:${ISSUE}:draft`,
        repo: ACME,
        issue: ISSUE,
        labels: ["draft"],
      },
    ]);
    const bare: DiscussionEvent = {
      ...merged,
      discussion: { ...merged.discussion, baseRef: undefined, mergeCommitId: undefined },
    };
    const [note] = plan(bare).effects;
    expect(note?.type === "create-comment" && note.body).toBe(
      `_The Hub pull request [#\u200B3](${DISCUSSION_URL}) was merged, so this issue is closed as completed._`,
    );
  });

  it("notes a deleted discussion or pull request by its kind and closes the issue", () => {
    const deleted = discussionFixture("hookdeck-discussion-delete.json");
    const issue = "hub-discussion:621ffdc036468d709f17434d:9";
    const url = "https://huggingface.co/openai-community/gpt2/discussions/9";
    expect(plan(deleted).effects).toStrictEqual([
      {
        type: "create-comment",
        idempotencyKey: `create-comment:${issue}:deleted-note`,
        repo: ACME,
        issue,
        link: `${issue}:deleted-note`,
        body: `_The Hub discussion [#\u200B9](${url}) was deleted, so this issue is closed. Its earlier mirrored text stays here._`,
      },
      {
        type: "close-issue",
        idempotencyKey: `close-issue:${issue}:deleted`,
        repo: ACME,
        issue,
        reason: "not_planned",
      },
    ]);
    const pullRequest = { ...deleted, discussion: { ...deleted.discussion, isPullRequest: true } };
    const [note] = plan(pullRequest).effects;
    expect(note?.type === "create-comment" && note.body).toContain("_The Hub pull request [#");
  });

  it("retitles and reopens an open discussion, and moves a pull request's draft label", () => {
    const closed = discussionFixture("composed-discussion-update-closed-pr.json");
    const update = (status: string, isPullRequest: boolean): DiscussionEvent => ({
      kind: "discussion.updated",
      repo: closed.repo,
      discussion: { ...closed.discussion, status, isPullRequest, title: "Renamed" },
    });
    const retitle = {
      type: "update-issue",
      idempotencyKey: `update-issue:${ISSUE}:title:bfbe80c32295e3a4`,
      repo: ACME,
      issue: ISSUE,
      title: "[Hub] Renamed",
    };
    const reopen = {
      type: "reopen-issue",
      idempotencyKey: `reopen-issue:${ISSUE}`,
      repo: ACME,
      issue: ISSUE,
    };
    expect(plan(update("open", false)).effects).toStrictEqual([retitle, reopen]);
    expect(plan(update("open", true)).effects).toStrictEqual([
      retitle,
      reopen,
      {
        type: "remove-labels",
        idempotencyKey: `remove-labels:${ISSUE}:draft`,
        repo: ACME,
        issue: ISSUE,
        labels: ["draft"],
      },
    ]);
    expect(plan(update("draft", true)).effects).toStrictEqual([
      retitle,
      {
        type: "add-labels",
        idempotencyKey: `add-labels:${ISSUE}:draft`,
        repo: ACME,
        issue: ISSUE,
        labels: ["draft"],
      },
    ]);
    expect(plan(update("draft", false)).effects).toStrictEqual([retitle]);
  });

  it("mirrors into the first matching route with discussions on", () => {
    const event = commentFixture("composed-discussion.comment-create-on-pr.json");
    const routes = [
      route(false, { github: "acme/dispatch-only" }),
      route({ enabled: false }, { github: "acme/disabled" }),
      route({ enabled: true }),
      route(true, { github: "acme/second" }),
    ];
    expect(plan(event, routes).effects.map((effect) => effect.repo)).toStrictEqual([ACME]);
  });

  it("says why nothing is planned: no route matches, or discussions are off", () => {
    const event = commentFixture("composed-discussion.comment-create-on-pr.json");
    expect(plan(event, [route(true, { hub: "other/*" })])).toStrictEqual({
      effects: [],
      reason: 'no route matches model "some-user/some-repo"',
    });
    expect(plan(event, [route(true, { types: ["dataset"] })])).toStrictEqual({
      effects: [],
      reason: 'no route matches model "some-user/some-repo"',
    });
    expect(plan(event, [route(false), route({ enabled: false })])).toStrictEqual({
      effects: [],
      reason: "discussions are off for this route",
    });
  });
});
