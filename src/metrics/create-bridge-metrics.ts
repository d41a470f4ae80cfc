import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { oldestDueWaitSeconds } from "../store/oldest-due-wait-seconds.ts";
import type { Store } from "../store/store.ts";

/** Webhook answers take milliseconds (a group commit); the top buckets catch a stalled disk or database. */
const REQUEST_SECONDS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
];

export interface BridgeMetrics {
  /** One answered request on a bridge path (a path of the handler table, so the label set stays small). */
  observeRequest(path: string, status: number, seconds: number): void;
  /** The Prometheus text exposition, with the store's job counts read now. */
  render(): Promise<{ contentType: string; text: string }>;
}

/**
 * The server's metrics in a registry of its own (no process-wide default registry): process figures,
 * requests by path and status, and the queue as the store sees it, so an alert can fire on dead letters
 * or on a due job that has waited too long (a stopped worker, a GitHub outage).
 */
export function createBridgeMetrics(options: {
  store: Store;
  now?: () => Date;
  /** This process among replicas (host:pid); the lease gauge says whether a lease is this one's. */
  replicaId?: string;
}): BridgeMetrics {
  const now = options.now ?? (() => new Date());
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hf_bridge_" });
  const requests = new Counter({
    name: "hf_bridge_http_requests_total",
    help: "Requests answered on the bridge's paths, by path and status code.",
    labelNames: ["path", "status"],
    registers: [registry],
  });
  const durations = new Histogram({
    name: "hf_bridge_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer, by path.",
    labelNames: ["path"],
    buckets: REQUEST_SECONDS_BUCKETS,
    registers: [registry],
  });

  const jobs = new Gauge({
    name: "hf_bridge_jobs",
    help: "Jobs in the store by state; dead jobs wait for `hf-bridge replay`.",
    labelNames: ["state"],
    registers: [registry],
  });
  const oldestDueWait = new Gauge({
    name: "hf_bridge_oldest_due_job_wait_seconds",
    help: "How long the oldest due job has waited to be run; 0 when none is due.",
    registers: [registry],
  });

  const leases = new Gauge({
    name: "hf_bridge_lease_held",
    help: "Leases in the shared store (one poller per namespace or Space across replicas): 1 while its holder's expiry is ahead, 0 once lapsed; `mine` is 1 on the holding replica.",
    labelNames: ["lease", "holder", "mine"],
    registers: [registry],
  });

  const laneBusy = new Gauge({
    name: "hf_bridge_github_lane_busy",
    help: "Shared GitHub write schedule (replicas on PostgreSQL): 1 while a write holds the lane (an installation or the token).",
    labelNames: ["lane"],
    registers: [registry],
  });
  const lanePaused = new Gauge({
    name: "hf_bridge_github_lane_paused_seconds",
    help: "Shared GitHub write schedule: how long a rate limit still holds every replica's writes on the lane; 0 when none does.",
    labelNames: ["lane"],
    registers: [registry],
  });
  const laneCreations = new Gauge({
    name: "hf_bridge_github_lane_creations_last_hour",
    help: "Shared GitHub write schedule: content-creating writes (issues, comments) on the lane in the last hour; GitHub allows 500.",
    labelNames: ["lane"],
    registers: [registry],
  });

  return {
    observeRequest(path, status, seconds) {
      requests.inc({ path, status: String(status) });
      durations.observe({ path }, seconds);
    },
    async render() {
      const at = now();
      // Read before rendering: a store that cannot answer fails the scrape instead of showing stale counts.
      const counts = await options.store.countJobs(at);
      for (const state of ["queued", "running", "dead"] as const)
        jobs.set({ state }, counts[state]);
      oldestDueWait.set(oldestDueWaitSeconds(counts, at));
      leases.reset();
      if (options.store.shared) {
        for (const lease of await options.store.listLeases()) {
          const mine = lease.holder === options.replicaId ? "1" : "0";
          leases.set(
            { lease: lease.name, holder: lease.holder, mine },
            lease.expiresAt.getTime() > at.getTime() ? 1 : 0,
          );
        }
      }
      for (const gauge of [laneBusy, lanePaused, laneCreations]) gauge.reset();
      for (const lane of (await options.store.writeSchedule?.listLanes(at.getTime())) ?? []) {
        laneBusy.set({ lane: lane.lane }, lane.busy ? 1 : 0);
        lanePaused.set({ lane: lane.lane }, Math.max(0, (lane.pausedUntil - at.getTime()) / 1000));
        laneCreations.set({ lane: lane.lane }, lane.contentWritesLastHour);
      }
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
