import type { DatabaseSync } from "node:sqlite";
import type { DeliverySource } from "../store.ts";
import { webhookIdKey } from "../webhook-id-key.ts";

/**
 * Which delivery already holds a dedupe key. An index in the file would dirty a random page for every
 * new delivery (a hash spreads keys evenly), which made it the largest cost of an ingest commit; so the
 * hashes live in memory, loaded from the `dedupe_hash` column, and the file is only appended to.
 * Every lookup must follow `refresh` inside the write transaction, where it sees other connections'
 * commits: a second process writing the same file cannot slip a duplicate past this one.
 */
export interface SqliteDedupeIndex {
  /** Reloads from the file when another connection has committed since the last load. */
  refresh(): void;
  /**
   * The delivery holding `key`, its payload key or its sender id's key (`webhookIdKey`); a hash match
   * is confirmed against the stored keys.
   */
  find(key: string, hash: number): number | undefined;
  add(hash: number, deliveryId: number): void;
  remove(hash: number, deliveryId: number): void;
  /** After a failed transaction: what it added never reached the file, so the next refresh reloads. */
  invalidate(): void;
}

export function createSqliteDedupeIndex(db: DatabaseSync): SqliteDedupeIndex {
  const dataVersion = db.prepare("PRAGMA data_version");
  const allHashes = db.prepare("SELECT id, dedupe_hash, webhook_hash FROM deliveries");
  const keysOf = db.prepare("SELECT source, dedupe_key, webhook_id FROM deliveries WHERE id = ?");
  // Most hashes have one delivery; a collision (or a key reused after pruning) holds a list.
  const byHash = new Map<number, number | number[]>();
  let loadedVersion: unknown;

  function add(hash: number, deliveryId: number): void {
    const held = byHash.get(hash);
    if (held === undefined) byHash.set(hash, deliveryId);
    else if (typeof held === "number") byHash.set(hash, [held, deliveryId]);
    else held.push(deliveryId);
  }

  return {
    refresh() {
      // Unchanged by this connection's own commits, changed by any other's (SQLite's data_version).
      const version = (dataVersion.get() as { data_version: number }).data_version;
      if (version === loadedVersion) return;
      byHash.clear();
      for (const row of allHashes.iterate() as Iterable<{
        id: number;
        dedupe_hash: number;
        webhook_hash: number | null;
      }>) {
        add(row.dedupe_hash, row.id);
        if (row.webhook_hash !== null) add(row.webhook_hash, row.id);
      }
      loadedVersion = version;
    },
    find(key, hash) {
      const held = byHash.get(hash);
      if (held === undefined) return undefined;
      for (const id of typeof held === "number" ? [held] : held) {
        const row = keysOf.get(id) as
          | { source: DeliverySource; dedupe_key: string; webhook_id: string | null }
          | undefined;
        if (!row) continue;
        if (row.dedupe_key === key) return id;
        if (row.webhook_id !== null && webhookIdKey(row.source, row.webhook_id) === key) return id;
      }
      return undefined;
    },
    add,
    remove(hash, deliveryId) {
      const held = byHash.get(hash);
      if (held === deliveryId) byHash.delete(hash);
      else if (Array.isArray(held)) {
        const rest = held.filter((id) => id !== deliveryId);
        if (rest.length === 1) byHash.set(hash, rest[0] as number);
        else byHash.set(hash, rest);
      }
    },
    invalidate() {
      loadedVersion = undefined;
    },
  };
}
