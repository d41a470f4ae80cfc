import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.ts";
import { postgresAvailable } from "../support/postgres.ts";
import { fixtureDelivery } from "./fixture-delivery.ts";

const probe = await postgresAvailable();

describe("createStore", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hfb-create-store-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["sqlite: URL", (path: string) => `sqlite:${path}`],
    ["bare path", (path: string) => path],
  ])("opens SQLite for a %s and creates missing parent directories", async (_form, toUrl) => {
    const path = join(dir, "nested", "deeper", "bridge.db");
    const store = await createStore(toUrl(path));
    try {
      const result = await store.recordDelivery(fixtureDelivery("hookdeck-repo-update.json"));
      expect(result).toMatchObject({ status: "accepted", jobId: 1 });
      expect(existsSync(path)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it.each([
    ["mysql://root:hunter2@db/bridge", '"mysql://root:***@db/bridge"'],
    ["redis://cache:6379", '"redis://cache:6379"'],
    ["", '""'],
    ["sqlite:", '"sqlite:"'],
  ])("refuses %j, quoting it and listing the accepted forms", async (url, quoted) => {
    const failure = createStore(url);
    await expect(failure).rejects.toThrow(`store URL ${quoted} is not one the bridge can open`);
    await expect(failure).rejects.toThrow('"sqlite:<path>", a bare file path');
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it("opens PostgreSQL for a postgres:// URL, in the schema the URL names", async (context) => {
    if (!probe.reachable) {
      if (probe.required) {
        throw new Error(
          `${probe.problem}; HF_BRIDGE_REQUIRE_POSTGRES=1 forbids skipping createStore's PostgreSQL test. Start PostgreSQL or set HF_BRIDGE_TEST_POSTGRES_URL`,
        );
      }
      console.warn(
        `\n!!! createStore's PostgreSQL test SKIPPED: ${probe.problem}.\n!!! Start PostgreSQL or set HF_BRIDGE_TEST_POSTGRES_URL; CI sets HF_BRIDGE_REQUIRE_POSTGRES=1 to make this fatal.\n`,
      );
      context.skip(probe.problem);
      return;
    }
    const schema = `hfb_test_${randomBytes(6).toString("hex")}`;
    const url = new URL(probe.url);
    url.searchParams.set("schema", schema);
    const store = await createStore(url.toString().replace(/^postgres:/, "postgresql:"));
    const client = new pg.Client({ connectionString: probe.url });
    await client.connect();
    try {
      await store.setState("where", "here");
      const { rows } = await client.query(`SELECT value FROM ${schema}.state`);
      expect(rows).toEqual([{ value: "here" }]);
    } finally {
      await store.close();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    }
  });
});
