import pg from "pg";

/** Enough for the HTTP edge's batches, the worker and the inspection pages at once. */
const POOL_SIZE = 10;
/** A database that accepts no connection (or a pool that frees no slot) in this time is down or swamped. */
const CONNECT_TIMEOUT_MS = 1_000;
/** Server side: the bridge's statements take milliseconds; a slow one is cancelled and frees its locks. */
const STATEMENT_TIMEOUT_MS = 1_000;
/** Server side: a lock held by another session (a migration, a LOCK TABLE) fails the statement instead of queueing it. */
const LOCK_TIMEOUT_MS = 1_000;
/** Server side: a transaction whose bridge vanished (killed, or half-open) must not hold its locks until TCP gives up. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;
const INT8_OID = 20;

/**
 * The store's connection pool, every connection in `schema` and bounded server side, so a slow
 * statement, a held lock or a vanished bridge frees the database instead of waiting on it.
 */
export function createPostgresPool(connectionString: string, schema: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Notices a peer that vanished without a reset while the connection idles in the pool.
    keepAlive: true,
    options: [
      `-c search_path=${schema}`,
      `-c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
      `-c lock_timeout=${LOCK_TIMEOUT_MS}`,
      `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_TIMEOUT_MS}`,
    ].join(" "),
    // Ids are bigserial; JavaScript numbers hold them exactly far beyond any realistic count.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID
          ? Number
          : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client dropped by the server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  // A backend terminated as it starts sends its FATAL in the segment that ends the start-up, so the
  // client errs before whoever awaited it can listen; it is not queryable after that, which the
  // caller's first query reports and which keeps it out of the pool.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}
