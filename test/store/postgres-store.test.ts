import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { loadMarkerKey } from "../../src/app/load-marker-key.ts";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.ts";
import { postgresMigrations } from "../../src/store/postgres/postgres-migrations.ts";
import { type Store, StoreUnavailableError } from "../../src/store/store.ts";
import { postgresAvailable } from "../support/postgres.ts";
import { fixtureDelivery } from "./fixture-delivery.ts";
import { describeStoreConformance } from "./store-conformance.ts";

const probe = await postgresAvailable();

/** Runs SQL on the test server outside any store, to set up faults and clean up schemas. */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: probe.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function testSchema(): string {
  return `hfb_test_${randomBytes(6).toString("hex")}`;
}

async function dropSchema(schema: string): Promise<void> {
  await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

if (!probe.reachable) {
  describe("PostgreSQL store", () => {
    it("needs a reachable PostgreSQL", (context) => {
      if (probe.required) {
        throw new Error(
          `${probe.problem}; HF_BRIDGE_REQUIRE_POSTGRES=1 forbids skipping the PostgreSQL suite. Start PostgreSQL or set HF_BRIDGE_TEST_POSTGRES_URL`,
        );
      }
      console.warn(
        `\n!!! PostgreSQL store suite SKIPPED: ${probe.problem}.\n!!! Start PostgreSQL or set HF_BRIDGE_TEST_POSTGRES_URL; CI sets HF_BRIDGE_REQUIRE_POSTGRES=1 to make this fatal.\n`,
      );
      context.skip(probe.problem);
    });
  });
} else {
  describeStoreConformance("PostgreSQL", async () => {
    const schema = testSchema();
    const store = await createPostgresStore({ connectionString: probe.url, schema });
    return {
      store,
      destroy: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  });

  describe("PostgreSQL store", () => {
    async function withStores<T>(
      count: number,
      body: (stores: Store[], schema: string) => Promise<T>,
    ) {
      const schema = testSchema();
      const stores = await Promise.all(
        Array.from({ length: count }, () =>
          createPostgresStore({ connectionString: probe.url, schema }),
        ),
      );
      try {
        return await body(stores, schema);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await dropSchema(schema);
      }
    }

    it("lets replicas start together: the schema is migrated once", async () => {
      await withStores(4, async (stores, schema) => {
        const client = new pg.Client({ connectionString: probe.url });
        await client.connect();
        try {
          const { rows } = await client.query(`SELECT version FROM ${schema}.schema_migrations`);
          // Every migration applied once, numbered 1, 2, 3, … with no gap.
          expect(rows).toEqual(postgresMigrations().map((_, index) => ({ version: index + 1 })));
        } finally {
          await client.end();
        }
        await stores[0]?.setState("opened-by", "replica 0");
        expect(await stores[3]?.getState("opened-by")).toBe("replica 0");
      });
    });

    it("reads a delivery and job written as plain text before packing, and filters on its Hub repo", async () => {
      const schema = testSchema();
      const delivery = fixtureDelivery("hookdeck-discussion.comment-create.json");
      const outcome = { summary: "1 effect", effects: [] };
      const client = new pg.Client({ connectionString: probe.url });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
        await client.query(
          "CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
        );
        for (const step of postgresMigrations().filter((each) => each.version < 8)) {
          await client.query(step.sql);
          await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [step.version]);
        }
        // Written as the version 7 writer did: plain text body, jsonb headers and event.
        await client.query(
          `INSERT INTO deliveries (id, source, received_at, dedupe_key, body, headers, disposition, event_kind)
           VALUES (7, 'hub', now(), $1, $2, $3, 'queued', $4)`,
          [
            delivery.dedupeKey,
            delivery.body,
            JSON.stringify(delivery.headers),
            delivery.event?.kind,
          ],
        );
        await client.query("INSERT INTO dedupe VALUES ($1, 7, now())", [delivery.dedupeKey]);
        await client.query(
          "INSERT INTO jobs (id, delivery_id, state, event, not_before) VALUES (3, 7, 'queued', $1, now())",
          [JSON.stringify(delivery.event)],
        );
        await client.query(
          "INSERT INTO deliveries (id, source, received_at, dedupe_key, body, headers, disposition) VALUES (8, 'hub', now(), 'k8', '{}', '{}', 'queued')",
        );
        await client.query(
          "INSERT INTO jobs (delivery_id, state, event, outcome, not_before) VALUES (8, 'done', '{}', $1, now())",
          [JSON.stringify(outcome)],
        );
      } finally {
        await client.end();
      }
      const store = await createPostgresStore({ connectionString: probe.url, schema });
      try {
        const detail = await store.getDeliveryDetail(7);
        expect(detail?.body).toBe(delivery.body);
        expect(detail?.headers).toEqual(delivery.headers);
        expect(detail?.event).toEqual(delivery.event);
        const repo = (delivery.event as { repo: { name: string } }).repo.name;
        expect(detail?.summary.hubRepo).toBe(repo);
        const page = await store.listDeliveryPage({ limit: 10, hubRepo: repo });
        expect(page.deliveries.map((summary) => summary.id)).toEqual([7]);
        expect((await store.getDelivery(8))?.outcome).toEqual(outcome);
        expect(
          (await store.listDeliveryPage({ limit: 10, hubRepo: "other/repo" })).deliveries,
        ).toEqual([]);
        expect(await store.recordDelivery(delivery)).toEqual({
          status: "duplicate",
          deliveryId: 7,
        });
        const job = await store.claimJob({ workerId: "w", leaseMs: 1000 });
        expect(job).toMatchObject({ id: 3, deliveryId: 7, event: delivery.event });
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });

    it("gives replicas that start together one marker key, created once", async () => {
      await withStores(5, async (stores) => {
        const keys = await Promise.all(stores.map((store) => loadMarkerKey(store)));
        expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
        expect(new Set(keys).size).toBe(1);
        // A replica that starts later reads the same key.
        expect(await loadMarkerKey(stores[4] as Store)).toBe(keys[0]);
      });
    });

    it("gives one of several replicas a lease at a time, and another once it expires", async () => {
      await withStores(3, async (stores) => {
        const now = new Date();
        const claims = await Promise.all(
          stores.map((store, index) =>
            store.claimLease({
              name: "endpoint-poller:acme",
              holder: `replica-${index}`,
              ttlMs: 5_000,
              now,
            }),
          ),
        );
        const winner = claims.find((claim) => claim.held);
        expect(claims.filter((claim) => claim.held)).toHaveLength(1);
        const later = new Date(now.getTime() + 5_000);
        const takeovers = await Promise.all(
          stores.map((store, index) =>
            `replica-${index}` === winner?.holder
              ? undefined
              : store.claimLease({
                  name: "endpoint-poller:acme",
                  holder: `replica-${index}`,
                  ttlMs: 5_000,
                  now: later,
                }),
          ),
        );
        expect(takeovers.filter((claim) => claim?.held)).toHaveLength(1);
      });
    });

    it("deduplicates across replicas and hands each job to one claimer", async () => {
      await withStores(3, async (stores) => {
        const fixtures = [
          "hookdeck-discussion.comment-create.json",
          "hookdeck-discussion-create-pr.json",
          "hookdeck-repo-update.json",
          "hookdeck-repo-delete.json",
        ];
        const results = await Promise.all(
          stores.flatMap((store) =>
            fixtures.flatMap((fixture) =>
              Array.from({ length: 5 }, () => store.recordDelivery(fixtureDelivery(fixture))),
            ),
          ),
        );
        expect(results.filter((result) => result.status === "accepted")).toHaveLength(4);
        expect(results.filter((result) => result.status === "duplicate")).toHaveLength(56);

        const claims = await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            stores[index % stores.length]?.claimJob({ workerId: `w${index}`, leaseMs: 60_000 }),
          ),
        );
        const claimed = claims.filter((job) => job !== undefined).map((job) => job.id);
        expect(claimed).toHaveLength(4);
        expect(new Set(claimed).size).toBe(4);
        const summaries = await stores[0]?.listDeliveries({ limit: 10 });
        expect(summaries?.reduce((sum, summary) => sum + summary.duplicates, 0)).toBe(56);
      });
    });

    it("rejects a whole failed batch with StoreUnavailableError and keeps none of it", async () => {
      await withStores(1, async ([store], schema) => {
        if (!store) throw new Error("withStores opened no store");
        // A trigger plays the failing disk: the poisoned insert aborts the shared transaction.
        await admin(`
          CREATE FUNCTION ${schema}.poison() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.dedupe_key = 'poison' THEN RAISE EXCEPTION 'could not extend file (injected)'; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER poison BEFORE INSERT ON ${schema}.deliveries
          FOR EACH ROW EXECUTE FUNCTION ${schema}.poison();`);
        const good = fixtureDelivery("hookdeck-discussion.comment-create.json");
        const other = fixtureDelivery("hookdeck-discussion-create-pr.json");
        const settled = await Promise.allSettled(
          [good, { ...good, dedupeKey: "poison" }, other].map((delivery) =>
            store.recordDelivery(delivery),
          ),
        );
        for (const outcome of settled) {
          expect(outcome.status).toBe("rejected");
          const reason = (outcome as PromiseRejectedResult).reason;
          expect(reason).toBeInstanceOf(StoreUnavailableError);
          expect(reason.message).toMatch(/recording 3 deliveries failed: could not extend file/);
        }
        expect(await store.listDeliveries({ limit: 10 })).toEqual([]);
        expect(await store.claimJob({ workerId: "w", leaseMs: 1000 })).toBeUndefined();

        await admin(`DROP TRIGGER poison ON ${schema}.deliveries`);
        expect(await store.recordDelivery(good)).toMatchObject({ status: "accepted" });
        expect(await store.recordDelivery(other)).toMatchObject({ status: "accepted" });
      });
    });

    it("refuses a schema name that is not a plain identifier, quoting it", async () => {
      await expect(
        createPostgresStore({ connectionString: probe.url, schema: "bad; DROP TABLE x" }),
      ).rejects.toThrow(
        /PostgreSQL schema "bad; DROP TABLE x" is not a plain lower-case identifier/,
      );
    });

    it("reports an unreachable server as StoreUnavailableError without the password", async () => {
      const error = await createPostgresStore({
        connectionString: "postgres://postgres:hunter2@127.0.0.1:1/test",
        schema: testSchema(),
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(String((error as Error).message)).not.toContain("hunter2");
    });
  });
}
