import type { EndpointWatch } from "../../config/config-schema.ts";

/** A namespace is listed as often as its most eager watch asks. */
export function namespaceIntervalMs(watches: readonly EndpointWatch[]): number {
  return Math.min(...watches.map((watch) => watch.intervalSeconds)) * 1000;
}
