import type { Pool } from "pg";
import pg from "pg";
import { postgresMigrations } from "./postgres-migrations.ts";

/**
 * Start-up only, so not bound by the store's fail-fast limits: a replica waits this long for another
 * one's migration (the advisory lock) and for each step, but not forever.
 */
const MIGRATION_TIMEOUT_MS = 60_000;

/**
 * Creates the schema and applies missing steps in one transaction. The advisory lock makes replicas
 * that start together take turns: the first migrates, the others then find nothing left to do.
 */
export async function migratePostgres(pool: Pool, schema: string): Promise<void> {
  const steps = postgresMigrations();
  const client = await pool.connect();
  // A connection reset while migrating fails the query in flight; unheard, it would end the process.
  const ignore = () => undefined;
  client.on("error", ignore);
  const quoted = pg.escapeIdentifier(schema);
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
    await client.query(`SET LOCAL lock_timeout = ${MIGRATION_TIMEOUT_MS}`);
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `hf-github-bridge:migrate:${schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ version: number | null }>(
      "SELECT max(version) AS version FROM schema_migrations",
    );
    const current = rows[0]?.version ?? 0;
    const latest = steps.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `PostgreSQL schema "${schema}" has version ${current} but this bridge knows only up to ${latest}; run the newer bridge release that wrote it, or pick another schema`,
      );
    }
    for (const step of steps) {
      if (step.version <= current) continue;
      await client.query(step.sql);
      await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [step.version]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.off("error", ignore);
    client.release();
  }
}
