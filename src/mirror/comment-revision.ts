import type { BridgeEventKind } from "../events/bridge-event.ts";

/**
 * How far along a Hub comment is: posted, edited, hidden. Hiding is irreversible on the Hub, so a
 * late "created" or "edited" never brings hidden text back; edits apply in arrival order.
 */
export function commentRevision(kind: BridgeEventKind): number {
  if (kind === "comment.hidden") return 2;
  if (kind === "comment.edited") return 1;
  return 0;
}
