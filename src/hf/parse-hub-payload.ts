import { describeZodError } from "../util/describe-zod-error.ts";
import { type HubPayloadV3, hubPayloadV3Schema } from "./hub-payload-schema.ts";

const KNOWN_SCOPE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  repo: ["create", "delete", "update", "move"],
  "repo.content": ["update"],
  "repo.config": ["update"],
  discussion: ["create", "delete", "update"],
  "discussion.comment": ["create", "update"],
};

type ParsedHubPayload =
  | { outcome: "accepted"; payload: HubPayloadV3; notes: string[] }
  /** Authentic but not for us (unknown scope, unsupported action, unmappable legacy format): acknowledge. */
  | { outcome: "ignored"; reason: string }
  /** Not a Hub payload at all, or one missing a field the bridge needs: refuse with the reasons. */
  | { outcome: "invalid"; reason: string };

/** Turns the JSON body of an authenticated request into a v3 payload the rest of the bridge reads. */
export function parseHubPayload(body: unknown): ParsedHubPayload {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { outcome: "invalid", reason: "the body is not a JSON object; a Hub webhook sends one" };
  }
  const record = body as Record<string, unknown>;
  const version = (record.webhook as { version?: unknown } | undefined)?.version;
  if (typeof record.event === "string" || version === 2) return parseLegacyV2(record);
  if (version !== undefined && version !== 3) {
    return {
      outcome: "ignored",
      reason: `webhook.version ${JSON.stringify(version)} is not supported; only 3 is`,
    };
  }
  const notes: string[] = [];
  const event = record.event as { scope?: unknown; action?: unknown } | undefined;
  if (event && typeof event.scope === "string" && !(event.scope in KNOWN_SCOPE_ACTIONS)) {
    const parent = knownParentScope(event.scope);
    if (!parent)
      return {
        outcome: "ignored",
        reason: `event.scope "${event.scope}" is not a scope the bridge knows`,
      };
    // Hub docs: an unknown narrowed scope is to be treated as an update on its nearest known parent.
    notes.push(`scope "${event.scope}" treated as "update" on "${parent}"`);
    return finish({ ...record, event: { ...event, scope: parent, action: "update" } }, notes);
  }
  return finish(record, notes);
}

function finish(candidate: Record<string, unknown>, notes: string[]): ParsedHubPayload {
  const result = hubPayloadV3Schema.safeParse(candidate);
  if (!result.success) {
    const problems = describeZodError(result.error, candidate, "body");
    return { outcome: "invalid", reason: `not a Hub webhook payload: ${problems.join("; ")}` };
  }
  const { scope, action } = result.data.event;
  if (!KNOWN_SCOPE_ACTIONS[scope]?.includes(action)) {
    return {
      outcome: "ignored",
      reason: `action "${action}" on scope "${scope}" is not one the bridge handles`,
    };
  }
  const missing = missingScopeField(result.data);
  if (missing) return { outcome: "invalid", reason: missing };
  return { outcome: "accepted", payload: result.data, notes };
}

function missingScopeField(payload: HubPayloadV3): string | undefined {
  const { scope, action } = payload.event;
  if (scope.startsWith("discussion") && !payload.discussion) {
    return `not a Hub webhook payload: body.discussion is required for scope "${scope}" (found nothing)`;
  }
  if (scope === "discussion.comment" && !payload.comment) {
    return `not a Hub webhook payload: body.comment is required for scope "${scope}" (found nothing)`;
  }
  if (scope === "repo.content" && !payload.updatedRefs) {
    return 'not a Hub webhook payload: body.updatedRefs is required for scope "repo.content" (found nothing)';
  }
  if (scope === "repo" && action === "move" && !payload.movedTo) {
    return 'not a Hub webhook payload: body.movedTo is required for a "move" (found nothing)';
  }
  return undefined;
}

function knownParentScope(scope: string): string | undefined {
  const parts = scope.split(".");
  for (let length = parts.length - 1; length > 0; length--) {
    const candidate = parts.slice(0, length).join(".");
    if (candidate in KNOWN_SCOPE_ACTIONS) return candidate;
  }
  return undefined;
}

const V2_ACTIONS: Readonly<Record<string, string>> = {
  add: "create",
  remove: "delete",
  update: "update",
  move: "move",
};

/**
 * Version 2 (still sent by old webhooks) has `event` as a string and `scope` at the top level. It is
 * mapped explicitly when it carries what v3 needs, and acknowledged but ignored when it does not.
 */
function parseLegacyV2(record: Record<string, unknown>): ParsedHubPayload {
  const action = typeof record.event === "string" ? V2_ACTIONS[record.event] : undefined;
  const scope = record.scope;
  if (!action || typeof scope !== "string") {
    return {
      outcome: "ignored",
      reason: `legacy v2 payload with event ${JSON.stringify(record.event)} and scope ${JSON.stringify(scope)} cannot be mapped; recreate the webhook on the Hub to get version 3`,
    };
  }
  const repo = record.repo as Record<string, unknown> | undefined;
  if (!repo || typeof repo.id !== "string" || typeof repo.private !== "boolean") {
    return {
      outcome: "ignored",
      reason:
        "legacy v2 payload without repo.id or repo.private cannot be mapped; recreate the webhook on the Hub to get version 3",
    };
  }
  const movedTo = typeof record.movedTo === "string" ? { name: record.movedTo } : record.movedTo;
  const webhook = record.webhook as Record<string, unknown> | undefined;
  const mapped = {
    ...record,
    event: { scope, action },
    movedTo,
    webhook: { ...webhook, id: String(webhook?.id ?? "legacy-v2"), version: 3 },
  };
  const result = finish(mapped, ["legacy v2 payload mapped to version 3"]);
  if (result.outcome === "invalid")
    return { outcome: "ignored", reason: `legacy v2 payload: ${result.reason}` };
  return result;
}
