import type { HubPayloadV3 } from "../hf/hub-payload-schema.ts";
import { sha256 } from "../util/sha256.ts";

/**
 * The key built from the fields that identify the change: the second dedupe check beside the Hub's
 * `Webhook-Id` header (the first), and the only one for senders and older deliveries without it. Including `webhook.id` makes each Hub webhook its own
 * source of effects. Two comments with the same text differ by comment id; an edit differs by content.
 */
export function dedupeKey(payload: HubPayloadV3): string {
  const { scope, action } = payload.event;
  const parts: unknown[] = [payload.webhook.id, scope, action, payload.repo.type, payload.repo.id];
  switch (scope) {
    case "repo.content":
      // headSha alone is not enough: a new refs/pr/N fires with headSha unchanged.
      parts.push(
        (payload.updatedRefs ?? [])
          .map((ref) => `${ref.ref}:${ref.oldSha ?? "-"}:${ref.newSha ?? "-"}`)
          .sort(),
      );
      break;
    case "repo.config":
      parts.push(payload.repo.headSha ?? null, canonicalJson(payload.updatedConfig ?? {}));
      break;
    case "discussion":
      parts.push(
        payload.discussion?.id,
        payload.discussion?.status,
        payload.discussion?.title,
        payload.comment?.id ?? null,
      );
      break;
    case "discussion.comment":
      parts.push(
        payload.discussion?.id,
        payload.comment?.id,
        payload.comment?.hidden,
        payload.comment?.content === undefined ? null : sha256(payload.comment.content),
      );
      break;
    default:
      parts.push(payload.repo.headSha ?? null, payload.movedTo?.name ?? null);
  }
  return `hub:${scope}:${action}:${sha256(JSON.stringify(parts))}`;
}

/** JSON with object keys sorted at every level, so equal configs give equal keys. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
