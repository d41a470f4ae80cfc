/**
 * The dedupe key's index entry: a 32-bit FNV-1a hash, a small integer that spreads evenly. Plain
 * arithmetic on purpose: it runs on the SQLite thread for every delivery, where a crypto call would
 * contend with the event loop's own hashing. Collisions only cost a key comparison.
 */
export function sqliteDedupeHash(dedupeKey: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < dedupeKey.length; index++) {
    hash = Math.imul(hash ^ dedupeKey.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}
