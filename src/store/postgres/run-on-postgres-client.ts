import type { Pool, PoolClient } from "pg";

export interface PostgresClientRun {
  /** The whole call, waiting for a connection included; past it the call rejects. */
  timeoutMs: number;
  /** Wrap the body in BEGIN … COMMIT (ROLLBACK on failure). */
  transaction: boolean;
  /** Statements run first inside the transaction, e.g. a longer `SET LOCAL statement_timeout`. */
  setup?: readonly string[];
}

/**
 * Runs `body` on a pooled client and settles within `timeoutMs` whatever the database does (slow,
 * half-open, gone): at the limit the connection is destroyed, which makes the server roll back and
 * fails a query stuck on a dead socket, and the call rejects. A checked-out client's `error` event
 * (a connection reset, a terminated backend) is always listened to, and such a client is destroyed
 * instead of going back to the pool, so the next call gets a fresh connection.
 */
export async function runOnPostgresClient<T>(
  pool: Pool,
  run: PostgresClientRun,
  body: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const { timeoutMs } = run;
  if (timeoutMs <= 0) {
    throw new Error(
      "no time was left to ask PostgreSQL: the call waited behind earlier ones that did not answer",
    );
  }
  let client: PoolClient | undefined;
  let broken = false;
  let expired = false;
  let released = false;
  const noteBroken = () => {
    broken = true;
  };
  const release = (destroy: boolean) => {
    if (released || client === undefined) return;
    released = true;
    client.off("error", noteBroken);
    client.release(destroy || broken);
  };

  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      release(true);
      reject(new Error(`PostgreSQL did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const work = (async () => {
    const acquired = await pool.connect();
    client = acquired;
    acquired.on("error", noteBroken);
    if (expired) {
      release(false);
      throw new Error("connected after the call had already timed out");
    }
    try {
      if (run.transaction) {
        await acquired.query("BEGIN");
        for (const statement of run.setup ?? []) await acquired.query(statement);
      }
      const result = await body(acquired);
      if (run.transaction) await acquired.query("COMMIT");
      release(false);
      return result;
    } catch (error) {
      if (run.transaction && !released && !broken) {
        // A client whose rollback fails is broken; destroying it keeps it out of the pool.
        const rolledBack = await acquired.query("ROLLBACK").then(
          () => true,
          () => false,
        );
        release(!rolledBack);
      } else {
        release(broken);
      }
      throw error;
    }
  })();
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
