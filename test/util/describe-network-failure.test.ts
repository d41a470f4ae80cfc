import { createServer, type Socket } from "node:net";
import { getOctokit } from "@actions/github";
import { afterEach, describe, expect, it } from "vitest";
import { describeNetworkFailure } from "../../src/util/describe-network-failure.ts";
import { closedPortUrl } from "../support/closed-port-url.ts";

const GITHUB = { service: "GitHub", url: "https://api.github.com", setting: "GITHUB_API_URL" };
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("the request succeeded"),
    (error: unknown) => error,
  );
}

/** A server that accepts connections and never answers. */
async function silentServerUrl(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe("describeNetworkFailure", () => {
  it("names a refused connection from fetch, with the address and what to check", async () => {
    const url = await closedPortUrl();
    const error = await failureOf(fetch(`${url}/api/whoami-v2?secret=s3cret`));
    const target = {
      service: "the Hub",
      url: `${url}/api/whoami-v2?secret=s3cret`,
      setting: "HF_ENDPOINT",
    };
    expect(describeNetworkFailure(error, target)).toBe(
      `network failure: the Hub at ${url}/api/whoami-v2 could not be reached: the connection was refused, so nothing accepts connections at that address (ECONNREFUSED 127.0.0.1:${new URL(url).port}) — check the host and port in HF_ENDPOINT, and that the service there is running`,
    );
  });

  it("reads the URL of a failed Octokit request, which reports it as a 500", async () => {
    const url = await closedPortUrl();
    const octokit = getOctokit("ghp_not_sent_anywhere", { baseUrl: url });
    const error = await failureOf(
      octokit.request("GET /repos/{owner}/{repo}", { owner: "a", repo: "b" }),
    );
    expect((error as { status?: number }).status).toBe(500);
    expect(describeNetworkFailure(error, GITHUB)).toMatch(
      new RegExp(
        `^network failure: GitHub at ${url}/repos/a/b could not be reached: the connection was refused`,
      ),
    );
  });

  it("names the bridge's own timeout running out", async () => {
    const url = await silentServerUrl();
    const error = await failureOf(fetch(url, { signal: AbortSignal.timeout(100) }));
    expect(describeNetworkFailure(error, { ...GITHUB, url })).toBe(
      `network failure: GitHub at ${url}/ could not be reached: no answer came in time — check GITHUB_API_URL and this machine's network (connection, proxy, firewall)`,
    );
  });

  it("names a host name that does not resolve and a certificate that is not trusted", () => {
    const dns = new TypeError("fetch failed", {
      cause: Object.assign(new Error("getaddrinfo ENOTFOUND api.gihtub.com"), {
        code: "ENOTFOUND",
      }),
    });
    expect(describeNetworkFailure(dns, GITHUB)).toBe(
      "network failure: GitHub at https://api.github.com/ could not be reached: the host name does not resolve (ENOTFOUND) — check GITHUB_API_URL for a typo, and this machine's DNS",
    );
    const tls = new TypeError("fetch failed", {
      cause: Object.assign(new Error("self-signed certificate"), {
        code: "SELF_SIGNED_CERT_IN_CHAIN",
      }),
    });
    expect(describeNetworkFailure(tls, GITHUB)).toContain(
      "the server's TLS certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN) — check GITHUB_API_URL, or give Node your CA with NODE_EXTRA_CA_CERTS",
    );
  });

  it("leaves answers alone: an HTTP status is the server's word, not a network failure", () => {
    const answered = Object.assign(new Error("Server Error"), {
      status: 502,
      response: { status: 502, headers: {}, data: {} },
      cause: Object.assign(new Error("socket"), { code: "ECONNRESET" }),
    });
    expect(describeNetworkFailure(answered, GITHUB)).toBeUndefined();
    expect(describeNetworkFailure(new Error("Not Found"), GITHUB)).toBeUndefined();
  });
});
