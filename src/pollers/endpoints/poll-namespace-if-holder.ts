import type { EndpointWatch } from "../../config/config-schema.ts";
import { claimNamespaceLease, type NamespaceLeases } from "./claim-namespace-lease.ts";
import { namespaceIntervalMs } from "./namespace-interval-ms.ts";
import { type NamespacePolling, pollNamespace } from "./poll-namespace.ts";

/** Polls the namespace when this replica holds its lease; resolves with how long until it asks again. */
export async function pollNamespaceIfHolder(
  polling: NamespacePolling & { leases: NamespaceLeases | undefined; stopped: () => boolean },
  namespace: string,
  watches: EndpointWatch[],
): Promise<number> {
  // Held for an interval first: a poll takes far less, and then the renewal below extends it.
  const waitMs = await claimNamespaceLease(polling, namespace, namespaceIntervalMs(watches));
  if (waitMs !== undefined) return waitMs;
  const result = await pollNamespace(polling, namespace, watches);
  // Renewed until the next poll is due, so another replica takes over only when this one is gone.
  if (!polling.stopped()) await claimNamespaceLease(polling, namespace, result.nextDelayMs);
  return result.nextDelayMs;
}
