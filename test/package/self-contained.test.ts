import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.ts";

// A user's clone has nothing beside it: no sibling folder of this project's workplace, no machine
// paths. .ci/run also runs the whole suite in a fresh clone with nothing beside it, which catches
// what a text search cannot (a path built at run time); this catches the plain cases early.

/** Written in two parts so this file does not match itself. */
const OUTSIDE = [
  { pattern: new RegExp(["\\.\\./", "shared"].join("")), why: "a folder beside the checkout" },
  {
    pattern: new RegExp(["/", "work/"].join("")),
    why: "an absolute path of the development machine",
  },
];

function trackedTextFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\0")
    .filter((file) => /\.(ts|js|json|ya?ml|md|sh)$|^\.ci\/|Dockerfile$/.test(file))
    .filter((file) => !file.startsWith("dist/") && !file.startsWith("test/fixtures/"));
}

describe("the checkout is self-contained", () => {
  it("no source, test, script or document reads from outside it", () => {
    const found = trackedTextFiles().flatMap((file) => {
      const lines = readFileSync(join(REPO_ROOT, file), "utf8").split("\n");
      return lines.flatMap((line, index) =>
        OUTSIDE.filter(({ pattern }) => pattern.test(line)).map(
          ({ why }) => `${file}:${index + 1}: ${why}: ${line.trim()}`,
        ),
      );
    });
    expect(found).toEqual([]);
  });

  it("the Hub fixtures the tests read are in the checkout, with their provenance", () => {
    const fixtures = execFileSync("git", ["ls-files", "test/fixtures/hf"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    }).split("\n");
    expect(fixtures).toContain("test/fixtures/hf/SOURCES.md");
    expect(fixtures.filter((file) => file.endsWith(".json")).length).toBeGreaterThan(40);
  });
});
