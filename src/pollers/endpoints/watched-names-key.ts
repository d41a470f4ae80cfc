/**
 * The key under which the endpoint poller keeps the names of the watched endpoints its last poll
 * listed, so the next one notices those that disappeared; the Action seeds it from the cards.
 */
export function watchedNamesKey(namespace: string): string {
  return `endpoint-namespace:${namespace}`;
}
