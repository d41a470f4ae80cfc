import { readSqlMigrations, type SqlMigration } from "../read-sql-migrations.ts";

/**
 * The numbered schema steps in `./migrations`, applied in order at open. Never edit a released step:
 * add the next one. Times are milliseconds since the epoch; JSON columns hold text.
 */
export function sqliteMigrations(): readonly SqlMigration[] {
  // The Action's bundle has these inline instead (scripts/inline-sql-migrations.ts).
  return readSqlMigrations(new URL("./migrations/", import.meta.url));
}
