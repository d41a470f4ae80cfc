import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every .ts file below `dir`, for the tests that walk the sources' imports. */
export function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}
