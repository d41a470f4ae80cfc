import { HUB_REPO_TYPES, type HubRepoType } from "../hf/hub-payload-schema.ts";
import { quote } from "../util/describe-zod-error.ts";
import { ActionInputError } from "./action-input-error.ts";

/** What a workflow started by the bridge needs to know, whichever dispatch started it. */
export interface DispatchPayload {
  /** The `repository_dispatch` type (`hf.model.updated`, `hf.endpoint.failed`), or the workflow's file. */
  eventType: string;
  repo?: string;
  repoType?: HubRepoType;
  ref?: string;
  sha?: string;
  oldSha?: string;
  hubUrl?: string;
  /** The Hub discussion or PR number; from the payload, or from a `refs/pr/<n>` ref. */
  discussion?: number;
  /** `namespace/name` of an Inference Endpoint. */
  endpoint?: string;
  endpointUrl?: string;
  state?: string;
  previousState?: string;
  message?: string;
  /** The raw client_payload (or workflow inputs), for anything not broken out. */
  raw: Record<string, unknown>;
}

const PR_REF = /^refs\/pr\/(\d+)$/;

/**
 * Reads the event that started this run (the JSON at GITHUB_EVENT_PATH): the bridge's
 * `repository_dispatch` client_payload, or the inputs of a `workflow_dispatch` it started.
 */
export function readDispatchPayload(eventName: string, event: unknown): DispatchPayload {
  const body = asRecord(event);
  if (eventName === "repository_dispatch") {
    const payload = asRecord(body.client_payload);
    const eventType = typeof body.action === "string" ? body.action : "";
    return "endpoint" in payload
      ? endpointPayload(eventType, payload)
      : repoPayload(eventType, asRecord(payload.hf ?? payload), payload);
  }
  if (eventName === "workflow_dispatch") {
    const inputs = asRecord(body.inputs);
    const workflow = typeof body.workflow === "string" ? body.workflow : "workflow_dispatch";
    return repoPayload(workflow, inputs, inputs);
  }
  throw new ActionInputError(
    `this run was started by ${quote(eventName)}, which carries no bridge payload; use mode "payload" or "report" in a workflow "on: repository_dispatch" (types such as hf.model.updated) or "on: workflow_dispatch"`,
  );
}

function repoPayload(
  eventType: string,
  fields: Record<string, unknown>,
  raw: Record<string, unknown>,
): DispatchPayload {
  const pick = (...names: string[]) => text(fields, names);
  const repoType = pick("type", "repo-type", "repoType", "repo_type");
  if (repoType !== undefined && !(HUB_REPO_TYPES as readonly string[]).includes(repoType)) {
    throw new ActionInputError(
      `the dispatch payload's repo type ${quote(repoType)} is not one of ${HUB_REPO_TYPES.join(", ")}; send "model", "dataset" or "space"`,
    );
  }
  const ref = pick("ref");
  const discussion =
    discussionNumber(fields.discussion) ??
    numberFrom(ref === undefined ? undefined : PR_REF.exec(ref)?.[1]);
  return compact({
    eventType,
    repo: pick("repo", "repository"),
    repoType: repoType as HubRepoType | undefined,
    ref,
    sha: pick("sha", "newSha", "new-sha", "new_sha", "headSha"),
    oldSha: pick("oldSha", "old-sha", "old_sha"),
    hubUrl: pick("url", "hub-url", "hubUrl"),
    discussion,
    endpoint: pick("endpoint"),
    state: pick("state"),
    raw,
  });
}

function endpointPayload(eventType: string, payload: Record<string, unknown>): DispatchPayload {
  const endpoint = asRecord(payload.endpoint);
  const namespace = text(endpoint, ["namespace"]);
  const name = text(endpoint, ["name"]);
  if (namespace === undefined || name === undefined) {
    throw new ActionInputError(
      `the dispatch payload's endpoint ${quote(payload.endpoint)} lacks a namespace or name; the bridge sends { "endpoint": { "namespace", "name", … } }`,
    );
  }
  const repo = text(endpoint, ["repository"]);
  return compact({
    eventType,
    endpoint: `${namespace}/${name}`,
    endpointUrl: text(endpoint, ["url"]),
    repo,
    repoType: repo === undefined ? undefined : "model",
    sha: text(payload, ["revision"]),
    state: text(payload, ["state"]),
    previousState: text(payload, ["previousState"]),
    message: text(payload, ["message"]),
    raw: payload,
  });
}

function text(fields: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const value = fields[name];
    if (value === undefined || value === null || value === "") continue;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw new ActionInputError(
      `the dispatch payload's "${name}" is ${quote(value)}, not text; send a string`,
    );
  }
  return undefined;
}

function discussionNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const number = numberFrom(String(value));
  if (number === undefined) {
    throw new ActionInputError(
      `the dispatch payload's "discussion" is ${quote(value)}, not a discussion number; send e.g. 12`,
    );
  }
  return number;
}

function numberFrom(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function compact(payload: DispatchPayload): DispatchPayload {
  return Object.fromEntries(
    Object.entries(payload).filter(([, value]) => value !== undefined),
  ) as unknown as DispatchPayload;
}
