import type { DatabaseSync } from "node:sqlite";
import { sqliteDedupeHash } from "./sqlite-dedupe-hash.ts";
import { sqliteMigrations } from "./sqlite-migrations.ts";

/** Brings the schema up to date in one transaction, so a crash mid-way leaves the old schema whole. */
export function migrateSqlite(db: DatabaseSync, path: string): void {
  const steps = sqliteMigrations();
  // Steps that index existing rows call the same function the writer uses for new ones.
  db.function("bridge_dedupe_hash", { deterministic: true }, (key) =>
    sqliteDedupeHash(String(key)),
  );
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT",
    );
    const row = db.prepare("SELECT max(version) AS version FROM schema_migrations").get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    const latest = steps.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `SQLite store "${path}" has schema version ${current} but this bridge knows only up to ${latest}; run the newer bridge release that wrote it, or point the store at another file`,
      );
    }
    const record = db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
    for (const step of steps) {
      if (step.version <= current) continue;
      db.exec(step.sql);
      record.run(step.version, Date.now());
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
