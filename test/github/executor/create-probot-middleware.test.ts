import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  createProbotMiddleware,
  GITHUB_WEBHOOKS_PATH,
} from "../../../src/github/create-probot-middleware.ts";
import { readGitHubCredentials } from "../../../src/github/read-github-credentials.ts";
import { appEnv } from "./executor-harness.ts";

const WEBHOOK_SECRET = "github-webhook-secret-for-tests";
const log = pino({ level: "silent" });

const payload = JSON.stringify({
  action: "created",
  issue: { number: 1 },
  comment: { id: 7, body: "Looks good" },
  repository: { name: "app", full_name: "acme/app", owner: { login: "acme" } },
  installation: { id: 1 },
});

function signature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

describe("createProbotMiddleware", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("serves GitHub webhooks on /api/github/webhooks beside the bridge's own routes", async () => {
    const credentials = readGitHubCredentials({
      ...appEnv("http://127.0.0.1:9"),
      WEBHOOK_SECRET,
    });
    if (credentials === undefined) throw new Error("no credentials");
    const received: unknown[] = [];
    const middleware = await createProbotMiddleware({
      credentials,
      log,
      appFn: (app) => {
        app.on("issue_comment.created", async (context) => {
          received.push(context.payload.comment.body);
        });
      },
    });
    server = createServer((request, response) => {
      void middleware(request, response, () => {
        response.writeHead(200).end("bridge route");
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const deliver = (signed: string) =>
      fetch(`${base}${GITHUB_WEBHOOKS_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "issue_comment",
          "x-github-delivery": "3f1f6a4e-0000-4000-8000-000000000001",
          "x-hub-signature-256": signed,
        },
        body: payload,
      });

    expect((await deliver(signature(payload, WEBHOOK_SECRET))).status).toBe(200);
    expect(received).toEqual(["Looks good"]);

    const forged = await deliver(signature(payload, "wrong-secret"));
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(received).toHaveLength(1);

    const other = await fetch(`${base}/health`);
    expect(await other.text()).toBe("bridge route");
  });

  it("refuses to start without an App webhook secret, saying what to set", async () => {
    const credentials = readGitHubCredentials(appEnv("http://127.0.0.1:9"));
    if (credentials === undefined) throw new Error("no credentials");
    await expect(createProbotMiddleware({ credentials, log, appFn: () => {} })).rejects.toThrow(
      /set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET/,
    );
  });
});
