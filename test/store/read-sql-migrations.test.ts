import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSqlMigrations } from "../../src/store/read-sql-migrations.ts";

describe("readSqlMigrations", () => {
  let dir: string;
  const steps = () => readSqlMigrations(pathToFileURL(`${dir}/`));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hfb-migrations-"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the steps in number order, each file's number its version and its text the SQL", () => {
    writeFileSync(join(dir, "0002-add-a-column.sql"), "ALTER TABLE t ADD COLUMN c TEXT;\n");
    writeFileSync(join(dir, "0001-create-t.sql"), "-- why\nCREATE TABLE t (id INTEGER);\n");
    expect(steps()).toEqual([
      { version: 1, sql: "-- why\nCREATE TABLE t (id INTEGER);\n" },
      { version: 2, sql: "ALTER TABLE t ADD COLUMN c TEXT;\n" },
    ]);
  });

  it("refuses a gap or a repeated number, naming the file", () => {
    writeFileSync(join(dir, "0001-create-t.sql"), "");
    writeFileSync(join(dir, "0003-skips-two.sql"), "");
    expect(steps).toThrow(/migration "0003-skips-two\.sql" in .* should be number 2/);
    rmSync(join(dir, "0003-skips-two.sql"));
    writeFileSync(join(dir, "0001-again.sql"), "");
    expect(steps).toThrow(/migration "0001-create-t\.sql" in .* should be number 2/);
  });

  it("refuses a file that is not named NNNN-what-it-does.sql", () => {
    writeFileSync(join(dir, "0001-create-t.sql"), "");
    writeFileSync(join(dir, "2-Add Column.sql"), "");
    expect(steps).toThrow(
      /2-Add Column\.sql" is not a migration step; name it NNNN-what-it-does\.sql/,
    );
  });
});
