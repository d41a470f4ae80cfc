import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HF_FIXTURES } from "../../support/paths.ts";
import { type StartedBridge, startBridge } from "../../support/start-bridge.ts";

const API_TOKEN = "console-api-token-3f9a51c2";
/** As on a Space: the request came through a proxy, so the local-only rule does not apply. */
const PROXIED = { "x-forwarded-for": "203.0.113.8" };

describe("the console's JSON API", () => {
  let bridge: StartedBridge;

  beforeAll(async () => {
    bridge = await startBridge({ consoleAccess: { apiToken: API_TOKEN } });
    const injected = bridge.github.inject({
      kind: "status",
      status: 422,
      body: { message: "Validation Failed", documentation_url: "https://docs.github.com/rest" },
      match: { operationId: "issues/create" },
    });
    expect((await bridge.post("hookdeck-discussion-create-pr.json")).status).toBe(202);
    await bridge.drain();
    injected();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const get = (path: string, headers: Record<string, string>) =>
    fetch(`${bridge.url}${path}`, { headers });

  it("answers a proxied request without the token 401, saying how to authenticate", async () => {
    const response = await get("/api/deliveries", PROXIED);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { reason: string }).reason).toMatch(
      /sign in with Hugging Face at \/login .* or send `Authorization: Bearer <HF_BRIDGE_API_TOKEN>`/,
    );
    const wrong = await get("/api/deliveries", { ...PROXIED, authorization: "Bearer nope-nope" });
    expect(wrong.status).toBe(401);
  });

  it("serves deliveries, one delivery, dead letters and the queue to the bearer token", async () => {
    const auth = { ...PROXIED, authorization: `Bearer ${API_TOKEN}` };
    const page = (await (await get("/api/deliveries?state=dead", auth)).json()) as {
      deliveries: Array<{ id: number; jobId: number; hubRepo: string; jobState: string }>;
    };
    expect(page.deliveries).toHaveLength(1);
    const [dead] = page.deliveries;
    expect(dead).toMatchObject({ hubRepo: "openai-community/gpt2", jobState: "dead" });
    const one = (await (await get(`/api/delivery?id=${dead?.id}`, auth)).json()) as {
      delivery: { headers: Record<string, string>; body: string };
    };
    expect(Object.keys(one.delivery.headers).map((name) => name.toLowerCase())).not.toContain(
      "x-webhook-secret",
    );
    const letters = (await (await get("/api/dead-letters", auth)).json()) as {
      deadLetters: Array<{ jobId: number; lastError: string }>;
    };
    expect(letters.deadLetters).toEqual([
      expect.objectContaining({ jobId: dead?.jobId, lastError: expect.stringContaining("422") }),
    ]);
    expect(await (await get("/api/queue", auth)).json()).toMatchObject({ dead: 1 });
    const bad = await get("/api/deliveries?state=lost", auth);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toMatch(/state "lost" is not one of/);
  });

  it("replays a dead job once for the bearer token: the second time it is not dead", async () => {
    const auth = {
      ...PROXIED,
      authorization: `Bearer ${API_TOKEN}`,
      "content-type": "application/x-www-form-urlencoded",
    };
    const [letter] = await bridge.store.listDeadLetters({ limit: 1 });
    const replay = () =>
      fetch(`${bridge.url}/api/replay`, {
        method: "POST",
        headers: auth,
        body: `jobIds=${letter?.jobId}`,
      });
    expect(await (await replay()).json()).toEqual({
      status: "ok",
      replayed: [letter?.jobId],
      notDead: [],
    });
    await bridge.drain();
    expect(await (await replay()).json()).toEqual({
      status: "ok",
      replayed: [],
      notDead: [letter?.jobId],
    });
    expect(bridge.github.state.repos.get("acme/widgets")?.issues.size).toBe(1);
  });

  it("shows the Webhook-Id and runs a done delivery again for the bearer token, still one issue", async () => {
    const auth = { ...PROXIED, authorization: `Bearer ${API_TOKEN}` };
    const posted = await bridge.post("composed-discussion-create-plain-discussion.json", {
      "webhook-id": "wh-api-rerun-7",
    });
    expect(posted.status).toBe(202);
    await bridge.drain();
    const id = posted.body.deliveryId as number;
    const issues = () => bridge.github.state.repos.get("acme/widgets")?.issues.size;
    const issuesBefore = issues();
    const listed = (await (await get("/api/deliveries?state=done", auth)).json()) as {
      deliveries: Array<{ id: number; webhookId?: string }>;
    };
    expect(listed.deliveries.find((delivery) => delivery.id === id)?.webhookId).toBe(
      "wh-api-rerun-7",
    );
    const rerun = (deliveryId: number, headers: Record<string, string> = auth) =>
      fetch(`${bridge.url}/api/rerun`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
        body: `deliveryId=${deliveryId}`,
      });
    const refused = await rerun(id, PROXIED);
    expect(refused.status).toBe(403);
    const missing = await rerun(id + 1000);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { reason: string }).reason).toMatch(
      new RegExp(`no delivery #${id + 1000} is stored`),
    );
    expect((await bridge.store.getDelivery(id))?.jobState).toBe("done");

    const response = await rerun(id);
    expect(await response.json()).toEqual({
      status: "ok",
      deliveryId: id,
      jobId: (await bridge.store.getDelivery(id))?.jobId,
      requeued: true,
    });
    await bridge.drain();
    const after = await bridge.store.getDelivery(id);
    expect(after).toMatchObject({ jobState: "done", attempts: 1 });
    expect(after?.outcome?.effects).toEqual([
      expect.objectContaining({
        result: expect.objectContaining({
          status: "skipped",
          detail: expect.stringMatching(/^issue #\d+ already mirrors /),
        }),
      }),
    ]);
    expect(issues()).toBe(issuesBefore);

    // A delivery no route took has no job: nothing to run, and the answer says why.
    const payload = JSON.parse(
      readFileSync(join(HF_FIXTURES, "composed-discussion-create-plain-discussion.json"), "utf8"),
    ) as { repo: { name: string }; discussion: { id: string } };
    payload.repo.name = "nobody/unrouted";
    payload.discussion.id = "639885d811ae2bad2b7b0888";
    const unrouted = await bridge.post(payload, { "webhook-id": "wh-api-rerun-8" });
    expect(unrouted.body).toMatchObject({ status: "ignored" });
    const unroutedId = unrouted.body.deliveryId as number;
    expect((await bridge.store.getDelivery(unroutedId))?.jobId).toBeUndefined();
    const noJob = await rerun(unroutedId);
    expect(noJob.status).toBe(409);
    expect(((await noJob.json()) as { reason: string }).reason).toMatch(
      new RegExp(`delivery #${unroutedId} was ignored, so it has no job to run`),
    );
    bridge.github.expectNoViolations();
  });

  it("keeps the local-only rule: a request from this machine reads the API without a token", async () => {
    expect((await get("/api/queue", {})).status).toBe(200);
  });
});
