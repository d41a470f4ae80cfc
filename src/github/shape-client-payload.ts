import { PermanentJobError } from "../jobs/job-errors.ts";
import {
  DISPATCH_CLIENT_PAYLOAD_MAX_BYTES,
  DISPATCH_CLIENT_PAYLOAD_MAX_KEYS,
  DISPATCH_EVENT_TYPE_MAX_CHARS,
} from "../text/github-limits.ts";

/** GitHub would refuse the dispatch with 422 whatever we retry, so the job dead-letters at once. */
export class PayloadTooLargeError extends PermanentJobError {
  constructor(message: string) {
    super(message);
    this.name = "PayloadTooLargeError";
  }
}

/**
 * Fits a `repository_dispatch` client_payload to GitHub's rules: more than 10 top-level keys are
 * wrapped as `{ hf: payload }` (one key), and a payload that still serializes to 64 KB or more is
 * refused, since no shaping can make it fit.
 */
export function shapeClientPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const shaped =
    Object.keys(payload).length > DISPATCH_CLIENT_PAYLOAD_MAX_KEYS ? { hf: payload } : payload;
  const bytes = Buffer.byteLength(serialize(shaped), "utf8");
  if (bytes > DISPATCH_CLIENT_PAYLOAD_MAX_BYTES) {
    throw new PayloadTooLargeError(
      `client_payload serializes to ${bytes} bytes; GitHub refuses ${DISPATCH_CLIENT_PAYLOAD_MAX_BYTES + 1} bytes (64 KB) or more. ` +
        "Send identifiers (repo id, revision, discussion number) and let the workflow fetch the rest from the Hub.",
    );
  }
  return shaped;
}

/** Refuses an `event_type` GitHub would reject, before the request is made. */
export function checkDispatchEventType(eventType: string): void {
  // UTF-16 length is never below the character count, so this errs on the safe side.
  if (eventType.trim().length === 0 || eventType.length > DISPATCH_EVENT_TYPE_MAX_CHARS) {
    throw new PermanentJobError(
      `dispatch event_type ${JSON.stringify(eventType)} must be 1 to ${DISPATCH_EVENT_TYPE_MAX_CHARS} characters and not blank (it has ${eventType.length}); ` +
        'set a short name such as "hf.model.updated" as the route\'s dispatch eventType.',
    );
  }
}

function serialize(payload: Record<string, unknown>): string {
  try {
    return JSON.stringify(payload);
  } catch (error) {
    throw new PermanentJobError(
      "client_payload cannot be serialized to JSON (it holds a cycle or a BigInt); send plain JSON data",
      { cause: error },
    );
  }
}
