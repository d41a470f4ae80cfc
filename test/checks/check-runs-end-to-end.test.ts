import { afterEach, describe, expect, it } from "vitest";
import type { FakeRepoSeed } from "../support/fake-github/types.ts";
import { readFixture } from "../support/fixtures.ts";
import { type ChecksBridge, startChecksBridge } from "./support/start-checks-bridge.ts";

/** The SHAs of composed-repo.content-update-main-and-new-tag.json (main moved, tag `test` created). */
const HUB_SHA = "575db8b7a51b6f85eb06eee540738584589f131c";
const OLD_HUB_SHA = "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7";
const GITHUB_SHA = "1111111111222222222233333333334444444444";
const GITHUB_HEAD = "9999999999888888888877777777776666666666";
const MAIN_ONLY = "composed-repo.content-update-main-and-new-tag.json";

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

function route(checks: Record<string, unknown> = {}) {
  return { routes: [{ hub: "some-user/*", github: "acme/app", commits: "checks", checks }] };
}

function repo(commits: string[], extra: Partial<FakeRepoSeed> = {}): FakeRepoSeed[] {
  return [{ owner: "acme", name: "app", commits, branches: ["main", "trunk"], ...extra }];
}

/** The fixture with only its main-branch update, so each test has one check run to look at. */
function mainPush(): Record<string, unknown> {
  const payload = readFixture(MAIN_ONLY);
  return {
    ...payload,
    updatedRefs: [{ ref: "refs/heads/main", oldSha: OLD_HUB_SHA, newSha: HUB_SHA }],
  };
}

function checkRunWrites(): number {
  return bridge.github.requests.filter((request) => request.operationId?.startsWith("checks/"))
    .length;
}

describe("Hub commits as check runs, through the server, store and worker", () => {
  it("reports every updated ref on the GitHub commit with the same SHA", async () => {
    bridge = await startChecksBridge({ config: route(), repos: repo([GITHUB_HEAD, HUB_SHA]) });
    expect(await bridge.sendHub(readFixture(MAIN_ONLY))).toBe(202);
    const [delivery] = await bridge.settle();
    expect(delivery?.jobState).toBe("done");
    expect(
      bridge.checkRuns().map((run) => ({
        name: run.name,
        sha: run.head_sha,
        status: run.status,
        conclusion: run.conclusion,
        title: run.output.title,
        details: run.details_url,
      })),
    ).toStrictEqual([
      {
        name: "Hugging Face Hub",
        sha: HUB_SHA,
        status: "completed",
        conclusion: "success",
        title: "Model some-user/some-repo received main @ 575db8b",
        details: `https://huggingface.co/some-user/some-repo/commit/${HUB_SHA}`,
      },
      {
        name: "Hugging Face Hub",
        sha: HUB_SHA,
        status: "completed",
        conclusion: "success",
        title: "Model some-user/some-repo received tag test @ 575db8b",
        details: `https://huggingface.co/some-user/some-repo/commit/${HUB_SHA}`,
      },
    ]);
    expect(bridge.checkRuns()[0]?.output.summary).toContain("(matched by same SHA)");
    // The SHA matched, so the Hub was never asked for the commit message.
    expect(bridge.hub.requests.filter((request) => request.path.includes("/commits/"))).toEqual([]);
    // Both refs are at one SHA: GitHub was asked for that commit once, not once per ref.
    expect(
      bridge.github.requests.filter((request) => request.operationId === "repos/get-commit"),
    ).toHaveLength(1);
  });

  it("finds the GitHub commit named by a GitHub-Commit trailer in the Hub commit message", async () => {
    bridge = await startChecksBridge({
      config: route({ name: "Hub upload" }),
      repos: repo([GITHUB_HEAD, GITHUB_SHA]),
    });
    bridge.hubCommits.add("model", "some-user/some-repo", {
      oid: HUB_SHA,
      title: "Upload model",
      message: `Upload model\n\nGitHub-Commit: ${GITHUB_SHA.slice(0, 12)}\n`,
    });
    await bridge.sendHub(mainPush());
    await bridge.settle();
    const [run, ...others] = bridge.checkRuns();
    expect(others).toEqual([]);
    expect(run).toMatchObject({ name: "Hub upload", head_sha: GITHUB_SHA, conclusion: "success" });
    expect(run?.output.summary).toContain(
      `GitHub commit: ${GITHUB_SHA} (matched by GitHub-Commit trailer ${GITHUB_SHA.slice(0, 12)})`,
    );
    // listCommits read one entry starting at the Hub SHA, with the bridge's Hub token.
    expect(bridge.hub.requests).toContainEqual(
      expect.objectContaining({
        path: `/api/models/some-user/some-repo/commits/${HUB_SHA}`,
        authenticated: true,
        status: 200,
      }),
    );
  });

  it("falls back to the head of the mapped branch when the route says so", async () => {
    bridge = await startChecksBridge({
      config: route({ fallbackToBranchHead: true, branches: { main: "trunk" } }),
      repos: repo([GITHUB_SHA, GITHUB_HEAD]),
    });
    bridge.hubCommits.add("model", "some-user/some-repo", {
      oid: HUB_SHA,
      title: "Edit README.md",
      message: "Edit README.md",
    });
    await bridge.sendHub(mainPush());
    await bridge.settle();
    expect(bridge.checkRuns()).toMatchObject([{ head_sha: GITHUB_HEAD, conclusion: "success" }]);
    expect(bridge.checkRuns()[0]?.output.summary).toContain("(matched by head of branch trunk)");
    expect(bridge.github.requests).toContainEqual(
      expect.objectContaining({
        operationId: "repos/get-commit",
        path: "/repos/acme/app/commits/trunk",
      }),
    );
  });

  it("writes nothing without a match and records why in the job outcome", async () => {
    bridge = await startChecksBridge({ config: route(), repos: repo([GITHUB_HEAD]) });
    bridge.hubCommits.add("model", "some-user/some-repo", {
      oid: HUB_SHA,
      title: "Edit README.md",
      message: "Edit README.md",
    });
    await bridge.sendHub(mainPush());
    const [delivery] = await bridge.settle();
    expect(bridge.checkRuns()).toEqual([]);
    expect(checkRunWrites()).toBe(0);
    expect(delivery?.jobState).toBe("done");
    expect(delivery?.outcome?.summary).toBe("1 effect: 1 skipped");
    expect(delivery?.outcome?.effects[0]?.result).toStrictEqual({
      status: "skipped",
      detail: `no GitHub commit matches Hub model some-user/some-repo refs/heads/main @ ${HUB_SHA}: 575db8b is not a commit in acme/app; the Hub commit message has no GitHub-Commit trailer; the route does not fall back to a branch head (checks.fallbackToBranchHead)`,
    });
  });

  it("reports a deleted tag or branch on the commit it pointed at, as neutral", async () => {
    bridge = await startChecksBridge({ config: route(), repos: repo([HUB_SHA]) });
    const tagDeleted = readFixture("composed-repo.content-update-tag-delete.json");
    await bridge.sendHub(tagDeleted);
    await bridge.sendHub({
      ...tagDeleted,
      updatedRefs: [{ ref: "refs/heads/feature", oldSha: HUB_SHA, newSha: null }],
    });
    await bridge.settle();
    expect(bridge.checkRuns()).toMatchObject([
      {
        head_sha: HUB_SHA,
        status: "completed",
        conclusion: "neutral",
        output: { title: "tag test was deleted from Model some-user/some-repo" },
      },
      {
        head_sha: HUB_SHA,
        status: "completed",
        conclusion: "neutral",
        output: { title: "feature was deleted from Model some-user/some-repo" },
      },
    ]);
  });

  it("writes one check run however often the Hub delivers the same event", async () => {
    bridge = await startChecksBridge({ config: route(), repos: repo([HUB_SHA]) });
    await bridge.sendHub(mainPush());
    await bridge.settle();
    await bridge.sendHub(mainPush());
    const deliveries = await bridge.settle();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.duplicates).toBe(1);
    expect(bridge.checkRuns()).toHaveLength(1);
  });
});
