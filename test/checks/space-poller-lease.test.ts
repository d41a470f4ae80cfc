// Two Space runtime pollers on one PostgreSQL schema, as two replicas run them: only the lease holder
// asks the Hub for a followed Space's runtime; the other takes over once the holder stops renewing.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createSpaceBuildRegistry } from "../../src/checks/create-space-build-registry.ts";
import { createSpaceRuntimePoller } from "../../src/pollers/space-runtime/create-space-runtime-poller.ts";
import type { PollerClock } from "../../src/pollers/system-poller-clock.ts";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { postgresAvailable } from "../support/postgres.ts";

const probe = await postgresAvailable();
const SPACE = "acme/app";
const T0 = Date.parse("2026-03-01T12:00:00Z");

/** Time moved by hand; timers never fire, the test calls pollOnce itself. */
function manualClock(): PollerClock & { set(ms: number): void } {
  let now = T0;
  return {
    now: () => new Date(now),
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
    set: (ms) => {
      now = T0 + ms;
    },
  };
}

if (!probe.reachable) {
  describe("Space poller leases", () => {
    it("needs a reachable PostgreSQL", (context) => {
      if (probe.required)
        throw new Error(`${probe.problem}; HF_BRIDGE_REQUIRE_POSTGRES=1 forbids skipping`);
      context.skip(probe.problem);
    });
  });
} else {
  describe("Space poller leases", () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it("lets only the holder ask for a Space's runtime, and another replica take over after its expiry", async () => {
      let runtimeRequests = 0;
      const hub = createServer((req, res) => {
        if (req.url === `/api/spaces/${SPACE}/runtime`) {
          runtimeRequests += 1;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ stage: "BUILDING", hardware: { current: "cpu-basic" } }));
          return;
        }
        res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => hub.listen(0, "127.0.0.1", resolve));
      cleanups.push(() => new Promise<void>((resolve) => hub.close(() => resolve())));
      const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;

      const schema = `hfb_test_${randomBytes(6).toString("hex")}`;
      const stores: Store[] = await Promise.all(
        [0, 1].map(() => createPostgresStore({ connectionString: probe.url, schema })),
      );
      cleanups.push(async () => {
        await Promise.all(stores.map((store) => store.close()));
        const client = new pg.Client({ connectionString: probe.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      });
      await createSpaceBuildRegistry(stores[0] as Store).follow({
        github: "acme/widgets",
        checkRun: "check-run:acme/widgets:abc",
        hubRef: "refs/heads/main",
        hubSha: "a".repeat(40),
        githubSha: "b".repeat(40),
        // Started one first delay ago, so the first tick is due.
        startedAt: new Date(T0 - 5_000).toISOString(),
        repo: {
          id: "space-1",
          name: SPACE,
          type: "space",
          private: false,
          webUrl: `https://huggingface.co/spaces/${SPACE}`,
        },
        timeoutMinutes: 30,
        reported: 0,
      });

      const clock = manualClock();
      const logger = createLogger({ level: "silent" });
      const [first, second] = stores.map((store, index) =>
        createSpaceRuntimePoller({
          store,
          builds: createSpaceBuildRegistry(store),
          fetch,
          hubUrl,
          clock,
          logger,
          streams: false,
          lease: { holder: `replica-${index}` },
        }),
      );
      if (!first || !second) throw new Error("two pollers expected");
      const holders = async () =>
        (await (stores[1] as Store).listLeases()).map(({ name, holder }) => ({ name, holder }));

      // Both replicas tick: the first takes the lease and asks, the second is refused and does not.
      clock.set(0);
      await first.pollOnce();
      await second.pollOnce();
      expect(runtimeRequests).toBe(1);
      expect(await holders()).toEqual([{ name: `space-poller:${SPACE}`, holder: "replica-0" }]);

      // The next turn (5 s later): the holder renews and asks again; the other is still refused.
      clock.set(6_000);
      await first.pollOnce();
      await second.pollOnce();
      expect(runtimeRequests).toBe(2);

      // The holder stops ticking (it died). Before its lease expires the other still waits…
      clock.set(10_900);
      await second.pollOnce();
      expect(runtimeRequests).toBe(2);
      // …and once it expired (6 s + 5 s) the other takes over and asks at once.
      clock.set(11_100);
      await second.pollOnce();
      expect(runtimeRequests).toBe(3);
      expect(await holders()).toEqual([{ name: `space-poller:${SPACE}`, holder: "replica-1" }]);

      // The old holder comes back (a paused process): refused, it asks nothing.
      clock.set(12_000);
      await first.pollOnce();
      expect(runtimeRequests).toBe(3);

      // A stopped holder hands the lease back: the first may take it at once.
      await second.stop();
      clock.set(12_100);
      await first.pollOnce();
      expect(await holders()).toEqual([{ name: `space-poller:${SPACE}`, holder: "replica-0" }]);
      expect(runtimeRequests).toBe(4);
      await first.stop();
    });
  });
}
