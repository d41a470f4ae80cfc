import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import { StoreUnavailableError } from "../../src/store/store.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { sendRequest } from "./support/send-request.ts";
import {
  overrideStore,
  ROUTED_DISCUSSION,
  TEST_SECRET,
  useTestBridges,
} from "./support/start-test-bridge.ts";

const start = useTestBridges();

describe("GET /healthz", () => {
  it("answers 200 ok", async () => {
    const { url } = await start();
    const response = await sendRequest(`${url}/healthz`, { method: "GET" });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: "ok" });
  });

  it("answers HEAD like GET, without a body", async () => {
    const { url } = await start();
    const response = await sendRequest(`${url}/healthz`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
  });
});

describe("GET /", () => {
  it("tells the user what to paste into the Hub webhook form, from Host and X-Forwarded-Proto", async () => {
    const { url } = await start();
    const response = await sendRequest(`${url}/`, {
      method: "GET",
      headers: { host: "bridge.example.com:8443", "x-forwarded-proto": "https" },
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.text).toContain(
      '<code id="webhook-url">https://bridge.example.com:8443/webhooks/huggingface</code>',
    );
    expect(response.text).toContain("<code>HF_WEBHOOK_SECRET</code>");
    expect(response.text).not.toContain(TEST_SECRET);
    expect(response.text).toContain("<b>Repo update</b>");
    expect(response.text).toContain("<b>Community (PR &amp; discussions)</b>");
    expect(response.text).toContain("Dry-run: effects are planned and recorded");
    expect(response.text).toMatch(
      /<code>some-user\/\*<\/code><\/td><td>all<\/td><td><code>acme\/widgets<\/code>/,
    );
    expect(response.text).not.toContain("<script");
  });

  it("uses plain http without a forwarded protocol, and the configured public URL when given", async () => {
    const plain = await start();
    const direct = await sendRequest(`${plain.url}/`, { method: "GET" });
    expect(direct.text).toContain(
      `<code id="webhook-url">${plain.url}/webhooks/huggingface</code>`,
    );
    await plain.close();

    const proxied = await start({ publicUrl: "https://hub-bridge.example.org/", mode: "github" });
    const page = await sendRequest(`${proxied.url}/`, { method: "GET" });
    expect(page.text).toContain(
      '<code id="webhook-url">https://hub-bridge.example.org/webhooks/huggingface</code>',
    );
    expect(page.text).toContain("GitHub: planned effects are written to GitHub.");
  });

  it("does not echo a Host header that is not a plain host name", async () => {
    const { url } = await start();
    const response = await sendRequest(`${url}/`, {
      method: "GET",
      headers: { host: 'evil"><img src=x onerror=alert(1)>' },
    });
    expect(response.text).toContain("http://&lt;your-host&gt;/webhooks/huggingface");
    expect(response.text).not.toContain("<img");
  });

  it("says when deliveries are unsigned", async () => {
    const { url } = await start({ secrets: [], allowUnsigned: true });
    const response = await sendRequest(`${url}/`, { method: "GET" });
    expect(response.text).toContain("accepts unsigned deliveries (dry-run demo)");
  });

  it("lists recent deliveries with outcome, kind, duplicates, job state and planned effects", async () => {
    const { url, webhookUrl, store } = await start();
    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(202);
    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(200);
    const job = await store.claimJob({ workerId: "landing-test", leaseMs: 60_000 });
    if (!job) throw new Error("the queued delivery has no job");
    await store.completeJob(job, {
      summary: "mirrored discussion #4",
      effects: [
        {
          effect: {
            type: "create-issue",
            idempotencyKey: "k1",
            repo: { owner: "acme", repo: "widgets" },
            link: "hub-discussion:x:4",
            title: "t",
            body: "b",
          },
          result: { status: "planned" },
        },
        {
          effect: {
            type: "workflow-dispatch",
            idempotencyKey: "k2",
            repo: { owner: "acme", repo: "widgets" },
            workflow: "retrain.yml",
            ref: "main",
          },
          result: {
            status: "done",
            detail: "workflow retrain.yml started run 991",
            url: "https://github.com/acme/widgets/actions/runs/991",
          },
        },
        {
          effect: {
            type: "repository-dispatch",
            idempotencyKey: "k3",
            repo: { owner: "acme", repo: "widgets" },
            eventType: "hf.model.updated",
            clientPayload: {},
          },
          result: { status: "accepted", url: "javascript:alert(1)" },
        },
      ],
    });
    const response = await sendRequest(`${url}/`, { method: "GET" });
    const row = response.text
      .split("\n")
      .find((line) => line.startsWith(`<tr><td>${job.deliveryId}</td>`));
    expect(row).toBeDefined();
    expect(row).toContain("<td>discussion.opened</td>");
    expect(row).toContain("<td>queued</td>");
    expect(row).toContain("<td>1</td>"); // one duplicate
    expect(row).toContain(`#${job.id} done`);
    expect(row).toContain(
      "mirrored discussion #4<ul><li>create-issue on acme/widgets: planned</li>" +
        '<li>workflow-dispatch on acme/widgets: done <small>workflow retrain.yml started run 991</small> <a href="https://github.com/acme/widgets/actions/runs/991">open on GitHub</a></li>' +
        "<li>repository-dispatch on acme/widgets: accepted</li></ul>",
    );
  });

  it("shows the queue, and points at dead letters when there are some", async () => {
    const { url, webhookUrl, store } = await start();
    const empty = await sendRequest(`${url}/`, { method: "GET" });
    expect(empty.text).toContain('<p id="queue">0 queued; 0 running; 0 dead.</p>');
    expect(empty.text).not.toContain('id="dead-letters"');

    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(202);
    const queued = await sendRequest(`${url}/`, { method: "GET" });
    expect(queued.text).toMatch(
      /<p id="queue">1 queued, the oldest due for \d+ s; 0 running; 0 dead\.<\/p>/,
    );

    const job = await store.claimJob({ workerId: "landing-test", leaseMs: 60_000 });
    if (!job) throw new Error("the queued delivery has no job");
    await store.deadLetterJob(job, "GitHub refused the issue: 410 Gone");
    const dead = await sendRequest(`${url}/`, { method: "GET" });
    expect(dead.text).toContain('<p id="queue">0 queued; 0 running; 1 dead.</p>');
    expect(dead.text).toContain(
      '<p id="dead-letters"><b>1 dead job(s)</b> failed for good: <code>hf-bridge dead-letters</code> shows why, <code>hf-bridge replay &lt;jobId&gt;</code> runs one again.</p>',
    );
  });

  it("still shows how to connect the Hub when the store cannot be read", async () => {
    const failing = () => Promise.reject(new StoreUnavailableError("disk I/O error"));
    const { url, logs } = await start({
      wrapStore: (store) => overrideStore(store, { listDeliveries: failing, countJobs: failing }),
    });
    const response = await sendRequest(`${url}/`, { method: "GET" });
    expect(response.status).toBe(200);
    expect(response.text).toContain('<code id="webhook-url">');
    expect(response.text).toContain("The job queue could not be read; see the server log.");
    expect(response.text).toContain("The delivery store could not be read; see the server log.");
    expect(logs.join("\n")).toContain("store could not count jobs for the landing page");
  });

  it("hides routes and deliveries from requests that come through a proxy, and says how to see them", async () => {
    const { url, webhookUrl } = await start();
    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(202);
    const remote = await sendRequest(`${url}/`, {
      method: "GET",
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(remote.status).toBe(200);
    expect(remote.text).toContain('<code id="webhook-url">');
    expect(remote.text).toContain('<p id="queue">1 queued');
    expect(remote.text).toContain('<p id="details-hidden">');
    expect(remote.text).toContain("<code>HF_BRIDGE_PAGE_DETAILS=public</code>");
    for (const detail of ["some-user", "acme/widgets", "discussion.opened", 'id="deliveries"']) {
      expect(remote.text).not.toContain(detail);
    }
    const local = await sendRequest(`${url}/`, { method: "GET" });
    expect(local.text).toContain('id="deliveries"');
    expect(local.text).not.toContain('id="details-hidden"');
  });

  it("shows routes and deliveries to everyone when the operator made them public", async () => {
    const { url, webhookUrl } = await start({ pageDetails: "public" });
    expect((await postWebhook(webhookUrl, ROUTED_DISCUSSION)).status).toBe(202);
    const remote = await sendRequest(`${url}/`, {
      method: "GET",
      headers: { forwarded: "for=203.0.113.9;proto=https" },
    });
    expect(remote.text).toContain("<td>discussion.opened</td>");
    expect(remote.text).toContain("<code>acme/widgets</code>");
    expect(remote.text).not.toContain('id="details-hidden"');
  });

  it("escapes what deliveries carry", async () => {
    const { url, webhookUrl } = await start();
    const payload = JSON.parse(ROUTED_DISCUSSION) as { repo: { name: string } };
    payload.repo.name = "evil/<script>alert(1)</script>";
    expect((await postWebhook(webhookUrl, JSON.stringify(payload))).status).toBe(202);
    const response = await sendRequest(`${url}/`, { method: "GET" });
    expect(response.text).toContain(
      "no route matches model evil/&lt;script&gt;alert(1)&lt;/script&gt;",
    );
    expect(response.text).not.toContain("<script>");
  });

  it("lists the configured routes with their types and features", async () => {
    const config = configSchema.parse({
      routes: [
        {
          hub: "acme/*",
          types: ["dataset", "space"],
          github: "acme/data",
          commits: "checks",
          dispatch: [{}],
        },
      ],
    });
    const { url } = await start({ config });
    const response = await sendRequest(`${url}/`, { method: "GET" });
    expect(response.text).toContain(
      "<tr><td><code>acme/*</code></td><td>dataset, space</td><td><code>acme/data</code></td><td>commits: checks, dispatch ×1</td></tr>",
    );
  });
});
