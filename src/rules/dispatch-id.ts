import { sha256 } from "../util/sha256.ts";

/** 128 bits: two changes never share an id in practice, and it stays short enough for a cache key. */
const DISPATCH_ID_HEX_CHARS = 32;

/**
 * The id a planned dispatch carries (`client_payload.dispatchId`, `{{dispatchId}}` in workflow
 * inputs): the same on every send of that dispatch, so a workflow can drop a repeat, and different
 * for every change. `identity` names the change: where it goes and what the event was.
 */
export function dispatchId(...identity: string[]): string {
  return sha256(JSON.stringify(identity)).slice(0, DISPATCH_ID_HEX_CHARS);
}
