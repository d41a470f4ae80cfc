/** The store key of one endpoint's last known state, shared by the poller and the POST route. */
export function endpointStateKey(namespace: string, name: string): string {
  return `endpoint:${namespace}/${name}`;
}
