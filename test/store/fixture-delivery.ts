import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dedupeKey } from "../../src/events/dedupe-key.ts";
import { normalizeHubPayload } from "../../src/events/normalize-hub-payload.ts";
import { parseHubPayload } from "../../src/hf/parse-hub-payload.ts";
import type { NewDelivery } from "../../src/store/store.ts";
import { HF_FIXTURES } from "../support/paths.ts";

/** A queued delivery built the way the HTTP edge builds it, from a real sample Hub payload. */
export function fixtureDelivery(
  fixture: string,
  overrides: Partial<NewDelivery> = {},
): NewDelivery {
  const body = readFileSync(join(HF_FIXTURES, fixture), "utf8");
  const parsed = parseHubPayload(JSON.parse(body));
  if (parsed.outcome !== "accepted") {
    throw new Error(`fixture ${fixture} was ${parsed.outcome}: ${parsed.reason}`);
  }
  return {
    source: "hub",
    receivedAt: new Date("2026-01-01T00:00:00Z"),
    dedupeKey: dedupeKey(parsed.payload),
    body,
    headers: { "content-type": "application/json", "user-agent": "huggingface-hub-webhooks" },
    disposition: "queued",
    event: normalizeHubPayload(parsed.payload),
    ...overrides,
  };
}
