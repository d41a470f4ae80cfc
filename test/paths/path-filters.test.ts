import { afterEach, describe, expect, it } from "vitest";
import { MAX_CHANGED_PATHS_IN_PAYLOAD } from "../../src/paths/create-path-filter-executor.ts";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

/** The SHAs of composed-repo.content-update-main-and-new-tag.json's main branch update. */
const NEW_SHA = "575db8b7a51b6f85eb06eee540738584589f131c";
const OLD_SHA = "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7";
const HUB_REPO = "some-user/some-repo";
const BEFORE = { "README.md": "r1", "data/old.parquet": "d1", "config.json": "c1" };

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

async function start(rule: Record<string, unknown>): Promise<void> {
  bridge = await startChecksBridge({
    config: { routes: [{ hub: "some-user/*", github: "acme/app", dispatch: [rule] }] },
    repos: [{ owner: "acme", name: "app", commits: ["1".repeat(40)] }],
  });
  bridge.hubTrees.set("model", HUB_REPO, OLD_SHA, BEFORE);
}

function mainPush(): Record<string, unknown> {
  return {
    ...readFixture("composed-repo.content-update-main-and-new-tag.json"),
    updatedRefs: [{ ref: "refs/heads/main", oldSha: OLD_SHA, newSha: NEW_SHA }],
  };
}

function dispatches() {
  return bridge.github.state.repos.get("acme/app")?.dispatches ?? [];
}

function treeReads(): number {
  return bridge.hub.requests.filter((request) => request.path.includes("/tree/")).length;
}

describe("dispatch rules with paths, through the server, store, worker and the Hub's trees", () => {
  it("sends nothing for paths data/** when the push changed only README.md, and says why", async () => {
    await start({ paths: ["data/**"] });
    bridge.hubTrees.set("model", HUB_REPO, NEW_SHA, { ...BEFORE, "README.md": "r2" });
    expect(await bridge.sendHub(mainPush())).toBe(202);
    const [delivery] = await bridge.settle();
    expect(delivery?.jobState).toBe("done");
    expect(dispatches()).toEqual([]);
    expect(delivery?.outcome?.effects.map((effect) => effect.result)).toStrictEqual([
      {
        status: "skipped",
        detail: 'no changed file counts for this rule (paths ["data/**"]); changed: README.md',
      },
    ]);
    // Both revisions' trees were read, with the bridge's Hub token.
    expect(treeReads()).toBe(2);
  });

  it("sends one dispatch listing data/train.parquet, and leaves out what pathsIgnore names", async () => {
    await start({ paths: ["data/**"], pathsIgnore: ["**/*.md"] });
    bridge.hubTrees.set("model", HUB_REPO, NEW_SHA, {
      ...BEFORE,
      "README.md": "r2",
      "data/README.md": "new",
      "data/train.parquet": "t1",
    });
    await bridge.sendHub(mainPush());
    await bridge.settle();
    expect(dispatches()).toHaveLength(1);
    expect(dispatches()[0]?.client_payload).toMatchObject({
      hf: { ref: "refs/heads/main", oldSha: OLD_SHA, newSha: NEW_SHA },
      changes: { paths: ["data/train.parquet"], count: 1, truncated: false },
    });
  });

  it("caps the listed paths of a 10,000-file change and gives the count", async () => {
    await start({ paths: ["data/**"] });
    const added = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [
        `data/shard-${String(i).padStart(5, "0")}.parquet`,
        `o${i}`,
      ]),
    );
    bridge.hubTrees.set("model", HUB_REPO, NEW_SHA, { ...BEFORE, ...added });
    await bridge.sendHub(mainPush());
    const [delivery] = await bridge.settle();
    expect(delivery?.jobState).toBe("done");
    expect(dispatches()).toHaveLength(1);
    const changes = dispatches()[0]?.client_payload?.changes as {
      paths: string[];
      count: number;
      truncated: boolean;
    };
    expect(changes.count).toBe(10_000);
    expect(changes.truncated).toBe(true);
    expect(changes.paths).toHaveLength(MAX_CHANGED_PATHS_IN_PAYLOAD);
    expect(changes.paths[0]).toBe("data/shard-00000.parquet");
    // 10,000 files and their folder are more than ten pages: every page was followed.
    expect(treeReads()).toBeGreaterThan(10);
  });

  it("retries the job when the Hub cannot list a tree, then sends once", async () => {
    await start({ paths: ["data/**"] });
    bridge.hubTrees.set("model", HUB_REPO, NEW_SHA, { ...BEFORE, "data/train.parquet": "t1" });
    bridge.hub.inject({ method: "GET", path: /\/tree\//, kind: "status", status: 503 });
    await bridge.sendHub(mainPush());
    const [delivery] = await bridge.settle();
    expect(delivery?.jobState).toBe("done");
    expect(delivery?.attempts).toBe(2);
    expect(dispatches()).toHaveLength(1);
  });

  it("neither sends nor skips while the Hub keeps failing: the job dead-letters with the reason", async () => {
    await start({ paths: ["data/**"] });
    bridge.hub.inject({ method: "GET", path: /\/tree\//, kind: "status", status: 500, times: 100 });
    await bridge.sendHub(mainPush());
    const [delivery] = await bridge.settle();
    expect(delivery?.jobState).toBe("dead");
    expect(delivery?.lastError).toContain(
      `reading the changed files of model ${HUB_REPO} failed: the Hub answered 500`,
    );
    expect(dispatches()).toEqual([]);
  });
});
