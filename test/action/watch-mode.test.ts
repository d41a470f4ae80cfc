import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunOptions } from "../../src/action/main.ts";
import { closedPortUrl } from "../support/closed-port-url.ts";
import { runActionInProcess } from "./support/run-action-in-process.ts";
import { startWatchWorld, type WatchWorld } from "./support/watch-world.ts";

/** GitHub's write spacing is the executor's business and tested there; these runs skip the waits. */
const NO_WAITS: RunOptions = {
  writeLimits: { msBetweenWrites: 0, msBetweenContentWrites: 0 },
};

let world: WatchWorld;

beforeEach(async () => {
  world = await startWatchWorld();
});

afterEach(async () => {
  await world.close();
});

function watch() {
  return runActionInProcess({ inputs: world.inputs, env: world.env, options: NO_WAITS });
}

describe("watch mode", () => {
  it("makes a card, then writes nothing while the states stay the same", async () => {
    world.api.advance("acme", "chat", "running");
    const first = await watch();
    expect(first.errors).toStrictEqual([]);
    expect(first.outputs).toStrictEqual({ cards: "0", changes: "1", "space-changes": "0" });
    expect(world.cards()).toMatchObject([
      { title: "[Endpoint] acme/chat", state: "open", labels: ["endpoint:running"] },
    ]);
    expect(world.cards()[0]?.body).toContain("<!-- hf-bridge:endpoint-state=");
    expect(world.comments()).toStrictEqual([]);

    const writesBefore = world.writes().length;
    const second = await watch();
    expect(second.errors).toStrictEqual([]);
    expect(second.outputs).toStrictEqual({ cards: "1", changes: "0", "space-changes": "0" });
    expect(world.writes().slice(writesBefore)).toStrictEqual([]);
  });

  it("writes exactly the card update, label swap, comment and dispatch for a new state", async () => {
    world.api.advance("acme", "chat", "running");
    await watch();
    const card = world.cards()[0];
    const writesBefore = world.writes().length;

    world.api.advance("acme", "chat", "failed", { message: "CUDA out of memory" });
    const result = await watch();
    expect(result.errors).toStrictEqual([]);
    expect(result.outputs).toStrictEqual({ cards: "1", changes: "1", "space-changes": "0" });
    const number = card?.number;
    expect(world.writes().slice(writesBefore)).toStrictEqual([
      `DELETE /repos/acme/app/issues/${number}/labels/endpoint%3Arunning`,
      `POST /repos/acme/app/issues/${number}/labels`,
      `POST /repos/acme/app/issues/${number}/comments`,
      "POST /repos/acme/app/dispatches",
      `PATCH /repos/acme/app/issues/${number}`,
    ]);
    expect(world.cards()).toMatchObject([{ labels: ["endpoint:failed"] }]);
    expect(world.cards()[0]?.body).toContain("## 🔴 Failed");
    expect(world.comments()).toStrictEqual(["🔴 Failed: `acme/chat` (was running)."]);
    expect(world.github.state.repos.get("acme/app")?.dispatches).toMatchObject([
      {
        event_type: "hf.endpoint.failed",
        client_payload: {
          state: "failed",
          previousState: "running",
          message: "CUDA out of memory",
        },
      },
    ]);

    const writesAfter = world.writes().length;
    await watch();
    expect(world.writes().length).toBe(writesAfter);
  });

  it("does not comment twice when a run died after commenting but before saving the state", async () => {
    world.api.advance("acme", "chat", "running");
    await watch();
    world.api.advance("acme", "chat", "failed");
    // The final card update (the one carrying the state) fails, as if the run had been killed there.
    world.github.inject({
      kind: "status",
      status: 500,
      match: { method: "PATCH", path: /issues\/1$/ },
    });
    const died = await watch();
    expect(died.exitCode).toBe(1);
    expect(died.errors[0]).toContain("acme/chat running → failed");
    expect(world.comments()).toHaveLength(1);

    const retried = await watch();
    expect(retried.errors).toStrictEqual([]);
    expect(world.comments()).toStrictEqual(["🔴 Failed: `acme/chat` (was running)."]);
    expect(world.cards()[0]?.body).toContain("## 🔴 Failed");
    // The run that died had sent the dispatch; the one that found its comment does not send it again.
    expect(world.github.state.repos.get("acme/app")?.dispatches).toHaveLength(1);
  });

  it("closes the card of a deleted endpoint and reopens it when the endpoint returns", async () => {
    world.api.advance("acme", "chat", "running");
    world.api.advance("acme", "embed", "running");
    await watch();
    world.api.remove("acme", "chat");
    const removed = await watch();
    expect(removed.outputs).toStrictEqual({ cards: "2", changes: "1", "space-changes": "0" });
    const chat = world.cards().find((card) => card.title === "[Endpoint] acme/chat");
    expect(chat).toMatchObject({ state: "closed", labels: ["endpoint:deleted"] });
    expect(world.comments().at(-1)).toContain("is no longer listed in its namespace");

    world.api.advance("acme", "chat", "pending");
    await watch();
    expect(world.cards().find((card) => card.title === "[Endpoint] acme/chat")).toMatchObject({
      state: "open",
      labels: ["endpoint:pending"],
    });
    expect(world.cards()).toHaveLength(2);
  });

  it("ignores a card-like issue written by someone else", async () => {
    world.api.advance("acme", "chat", "running");
    await watch();
    const card = world.cards()[0];
    const repo = world.github.state.repos.get("acme/app");
    if (!card || !repo) throw new Error("the first run made no card");
    // Someone copies the card, hidden state and marker included, into an issue of their own.
    repo.issues.set(99, {
      ...card,
      number: 99,
      id: 99_999,
      user: { login: "mallory", id: 7, type: "User" },
    });
    const result = await watch();
    expect(result.outputs).toStrictEqual({ cards: "1", changes: "0", "space-changes": "0" });
  });

  it("names an unreachable GitHub or Endpoints API a network failure, with the URL to check", async () => {
    const closed = await closedPortUrl();
    const port = new URL(closed).port;
    const noGitHub = await runActionInProcess({
      inputs: world.inputs,
      env: { ...world.env, GITHUB_API_URL: closed },
      options: NO_WAITS,
    });
    expect(noGitHub.exitCode).toBe(1);
    expect(noGitHub.errors).toHaveLength(1);
    expect(noGitHub.errors[0]).toMatch(
      new RegExp(
        `^network failure: GitHub at ${closed}/\\S+ could not be reached: the connection was refused, so nothing accepts connections at that address \\(ECONNREFUSED 127\\.0\\.0\\.1:${port}\\) — check the host and port in GITHUB_API_URL, and that the service there is running$`,
      ),
    );
    const noApi = await runActionInProcess({
      inputs: { ...world.inputs, "endpoints-api-url": closed },
      env: world.env,
      options: NO_WAITS,
    });
    expect(noApi.errors.join("\n")).toContain(
      `GET /v2/endpoint/acme failed: network failure: the Inference Endpoints API at ${closed}/v2/endpoint/acme could not be reached: the connection was refused, so nothing accepts connections at that address (ECONNREFUSED 127.0.0.1:${port}) — check the host and port in the endpoints-api-url input, and that the service there is running`,
    );
  });

  it("names the config input when its file is missing", async () => {
    const result = await runActionInProcess({
      inputs: { ...world.inputs, config: "nope/hf-bridge.yml" },
      env: world.env,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toStrictEqual([
      'input config is "nope/hf-bridge.yml", but no such file exists in the checkout; add actions/checkout before this step or fix the path',
    ]);
    expect(world.github.requests).toStrictEqual([]);
    expect(world.api.listRequests("acme")).toBe(0);
  });

  it("checks its inputs before any request", async () => {
    const result = await runActionInProcess({
      inputs: { ...world.inputs, "hf-token": "" },
      env: world.env,
    });
    // The config watches endpoints, which need the token; a config of public Spaces does not.
    expect(result.errors).toStrictEqual([
      `input hf-token is empty, but the config ${JSON.stringify(world.inputs.config)} watches Inference Endpoints (endpoints[0]: namespace "acme"), which the Endpoints API lists only for a Hub token; set it in the step's "with:", e.g. hf-token: \${{ secrets.HF_TOKEN }}, or give the job "permissions: id-token: write" and add this workflow as a trusted publisher on the Hub`,
    ]);
    const badUrl = await runActionInProcess({
      inputs: { ...world.inputs, "endpoints-api-url": "api.endpoints" },
      env: world.env,
    });
    expect(badUrl.errors[0]).toContain(
      'input endpoints-api-url is "api.endpoints", not an http(s) URL',
    );
    expect(world.github.requests).toStrictEqual([]);
    expect(world.api.listRequests("acme")).toBe(0);
  });
});
