import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import { StoreUnavailableError } from "../../src/store/store.ts";
import { renderLinkMarker } from "../../src/text/link-marker.ts";
import { sendRequest } from "./support/send-request.ts";
import { overrideStore, useTestBridges } from "./support/start-test-bridge.ts";

const SECRET = "github-handler-test-secret-55e1";
const MARKER_KEY = "github-handler-test-marker-key";
const DISCUSSION_KEY = "hub-discussion:6366c000a2abcdf2fd69a080:3";
const ISSUE_BODY = `Mirrored.\n\n${renderLinkMarker(DISCUSSION_KEY, MARKER_KEY)}`;
/** Distinctive text, so the test can tell whether a body reached the log. */
const TEXT = "a reply that must stay out of the log (body-5e0a11)";
const CONFIG = configSchema.parse({
  routes: [
    {
      hub: "some-user/*",
      github: "acme/widgets",
      discussions: { writeBack: true, closeOnHub: true },
    },
    { hub: "other-user/*", github: "acme/quiet", discussions: true },
  ],
});

const start = useTestBridges();
const startWithGitHub = (overrides: Parameters<typeof start>[0] = {}) =>
  start({
    config: CONFIG,
    githubWebhooks: { secret: SECRET, markerKey: async () => MARKER_KEY },
    ...overrides,
  });

function comment(overrides: { repo?: string; issueBody?: string; userType?: string } = {}) {
  const [owner = "acme", name = "widgets"] = (overrides.repo ?? "acme/widgets").split("/");
  return {
    action: "created",
    issue: { number: 7, body: overrides.issueBody ?? ISSUE_BODY },
    comment: {
      id: 9001,
      body: TEXT,
      user: { login: "widget-maintainer", type: overrides.userType ?? "User" },
    },
    repository: { name, full_name: `${owner}/${name}`, owner: { login: owner } },
    sender: { login: "widget-maintainer", type: "User" },
  };
}

function deliver(
  url: string,
  event: string,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const signature = createHmac("sha256", SECRET).update(body).digest("hex");
  return sendRequest(`${url}/api/github/webhooks`, {
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": `sha256=${signature}`,
      ...headers,
    },
    body,
  });
}

describe("POST /api/github/webhooks", () => {
  it("stores a member's comment on a mirrored issue under its delivery id and queues it", async () => {
    const { url, store, logs } = await startWithGitHub();
    const response = await deliver(url, "issue_comment", comment());
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ status: "queued", deliveryId: expect.any(Number) });
    const [delivery] = await store.listDeliveries({ limit: 5 });
    expect(delivery).toMatchObject({
      source: "github",
      dedupeKey: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
      disposition: "queued",
      eventKind: "github.comment-created",
      jobState: "queued",
    });
    const job = await store.claimJob({ workerId: "test", leaseMs: 60_000 });
    expect(job?.event).toEqual({
      kind: "github.comment-created",
      issue: { owner: "acme", name: "widgets", number: 7, mirrors: DISCUSSION_KEY },
      reply: { id: 9001, author: "widget-maintainer", body: TEXT },
    });
    expect(logs.join("\n")).not.toContain("body-5e0a11");
  });

  it.each([
    ["ping", { zen: "Keep it logically awesome." }, "GitHub's ping for a new webhook"],
    ["push", { ref: "refs/heads/main" }, 'GitHub "push" events are not acted on'],
    [
      "issue_comment",
      { ...comment(), action: "edited" },
      'GitHub "issue_comment.edited" events are not acted on',
    ],
    [
      "issue_comment",
      comment({ userType: "Bot" }),
      "written by a bot (the bridge's own comments included)",
    ],
    [
      "issue_comment",
      comment({
        issueBody: `typed by hand\n\n${renderLinkMarker(DISCUSSION_KEY, "somebody-elses-key")}`,
      }),
      "the issue does not mirror a Hub discussion (no bridge marker in its body)",
    ],
    [
      "issue_comment",
      comment({ repo: "acme/quiet" }),
      "discussions.writeBack is off on every route into acme/quiet",
    ],
    [
      "issues",
      { ...comment(), action: "closed", sender: { login: "hf-bridge[bot]", type: "Bot" } },
      "closed by a bot (the bridge mirroring a Hub close included)",
    ],
  ])(
    "stores a %s delivery it does not act on as ignored (case %#), with the reason",
    async (event, payload, reason) => {
      const { url, store } = await startWithGitHub();
      const response = await deliver(url, event, payload);
      expect(response.status).toBe(202);
      expect(response.json).toMatchObject({
        status: "ignored",
        reason: expect.stringContaining(reason),
      });
      const [delivery] = await store.listDeliveries({ limit: 5 });
      expect(delivery).toMatchObject({ source: "github", disposition: "ignored" });
      expect(delivery?.jobId).toBeUndefined();
    },
  );

  it("answers 400 for an authentic payload it cannot read, keeps it, and logs no part of it", async () => {
    const { url, store, logs } = await startWithGitHub();
    const broken = { ...comment(), comment: { body: TEXT, user: null } };
    const response = await deliver(url, "issue_comment", broken);
    expect(response.status).toBe(400);
    expect(response.json?.reason).toContain(
      'not a GitHub "issue_comment" payload: body.comment.id',
    );
    const [delivery] = await store.listDeliveries({ limit: 5 });
    expect(delivery).toMatchObject({ source: "github", disposition: "rejected" });
    const notJson = await deliver(url, "issue_comment", `{"comment": "${TEXT}"`, {
      "x-github-delivery": "not-json-guid",
    });
    expect(notJson.status).toBe(400);
    expect(logs.join("\n")).not.toContain("body-5e0a11");
  });

  it("answers 400 without storing when GitHub's delivery headers are missing", async () => {
    const { url, store } = await startWithGitHub();
    const noId = await deliver(url, "issue_comment", comment(), { "x-github-delivery": "" });
    expect(noId.status).toBe(400);
    expect(noId.json?.reason).toContain("X-GitHub-Delivery is missing");
    const badId = await deliver(url, "issue_comment", comment(), { "x-github-delivery": "a b" });
    expect(badId.json?.reason).toContain('X-GitHub-Delivery "a b" is not a delivery id');
    const noEvent = await deliver(url, "", comment());
    expect(noEvent.json?.reason).toContain("X-GitHub-Event is missing");
    expect(await store.listDeliveries({ limit: 5 })).toEqual([]);
  });

  it("refuses a body that is not JSON by its content type before reading it", async () => {
    const { url } = await startWithGitHub();
    const response = await deliver(url, "issue_comment", comment(), {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(response.status).toBe(415);
  });

  it("answers 503 when the store cannot keep the delivery, so nothing is acknowledged unkept", async () => {
    const { url } = await startWithGitHub({
      wrapStore: (store) =>
        overrideStore(store, {
          recordDelivery: () => Promise.reject(new StoreUnavailableError("disk I/O error")),
        }),
    });
    const response = await deliver(url, "issue_comment", comment());
    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("30");
  });
});
