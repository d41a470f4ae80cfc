import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CliError } from "./cli-error.ts";

const SAMPLES_DIR = new URL("./samples/", import.meta.url);

/** The names of the built-in samples, which are also the Hub scopes they show. */
export function builtInSampleNames(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

/** A Hub payload from a file path, or a built-in sample named by its scope (`discussion`, `repo`, …). */
export function readSample(
  fixtureOrScope: string,
  cwd: string,
): { payload: Record<string, unknown>; source: string } {
  const builtIn = builtInSampleNames().find(
    (name) => name === fixtureOrScope || `${name}.json` === fixtureOrScope,
  );
  const file = builtIn ? new URL(`${builtIn}.json`, SAMPLES_DIR) : resolve(cwd, fixtureOrScope);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `"${fixtureOrScope}" is neither a built-in sample nor a readable file (${code}) — fix: use one of ${builtInSampleNames().join(", ")}, or the path of a JSON payload`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${fixtureOrScope} is not JSON (${(error as Error).message}) — fix: pass a Hub webhook payload as saved from the webhook's Activity tab`,
    );
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new CliError(
      `${fixtureOrScope} holds ${JSON.stringify(payload)?.slice(0, 40)}, not a JSON object — fix: pass a Hub webhook payload`,
    );
  }
  return {
    payload: payload as Record<string, unknown>,
    source: builtIn ? `built-in sample "${builtIn}"` : fixtureOrScope,
  };
}
