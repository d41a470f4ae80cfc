import type { DeliverySummary, JobOutcome } from "./store.ts";

/** The deliveries-joined-with-jobs row both backends select, with the column names they share. */
type DeliveryRow = Record<string, unknown>;

/**
 * Maps a listed row onto the summary. The backends store time and JSON differently (epoch ms and text
 * in SQLite, timestamptz and jsonb in PostgreSQL), so they pass those two values already decoded.
 */
export function toDeliverySummary(
  row: DeliveryRow,
  decoded: { receivedAt: Date; outcome: JobOutcome | undefined; notBefore: Date | undefined },
): DeliverySummary {
  const summary: DeliverySummary = {
    id: row.id as number,
    source: row.source as DeliverySummary["source"],
    receivedAt: decoded.receivedAt,
    dedupeKey: row.dedupe_key as string,
    disposition: row.disposition as DeliverySummary["disposition"],
    duplicates: row.duplicates as number,
  };
  if (row.webhook_id !== null && row.webhook_id !== undefined) {
    summary.webhookId = row.webhook_id as string;
  }
  if (row.reason !== null) summary.reason = row.reason as string;
  if (row.event_kind !== null) summary.eventKind = row.event_kind as string;
  if (row.job_id !== null) {
    summary.jobId = row.job_id as number;
    summary.jobState = row.job_state as DeliverySummary["jobState"];
    summary.attempts = row.attempts as number;
  }
  if (row.last_error !== null) summary.lastError = row.last_error as string;
  if (decoded.outcome !== undefined) summary.outcome = decoded.outcome;
  if (typeof row.hub_repo === "string") summary.hubRepo = row.hub_repo;
  if (
    row.job_state === "queued" &&
    decoded.notBefore !== undefined &&
    (row.attempts as number) > 0
  ) {
    summary.nextAttemptAt = decoded.notBefore;
  }
  return summary;
}
