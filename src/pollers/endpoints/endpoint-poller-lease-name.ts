/** The lease that makes one replica of several the poller of a namespace. */
export function endpointPollerLeaseName(namespace: string): string {
  return `endpoint-poller:${namespace}`;
}
