import { readFileSync } from "node:fs";

/** The `name<<delimiter … delimiter` records `@actions/core` appends to GITHUB_OUTPUT, as a map. */
export function readOutputsFile(path: string): Record<string, string> {
  const text = readFileSync(path, "utf8");
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^\n<]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n?\2$/gm)) {
    outputs[match[1] as string] = match[3] as string;
  }
  return outputs;
}
