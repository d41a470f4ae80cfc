import type { EndpointWatch } from "../../config/config-schema.ts";

/** The watches of each namespace: one list request serves them all. */
export function groupByNamespace(watches: readonly EndpointWatch[]): Map<string, EndpointWatch[]> {
  const groups = new Map<string, EndpointWatch[]>();
  for (const watch of watches) {
    groups.set(watch.namespace, [...(groups.get(watch.namespace) ?? []), watch]);
  }
  return groups;
}
