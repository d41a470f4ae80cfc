import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPortUrl } from "../support/closed-port-url.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { type FakeHub, startFakeHub } from "../support/fake-hub/start-fake-hub.ts";
import { runActionInProcess } from "./support/run-action-in-process.ts";

const HF_TOKEN = "hf_report_writer";
const RUN_ENV = {
  GITHUB_REPOSITORY: "acme/app",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_RUN_ID: "4242",
  GITHUB_RUN_ATTEMPT: "1",
  GITHUB_WORKFLOW: "Evaluate",
};
const PR_UPDATE = {
  name: "repository_dispatch",
  payload: {
    action: "hf.model.updated",
    client_payload: {
      hf: { repo: "acme/chat-model", type: "model", ref: "refs/pr/3", oldSha: null, newSha: "abc" },
    },
  },
};
const ENDPOINT_FAILED = {
  name: "repository_dispatch",
  payload: {
    action: "hf.endpoint.failed",
    client_payload: {
      endpoint: { namespace: "acme", name: "chat", repository: "acme/chat-model", url: null },
      state: "failed",
      previousState: "running",
      message: "boom",
      revision: null,
    },
  },
};

let hub: FakeHub;
let github: FakeGitHub;
let token: string;

beforeEach(async () => {
  hub = await startFakeHub({ tokens: { [HF_TOKEN]: { id: "u1", name: "ci-bot" } } });
  const repo = hub.addRepo({ id: "r1", type: "model", name: "acme/chat-model" });
  hub.addDiscussion(repo, {
    num: 3,
    title: "Quantized weights",
    status: "open",
    isPullRequest: true,
    author: { id: "u2", name: "contributor" },
    openingComment: { id: "c1", text: "Adds int8 weights" },
  });
  github = await startFakeGitHub({
    app: { slug: "github-actions" },
    repos: [{ owner: "acme", name: "app" }],
  });
  token = github.createInstallationToken(1);
});

afterEach(async () => {
  github.expectNoViolations();
  await github.close();
  await hub.close();
});

function report(inputs: Record<string, string>, event: { name: string; payload: unknown }) {
  return runActionInProcess({
    inputs: { mode: "report", "github-token": token, "hub-url": hub.url, ...inputs },
    env: { ...RUN_ENV, GITHUB_API_URL: github.url },
    event,
  });
}

function hubComments(): string[] {
  const discussion = hub.state.repos.get("models/acme/chat-model")?.discussions.get(3);
  return (discussion?.events ?? [])
    .slice(1)
    .map((event) => String((event.data.latest as { raw: string }).raw));
}

describe("report mode", () => {
  it("posts the outcome, run link and summary to the Hub PR named by the ref", async () => {
    const result = await report(
      { "hf-token": HF_TOKEN, status: "failure", summary: "Perplexity rose by 4%" },
      PR_UPDATE,
    );
    expect(result.errors).toStrictEqual([]);
    expect(hubComments()).toStrictEqual([
      [
        "<!-- hf-github-bridge:status workflow=Evaluate -->",
        "**GitHub workflow `Evaluate` ❌ failed**: https://github.com/acme/app/actions/runs/4242",
        "",
        "- Head SHA: `abc`",
        "- Conclusion: failure",
        "- Run: https://github.com/acme/app/actions/runs/4242",
        "- Duration: not measured (pass the started-at input)",
        "",
        "Perplexity rose by 4%",
      ].join("\n"),
    ]);
    expect(result.outputs).toMatchObject({
      target: "hub-discussion",
      url: `${hub.url}/acme/chat-model/discussions/3`,
    });
    expect(result.outputs["comment-id"]).not.toBe("");
    expect(github.requests).toStrictEqual([]);
  });

  it("keeps one status comment per workflow, edited in place for each new head SHA", async () => {
    const startedAt = new Date(Date.now() - 125_000).toISOString();
    const prRun = (sha: string, runId: string, workflow = "Evaluate") =>
      runActionInProcess({
        inputs: {
          mode: "report",
          "github-token": token,
          "hub-url": hub.url,
          "hf-token": HF_TOKEN,
          status: sha === "1111111aaaa" ? "failure" : "success",
          "started-at": startedAt,
        },
        env: {
          ...RUN_ENV,
          GITHUB_API_URL: github.url,
          GITHUB_RUN_ID: runId,
          GITHUB_WORKFLOW: workflow,
        },
        event: {
          name: "workflow_dispatch",
          payload: {
            workflow: ".github/workflows/hub-pr.yml",
            inputs: {
              repo: "acme/chat-model",
              type: "model",
              pr: "3",
              headSha: sha,
              discussion: "3",
            },
          },
        },
      });

    const first = await prRun("1111111aaaa", "501");
    expect(first.errors).toStrictEqual([]);
    expect(hubComments()).toHaveLength(1);
    expect(hubComments()[0]).toContain("<!-- hf-github-bridge:status workflow=Evaluate -->");
    expect(hubComments()[0]).toContain("**GitHub workflow `Evaluate` ❌ failed**");
    expect(hubComments()[0]).toContain("- Head SHA: `1111111`");
    expect(hubComments()[0]).toContain("- Conclusion: failure");
    expect(hubComments()[0]).toContain("- Run: https://github.com/acme/app/actions/runs/501");
    expect(hubComments()[0]).toMatch(/- Duration: 2m \d+s/);

    const second = await prRun("2222222bbbb", "502");
    expect(second.errors).toStrictEqual([]);
    expect(second.outputs["comment-id"]).toBe(first.outputs["comment-id"]);
    expect(hubComments()).toHaveLength(1);
    expect(hubComments()[0]).toContain("- Head SHA: `2222222`");
    expect(hubComments()[0]).toContain("- Conclusion: success");
    expect(hubComments()[0]).toContain("**GitHub workflow `Evaluate` ✅ succeeded**");
    expect(hubComments()[0]).toContain("- Run: https://github.com/acme/app/actions/runs/502");
    expect(hubComments()[0]).not.toContain("1111111");
    const edits = hub.requests.filter((request) => request.path.endsWith("/edit"));
    expect(edits.map((request) => request.path)).toStrictEqual([
      `/api/models/acme/chat-model/discussions/3/comment/${first.outputs["comment-id"]}/edit`,
    ]);

    const lint = await prRun("2222222bbbb", "503", "Lint");
    expect(lint.errors).toStrictEqual([]);
    expect(lint.outputs["comment-id"]).not.toBe(first.outputs["comment-id"]);
    expect(hubComments()).toHaveLength(2);
    expect(hubComments()[0]).toContain("workflow=Evaluate");
    expect(hubComments()[1]).toContain("<!-- hf-github-bridge:status workflow=Lint -->");
    expect(hubComments()[1]).toContain("**GitHub workflow `Lint` ✅ succeeded**");
    expect(github.requests).toStrictEqual([]);
  });

  it("refuses a started-at that is not a time, naming the input", async () => {
    const result = await report(
      { "hf-token": HF_TOKEN, status: "success", "started-at": "yesterday" },
      PR_UPDATE,
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('input started-at is "yesterday", not a time');
    expect(hub.requests).toStrictEqual([]);
  });

  it("fails loudly, naming hf-token, when the Hub refuses the token", async () => {
    const unknown = await report({ "hf-token": "hf_revoked", status: "success" }, PR_UPDATE);
    expect(unknown.exitCode).toBe(1);
    // The status comment is looked up first, so a refused token fails on that read.
    expect(unknown.errors[0]).toContain("with 401: the hf-token input cannot read model");
    expect(unknown.errors[0]).toContain("https://huggingface.co/settings/tokens");
    expect(unknown.errors[0]).not.toContain("hf_revoked");

    // The fake knows no permissions; a read-only token is answered as the Hub does.
    hub.addRoute({
      method: "POST",
      pattern: /\/discussions\/3\/comment$/,
      handle: () => ({ status: 403, body: { error: "You don't have the rights to write here" } }),
    });
    const readOnly = await report({ "hf-token": HF_TOKEN, status: "success" }, PR_UPDATE);
    expect(readOnly.errors[0]).toContain("with 403: the hf-token input cannot write to model");
    expect(hubComments()).toStrictEqual([]);
  });

  it("names an unreachable Hub a network failure, with the URL and the input to check", async () => {
    const closed = await closedPortUrl();
    const result = await report(
      { "hf-token": HF_TOKEN, status: "success", "hub-url": closed },
      PR_UPDATE,
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toStrictEqual([
      `network failure: the Hub at ${closed}/api/models/acme/chat-model/discussions/3 could not be reached: the connection was refused, so nothing accepts connections at that address (ECONNREFUSED 127.0.0.1:${new URL(closed).port}) — check the host and port in the hub-url input, and that the service there is running`,
    ]);
  });

  it("needs hf-token only when it reports to the Hub, and says so", async () => {
    const result = await report({ status: "success" }, PR_UPDATE);
    expect(result.errors[0]).toContain("hf-token is empty");
    expect(hub.requests).toStrictEqual([]);
  });

  it("comments once on the endpoint card, even when the step is re-run", async () => {
    const repo = github.state.repos.get("acme/app");
    if (!repo) throw new Error("no fake repo");
    const bot = { login: "hf-bridge[bot]", id: 5, type: "Bot" as const };
    const now = new Date();
    repo.issues.set(1, {
      id: 101,
      number: 1,
      title: "[Endpoint] acme/chat",
      body: "card",
      state: "open",
      state_reason: null,
      labels: [],
      user: bot,
      created_at: now,
      updated_at: now,
      closed_at: null,
    });
    repo.nextIssueNumber = 2;
    const first = await report({ status: "success", summary: "Redeployed" }, ENDPOINT_FAILED);
    expect(first.errors).toStrictEqual([]);
    expect(first.outputs.target).toBe("endpoint-card");
    const again = await report({ status: "success", summary: "Redeployed" }, ENDPOINT_FAILED);
    expect(again.outputs["comment-id"]).toBe(first.outputs["comment-id"]);
    const comments = [...github.state.comments.values()];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("**GitHub workflow `Evaluate` ✅ succeeded**");
    expect(comments[0]?.issueNumber).toBe(1);
  });

  it("fails naming the discussion input when a main-branch update gives nowhere to report", async () => {
    const mainPush = {
      name: "repository_dispatch",
      payload: {
        action: "hf.model.updated",
        client_payload: { hf: { repo: "acme/chat-model", type: "model", ref: "refs/heads/main" } },
      },
    };
    const result = await report({ "hf-token": HF_TOKEN, status: "success" }, mainPush);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toStrictEqual([
      expect.stringContaining(
        'the dispatch payload (event "hf.model.updated") names neither a Hub discussion',
      ),
    ]);
    expect(result.errors[0]).toContain("pass the discussion input");
    expect(hub.requests).toStrictEqual([]);
    expect(github.requests).toStrictEqual([]);

    const named = await report(
      { "hf-token": HF_TOKEN, status: "success", discussion: "3" },
      mainPush,
    );
    expect(named.errors).toStrictEqual([]);
    expect(named.outputs.target).toBe("hub-discussion");
    expect(hubComments()).toStrictEqual([
      expect.stringContaining(
        "**GitHub workflow `Evaluate` ✅ succeeded**: https://github.com/acme/app/actions/runs/4242",
      ),
    ]);
  });

  it("refuses a status that is not a job status", async () => {
    const result = await report({ status: "ok" }, PR_UPDATE);
    expect(result.errors[0]).toContain(`input status is "ok"; pass status: \${{ job.status }}`);
  });
});
