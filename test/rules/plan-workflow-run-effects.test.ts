import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import type { GitHubEvent, WorkflowRunOutcome } from "../../src/events/bridge-event.ts";
import { normalizeGitHubWebhook } from "../../src/events/normalize-github-webhook.ts";
import { planWorkflowRunEffects } from "../../src/rules/plan-workflow-run-effects.ts";

const run: WorkflowRunOutcome = {
  id: 30433642,
  attempt: 1,
  workflowName: "Hub pull request CI",
  workflowPath: ".github/workflows/hub-pr.yml",
  workflowId: 161335,
  conclusion: "success",
  url: "https://github.com/acme/widgets/actions/runs/30433642",
  completedAt: "2026-12-02T10:03:25Z",
};

function config(workflow: string) {
  return configSchema.parse({
    routes: [{ hub: "some-user/*", github: "acme/widgets", pullRequests: { workflow } }],
  });
}

function finished(
  overrides: Partial<WorkflowRunOutcome> = {},
  owner = "acme",
): Extract<GitHubEvent, { kind: "github.workflow-run-completed" }> {
  return {
    kind: "github.workflow-run-completed",
    repository: { owner, name: "widgets" },
    run: { ...run, ...overrides },
  };
}

describe("planning the report of a finished Hub PR run", () => {
  it("reports a run of the route's workflow, keyed by run and attempt", () => {
    const first = planWorkflowRunEffects(finished(), config("hub-pr.yml").routes);
    expect(first.effects).toEqual([
      {
        type: "report-workflow-run",
        idempotencyKey: "workflow-run-report:acme/widgets:30433642:1",
        repo: { owner: "acme", repo: "widgets" },
        run,
      },
    ]);
    const rerun = planWorkflowRunEffects(finished({ attempt: 2 }), config("hub-pr.yml").routes);
    expect(rerun.effects[0]?.idempotencyKey).toBe("workflow-run-report:acme/widgets:30433642:2");
  });

  it("matches the workflow by its numeric id and the repository in any case", () => {
    expect(
      planWorkflowRunEffects(finished({}, "ACME"), config("161335").routes).effects,
    ).toHaveLength(1);
  });

  it("says why a run of another workflow is not reported", () => {
    const plan = planWorkflowRunEffects(
      finished({ workflowPath: ".github/workflows/lint.yml" }),
      config("hub-pr.yml").routes,
    );
    expect(plan).toEqual({
      effects: [],
      reason: "no route into acme/widgets runs Hub PR CI with lint.yml (pullRequests.workflow)",
    });
  });
  it("reports only into the route's own repository, and only where it runs PR CI", () => {
    expect(planWorkflowRunEffects(finished({}, "other"), config("hub-pr.yml").routes)).toEqual({
      effects: [],
      reason: "no route into other/widgets runs Hub PR CI with hub-pr.yml (pullRequests.workflow)",
    });
    const routes = configSchema.parse({
      routes: [
        { hub: "some-user/*", github: "acme/widgets" },
        { hub: "other/*", github: "Acme/Widgets", pullRequests: { workflow: "hub-pr.yml" } },
      ],
    }).routes;
    expect(planWorkflowRunEffects(finished(), routes).effects).toMatchObject([
      {
        idempotencyKey: "workflow-run-report:acme/widgets:30433642:1",
        repo: { owner: "Acme", repo: "Widgets" },
      },
    ]);
  });
});

describe("reading GitHub's workflow_run webhook", () => {
  const payload = {
    action: "completed",
    workflow_run: {
      id: 30433642,
      name: "Hub pull request CI",
      path: ".github/workflows/hub-pr.yml",
      workflow_id: 161335,
      event: "workflow_dispatch",
      conclusion: "success",
      html_url: "https://github.com/acme/widgets/actions/runs/30433642",
      run_attempt: 1,
      run_started_at: "2026-12-02T10:00:00Z",
      updated_at: "2026-12-02T10:03:25Z",
    },
    repository: { name: "widgets", owner: { login: "acme" } },
    sender: { login: "hf-github-bridge[bot]", type: "Bot" },
  };

  it("turns a completed dispatch run into the event, the bridge's own bot as sender included", () => {
    const reading = normalizeGitHubWebhook({ eventName: "workflow_run", payload, markerKey: "k" });
    expect(reading).toEqual({
      outcome: "event",
      event: finished({ startedAt: "2026-12-02T10:00:00Z" }),
    });
  });

  it("ignores runs that a push started, and refuses a payload without the run's id", () => {
    const pushed = { ...payload, workflow_run: { ...payload.workflow_run, event: "push" } };
    expect(
      normalizeGitHubWebhook({ eventName: "workflow_run", payload: pushed, markerKey: "k" }),
    ).toMatchObject({ outcome: "ignored", reason: expect.stringContaining("started by push") });
    const { id: _id, ...withoutId } = payload.workflow_run;
    const broken = { ...payload, workflow_run: withoutId };
    expect(
      normalizeGitHubWebhook({ eventName: "workflow_run", payload: broken, markerKey: "k" }),
    ).toMatchObject({ outcome: "invalid", reason: expect.stringContaining("workflow_run.id") });
  });
});
