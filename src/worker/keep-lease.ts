import type { Logger } from "pino";
import { type Job, LeaseLostError, type Store } from "../store/store.ts";

/** Renewals per lease period: two in a row can fail (a store hiccup) before the lease runs out. */
const RENEWALS_PER_LEASE = 3;

interface LeaseKeeping {
  job: Job;
  store: Store;
  leaseMs: number;
  now: () => Date;
  log: Logger;
  /** Called once when the lease is lost or can no longer be renewed in time: the job must stop writing. */
  onLost: (reason: LeaseLostError) => void;
}

/**
 * Renews a running job's lease (a heartbeat) so a job longer than its lease is never taken over while
 * its worker is alive. Returns the function that stops renewing.
 */
export function keepLease(options: LeaseKeeping): () => void {
  const { job, store, leaseMs, now, log, onLost } = options;
  const intervalMs = Math.max(1, Math.floor(leaseMs / RENEWALS_PER_LEASE));
  let expiresAt = job.leaseExpiresAt.getTime();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function renew(): Promise<void> {
    try {
      expiresAt = (await store.renewLease(job, leaseMs, now())).getTime();
    } catch (error) {
      if (stopped) return;
      if (error instanceof LeaseLostError) {
        stopped = true;
        onLost(error);
        return;
      }
      if (now().getTime() + intervalMs >= expiresAt) {
        // The next try would come too late: another worker may take the job over before then.
        log.error({ err: error }, "the job's lease could not be renewed in time; it stops writing");
        stopped = true;
        onLost(new LeaseLostError(job.id));
        return;
      }
      log.warn({ err: error }, "renewing the job's lease failed; trying again");
    }
    if (!stopped) timer = setTimeout(() => void renew(), intervalMs);
  }

  timer = setTimeout(() => void renew(), intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
