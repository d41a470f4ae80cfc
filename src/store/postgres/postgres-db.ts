import type { PoolClient, QueryResult, QueryResultRow } from "pg";

export interface PostgresTransactionOptions {
  /** monotonicMs() when the caller started waiting (a batch's oldest item): that wait counts too. */
  waitingSince?: number;
  timeoutMs?: number;
  /** Statements run first inside the transaction, e.g. a longer `SET LOCAL statement_timeout`. */
  setup?: readonly string[];
}

/**
 * The store's way to its pool, which every operation group is handed: each call settles in bounded
 * time and fails with a StoreUnavailableError naming `operation` (lease and input errors pass through).
 */
export interface PostgresDb {
  query<R extends QueryResultRow = Record<string, unknown>>(
    operation: string,
    text: string,
    values: unknown[],
  ): Promise<QueryResult<R>>;
  transaction<T>(
    operation: string,
    body: (client: PoolClient) => Promise<T>,
    options?: PostgresTransactionOptions,
  ): Promise<T>;
}
