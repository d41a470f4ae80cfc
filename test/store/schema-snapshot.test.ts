import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migratePostgres } from "../../src/store/postgres/migrate-postgres.ts";
import { migrateSqlite } from "../../src/store/sqlite/migrate-sqlite.ts";
import { describeOnPostgres } from "../support/describe-on-postgres.ts";
import { REPO_ROOT } from "../support/paths.ts";
import { dumpPostgresSchema } from "./dump-postgres-schema.ts";
import { dumpSqliteSchema } from "./dump-sqlite-schema.ts";

const REFRESH_VARIABLE = "HF_BRIDGE_UPDATE_SCHEMA_SNAPSHOT";
const SNAPSHOTS = resolve(REPO_ROOT, "test/store/schema");

/**
 * The schema the migrations build, compared with the committed one, so a migration's effect is
 * reviewed as a diff of the snapshot. With HF_BRIDGE_UPDATE_SCHEMA_SNAPSHOT=1 the snapshot is rewritten.
 */
function expectSnapshot(actual: string, fileName: string): void {
  const file = resolve(SNAPSHOTS, fileName);
  if (process.env[REFRESH_VARIABLE] === "1") {
    writeFileSync(file, actual);
    return;
  }
  const expected = existsSync(file) ? readFileSync(file, "utf8") : "";
  expect(
    actual,
    `the migrated schema differs from ${relative(REPO_ROOT, file)}; if the change is intended, refresh it with ${REFRESH_VARIABLE}=1 npx vitest run test/store/schema-snapshot.test.ts and commit the snapshot with the migration`,
  ).toBe(expected);
}

describe("SQLite schema", () => {
  it("a fresh file migrated to the latest version matches sqlite.snapshot.sql", () => {
    const directory = mkdtempSync(join(tmpdir(), "hfb-schema-"));
    const path = join(directory, "bridge.db");
    const db = new DatabaseSync(path);
    try {
      migrateSqlite(db, path);
      expectSnapshot(dumpSqliteSchema(db), "sqlite.snapshot.sql");
    } finally {
      db.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

await describeOnPostgres("PostgreSQL schema", ({ url, schema }) => {
  it("a fresh schema migrated to the latest version matches postgres.snapshot.txt", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migratePostgres(pool, schema);
      const client = await pool.connect();
      try {
        expectSnapshot(await dumpPostgresSchema(client, schema), "postgres.snapshot.txt");
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});
