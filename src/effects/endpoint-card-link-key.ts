import type { LinkKey } from "./effect.ts";

/** Endpoint names are unique within a namespace, so the pair names the card for good. */
export function endpointCardLinkKey(namespace: string, name: string): LinkKey {
  return `endpoint-card:${namespace}/${name}`;
}
