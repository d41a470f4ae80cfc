import type { Logger } from "pino";
import type { Store } from "../store/store.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Pruning is cheap and retention is counted in days: hourly keeps the store near its bound. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes deliveries older than the retention whose jobs are done, at start and then hourly, so the
 * store (and the SQLite writer's in-memory dedupe index) stays bounded on a long-running server.
 */
export function createPruner(options: {
  store: Store;
  retentionDays: number;
  logger: Logger;
  intervalMs?: number;
  now?: () => Date;
}): { start(): void; stop(): Promise<void> } {
  const { store, retentionDays, logger, intervalMs = PRUNE_INTERVAL_MS } = options;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function pruneOnce(): Promise<void> {
    const olderThan = new Date(now().getTime() - retentionDays * DAY_MS);
    try {
      const pruned = await store.prune(olderThan);
      if (pruned > 0) logger.info({ pruned, olderThan }, "pruned old deliveries");
    } catch (error) {
      logger.warn({ err: error }, "pruning old deliveries failed; retrying at the next interval");
    }
  }

  function run(): void {
    running = pruneOnce().finally(() => {
      running = undefined;
    });
  }

  return {
    start() {
      run();
      timer = setInterval(() => {
        if (!running) run();
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
