import { readFixture } from "../fixtures.ts";

const MESSAGES: Record<string, string> = {
  pending: "Endpoint waiting to be scheduled",
  initializing: "Endpoint is initializing",
  updating: "Endpoint waiting for the update",
  running: "Endpoint is ready",
  paused: "Endpoint is paused",
  scaledToZero: "Endpoint scaled to zero",
  failed: "Endpoint failed to deploy",
  updateFailed: "Endpoint failed to update",
};

export interface FakeEndpointState {
  name: string;
  state: string;
  updatedAt: string;
  message?: string;
  revision?: string;
}

/**
 * An Endpoint JSON as the API returns it, built on the huggingface_hub mock of a running endpoint,
 * secrets included, so tests prove the bridge drops them.
 */
export function fakeEndpointJson(input: FakeEndpointState): Record<string, unknown> {
  const template = readFixture("hfhub-ie-api-get-endpoint-running.json") as {
    model: Record<string, unknown>;
    status: Record<string, unknown>;
  };
  const serving = input.state === "running" || input.state === "updating";
  const { url, ...status } = template.status;
  return {
    ...template,
    name: input.name,
    model: {
      ...template.model,
      ...(input.revision ? { revision: input.revision } : {}),
      env: { HF_TOKEN: "hf_env_secret" },
    },
    status: {
      ...status,
      ...(serving ? { url } : {}),
      state: input.state,
      message: input.message ?? MESSAGES[input.state] ?? `Endpoint is ${input.state}`,
      updatedAt: input.updatedAt,
      readyReplica: input.state === "running" ? 1 : 0,
      targetReplica: input.state === "paused" || input.state === "scaledToZero" ? 0 : 1,
    },
  };
}
