import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsoleAuth,
  SESSION_COOKIE,
} from "../../../src/server/console/create-console-auth.ts";
import { createHfSignIn } from "../../../src/server/console/create-hf-sign-in.ts";
import { readFormBody } from "../../../src/server/console/read-form-body.ts";
import { createBridgeRequestHandler } from "../../../src/server/create-bridge-request-handler.ts";
import { createLifecycle } from "../../../src/server/create-lifecycle.ts";
import { sendJson } from "../../../src/server/send-json.ts";
import {
  type FakeOpenIdProvider,
  startFakeOpenIdProvider,
} from "../../support/fake-openid-provider/start-fake-openid-provider.ts";

let provider: FakeOpenIdProvider;
let server: Server;
let base: string;

beforeAll(async () => {
  provider = await startFakeOpenIdProvider();
  const auth = createConsoleAuth({
    signIn: createHfSignIn({
      providerUrl: provider.url,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
    }),
    sessionKey: Buffer.from("k".repeat(32)),
    allow: ["acme"],
    details: "local",
  });
  const handler = createBridgeRequestHandler({
    lifecycle: createLifecycle(),
    logger: pino({ level: "silent" }),
    handlers: {
      "/login": { GET: auth.login },
      "/login/callback": { GET: auth.callback },
      "/whoami": {
        GET: async ({ req, res }) => {
          sendJson(res, 200, { status: "ok", ...auth.identify(req) });
          return undefined;
        },
      },
      "/act": {
        POST: async ({ req, res }) => {
          const access = auth.identify(req);
          const form = await readFormBody(req, res);
          auth.checkCsrf(access, form.get("csrf") ?? undefined);
          sendJson(res, 200, { status: "done" });
          return undefined;
        },
      },
    },
  });
  server = createServer((req, res) => {
    void handler(req, res).then((answered) => {
      if (!answered) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await provider.close();
});

/** Requests look proxied, as on a Space, so the local-only fallback does not apply. */
const PROXIED = { "x-forwarded-for": "203.0.113.7" };

function cookieFrom(response: Response, name: string): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  if (!cookie)
    throw new Error(`no ${name} cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
  return cookie.split(";")[0] as string;
}

/** Starts a sign-in and lets the provider approve it; returns the callback URL and sign-in cookie. */
async function startSignIn(): Promise<{ callback: URL; signInCookie: string }> {
  const login = await fetch(`${base}/login`, { redirect: "manual", headers: PROXIED });
  expect(login.status).toBe(303);
  const signInCookie = cookieFrom(login, "hfb_signin");
  const authorize = await fetch(login.headers.get("location") as string, { redirect: "manual" });
  expect(authorize.status).toBe(302);
  return { callback: new URL(authorize.headers.get("location") as string), signInCookie };
}

async function finish(callback: URL, signInCookie: string): Promise<Response> {
  return fetch(callback, { redirect: "manual", headers: { cookie: signInCookie, ...PROXIED } });
}

async function signIn(): Promise<string> {
  const { callback, signInCookie } = await startSignIn();
  const done = await finish(callback, signInCookie);
  expect(done.status).toBe(303);
  return cookieFrom(done, SESSION_COOKIE);
}

async function whoami(cookie: string) {
  const response = await fetch(`${base}/whoami`, { headers: { cookie, ...PROXIED } });
  return (await response.json()) as Record<string, unknown>;
}

describe("console sign-in", () => {
  it("signs in an allowed org member through the provider, with PKCE and state", async () => {
    provider.signInAs({ sub: "u-7", preferred_username: "ada", orgs: ["acme"] });
    const session = await signIn();
    expect(await whoami(session)).toMatchObject({
      kind: "user",
      user: { sub: "u-7", name: "ada", orgs: ["acme"] },
    });
    expect(session).not.toContain(provider.clientSecret);
  });

  it("refuses a forged session cookie, saying its signature does not match", async () => {
    provider.signInAs({ sub: "u-8", preferred_username: "eve", orgs: [] });
    const session = await signIn();
    const [name, value] = session.split("=") as [string, string];
    const [, mac] = value.split(".");
    const forgedBody = Buffer.from(
      JSON.stringify({ sub: "u-8", name: "eve", orgs: ["acme"], csrf: "x", exp: 9e9 }),
    ).toString("base64url");
    const access = await whoami(`${name}=${forgedBody}.${mac}`);
    expect(access).toEqual({
      status: "ok",
      kind: "public",
      refused: expect.stringMatching(/session cookie's signature does not match.*sign in again/),
    });
    // Unforged, the same user is known but not in console.allow.
    expect((await whoami(session)).refused).toMatch(
      /eve is signed in but neither the user nor one of their orgs is in console.allow/,
    );
  });

  it("refuses a callback whose state is not the one this browser started with", async () => {
    const { callback, signInCookie } = await startSignIn();
    callback.searchParams.set("state", "tampered-state");
    const response = await finish(callback, signInCookie);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { reason: string }).reason).toMatch(
      /state "tampered-state", not the one this browser started with; start the sign-in again/,
    );
  });

  it("refuses a replayed code: the provider accepts each code once", async () => {
    provider.signInAs({ sub: "u-7", preferred_username: "ada", orgs: ["acme"] });
    const { callback, signInCookie } = await startSignIn();
    expect((await finish(callback, signInCookie)).status).toBe(303);
    const replayed = await finish(callback, signInCookie);
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as { reason: string }).reason).toMatch(
      /sign-in code was refused by the provider \(already used/,
    );
    expect(provider.tokenRequests.at(-1)).toEqual({ status: 400, error: "invalid_grant" });
  });

  it("refuses a callback from a browser that never started the sign-in", async () => {
    const { callback } = await startSignIn();
    const response = await fetch(callback, { redirect: "manual", headers: PROXIED });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { reason: string }).reason).toMatch(
      /not started in this browser/,
    );
  });

  it("refuses a mutating request without the session's CSRF token, and runs it with it", async () => {
    provider.signInAs({ sub: "u-7", preferred_username: "ada", orgs: ["acme"] });
    const session = await signIn();
    const csrf = (await whoami(session)).csrf as string;
    const post = (body: string) =>
      fetch(`${base}/act`, {
        method: "POST",
        headers: {
          cookie: session,
          "content-type": "application/x-www-form-urlencoded",
          ...PROXIED,
        },
        body,
      });
    const missing = await post("jobId=1");
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { reason: string }).reason).toMatch(/carries no CSRF token/);
    const wrong = await post("jobId=1&csrf=not-the-token");
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { reason: string }).reason).toMatch(
      /CSRF token does not belong to this session/,
    );
    const right = await post(`jobId=1&csrf=${encodeURIComponent(csrf)}`);
    expect(right.status).toBe(200);
  });
});
