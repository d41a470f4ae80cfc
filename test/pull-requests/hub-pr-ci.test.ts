import { afterEach, describe, expect, it } from "vitest";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import type { FakeHubDiscussion } from "../support/fake-hub/types.ts";
import { readFixture } from "../support/fixtures.ts";

const REPO_ID = "6366c000a2abcdf2fd69a080";
const HEAD = "575db8b7a51b6f85eb06eee540738584589f131c";
const SECOND = "6666666666777777777788888888889999999999";
const MEMBER = { id: "61d2000c3c2083e1c08af22d", name: "acme-dev" };
const STRANGER = { id: "61d2000c3c2083e1c08af99f", name: "drive-by" };

let bridge: ChecksBridge;
let discussion: FakeHubDiscussion;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

async function start(author: { id: string; name: string }, trusted: string[] = []) {
  bridge = await startChecksBridge({
    config: {
      routes: [
        {
          hub: "acme/*",
          github: "acme/app",
          pullRequests: { workflow: "hub-pr.yml", trusted },
        },
      ],
    },
    repos: [
      {
        owner: "acme",
        name: "app",
        commits: ["1".repeat(40)],
        branches: ["main"],
        workflows: ["hub-pr.yml"],
      },
    ],
  });
  const repo = bridge.hub.addRepo({ id: REPO_ID, type: "model", name: "acme/model" });
  discussion = bridge.hub.addDiscussion(repo, {
    num: 3,
    title: "Add eval",
    status: "open",
    isPullRequest: true,
    author,
    changes: { base: "refs/heads/main" },
    openingComment: { id: "640000000000000000000003", text: "Adds an eval" },
  });
  bridge.hub.addRoute({
    method: "GET",
    pattern: /^\/api\/organizations\/acme\/members$/,
    handle: () => ({ status: 200, body: [{ user: MEMBER.name, fullname: "Acme Dev" }] }),
  });
}

function prPush(newSha: string, oldSha: string | null = null) {
  const payload = readFixture("composed-repo.content-update-pr-ref-create.json");
  return {
    ...payload,
    repo: { ...(payload.repo as object), name: "acme/model" },
    updatedRefs: [{ ref: "refs/pr/3", oldSha, newSha }],
  };
}

function runs() {
  return (bridge.github.state.repos.get("acme/app")?.workflowDispatches ?? []).map(
    (run) => run.inputs,
  );
}

describe("CI for Hub pull requests, gated by who opened them", () => {
  it("starts the workflow for each new commit of a PR by a member of the owning organisation", async () => {
    await start(MEMBER);
    expect(await bridge.sendHub(prPush(HEAD))).toBe(202);
    await bridge.settle();
    expect(await bridge.sendHub(prPush(HEAD))).toBe(200);
    await bridge.sendHub(prPush(SECOND, HEAD));
    await bridge.settle();
    expect(runs()).toMatchObject([
      {
        repo: "acme/model",
        pr: "3",
        headSha: HEAD,
        author: MEMBER.name,
        base: "refs/heads/main",
        approved: "true",
        approvedBy: "member of acme",
      },
      { pr: "3", headSha: SECOND, approvedBy: "member of acme" },
    ]);
  });

  it("holds a stranger's PR: no workflow starts, and the job says why and how to trust them", async () => {
    await start(STRANGER);
    await bridge.sendHub(prPush(HEAD));
    const [delivery] = await bridge.settle();
    expect(delivery?.jobState).toBe("done");
    expect(runs()).toEqual([]);
    expect(delivery?.outcome?.effects[0]?.result).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining(
        "opened by Hub user drive-by, who is not a member of acme nor in pullRequests.trusted",
      ),
    });
    // Discussions are not mirrored here, so the request for approval goes to the Hub PR itself, once.
    await bridge.sendHub(prPush(HEAD));
    await bridge.settle();
    const asked = discussion.events
      .filter((event) => event.type === "comment")
      .map((event) => (event.data.latest as { raw: string }).raw)
      .filter((text) => text.includes("waits for approval"));
    expect(asked).toEqual([expect.stringContaining("for commit 575db8b7a51b")]);
    // No mirrored issue to approve on: the way in it names is the trusted list.
    expect(asked[0]).toContain("adds the author to `pullRequests.trusted`");
    expect(asked[0]).not.toContain("/approve");
  });

  it("starts a listed user's PR and says they were let in by the trusted list", async () => {
    await start(STRANGER, ["drive-by"]);
    await bridge.sendHub(prPush(HEAD));
    await bridge.settle();
    expect(runs()).toMatchObject([{ author: "drive-by", approvedBy: "trusted list" }]);
  });
});
