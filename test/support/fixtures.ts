import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BridgeEvent } from "../../src/events/bridge-event.ts";
import { normalizeHubPayload } from "../../src/events/normalize-hub-payload.ts";
import { parseHubPayload } from "../../src/hf/parse-hub-payload.ts";
import { HF_FIXTURES } from "./paths.ts";

/** Every Hub webhook sample in the repository's Hub fixtures (the Endpoints API responses are not webhooks). */
export function hubWebhookFixtureNames(): string[] {
  return readdirSync(HF_FIXTURES)
    .filter((name) => name.endsWith(".json") && !name.includes("-ie-api-"))
    .sort();
}

export function readFixtureText(name: string): string {
  return readFileSync(join(HF_FIXTURES, name), "utf8");
}

export function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFixtureText(name)) as Record<string, unknown>;
}

/** The normalized event of a fixture the parser accepts; throws for one it refuses. */
export function fixtureEvent(name: string): BridgeEvent {
  const parsed = parseHubPayload(readFixture(name));
  if (parsed.outcome !== "accepted")
    throw new Error(`${name} is ${parsed.outcome}: ${parsed.reason}`);
  return normalizeHubPayload(parsed.payload);
}
