import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { readSqlMigrations } from "../src/store/read-sql-migrations.ts";

/** How a backend's `<backend>-migrations.ts` reads its steps when run from the sources. */
const READ_CALL = 'readSqlMigrations(new URL("./migrations/", import.meta.url))';
const MIGRATIONS_MODULE = /[\\/]src[\\/]store[\\/][a-z]+[\\/][a-z]+-migrations\.ts$/;

/**
 * The Action's bundle ships alone, without the `.sql` files beside it: each backend's
 * `<backend>-migrations.ts` gets its steps inline, read at build time by the same function (and the
 * same checks) that reads them at run time from the sources.
 */
export function inlineSqlMigrations(): Plugin {
  return {
    name: "inline-sql-migrations",
    setup(build) {
      build.onLoad({ filter: MIGRATIONS_MODULE }, async ({ path }) => {
        const source = await readFile(path, "utf8");
        if (source.split(READ_CALL).length !== 2) {
          throw new Error(
            `${path} must read its steps with exactly one ${READ_CALL}, which the bundle replaces with the steps themselves`,
          );
        }
        const steps = readSqlMigrations(new URL("./migrations/", pathToFileURL(path)));
        return { contents: source.replace(READ_CALL, JSON.stringify(steps)), loader: "ts" };
      });
    },
  };
}
