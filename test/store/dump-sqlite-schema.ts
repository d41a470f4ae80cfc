import type { DatabaseSync } from "node:sqlite";

/**
 * Every schema object's CREATE statement as SQLite keeps it, ordered by type and name; the indexes
 * SQLite makes itself for keys have no statement and are implied by their table's.
 */
export function dumpSqliteSchema(db: DatabaseSync): string {
  const rows = db
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
    .all() as Array<{ type: string; name: string; sql: string }>;
  return rows.map((row) => `-- ${row.type} ${row.name}\n${row.sql};\n`).join("\n");
}
