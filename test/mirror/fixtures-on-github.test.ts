import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFixture } from "../support/fixtures.ts";
import { type StartedBridge, startBridge } from "../support/start-bridge.ts";
import { commentsOn, issueFor, issuesOf } from "./github-state.ts";

const SOME_REPO_PR = "hub-discussion:6366c000a2abcdf2fd69a080:3";
const GPT2 = "621ffdc036468d709f17434d";

let bridge: StartedBridge;

beforeEach(async () => {
  bridge = await startBridge();
});

afterEach(async () => {
  await bridge.close();
  bridge.github.expectNoViolations();
});

async function mirror(...fixtures: Array<string | object>): Promise<void> {
  for (const fixture of fixtures) {
    const answer = await bridge.post(fixture);
    expect([200, 202]).toContain(answer.status);
  }
  await bridge.drain();
}

function writes(): number {
  // Installation token requests are auth, not writes to the repo.
  return bridge.github.requests.filter(
    (request) => request.method !== "GET" && !request.path.startsWith("/app/"),
  ).length;
}

describe("Hub discussions mirrored through the real server, worker and executor", () => {
  it("opens one issue for a draft pull request, with the opening post, a link back and labels", async () => {
    await mirror("composed-discussion-create-draft-pr.json");
    const issue = issueFor(bridge.github, SOME_REPO_PR);
    expect(issue).toMatchObject({ title: "[Hub] Hello!", state: "open" });
    expect(issue.labels).toStrictEqual(["huggingface", "hub-pr", "draft"]);
    expect(issue.body).toContain("This adds an env key");
    expect(issue.body).toContain(
      "- Hub pull request: [some-user/some-repo #\u200B3](https://huggingface.co/some-user/some-repo/discussions/3)",
    );
    expect(issue.body).toContain("- Pull request: yes, into `refs/heads/main`");
    expect(issue.body).toContain("- Author: Hub user `61d2000c3c2083e1c08af22d`");
    expect(bridge.github.state.repos.get("acme/widgets")?.labels.has("hub-pr")).toBe(true);
  });

  it("opens a plain discussion as an issue labelled hub-discussion", async () => {
    await mirror("composed-discussion-create-plain-discussion.json");
    const issue = issueFor(bridge.github, SOME_REPO_PR);
    expect(issue.labels).toStrictEqual(["huggingface", "hub-discussion"]);
    expect(issue.body).toContain("- Pull request: no");
  });

  it("mirrors the same Hub pull request sent in four shapes (docs, huggingface_hub, 2022 draft, Hookdeck) as one issue", async () => {
    await mirror(
      "hubdocs-discussion-create-pr.json",
      "hfhub-discussion-create-pr.json",
      "hubdocs-2022draft-discussion-create-pr-gitalyuid.json",
      "hookdeck-discussion-create-pr.json",
    );
    const issue = issueFor(bridge.github, `hub-discussion:${GPT2}:19`);
    expect(issue.title).toBe("[Hub] Update co2 emissions");
    expect(issuesOf(bridge.github)).toHaveLength(1);
    // Each shape was parsed and accepted (the same Hub event twice is counted as a duplicate), and
    // its job reached the executor; a shape dropped as invalid would be missing from this count.
    const deliveries = await bridge.store.listDeliveries({ limit: 10 });
    expect(deliveries.reduce((sum, delivery) => sum + 1 + delivery.duplicates, 0)).toBe(4);
    for (const delivery of deliveries) {
      expect(delivery.jobState).toBe("done");
      expect(delivery.outcome?.effects.length).toBeGreaterThan(0);
    }
  });

  it("adds each new Hub comment as one GitHub comment with its author and a link back", async () => {
    await mirror(
      "composed-discussion-create-draft-pr.json",
      "composed-discussion.comment-create-on-pr.json",
    );
    const issue = issueFor(bridge.github, SOME_REPO_PR);
    const comments = commentsOn(bridge.github, issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(
      "Hub user `61d2000c3c2083e1c08af22d` [commented on the Hub](https://huggingface.co/some-user/some-repo/discussions/4#6398872887bfcfb93a306f18):",
    );
    expect(comments[0]?.body).toContain("This adds an env key");
  });

  it("mirrors the Hookdeck and legacy v2 comments, creating their issues on demand", async () => {
    await mirror(
      "hookdeck-discussion.comment-create.json",
      "datasetviewer-v2-discussion.comment-add-dataset.json",
    );
    const gpt2 = issueFor(bridge.github, `hub-discussion:${GPT2}:1`);
    expect(commentsOn(bridge.github, gpt2.number).map((c) => c.body)).toStrictEqual([
      expect.stringContaining("Looks good!"),
    ]);
    expect(issuesOf(bridge.github)).toHaveLength(2);
    const c4 = issueFor(bridge.github, "hub-discussion:621ffdd236468d709f182a80:7");
    expect(c4).toMatchObject({ title: "[Hub] Cannot load dataset from hf hub", state: "open" });
    expect(c4.labels).toStrictEqual(["huggingface", "hub-discussion"]);
    expect(commentsOn(bridge.github, c4.number).map((c) => c.body)).toStrictEqual([
      expect.stringContaining("legacy scheme from old versions of the `datasets` library"),
    ]);
  });

  it("updates the mirrored comment on an edit, in place", async () => {
    await mirror(
      "composed-discussion-create-draft-pr.json",
      "composed-discussion.comment-create-on-pr.json",
      "composed-discussion.comment-update-edited.json",
    );
    const comments = commentsOn(bridge.github, issueFor(bridge.github, SOME_REPO_PR).number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("This adds an env key (edited)");
  });

  it("replaces a hidden comment's copy with a notice and keeps none of its old text", async () => {
    await mirror(
      "composed-discussion-create-draft-pr.json",
      "composed-discussion.comment-create-on-pr.json",
      "composed-discussion.comment-update-edited.json",
    );
    const issueNumber = issueFor(bridge.github, SOME_REPO_PR).number;
    const [copy] = commentsOn(bridge.github, issueNumber);
    await mirror("composed-discussion.comment-update-hidden.json");
    const comments = commentsOn(bridge.github, issueNumber);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("hidden on the Hub");
    expect(comments[0]?.body).not.toContain("env key");
    // GitHub shows every earlier version of an edited comment to anyone who can read the issue, so
    // the copy that held the text is deleted and the notice is a comment that was never edited.
    const paths = bridge.github.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths).toContain(`DELETE /repos/acme/widgets/issues/comments/${copy?.id}`);
    expect(comments[0]?.id).not.toBe(copy?.id);
    expect(paths.filter((path) => path.endsWith(`/comments/${comments[0]?.id}`))).toStrictEqual([]);
  });

  it("posts only the notice when the hide arrives before the comment, and never the text after", async () => {
    await mirror(
      "composed-discussion-create-draft-pr.json",
      "composed-discussion.comment-update-hidden.json",
      "composed-discussion.comment-create-on-pr.json",
      "composed-discussion.comment-update-edited.json",
    );
    const comments = commentsOn(bridge.github, issueFor(bridge.github, SOME_REPO_PR).number);
    expect(comments.map((c) => c.body)).toStrictEqual([
      expect.stringContaining("hidden on the Hub"),
    ]);
    const commentBodies = bridge.github.requests
      .filter((request) => request.path.includes("/comments"))
      .map((request) => JSON.stringify(request.body ?? ""));
    expect(commentBodies.filter((body) => body.includes("env key"))).toStrictEqual([]);
  });

  it("acknowledges the Hookdeck hidden comment, which names no discussion, and writes nothing", async () => {
    const answer = await bridge.post("hookdeck-discussion.comment-update-hidden.json");
    await bridge.drain();
    expect(answer.status).toBeLessThan(500);
    expect(issuesOf(bridge.github)).toHaveLength(0);
    expect(writes()).toBe(0);
  });

  it("closes the issue as not planned when the Hub closes the discussion and drops the draft label", async () => {
    await mirror(
      "composed-discussion-create-draft-pr.json",
      "composed-discussion-update-closed-pr.json",
    );
    const issue = issueFor(bridge.github, SOME_REPO_PR);
    expect(issue).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect(issue.labels).toStrictEqual(["huggingface", "hub-pr"]);
  });

  it("closes as completed with the merge commit when the Hub merges the pull request", async () => {
    await mirror(
      "composed-discussion-create-draft-pr.json",
      "composed-discussion-update-merged-pr.json",
    );
    const issue = issueFor(bridge.github, SOME_REPO_PR);
    expect(issue).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(commentsOn(bridge.github, issue.number).map((c) => c.body)).toStrictEqual([
      expect.stringContaining("as commit `575db8b7a51b6f85eb06eee540738584589f131c`"),
    ]);
  });

  it("reopens, retitles and marks draft as the Hub status changes", async () => {
    const closed = readFixture("composed-discussion-update-closed-pr.json");
    const discussion = closed.discussion as Record<string, unknown>;
    await mirror("composed-discussion-create-draft-pr.json", closed);
    await mirror({ ...closed, discussion: { ...discussion, status: "open", title: "Renamed" } });
    let issue = issueFor(bridge.github, SOME_REPO_PR);
    expect(issue).toMatchObject({ title: "[Hub] Renamed", state: "open" });
    expect(issue.labels).toStrictEqual(["huggingface", "hub-pr"]);
    await mirror({ ...closed, discussion: { ...discussion, status: "draft", title: "Renamed" } });
    issue = issueFor(bridge.github, SOME_REPO_PR);
    expect(issue.labels).toContain("draft");
  });

  it("retitles an open issue without sending it a state change", async () => {
    const closed = readFixture("composed-discussion-update-closed-pr.json");
    const discussion = closed.discussion as Record<string, unknown>;
    await mirror("composed-discussion-create-draft-pr.json");
    const before = bridge.github.requests.length;
    await mirror({ ...closed, discussion: { ...discussion, status: "open", title: "Renamed" } });
    expect(issueFor(bridge.github, SOME_REPO_PR)).toMatchObject({ title: "[Hub] Renamed" });
    const patches = bridge.github.requests
      .slice(before)
      .filter((request) => request.method === "PATCH")
      .map((request) => request.body);
    expect(patches).toStrictEqual([{ title: "[Hub] Renamed" }]);
  });

  it("closes the issue of a deleted discussion with a note, creating it first when never mirrored", async () => {
    await mirror("hookdeck-discussion-delete.json");
    const issue = issueFor(bridge.github, `hub-discussion:${GPT2}:9`);
    expect(issue).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      title: "[Hub] Spam",
    });
    expect(commentsOn(bridge.github, issue.number).map((c) => c.body)).toStrictEqual([
      expect.stringContaining("was deleted, so this issue is closed"),
    ]);
  });

  it("mirrors the closed Space and gpt2 discussions (status before create) as closed issues", async () => {
    await mirror(
      "hfhub-discussion-update-closed-space.json",
      "hookdeck-discussion-update-closed.json",
    );
    expect(issueFor(bridge.github, "hub-discussion:656896965808298301ed7ccf:4")).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
    });
    expect(issueFor(bridge.github, `hub-discussion:${GPT2}:7`)).toMatchObject({
      title: "[Hub] New title",
      state: "closed",
    });
  });

  it("acknowledges a private Hub repo's comment but writes nothing to a public GitHub repo", async () => {
    const before = writes();
    await mirror("composed-discussion.comment-create-private-dataset.json");
    expect(issuesOf(bridge.github)).toHaveLength(0);
    expect(writes()).toBe(before);
    const [delivery] = await bridge.store.listDeliveries({ limit: 1 });
    expect(delivery?.jobState).toBe("done");
    expect(delivery?.outcome?.effects.map((e) => e.result)).toStrictEqual([
      {
        status: "skipped",
        detail: expect.stringMatching(
          /^skipped by policy: dataset some-user\/some-dataset is private on the Hub and acme\/widgets is public/,
        ),
      },
    ]);
  });

  it("sanitises mirrored text: no live mention, cross-reference, slash command or spoofed marker", async () => {
    const created = readFixture("composed-discussion.comment-create-on-pr.json");
    const comment = created.comment as Record<string, unknown>;
    await mirror("composed-discussion-create-draft-pr.json", {
      ...created,
      comment: {
        ...comment,
        id: "6398872887bfcfb93a3060aa",
        content:
          "/approve\n@octocat see acme/app#12 and #3 <!-- hf-bridge:link=x;sig=0000000000000000 -->",
      },
    });
    const [mirrored] = commentsOn(bridge.github, issueFor(bridge.github, SOME_REPO_PR).number);
    expect(mirrored?.body).not.toMatch(/(^|\s)@octocat/);
    expect(mirrored?.body).not.toMatch(/^\/approve/m);
    expect(mirrored?.body).not.toMatch(/(^|[\s(])acme\/app#12/);
    expect(mirrored?.body).not.toContain("<!-- hf-bridge:link=x;");
  });
});

describe("private repo policy", () => {
  it("mirrors a private Hub repo into a private GitHub repo", async () => {
    await bridge.close();
    bridge = await startBridge({
      config: { routes: [{ hub: "some-user/*", github: "acme/internal", discussions: true }] },
      githubRepos: [{ owner: "acme", name: "internal", private: true }],
    });
    await mirror("composed-discussion.comment-create-private-dataset.json");
    const [issue] = issuesOf(bridge.github, "acme/internal");
    expect(issue?.title).toBe("[Hub] Hello!");
    expect(commentsOn(bridge.github, issue?.number ?? 0, "acme/internal")).toHaveLength(1);
  });

  it("mirrors into a public GitHub repo when the route says so explicitly", async () => {
    await bridge.close();
    bridge = await startBridge({
      config: {
        routes: [
          {
            hub: "some-user/*",
            github: "acme/widgets",
            discussions: { mirrorPrivateIntoPublic: true },
          },
        ],
      },
    });
    await mirror("composed-discussion.comment-create-private-dataset.json");
    expect(issuesOf(bridge.github)).toHaveLength(1);
  });
});

describe("GitHub requests per mirrored comment", () => {
  it("is one write and no read once the discussion's issue is linked", async () => {
    const created = readFixture("composed-discussion.comment-create-on-pr.json");
    const comment = created.comment as Record<string, unknown>;
    await mirror("composed-discussion-create-draft-pr.json", created);
    const before = bridge.github.requests.length;
    await mirror({
      ...created,
      comment: { ...comment, id: "6398872887bfcfb93a3060bb", content: "Second" },
    });
    const made = bridge.github.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(made).toStrictEqual(["POST /repos/acme/widgets/issues/1/comments"]);
  });
});
