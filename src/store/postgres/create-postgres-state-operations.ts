import type { Store } from "../store.ts";
import type { PostgresDb } from "./postgres-db.ts";

/** Keyed state (cursors, the marker key) and the named leases that let one replica work alone. */
export function createPostgresStateOperations(
  db: PostgresDb,
): Pick<
  Store,
  "getState" | "setState" | "insertStateIfAbsent" | "claimLease" | "releaseLease" | "listLeases"
> {
  return {
    async getState(key) {
      const { rows } = await db.query(
        `reading state "${key}"`,
        "SELECT value FROM state WHERE key = $1",
        [key],
      );
      return rows[0] ? rows[0].value : undefined;
    },

    async setState(key, value) {
      if (value === undefined) {
        throw new Error(`setState: value for "${key}" is undefined; store null to clear it`);
      }
      await db.query(
        `writing state "${key}"`,
        `INSERT INTO state (key, value, updated_at) VALUES ($1, $2::jsonb, now())
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, JSON.stringify(value)],
      );
    },

    async insertStateIfAbsent(key, value) {
      if (value === undefined) {
        throw new Error(
          `insertStateIfAbsent: value for "${key}" is undefined; pass the value to keep (null allowed)`,
        );
      }
      // The insert waits out a racing insert of the same key; when it lost, the row that won is read
      // by a second statement (a statement's snapshot predates the winner's commit).
      const { rows } = await db.query(
        `creating state "${key}"`,
        `INSERT INTO state (key, value, updated_at) VALUES ($1, $2::jsonb, now())
         ON CONFLICT (key) DO NOTHING RETURNING value`,
        [key, JSON.stringify(value)],
      );
      if (rows[0]) return rows[0].value;
      const kept = await db.query(
        `reading state "${key}"`,
        "SELECT value FROM state WHERE key = $1",
        [key],
      );
      return kept.rows[0]?.value;
    },

    async claimLease({ name, holder, ttlMs, now }) {
      const expiresAt = new Date(now.getTime() + ttlMs);
      // Granted when free, expired or already ours (the conflict re-checks the newest row version);
      // when refused, a second statement reads who holds it.
      const { rows } = await db.query<{ expires_at: Date }>(
        `claiming the lease "${name}" for ${holder}`,
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= $4
         RETURNING name, holder, expires_at`,
        [name, holder, expiresAt, now],
      );
      const granted = rows[0];
      if (granted) {
        return { name, holder, expiresAt: new Date(granted.expires_at), held: true };
      }
      const other = await db.query<{ holder: string; expires_at: Date }>(
        `reading the lease "${name}"`,
        "SELECT holder, expires_at FROM leases WHERE name = $1",
        [name],
      );
      const row = other.rows[0];
      // Released between the two statements: nobody holds it; the next claim takes it.
      if (!row) return { name, holder: "", expiresAt: now, held: false };
      return { name, holder: row.holder, expiresAt: new Date(row.expires_at), held: false };
    },

    async releaseLease(name, holder) {
      await db.query(
        `releasing the lease "${name}" of ${holder}`,
        "DELETE FROM leases WHERE name = $1 AND holder = $2",
        [name, holder],
      );
    },

    async listLeases() {
      const { rows } = await db.query<{ name: string; holder: string; expires_at: Date }>(
        "listing leases",
        "SELECT name, holder, expires_at FROM leases ORDER BY name",
        [],
      );
      return rows.map((row) => ({
        name: row.name,
        holder: row.holder,
        expiresAt: new Date(row.expires_at),
      }));
    },
  };
}
