import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeHub, startFakeHub } from "../support/fake-hub/start-fake-hub.ts";
import { runActionInProcess } from "./support/run-action-in-process.ts";

const ID_TOKEN = "eyJ.github-oidc.jwt";
const REQUEST_TOKEN = "runtime-request-token";
const EXCHANGED = "hf_jwt_short_lived";
const PR_UPDATE = {
  name: "repository_dispatch",
  payload: {
    action: "hf.dataset.updated",
    client_payload: {
      hf: { repo: "acme/corpus", type: "dataset", ref: "refs/pr/3", oldSha: null, newSha: "abc" },
    },
  },
};

let hub: FakeHub;
let idTokenServer: Server;
let idTokenUrl: string;
const idTokenRequests: { audience: string | null; authorization: string | undefined }[] = [];
const exchanges: unknown[] = [];

beforeEach(async () => {
  idTokenRequests.length = 0;
  exchanges.length = 0;
  // The runner's ID-token endpoint, as the Actions runtime serves it to core.getIDToken.
  idTokenServer = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    idTokenRequests.push({
      audience: url.searchParams.get("audience"),
      authorization: req.headers.authorization,
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ value: ID_TOKEN }));
  });
  await new Promise<void>((resolve) => idTokenServer.listen(0, "127.0.0.1", resolve));
  idTokenUrl = `http://127.0.0.1:${(idTokenServer.address() as AddressInfo).port}/token?api-version=2.0`;

  hub = await startFakeHub({});
  const repo = hub.addRepo({ id: "r1", type: "dataset", name: "acme/corpus" });
  hub.addDiscussion(repo, {
    num: 3,
    title: "More rows",
    status: "open",
    isPullRequest: true,
    author: { id: "u2", name: "contributor" },
    openingComment: { id: "c1", text: "Adds rows" },
  });
  // The Hub's token exchange: a publisher is set up for acme/app on datasets/acme/corpus only.
  hub.addRoute({
    method: "POST",
    pattern: /^\/oauth\/token$/,
    handle: (request, state) => {
      exchanges.push(request.body);
      const body = request.body as Record<string, unknown>;
      if (body.grant_type !== "urn:ietf:params:oauth:grant-type:token-exchange") {
        return { status: 400, body: { error: "invalid_request" } };
      }
      if (body.subject_token !== ID_TOKEN || body.resource !== "datasets/acme/corpus") {
        return { status: 400, body: { error: "invalid_grant" } };
      }
      state.tokens.set(EXCHANGED, { id: "u9", name: "acme-app-publisher" });
      return {
        status: 200,
        body: {
          access_token: EXCHANGED,
          token_type: "bearer",
          expires_in: 3600,
          issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
        },
      };
    },
  });
});

afterEach(async () => {
  await hub.close();
  await new Promise<void>((resolve) => idTokenServer.close(() => resolve()));
});

function report(event: typeof PR_UPDATE, env: Record<string, string>) {
  return runActionInProcess({
    inputs: { mode: "report", "github-token": "ghs_unused", "hub-url": hub.url, status: "success" },
    env: {
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_RUN_ID: "77",
      GITHUB_WORKFLOW: "Evaluate",
      GITHUB_API_URL: "http://127.0.0.1:9",
      ...env,
    },
    event,
  });
}

const WITH_ID_TOKEN = {
  ACTIONS_ID_TOKEN_REQUEST_URL: "",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
};

describe("report mode without hf-token (Hub trusted publishers)", () => {
  it("exchanges the runner's OIDC token for a repo-scoped Hub token, masks it, and comments with it", async () => {
    const result = await report(PR_UPDATE, {
      ...WITH_ID_TOKEN,
      ACTIONS_ID_TOKEN_REQUEST_URL: idTokenUrl,
    });
    expect(result.errors).toStrictEqual([]);
    expect(idTokenRequests).toStrictEqual([
      { audience: "https://huggingface.co", authorization: `Bearer ${REQUEST_TOKEN}` },
    ]);
    expect(exchanges).toStrictEqual([
      {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        subject_token: ID_TOKEN,
        resource: "datasets/acme/corpus",
      },
    ]);
    const writes = hub.requests.filter(
      (request) => request.method === "POST" && request.path.includes("/discussions/"),
    );
    expect(writes).toHaveLength(1);
    // The fake knows no token but the exchanged one, so an accepted write was made with it.
    expect(writes[0]).toMatchObject({ authenticated: true, status: 200 });
    expect(hub.requests.find((request) => request.path === "/oauth/token")).toMatchObject({
      authenticated: false,
    });
    expect(result.log.join("\n")).not.toContain(EXCHANGED);
    expect(result.outputs.target).toBe("hub-discussion");
  });

  it("names what to configure on the Hub when the exchange is refused", async () => {
    const other = {
      ...PR_UPDATE,
      payload: {
        ...PR_UPDATE.payload,
        client_payload: { hf: { ...PR_UPDATE.payload.client_payload.hf, repo: "acme/other" } },
      },
    };
    const result = await report(other, {
      ...WITH_ID_TOKEN,
      ACTIONS_ID_TOKEN_REQUEST_URL: idTokenUrl,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('token on "datasets/acme/other"');
    expect(result.errors[0]).toContain("answered 400, invalid_grant");
    expect(result.errors[0]).toContain("Settings → Trusted Publishers");
    expect(result.errors[0]).toContain("repository = acme/app");
    expect(result.errors[0]).toContain("id-token: write");
    expect(result.errors[0]).not.toContain(ID_TOKEN);
  });

  it("says the job needs id-token: write when the runner offers no ID token", async () => {
    const result = await report(PR_UPDATE, {});
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("hf-token is empty");
    expect(result.errors[0]).toContain('"permissions: id-token: write"');
    expect(exchanges).toStrictEqual([]);
  });

  it("uses a given hf-token as it is, without asking for an ID token", async () => {
    hub.state.tokens.set("hf_given", { id: "u1", name: "ci-bot" });
    const result = await runActionInProcess({
      inputs: {
        mode: "report",
        "github-token": "ghs_unused",
        "hub-url": hub.url,
        status: "success",
        "hf-token": "hf_given",
      },
      env: {
        GITHUB_REPOSITORY: "acme/app",
        GITHUB_API_URL: "http://127.0.0.1:9",
        ACTIONS_ID_TOKEN_REQUEST_URL: idTokenUrl,
      },
      event: PR_UPDATE,
    });
    expect(result.errors).toStrictEqual([]);
    expect(idTokenRequests).toStrictEqual([]);
    expect(exchanges).toStrictEqual([]);
  });
});
