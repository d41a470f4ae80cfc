import type { DeliverySummary, JobOutcome } from "./store.ts";

/** The deliveries-joined-with-jobs row both backends select, with the column names they share. */
export type DeliveryRow = Record<string, unknown>;

/**
 * Maps a listed row onto the summary. The backends store time and JSON differently (epoch ms and text
 * in SQLite, timestamptz and jsonb in PostgreSQL), so they pass those two values already decoded.
 */
export function toDeliverySummary(
  row: DeliveryRow,
  decoded: { receivedAt: Date; outcome: JobOutcome | undefined },
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
  return summary;
}
