import type { BridgeEvent } from "../../events/bridge-event.ts";
import { checkDeliveryQuery } from "../check-delivery-query.ts";
import { checkListLimit } from "../check-list-limit.ts";
import type { DeliveryDetail, DeliverySummary, EffectResult, JobOutcome, Store } from "../store.ts";
import { storedText } from "../stored-text.ts";
import { toAttempt } from "../to-attempt.ts";
import { toDeliveryPage } from "../to-delivery-page.ts";
import { toDeliverySummary } from "../to-delivery-summary.ts";
import type { PostgresDb } from "./postgres-db.ts";
import { postgresStoredJson } from "./postgres-stored-json.ts";

const SUMMARY_SELECT = `
  SELECT d.id, d.source, d.received_at, d.dedupe_key, d.webhook_id, d.disposition, d.reason, d.event_kind,
    d.duplicates, j.id AS job_id, j.state AS job_state, j.attempts, j.last_error, j.outcome,
    j.outcome_packed,
    j.not_before, j.hub_repo
  FROM deliveries d LEFT JOIN jobs j ON j.delivery_id = d.id`;

/** The one-word state of DeliveryState, from the delivery and its job (if any). */
const DELIVERY_STATE = `CASE WHEN j.id IS NULL THEN d.disposition
  WHEN j.state = 'queued' AND j.attempts > 0 THEN 'retrying' ELSE j.state END`;

type Row = Record<string, unknown>;

/** What the inspection pages, the console and the metrics read: deliveries, job counts, dead letters. */
export function createPostgresReadOperations(
  db: PostgresDb,
): Pick<
  Store,
  | "listDeliveries"
  | "getDelivery"
  | "listDeliveryPage"
  | "getDeliveryDetail"
  | "countJobs"
  | "listDeadLetters"
> {
  return {
    async listDeliveries({ limit }) {
      const { rows } = await db.query(
        "listing deliveries",
        `${SUMMARY_SELECT} ORDER BY d.id DESC LIMIT $1`,
        [checkListLimit("listDeliveries", limit)],
      );
      return rows.map(toSummary);
    },

    async getDelivery(id) {
      const { rows } = await db.query(
        `reading delivery ${id}`,
        `${SUMMARY_SELECT} WHERE d.id = $1`,
        [id],
      );
      return rows[0] ? toSummary(rows[0]) : undefined;
    },

    async listDeliveryPage(input) {
      const q = checkDeliveryQuery(input);
      // Unset filters are NULL, so one statement serves every combination.
      const { rows } = await db.query(
        "listing a page of deliveries",
        `${SUMMARY_SELECT}
         WHERE ($2::bigint IS NULL OR d.id < $2)
           AND ($3::text IS NULL OR d.event_kind = $3)
           AND ($4::text IS NULL OR j.hub_repo = $4)
           AND ($5::text IS NULL OR ${DELIVERY_STATE} = $5)
         ORDER BY d.id DESC LIMIT $1`,
        [q.limit + 1, q.beforeId ?? null, q.eventKind ?? null, q.hubRepo ?? null, q.state ?? null],
      );
      return toDeliveryPage(rows.map(toSummary), q.limit);
    },

    async getDeliveryDetail(id) {
      const { rows } = await db.query(
        `reading delivery ${id} in full`,
        `SELECT s.*, d.body, d.body_packed, d.headers, d.headers_packed, j.event, j.event_packed,
           j.completed_effects
         FROM (${SUMMARY_SELECT} WHERE d.id = $1) s
         JOIN deliveries d ON d.id = s.id LEFT JOIN jobs j ON j.id = s.job_id`,
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      const detail: DeliveryDetail = {
        summary: toSummary(row),
        body: storedText(row.body_packed, row.body),
        headers: postgresStoredJson(row.headers_packed, row.headers) as Record<string, string>,
        completedEffects: (row.completed_effects as Record<string, EffectResult> | null) ?? {},
        attempts: [],
      };
      if (row.job_id !== null) {
        const attempts = await db.query(
          `reading the attempts of job ${row.job_id}`,
          "SELECT attempt, outcome, error, ended_at FROM attempts WHERE job_id = $1 ORDER BY id",
          [row.job_id],
        );
        detail.attempts = attempts.rows.map((a) => toAttempt(a, a.ended_at as Date));
      }
      if (row.event !== null || row.event_packed !== null) {
        detail.event = postgresStoredJson(row.event_packed, row.event) as BridgeEvent;
      }
      return detail;
    },

    async countJobs(now) {
      const { rows } = await db.query(
        "counting jobs",
        // One partial index each, so counting reads live and dead jobs only, never the done ones.
        `SELECT (SELECT count(*) FROM jobs WHERE state = 'queued')::int AS queued,
           (SELECT count(*) FROM jobs WHERE state = 'running')::int AS running,
           (SELECT count(*) FROM jobs WHERE state = 'dead')::int AS dead,
           (SELECT min(not_before) FROM jobs WHERE state = 'queued' AND not_before <= $1) AS oldest_due`,
        [now],
      );
      const row = rows[0] as Row;
      return {
        queued: row.queued as number,
        running: row.running as number,
        dead: row.dead as number,
        oldestDueAt: (row.oldest_due as Date | null) ?? undefined,
      };
    },

    async listDeadLetters({ limit }) {
      const { rows } = await db.query(
        "listing dead letters",
        `SELECT j.id, j.delivery_id, j.event, j.event_packed, j.attempts, j.last_error, j.updated_at,
           d.body, d.body_packed
         FROM jobs j JOIN deliveries d ON d.id = j.delivery_id
         WHERE j.state = 'dead' ORDER BY j.updated_at DESC, j.id DESC LIMIT $1`,
        [checkListLimit("listDeadLetters", limit)],
      );
      return rows.map((row) => ({
        jobId: row.id as number,
        deliveryId: row.delivery_id as number,
        event: postgresStoredJson(row.event_packed, row.event) as BridgeEvent,
        attempts: row.attempts as number,
        lastError: (row.last_error as string | null) ?? "",
        failedAt: row.updated_at as Date,
        body: storedText(row.body_packed, row.body),
      }));
    },
  };
}

function toSummary(row: Row): DeliverySummary {
  return toDeliverySummary(row, {
    receivedAt: row.received_at as Date,
    outcome:
      row.outcome === null && row.outcome_packed === null
        ? undefined
        : (postgresStoredJson(row.outcome_packed, row.outcome) as JobOutcome),
    notBefore: (row.not_before as Date | null) ?? undefined,
  });
}
