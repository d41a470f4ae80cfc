import { afterEach, describe, expect, it } from "vitest";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, cliEnv, runCli } from "../cli/support/run-cli.ts";
import { readFixture } from "../support/fixtures.ts";
import { REPO_ROOT } from "../support/paths.ts";

const DATASET_PUSH = "composed-repo.content-update-private-dataset.json";
const MODEL_PUSH = "composed-repo.content-update-main-and-new-tag.json";
const NEW_SHA = "575db8b7a51b6f85eb06eee540738584589f131c";
const OLD_SHA = "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7";
const GITHUB_HEAD = "1234567890123456789012345678901234567890";

let bridge: ChecksBridge;

afterEach(async () => {
  // Every request, the dispatch bodies included, validated against GitHub's OpenAPI description.
  bridge.github.expectNoViolations();
  await bridge.close();
});

async function start(dispatch: unknown[]): Promise<void> {
  bridge = await startChecksBridge({
    config: { routes: [{ hub: "some-user/*", github: "acme/app", dispatch }] },
    repos: [{ owner: "acme", name: "app", commits: [GITHUB_HEAD], workflows: ["retrain.yml"] }],
  });
}

function fakeRepo() {
  const repo = bridge.github.state.repos.get("acme/app");
  if (!repo) throw new Error("acme/app is missing from the fake GitHub");
  return repo;
}

describe("dispatch on Hub content updates, through the server, store and worker", () => {
  it("sends exactly one repository_dispatch for a dataset update, even when redelivered", async () => {
    await start([{ types: ["dataset"] }]);
    expect(await bridge.sendHub(readFixture(DATASET_PUSH))).toBe(202);
    await bridge.settle();
    // The Hub's "replay" button and its own retries send the same body again: 200, a duplicate.
    expect(await bridge.sendHub(readFixture(DATASET_PUSH))).toBe(200);
    expect(await bridge.sendHub(readFixture(DATASET_PUSH))).toBe(200);
    const deliveries = await bridge.settle();

    expect(fakeRepo().dispatches).toMatchObject([
      {
        event_type: "hf.dataset.updated",
        client_payload: {
          hf: {
            repo: "some-user/some-dataset",
            type: "dataset",
            ref: "refs/heads/main",
            oldSha: OLD_SHA,
            newSha: NEW_SHA,
            url: "https://huggingface.co/datasets/some-user/some-dataset",
            commitUrl: `https://huggingface.co/datasets/some-user/some-dataset/commit/${NEW_SHA}`,
          },
        },
      },
    ]);
    expect(
      bridge.github.requests.filter((r) => r.operationId === "repos/create-dispatch-event"),
    ).toHaveLength(1);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.duplicates).toBe(2);
    // GitHub answers 204 whether or not a workflow listens: accepted, never "ran".
    expect(deliveries[0]?.outcome?.effects.map(({ result }) => result)).toStrictEqual([
      { status: "accepted", detail: "hf.dataset.updated accepted by GitHub, no run known" },
    ]);
  });

  it("does not send the repository_dispatch again when its dead-lettered job is replayed", async () => {
    await start([{ types: ["dataset"] }, { workflow: "later.yml" }]);
    await bridge.sendHub(readFixture(DATASET_PUSH));
    const [failed] = await bridge.settle();
    expect(failed?.jobState).toBe("dead");
    expect(failed?.lastError).toContain("404");
    fakeRepo().workflows.push({ id: 777, path: ".github/workflows/later.yml" });
    expect(await bridge.store.replayDeadLetter(failed?.jobId ?? -1)).toBe(true);
    bridge.worker.wake();
    const [replayed] = await bridge.settle();
    expect(replayed?.jobState).toBe("done");
    expect(fakeRepo().dispatches).toHaveLength(1);
    expect(fakeRepo().workflowDispatches).toHaveLength(1);
  });

  it("skips repo types a rule does not cover, and says so", async () => {
    await start([{ types: ["dataset"] }]);
    await bridge.sendHub(readFixture(MODEL_PUSH));
    const [delivery] = await bridge.settle();
    expect(fakeRepo().dispatches).toEqual([]);
    expect(delivery?.outcome?.summary).toBe(
      'no effects: no dispatch rule covers model "some-user/some-repo" (rule types/repos)',
    );
  });

  it(
    "records the workflow run id and URL from workflow_dispatch, shown by hf-bridge deliveries (JSON and table)",
    async () => {
      await start([
        {
          workflow: "retrain.yml",
          workflowRef: "main",
          inputs: { dataset: "{{repo}}", sha: "{{newSha}}" },
        },
      ]);
      await bridge.sendHub(readFixture(DATASET_PUSH));
      const [delivery] = await bridge.settle();
      const [started] = fakeRepo().workflowDispatches;
      expect(started).toMatchObject({
        ref: "main",
        inputs: { dataset: "some-user/some-dataset", sha: NEW_SHA },
      });
      const runUrl = `https://github.com/acme/app/actions/runs/${started?.runId}`;
      expect(delivery?.outcome?.effects[0]?.result).toStrictEqual({
        status: "done",
        detail: `workflow retrain.yml started run ${started?.runId}`,
        githubId: started?.runId,
        url: runUrl,
      });
      const request = bridge.github.requests.find(
        (r) => r.operationId === "actions/create-workflow-dispatch",
      );
      expect(request?.body).toMatchObject({ return_run_details: true });

      const cli = { cwd: REPO_ROOT, env: cliEnv() as Record<string, string> };
      const listed = await runCli(["deliveries", "--json", "--store", bridge.storePath], cli);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(runUrl);
      // The plain table too: the run is one click away without jq.
      const table = await runCli(["deliveries", "--store", bridge.storePath], cli);
      expect(table.code).toBe(0);
      expect(table.stdout.trim().split("\n")).toStrictEqual([
        expect.stringMatching(/^#1 \S+ hub content\.updated queued job 1 done \(1 attempts\) — /),
        `    workflow-dispatch acme/app retrain.yml@main: done (workflow retrain.yml started run ${started?.runId}) ${runUrl}`,
      ]);
    },
    CHILD_PROCESS_TEST_TIMEOUT_MS,
  );
});
