import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchWithTimeout } from "../../src/util/fetch-with-timeout.ts";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server that accepts every request and never answers it, or answers headers and stalls the body. */
async function startHungServer(mode: "no-headers" | "stalled-body"): Promise<string> {
  server = createServer((_req, res) => {
    if (mode === "stalled-body") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"partial":');
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/whoami-v2`;
}

describe("fetchWithTimeout", () => {
  it("gives up on a server that never answers, naming the method, path and limit", async () => {
    const url = await startHungServer("no-headers");
    await expect(fetchWithTimeout(200)(url)).rejects.toThrow(
      "GET /api/whoami-v2 got no answer within 200 ms",
    );
  });

  it("gives up on a body that stops arriving", async () => {
    const url = await startHungServer("stalled-body");
    const response = await fetchWithTimeout(200)(url);
    await expect(response.text()).rejects.toThrow();
  });

  it("picks the limit per request and keeps the caller's own signal", async () => {
    const url = await startHungServer("no-headers");
    const limits: string[] = [];
    const timed = fetchWithTimeout((target, method) => {
      limits.push(`${method} ${new URL(target).pathname}`);
      return 60_000;
    });
    const caller = new AbortController();
    const pending = timed(url, { method: "POST", signal: caller.signal });
    caller.abort(new Error("caller gave up"));
    await expect(pending).rejects.toThrow("caller gave up");
    expect(limits).toEqual(["POST /api/whoami-v2"]);
  });
});
