import type { DispatchPayload } from "./read-dispatch-payload.ts";

/**
 * The step outputs of `payload` mode. Every output is always set (empty when the payload lacks it),
 * so `steps.<id>.outputs.sha == ''` is a reliable test in later steps.
 */
export function payloadOutputs(payload: DispatchPayload): Record<string, string> {
  return {
    "event-type": payload.eventType,
    repo: payload.repo ?? "",
    "repo-type": payload.repoType ?? "",
    ref: payload.ref ?? "",
    sha: payload.sha ?? "",
    "old-sha": payload.oldSha ?? "",
    "hub-url": payload.hubUrl ?? "",
    discussion: payload.discussion === undefined ? "" : String(payload.discussion),
    endpoint: payload.endpoint ?? "",
    "endpoint-url": payload.endpointUrl ?? "",
    state: payload.state ?? "",
    "previous-state": payload.previousState ?? "",
    message: payload.message ?? "",
    payload: JSON.stringify(payload.raw),
  };
}
