import { readSqlMigrations, type SqlMigration } from "../read-sql-migrations.ts";

/**
 * The numbered schema steps in `./migrations`, applied in order at open inside the store's schema (it
 * is the search_path). Never edit a released step: add the next one.
 */
export function postgresMigrations(): readonly SqlMigration[] {
  // The Action's bundle has these inline instead (scripts/inline-sql-migrations.ts).
  return readSqlMigrations(new URL("./migrations/", import.meta.url));
}
