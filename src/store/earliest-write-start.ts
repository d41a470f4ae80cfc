import type { LaneSchedule, WriteKind, WriteLimits } from "./write-schedule.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * When the next write of `kind` may start on a lane, and the limit that decides it: a pause, the
 * spacing after the last write (and after the last content write), and the rolling per-minute and
 * per-hour caps on content writes.
 */
export function earliestWriteStart(
  lane: LaneSchedule,
  kind: WriteKind,
  now: number,
  limits: WriteLimits,
): { at: number; reason: string } {
  const candidates: Array<{ at: number; reason: string }> = [
    { at: now, reason: "no limit reached" },
    { at: lane.pausedUntil, reason: lane.pauseReason },
    { at: lane.lastWriteEnd + limits.msBetweenWrites, reason: "spacing between writes" },
  ];
  if (kind === "content") {
    const starts = lane.contentStarts.filter((at) => at > now - HOUR_MS);
    candidates.push({
      at: lane.lastContentEnd + limits.msBetweenContentWrites,
      reason: "spacing between content-creating writes",
    });
    const minuteEdge = starts[starts.length - limits.contentWritesPerMinute];
    if (minuteEdge !== undefined) {
      candidates.push({
        at: minuteEdge + MINUTE_MS,
        reason: `${limits.contentWritesPerMinute} content-creating writes in the last minute`,
      });
    }
    const hourEdge = starts[starts.length - limits.contentWritesPerHour];
    if (hourEdge !== undefined) {
      candidates.push({
        at: hourEdge + HOUR_MS,
        reason: `${limits.contentWritesPerHour} content-creating writes in the last hour`,
      });
    }
  }
  return candidates.reduce((latest, candidate) => (candidate.at > latest.at ? candidate : latest));
}
