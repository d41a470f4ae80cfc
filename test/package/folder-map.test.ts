import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

function foldersUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      return [relative(ROOT, path).split("\\").join("/"), ...foldersUnder(path)];
    });
}

/** The folders named in the first column of CONTRIBUTING.md's folder map table. */
function mappedFolders(): string[] {
  const text = readFileSync(join(ROOT, "CONTRIBUTING.md"), "utf8");
  const section = text.split("## Folder map")[1]?.split("\n## ")[0] ?? "";
  return [...section.matchAll(/^\| `(src\/[^`]+)` \|/gm)].map((match) => match[1] as string);
}

describe("CONTRIBUTING.md's folder map", () => {
  it("names every folder under src/ once, and no folder that does not exist", () => {
    const mapped = mappedFolders();
    const tree = foldersUnder(join(ROOT, "src"));
    expect(
      mapped.length,
      "the map has no rows: is the '## Folder map' table still there?",
    ).toBeGreaterThan(0);
    expect(new Set(mapped).size, "a folder is listed twice").toBe(mapped.length);
    expect([...mapped].sort()).toEqual([...tree].sort());
  });
});
