// Three `hf-bridge serve` processes on one PostgreSQL schema poll two Inference Endpoint namespaces:
// the fake Endpoints API sees one list request per namespace per interval fleet-wide, and when the
// replica holding a namespace's lease is SIGKILLed another one polls it within about one interval.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, expect, it } from "vitest";
import {
  CHILD_PROCESS_TEST_TIMEOUT_MS,
  type ServeProcess,
  startServe,
} from "../cli/support/run-cli.ts";
import { describeOnPostgres } from "../support/describe-on-postgres.ts";
import {
  type FakeEndpointsApi,
  startFakeEndpointsApi,
} from "../support/fake-endpoints-api/start-fake-endpoints-api.ts";

const HF_TOKEN = "hf_replica_lease_token";
const METRICS_TOKEN = "replica-metrics-token";
const NAMESPACES = ["acme", "beta"];
/** The smallest interval the config allows, so the test sees several intervals in seconds. */
const INTERVAL_MS = 5_000;
/** Timer lateness and a PostgreSQL round trip on a loaded two-core machine, in either direction. */
const SLACK_MS = 700;
/**
 * One interval, the poller's lease grace (claim-namespace-lease.ts), and slack for a survivor's timer
 * on a loaded CI machine: the most a takeover may take. Measured here: about 6.7 s.
 */
const TAKEOVER_LIMIT_MS = INTERVAL_MS + 1_500 + 3_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** Which replica (host:pid) holds each lease, as one replica's `/metrics` reports it. */
async function leaseHolders(replica: ServeProcess): Promise<Map<string, string>> {
  const response = await fetch(new URL("/metrics", replica.landing), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  const holders = new Map<string, string>();
  for (const line of (await response.text()).split("\n")) {
    const match = /^hf_bridge_lease_held\{lease="([^"]+)",holder="([^"]+)",mine="[01]"\} 1$/.exec(
      line,
    );
    if (match?.[1] && match[2]) holders.set(match[1], match[2]);
  }
  return holders;
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((time, index) => time - (times[index] as number));
}

await describeOnPostgres("poller leases across replicas", ({ url, schema }) => {
  const directory = mkdtempSync(join(tmpdir(), "replica-leases-"));
  const replicas: ServeProcess[] = [];
  let api: FakeEndpointsApi | undefined;

  afterAll(async () => {
    // The SIGKILLed one has exited already; `stop` would wait for an exit that came.
    const alive = replicas.filter((replica) => replica.child.signalCode === null);
    await Promise.allSettled(alive.map((replica) => replica.stop()));
    await api?.close();
    rmSync(directory, { recursive: true, force: true });
  }, CHILD_PROCESS_TEST_TIMEOUT_MS);

  it(
    "polls each namespace from one replica per interval, and another takes over after a SIGKILL",
    async () => {
      api = await startFakeEndpointsApi({ token: HF_TOKEN });
      const configFile = join(directory, "bridge.json");
      writeFileSync(
        configFile,
        JSON.stringify({
          routes: [{ hub: "acme/*", github: "acme/widgets" }],
          endpoints: NAMESPACES.map((namespace) => ({
            namespace,
            github: "acme/widgets",
            intervalSeconds: INTERVAL_MS / 1000,
          })),
        }),
      );
      const storeUrl = new URL(url);
      storeUrl.searchParams.set("schema", schema);
      const started = await Promise.all(
        [0, 1, 2].map(async () =>
          startServe([], {
            cwd: directory,
            env: {
              HF_BRIDGE_STORE: storeUrl.toString(),
              HF_BRIDGE_CONFIG: configFile,
              HF_TOKEN,
              HF_ENDPOINTS_API_URL: api?.baseUrl ?? "",
              HF_ENDPOINT: api?.baseUrl ?? "",
              HF_BRIDGE_METRICS_TOKEN: METRICS_TOKEN,
              PORT: String(await freePort()),
            },
          }),
        ),
      );
      replicas.push(...started);
      const upAt = Date.now();

      // Three intervals with all three replicas up.
      await sleep(3 * INTERVAL_MS + SLACK_MS);
      const beforeKill = new Map(NAMESPACES.map((ns) => [ns, api?.listRequestTimes(ns) ?? []]));
      for (const [namespace, times] of beforeKill) {
        const inWindow = times.filter((time) => time >= upAt);
        console.log(
          `${namespace}: ${inWindow.length} list requests in ${Date.now() - upAt} ms from 3 replicas, gaps ${gaps(times).join(", ")} ms`,
        );
        // Three replicas polling on their own would send about 3 per interval; one holder sends 1.
        expect(inWindow.length).toBeGreaterThanOrEqual(3);
        expect(inWindow.length).toBeLessThanOrEqual(4);
        for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - SLACK_MS);
      }

      const holders = await leaseHolders(replicas[0] as ServeProcess);
      console.log("lease holders:", Object.fromEntries(holders));
      const acmeHolder = holders.get("endpoint-poller:acme");
      expect(acmeHolder).toBeDefined();
      const victim = replicas.find((replica) => acmeHolder?.endsWith(`:${replica.child.pid}`));
      if (!victim) throw new Error(`no replica has the pid of lease holder ${acmeHolder}`);
      // Every lease holder is one of the three replicas.
      for (const holder of holders.values()) {
        expect(replicas.some((replica) => holder.endsWith(`:${replica.child.pid}`))).toBe(true);
      }

      const lastBeforeKill = (api.listRequestTimes("acme").at(-1) ?? 0) as number;
      victim.child.kill("SIGKILL");
      const killedAt = Date.now();
      const survivors = replicas.filter((replica) => replica !== victim);
      await sleep(3 * INTERVAL_MS);

      const afterKill = api.listRequestTimes("acme").filter((time) => time > lastBeforeKill);
      const takeover = (afterKill[0] ?? Number.POSITIVE_INFINITY) - lastBeforeKill;
      console.log(
        `acme: killed the holder ${Date.now() - killedAt} ms ago, ${killedAt - lastBeforeKill} ms after its last poll; next poll came ${takeover} ms after that last poll, then gaps ${gaps(afterKill).join(", ")} ms`,
      );
      expect(takeover).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);
      // The takeover and at least one more interval fit in the three intervals waited.
      expect(afterKill.length).toBeGreaterThanOrEqual(2);
      for (const gap of gaps(afterKill)) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - SLACK_MS);
      for (const namespace of NAMESPACES) {
        for (const gap of gaps(api.listRequestTimes(namespace))) {
          expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - SLACK_MS);
        }
      }

      const newHolders = await leaseHolders(survivors[0] as ServeProcess);
      console.log("lease holders after the kill:", Object.fromEntries(newHolders));
      const newAcme = newHolders.get("endpoint-poller:acme");
      expect(newAcme).toBeDefined();
      expect(newAcme).not.toBe(acmeHolder);
      expect(survivors.some((replica) => newAcme?.endsWith(`:${replica.child.pid}`))).toBe(true);
      expect(api.unauthorizedRequests()).toBe(0);

      // The page (read from this machine, so with details) names the holder, this replica or not.
      const holder = survivors.find((replica) => newAcme?.endsWith(`:${replica.child.pid}`));
      const page = await fetch(holder?.landing ?? "").then((response) => response.text());
      expect(page).toContain(
        `<tr><td><code>endpoint-poller:acme</code></td><td>${newAcme} (this replica)</td>`,
      );
    },
    CHILD_PROCESS_TEST_TIMEOUT_MS,
  );
});
