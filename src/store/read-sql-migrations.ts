import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A schema step: the SQL that brings a schema from `version - 1` to `version`. */
export interface SqlMigration {
  version: number;
  sql: string;
}

/** `0007-live-job-indexes.sql`: the version, then what the step does. */
const STEP_FILE = /^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.sql$/;

/**
 * The numbered steps in `directory`, in order, each file's number its version. A stray file or a gap
 * in the numbers fails the open, so a misnamed step cannot be skipped or applied out of turn.
 */
export function readSqlMigrations(directory: URL): SqlMigration[] {
  const names = readdirSync(directory).sort();
  return names.map((name, index) => {
    const match = STEP_FILE.exec(name);
    if (!match) {
      throw new Error(
        `${JSON.stringify(fileURLToPath(new URL(name, directory)))} is not a migration step; name it NNNN-what-it-does.sql: the next number in four digits, then lower-case words joined by "-"`,
      );
    }
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw new Error(
        `migration ${JSON.stringify(name)} in ${fileURLToPath(directory)} should be number ${index + 1}: steps are numbered 0001, 0002, … with no gap or repeat`,
      );
    }
    return { version, sql: readFileSync(new URL(name, directory), "utf8") };
  });
}
