import type { LeaseRecord } from "../store/store.ts";
import type { WriteLaneRecord } from "../store/write-schedule.ts";
import { CONTENT_WRITES_PER_HOUR } from "../text/github-limits.ts";
import { escapeHtml } from "./escape-html.ts";

export interface ReplicasView {
  /** This process (host:pid). */
  replicaId: string;
  leases: readonly LeaseRecord[];
  lanes: readonly WriteLaneRecord[];
  at: Date;
}

/**
 * Several replicas on one store: which one polls what (the poller leases) and how the GitHub write
 * lanes they share stand, so an operator sees a dead replica's watch taken over and a paused lane.
 */
export function renderReplicas(view: ReplicasView | "unreadable"): string {
  if (view === "unreadable") {
    return `<h2>Replicas</h2>
<p id="replicas">The store could not list the leases and write lanes just now; reload to try again.</p>`;
  }
  const now = view.at.getTime();
  const leases =
    view.leases.length === 0
      ? "<p>No poller lease yet: nothing is polled, or no replica has polled yet.</p>"
      : `<table id="leases"><thead><tr><th>lease</th><th>holder</th><th>until</th></tr></thead><tbody>
${view.leases
  .map((lease) => {
    const live = lease.expiresAt.getTime() > now;
    const holder = `${escapeHtml(lease.holder)}${lease.holder === view.replicaId ? " (this replica)" : ""}`;
    return `<tr><td><code>${escapeHtml(lease.name)}</code></td><td>${live ? holder : `${holder}, lapsed: the next replica to poll takes it`}</td><td>${lease.expiresAt.toISOString()}</td></tr>`;
  })
  .join("\n")}
</tbody></table>`;
  const lanes =
    view.lanes.length === 0
      ? "<p>No GitHub write yet.</p>"
      : `<table id="write-lanes"><thead><tr><th>GitHub lane</th><th>now</th><th>creations in the last hour</th></tr></thead><tbody>
${view.lanes
  .map((lane) => {
    const state =
      lane.pausedUntil > now
        ? `paused by a rate limit until ${new Date(lane.pausedUntil).toISOString()}`
        : lane.busy
          ? "a write in flight"
          : "idle";
    return `<tr><td><code>${escapeHtml(lane.lane)}</code></td><td>${state}</td><td>${lane.contentWritesLastHour} of ${CONTENT_WRITES_PER_HOUR}</td></tr>`;
  })
  .join("\n")}
</tbody></table>`;
  return `<h2>Replicas</h2>
<p id="replicas">This is replica <code>${escapeHtml(view.replicaId)}</code>. Replicas share the store: each watch is polled by its lease holder, and GitHub's write limits hold for all of them together.</p>
${leases}
${lanes}`;
}
