import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type FakeEndpointState, fakeEndpointJson } from "./fake-endpoint-json.ts";

/** The first stamp the fake hands out; each change is one minute later, so runs are repeatable. */
const FIRST_UPDATE = Date.parse("2025-03-01T09:00:00.000Z");
const STEP_MS = 60_000;

export type FakeFailure = { status: 429; retryAfter?: string } | { status: 500 };

export interface FakeEndpointsApi {
  baseUrl: string;
  /** Creates the endpoint, or moves it to a new state with a fresh `updatedAt`. */
  advance(
    namespace: string,
    name: string,
    state: string,
    change?: { message?: string; revision?: string },
  ): void;
  /** Drops the endpoint from its namespace's list, as deleting it does. */
  remove(namespace: string, name: string): void;
  /** The namespace's next list request answers this instead. */
  failNext(namespace: string, failure: FakeFailure): void;
  /** List requests the namespace received with the right token. */
  listRequests(namespace: string): number;
  /** When each of those arrived (epoch ms), oldest first. */
  listRequestTimes(namespace: string): number[];
  /** Requests refused for a missing or wrong bearer token. */
  unauthorizedRequests(): number;
  close(): Promise<void>;
}

/**
 * The Inference Endpoints list route on a loopback port, scripted per namespace by the test. It knows
 * only `GET /v2/endpoint/{namespace}` and checks the bearer token as the API does.
 */
export async function startFakeEndpointsApi(options: { token: string }): Promise<FakeEndpointsApi> {
  const namespaces = new Map<string, Map<string, FakeEndpointState>>();
  const failures = new Map<string, FakeFailure[]>();
  const counts = new Map<string, number>();
  const times = new Map<string, number[]>();
  let unauthorized = 0;
  let stamps = 0;

  const server = createServer((req, res) => {
    const match = /^\/v2\/endpoint\/([^/]+)$/.exec(req.url ?? "");
    if (req.method !== "GET" || !match?.[1]) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      unauthorized += 1;
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      return;
    }
    const namespace = decodeURIComponent(match[1]);
    counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
    times.set(namespace, [...(times.get(namespace) ?? []), Date.now()]);
    const failure = failures.get(namespace)?.shift();
    if (failure) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (failure.status === 429 && failure.retryAfter) headers["retry-after"] = failure.retryAfter;
      res.writeHead(failure.status, headers).end('{"error":"scripted failure"}');
      return;
    }
    const items = [...(namespaces.get(namespace)?.values() ?? [])].map(fakeEndpointJson);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    advance(namespace, name, state, change = {}) {
      const endpoints = namespaces.get(namespace) ?? new Map<string, FakeEndpointState>();
      namespaces.set(namespace, endpoints);
      const updatedAt = new Date(FIRST_UPDATE + STEP_MS * stamps++).toISOString();
      const revision = change.revision ?? endpoints.get(name)?.revision;
      endpoints.set(name, {
        name,
        state,
        updatedAt,
        ...(change.message ? { message: change.message } : {}),
        ...(revision ? { revision } : {}),
      });
    },
    remove(namespace, name) {
      namespaces.get(namespace)?.delete(name);
    },
    failNext(namespace, failure) {
      failures.set(namespace, [...(failures.get(namespace) ?? []), failure]);
    },
    listRequests: (namespace) => counts.get(namespace) ?? 0,
    listRequestTimes: (namespace) => [...(times.get(namespace) ?? [])],
    unauthorizedRequests: () => unauthorized,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
