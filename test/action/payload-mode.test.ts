import { describe, expect, it } from "vitest";
import { runActionInProcess } from "./support/run-action-in-process.ts";

const SHA = "5e1c6a2b9f0d4e3c8b7a6f5e4d3c2b1a0f9e8d7c";
const OLD_SHA = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

describe("payload mode", () => {
  it("turns a Hub repo update dispatch into typed outputs, the PR number from its ref", async () => {
    const result = await runActionInProcess({
      inputs: { mode: "payload" },
      event: {
        name: "repository_dispatch",
        payload: {
          action: "hf.model.updated",
          client_payload: {
            hf: {
              repo: "acme/chat-model",
              type: "model",
              ref: "refs/pr/7",
              oldSha: OLD_SHA,
              newSha: SHA,
              url: "https://huggingface.co/acme/chat-model",
            },
          },
        },
      },
    });
    expect(result.errors).toStrictEqual([]);
    expect(result.outputs).toMatchObject({
      "event-type": "hf.model.updated",
      repo: "acme/chat-model",
      "repo-type": "model",
      ref: "refs/pr/7",
      sha: SHA,
      "old-sha": OLD_SHA,
      "hub-url": "https://huggingface.co/acme/chat-model",
      discussion: "7",
      endpoint: "",
      state: "",
    });
    expect(JSON.parse(result.outputs.payload ?? "")).toStrictEqual({
      hf: expect.objectContaining({ repo: "acme/chat-model" }),
    });
  });

  it("gives a deleted ref an empty sha and no discussion for a branch", async () => {
    const result = await runActionInProcess({
      inputs: { mode: "payload" },
      event: {
        name: "repository_dispatch",
        payload: {
          action: "hf.dataset.updated",
          client_payload: {
            hf: {
              repo: "acme/corpus",
              type: "dataset",
              ref: "refs/heads/dev",
              oldSha: OLD_SHA,
              newSha: null,
            },
          },
        },
      },
    });
    expect(result.outputs).toMatchObject({
      "repo-type": "dataset",
      sha: "",
      "old-sha": OLD_SHA,
      discussion: "",
    });
  });

  it("reads an endpoint alert: endpoint, state, previous state, message and revision", async () => {
    const result = await runActionInProcess({
      inputs: { mode: "payload" },
      event: {
        name: "repository_dispatch",
        payload: {
          action: "hf.endpoint.failed",
          client_payload: {
            endpoint: { namespace: "acme", name: "chat", repository: "acme/chat-model", url: null },
            state: "failed",
            previousState: "running",
            message: "Endpoint failed to deploy",
            revision: SHA,
          },
        },
      },
    });
    expect(result.outputs).toMatchObject({
      "event-type": "hf.endpoint.failed",
      endpoint: "acme/chat",
      "endpoint-url": "",
      state: "failed",
      "previous-state": "running",
      message: "Endpoint failed to deploy",
      repo: "acme/chat-model",
      "repo-type": "model",
      sha: SHA,
    });
  });

  it("reads the inputs of a workflow_dispatch the bridge started", async () => {
    const result = await runActionInProcess({
      inputs: { mode: "payload" },
      event: {
        name: "workflow_dispatch",
        payload: {
          workflow: ".github/workflows/hf-sync.yml",
          inputs: { repo: "acme/corpus", "repo-type": "dataset", ref: "refs/heads/main", sha: SHA },
        },
      },
    });
    expect(result.outputs).toMatchObject({
      "event-type": ".github/workflows/hf-sync.yml",
      repo: "acme/corpus",
      "repo-type": "dataset",
      sha: SHA,
    });
  });

  it("fails with the event name and the fix when the run was not dispatched", async () => {
    const result = await runActionInProcess({
      inputs: { mode: "payload" },
      event: { name: "push", payload: { ref: "refs/heads/main" } },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('started by "push"');
    expect(result.errors[0]).toContain("on: repository_dispatch");
    expect(result.outputs).toStrictEqual({});
  });

  it("names and quotes a repo type the Hub does not have", async () => {
    const result = await runActionInProcess({
      inputs: { mode: "payload" },
      event: {
        name: "repository_dispatch",
        payload: { action: "hf.x", client_payload: { hf: { repo: "acme/x", type: "models" } } },
      },
    });
    expect(result.errors).toStrictEqual([
      expect.stringContaining(`repo type "models" is not one of model, dataset, space`),
    ]);
  });

  it("refuses an unknown mode, naming the input and quoting the value", async () => {
    const result = await runActionInProcess({ inputs: { mode: "wach" } });
    expect(result.errors).toStrictEqual([
      'input mode is "wach"; set it to one of "watch", "report", "payload"',
    ]);
  });
});
