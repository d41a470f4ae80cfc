import type { Pool, PoolClient, QueryResultRow } from "pg";
import { asStoreUnavailable } from "../as-store-unavailable.ts";
import { monotonicMs } from "../monotonic-ms.ts";
import type { PostgresDb, PostgresTransactionOptions } from "./postgres-db.ts";
import { runOnPostgresClient } from "./run-on-postgres-client.ts";

/**
 * Every store call settles within this, waiting for a connection and behind earlier calls included:
 * a webhook ack must be answered (503 at worst) within 2 s, and the HTTP edge needs the rest.
 */
const ANSWER_WITHIN_MS = 1_500;

/** Queries and transactions on `pool`, refused once `isClosed()` says the store was closed. */
export function createPostgresDb(pool: Pool, isClosed: () => boolean): PostgresDb {
  return {
    async transaction<T>(
      operation: string,
      body: (client: PoolClient) => Promise<T>,
      options: PostgresTransactionOptions = {},
    ): Promise<T> {
      const timeoutMs = options.timeoutMs ?? ANSWER_WITHIN_MS;
      const waited = options.waitingSince === undefined ? 0 : monotonicMs() - options.waitingSince;
      try {
        if (isClosed()) throw new Error("the store is closed");
        return await runOnPostgresClient(
          pool,
          {
            timeoutMs: timeoutMs - waited,
            transaction: true,
            ...(options.setup ? { setup: options.setup } : {}),
          },
          body,
        );
      } catch (error) {
        throw asStoreUnavailable(operation, error);
      }
    },

    async query<R extends QueryResultRow = Record<string, unknown>>(
      operation: string,
      text: string,
      values: unknown[],
    ) {
      try {
        if (isClosed()) throw new Error("the store is closed");
        return await runOnPostgresClient(
          pool,
          { timeoutMs: ANSWER_WITHIN_MS, transaction: false },
          (client) => client.query<R>(text, values),
        );
      } catch (error) {
        throw asStoreUnavailable(operation, error);
      }
    },
  };
}
