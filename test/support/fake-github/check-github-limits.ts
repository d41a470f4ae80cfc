import { githubError } from "./github-error.ts";
import type { Reply } from "./types.ts";

/** repository_dispatch: `event_type` is capped at 100 characters. */
const MAX_EVENT_TYPE_CHARACTERS = 100;
/** repository_dispatch: `client_payload` may have at most 10 top-level properties. */
const MAX_CLIENT_PAYLOAD_PROPERTIES = 10;
/** repository_dispatch: the serialized `client_payload` must stay under 64 KB. */
const MAX_CLIENT_PAYLOAD_BYTES = 64 * 1024;
/** Check runs: `output.summary` and `output.text` hold at most 65,535 UTF-8 bytes each. */
const MAX_CHECK_OUTPUT_BYTES = 65_535;
/** Check runs: at most 50 annotations per create or update request. */
const MAX_ANNOTATIONS_PER_REQUEST = 50;

/**
 * GitHub's documented limits, answered with GitHub's own 422 messages. They run before schema
 * validation because the description encodes some of them too, and hitting a limit is behaviour the
 * code under test must handle, not a malformed request.
 */
export function checkGitHubLimits(operationId: string, body: unknown): Reply | undefined {
  if (body === null || typeof body !== "object") return undefined;
  if (operationId === "repos/create-dispatch-event") return checkDispatch(body);
  if (operationId === "checks/create" || operationId === "checks/update") {
    return checkCheckRunOutput(body);
  }
  return undefined;
}

function checkDispatch(body: {
  event_type?: unknown;
  client_payload?: unknown;
}): Reply | undefined {
  const eventType = body.event_type;
  if (typeof eventType === "string" && eventType.length > MAX_EVENT_TYPE_CHARACTERS) {
    return invalidRequest(
      `Only ${MAX_EVENT_TYPE_CHARACTERS} characters are allowed; ${eventType.length} were supplied.`,
    );
  }
  const payload = body.client_payload;
  if (payload === null || typeof payload !== "object") return undefined;
  const keyCount = Object.keys(payload).length;
  if (keyCount > MAX_CLIENT_PAYLOAD_PROPERTIES) {
    return invalidRequest(
      `No more than ${MAX_CLIENT_PAYLOAD_PROPERTIES} properties are allowed; ${keyCount} were supplied.`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(payload)) >= MAX_CLIENT_PAYLOAD_BYTES) {
    return githubError(422, "client_payload is too large.");
  }
  return undefined;
}

function checkCheckRunOutput(body: { output?: unknown }): Reply | undefined {
  const output = body.output as
    | { summary?: unknown; text?: unknown; annotations?: unknown }
    | undefined;
  if (output === null || typeof output !== "object") return undefined;
  for (const field of ["summary", "text"] as const) {
    const value = output[field];
    if (typeof value === "string" && Buffer.byteLength(value) > MAX_CHECK_OUTPUT_BYTES) {
      return githubError(422, "Validation Failed", [
        {
          resource: "CheckRun",
          code: "custom",
          field,
          message: `${field} exceeds a maximum bytesize of ${MAX_CHECK_OUTPUT_BYTES}`,
        },
      ]);
    }
  }
  if (
    Array.isArray(output.annotations) &&
    output.annotations.length > MAX_ANNOTATIONS_PER_REQUEST
  ) {
    return invalidRequest(
      `No more than ${MAX_ANNOTATIONS_PER_REQUEST} items are allowed; ${output.annotations.length} were supplied.`,
    );
  }
  return undefined;
}

function invalidRequest(detail: string): Reply {
  return githubError(422, `Invalid request.\n\n${detail}`);
}
