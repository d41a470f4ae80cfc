import { afterEach, describe, expect, it } from "vitest";
import {
  startWriteBackBridge,
  type WriteBackBridge,
} from "../mirror/support/start-write-back-bridge.ts";
import { readFixture } from "../support/fixtures.ts";

const HEAD = "575db8b7a51b6f85eb06eee540738584589f131c";
const SECOND = "6666666666777777777788888888889999999999";
const WORKFLOW_NAME = "Hub pull request CI";
const MARKER = `<!-- hf-github-bridge:status workflow=${encodeURIComponent(WORKFLOW_NAME)} -->`;

let bridge: WriteBackBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

/**
 * `hf-bridge serve` in its own process mirroring some-user/some-repo's PR #3 into acme/widgets with
 * Hub PR CI on: the bridge starts hub-pr.yml and GitHub's `workflow_run.completed` webhooks bring the
 * results back, with no report step in the workflow.
 */
async function start() {
  bridge = await startWriteBackBridge({
    config: {
      routes: [
        {
          hub: "some-user/*",
          github: "acme/widgets",
          discussions: { writeBack: false },
          pullRequests: { workflow: "hub-pr.yml" },
        },
      ],
    },
    workflows: ["hub-pr.yml"],
  });
}

/** Pushes a commit to refs/pr/3 and answers the id of the run the bridge started for it. */
async function push(newSha: string, oldSha: string | null = null): Promise<number> {
  const payload = readFixture("composed-repo.content-update-pr-ref-create.json");
  const answer = await bridge.postHub({
    ...payload,
    updatedRefs: [{ ref: "refs/pr/3", oldSha, newSha }],
  });
  expect(answer.status).toBe(202);
  expect((await bridge.settled(answer.json?.deliveryId ?? 0)).jobState).toBe("done");
  const runs = bridge.github.state.repos.get("acme/widgets")?.workflowDispatches ?? [];
  const run = runs.find((dispatch) => dispatch.inputs?.headSha === newSha);
  if (run === undefined) throw new Error(`no run was started for ${newSha}`);
  return run.runId;
}

/** GitHub's `workflow_run.completed` webhook for a run of hub-pr.yml in acme/widgets. */
function completed(
  runId: number,
  conclusion: string,
  overrides: { attempt?: number; event?: string; path?: string } = {},
) {
  const { repository, installation } = bridge.commentPayload(1, "x", "x") as {
    repository: object;
    installation: object;
  };
  const path = overrides.path ?? ".github/workflows/hub-pr.yml";
  return {
    action: "completed",
    workflow_run: {
      id: runId,
      name: WORKFLOW_NAME,
      path,
      workflow_id: 4_242,
      event: overrides.event ?? "workflow_dispatch",
      status: "completed",
      conclusion,
      run_attempt: overrides.attempt ?? 1,
      html_url: `https://github.com/acme/widgets/actions/runs/${runId}`,
      run_started_at: "2026-12-02T10:00:00Z",
      updated_at: "2026-12-02T10:03:25Z",
      head_sha: "1".repeat(40),
    },
    workflow: { id: 4_242, name: WORKFLOW_NAME, path },
    repository,
    sender: { login: "hf-github-bridge[bot]", type: "Bot" },
    installation,
  };
}

async function deliver(payload: object) {
  const answer = await bridge.postGitHub("workflow_run", payload);
  expect(answer.status).toBe(202);
  return answer.json?.status === "queued"
    ? bridge.settled(answer.json?.deliveryId ?? 0)
    : { jobState: undefined, outcome: undefined, reason: answer.json?.reason };
}

function hubStatusComments() {
  return bridge.hubComments().filter((text) => text.startsWith(MARKER));
}

function issueStatusComments() {
  return [...bridge.github.state.comments.values()]
    .filter(
      (c) =>
        c.repoKey === "acme/widgets" &&
        c.issueNumber === bridge.issue.number &&
        c.body.startsWith(MARKER),
    )
    .map((c) => c.body);
}

describe("Hub PR CI results from GitHub's workflow_run webhooks", () => {
  it("keeps one status comment per workflow on the Hub PR and on the mirrored issue, edited for each new run", async () => {
    await start();
    const first = await push(HEAD);
    const reported = await deliver(completed(first, "success"));
    expect(reported.jobState).toBe("done");
    expect(hubStatusComments()).toEqual([expect.stringContaining("✅ succeeded")]);
    const [onHub] = hubStatusComments();
    expect(onHub).toContain("- Head SHA: `575db8b`");
    expect(onHub).toContain(`- Run: https://github.com/acme/widgets/actions/runs/${first}`);
    expect(onHub).toContain("- Duration: 3m 25s");
    expect(issueStatusComments()).toEqual([expect.stringContaining("✅ succeeded")]);

    const second = await push(SECOND, HEAD);
    await deliver(completed(second, "timed_out"));
    expect(hubStatusComments()).toEqual([expect.stringContaining("❌ failed")]);
    expect(hubStatusComments()[0]).toContain("- Head SHA: `6666666`");
    expect(hubStatusComments()[0]).toContain("- Conclusion: timed_out");
    expect(issueStatusComments()).toEqual([expect.stringContaining("- Head SHA: `6666666`")]);

    // The first run's webhook arriving late (GitHub redelivers under a new delivery id) changes nothing.
    const late = await deliver(completed(first, "success"));
    expect(JSON.stringify(late.outcome)).toContain(`after the newer run ${second} was reported`);
    expect(hubStatusComments()).toEqual([expect.stringContaining("- Head SHA: `6666666`")]);
    expect(issueStatusComments()).toEqual([expect.stringContaining("❌ failed")]);

    // A re-run of the newest run is a new attempt, reported again in the same comments.
    await deliver(completed(second, "success", { attempt: 2 }));
    expect(hubStatusComments()).toEqual([expect.stringContaining("✅ succeeded")]);
    expect(issueStatusComments()).toEqual([expect.stringContaining("✅ succeeded")]);
  });

  it("reports a redelivered webhook once, and leaves runs it did not start alone", async () => {
    await start();
    const run = await push(HEAD);
    const payload = completed(run, "failure");
    const answer = await bridge.postGitHub("workflow_run", payload, "delivery-run-1");
    expect(answer.status).toBe(202);
    await bridge.settled(answer.json?.deliveryId ?? 0);
    const again = await bridge.postGitHub("workflow_run", payload, "delivery-run-1");
    expect(again.status).toBe(200);
    expect(again.json?.status).toBe("duplicate");
    expect(hubStatusComments()).toHaveLength(1);
    const hubCommentsBefore = bridge.hubComments().length;

    const stranger = await deliver(completed(run + 1_000, "success"));
    expect(stranger.jobState).toBe("done");
    expect(JSON.stringify(stranger.outcome)).toContain("was not started by the bridge");

    const other = await deliver(completed(run, "success", { path: ".github/workflows/lint.yml" }));
    expect(other.reason).toContain("no route into acme/widgets runs Hub PR CI with lint.yml");
    const pushed = await deliver(completed(run, "success", { event: "push" }));
    expect(pushed.reason).toContain("started by push");

    expect(bridge.hubComments()).toHaveLength(hubCommentsBefore);
    expect(hubStatusComments()).toEqual([expect.stringContaining("❌ failed")]);
  });
});
