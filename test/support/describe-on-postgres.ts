import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, it } from "vitest";
import { postgresAvailable } from "./postgres.ts";

/**
 * A describe block that needs PostgreSQL. Where the server is unreachable it is one skipped test that
 * says why (a failure under HF_BRIDGE_REQUIRE_POSTGRES=1); else `body` gets the server's URL and a fresh
 * schema name, dropped after the block's own afterAll hooks have run (vitest runs them last first).
 */
export async function describeOnPostgres(
  title: string,
  body: (database: { url: string; schema: string }) => void,
): Promise<void> {
  const probe = await postgresAvailable();
  describe(title, () => {
    if (!probe.reachable) {
      it("needs a reachable PostgreSQL", (context) => {
        if (probe.required)
          throw new Error(`${probe.problem}; HF_BRIDGE_REQUIRE_POSTGRES=1 forbids skipping`);
        context.skip(probe.problem);
      });
      return;
    }
    const schema = `hfb_test_${randomBytes(6).toString("hex")}`;
    afterAll(async () => {
      const client = new pg.Client({ connectionString: probe.url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
    body({ url: probe.url, schema });
  });
}
