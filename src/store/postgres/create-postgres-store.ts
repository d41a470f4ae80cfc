import type { Store } from "../store.ts";
import { StoreUnavailableError } from "../store.ts";
import { submitDelivery } from "../submit-delivery.ts";
import { createPostgresDb } from "./create-postgres-db.ts";
import { createPostgresDeliveryIngest } from "./create-postgres-delivery-ingest.ts";
import { createPostgresEffectOperations } from "./create-postgres-effect-operations.ts";
import { createPostgresJobOperations } from "./create-postgres-job-operations.ts";
import { createPostgresPool } from "./create-postgres-pool.ts";
import { createPostgresReadOperations } from "./create-postgres-read-operations.ts";
import { createPostgresRequeueOperations } from "./create-postgres-requeue-operations.ts";
import { createPostgresStateOperations } from "./create-postgres-state-operations.ts";
import { createPostgresWriteSchedule } from "./create-postgres-write-schedule.ts";
import { migratePostgres } from "./migrate-postgres.ts";
import { prunePostgres } from "./prune-postgres.ts";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The store for several replicas: PostgreSQL through a connection pool. Claims use
 * FOR UPDATE SKIP LOCKED so replicas never hand out the same job; deliveries are group-committed.
 */
export async function createPostgresStore(options: {
  connectionString: string;
  schema?: string;
}): Promise<Store> {
  const schema = options.schema ?? "public";
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `PostgreSQL schema ${JSON.stringify(schema)} is not a plain lower-case identifier; use letters, digits and underscores (e.g. "hf_bridge")`,
    );
  }
  const pool = createPostgresPool(options.connectionString, schema);
  try {
    await migratePostgres(pool, schema);
  } catch (error) {
    await pool.end();
    throw new StoreUnavailableError(
      `PostgreSQL store (schema "${schema}") cannot be opened: ${error instanceof Error ? error.message : String(error)}; check the connection string and that the user may create tables`,
      { cause: error },
    );
  }
  let closed = false;
  const db = createPostgresDb(pool, () => closed);
  const deliveries = createPostgresDeliveryIngest(db);

  return {
    shared: true,
    writeSchedule: createPostgresWriteSchedule(db),
    recordDelivery: (delivery) => submitDelivery(deliveries, closed, delivery),
    ...createPostgresJobOperations(db),
    ...createPostgresEffectOperations(db),
    ...createPostgresReadOperations(db),
    ...createPostgresRequeueOperations(db),
    ...createPostgresStateOperations(db),
    prune: (olderThan) => prunePostgres(db, olderThan),

    async close() {
      if (closed) return;
      await deliveries.drain();
      closed = true;
      await pool.end();
    },
  };
}
