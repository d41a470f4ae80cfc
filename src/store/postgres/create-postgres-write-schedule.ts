import { randomUUID } from "node:crypto";
import { earliestWriteStart } from "../earliest-write-start.ts";
import type { LaneSchedule, WriteSchedule } from "../write-schedule.ts";
import type { PostgresDb } from "./postgres-db.ts";

/**
 * While another replica's write holds the lane, ask again this soon: a GitHub write takes a few
 * hundred milliseconds, and asking more often would only load the database.
 */
export const FLEET_POLL_MS = 100;
const HOUR_MS = 3_600_000;

interface LaneRow {
  last_write_end: number | null;
  last_content_end: number | null;
  content_starts: number[];
  paused_until: number | null;
  pause_reason: string;
  holder: string | null;
  held_until: number | null;
}

/**
 * The fleet's GitHub write schedule in PostgreSQL: a claim locks the lane's row (FOR UPDATE), so two
 * replicas asking at once are answered one after the other from the same counts.
 */
export function createPostgresWriteSchedule(db: PostgresDb): WriteSchedule {
  return {
    claim: ({ lane, kind, limits, now, holdMs }) =>
      db.transaction(`claiming a GitHub write slot on ${lane}`, async (client) => {
        await client.query("INSERT INTO write_lanes (lane) VALUES ($1) ON CONFLICT DO NOTHING", [
          lane,
        ]);
        const { rows } = await client.query<LaneRow>(
          "SELECT * FROM write_lanes WHERE lane = $1 FOR UPDATE",
          [lane],
        );
        const row = rows[0] as LaneRow;
        if (row.holder !== null && (row.held_until ?? 0) > now) {
          return {
            granted: false,
            at: Math.min(now + FLEET_POLL_MS, row.held_until ?? now),
            reason: "another replica's write is in flight",
          };
        }
        const schedule = toSchedule(row, now);
        const start = earliestWriteStart(schedule, kind, now, limits);
        if (start.at > now) return { granted: false, ...start };
        const token = randomUUID();
        const starts =
          kind === "content" ? [...schedule.contentStarts, now] : schedule.contentStarts;
        await client.query(
          "UPDATE write_lanes SET holder = $2, held_until = $3, content_starts = $4 WHERE lane = $1",
          [lane, token, now + holdMs, starts],
        );
        return { granted: true, token };
      }),

    async release({ lane, token, kind, now, pause }) {
      // The end counts even when the hold lapsed meanwhile: the write still happened.
      await db.query(
        `releasing the GitHub write slot on ${lane}`,
        `UPDATE write_lanes SET
           holder = CASE WHEN holder = $2 THEN NULL ELSE holder END,
           held_until = CASE WHEN holder = $2 THEN NULL ELSE held_until END,
           last_write_end = GREATEST(coalesce(last_write_end, $3), $3),
           last_content_end = CASE WHEN $4 THEN GREATEST(coalesce(last_content_end, $3), $3)
             ELSE last_content_end END,
           pause_reason = CASE WHEN $5::double precision > coalesce(paused_until, 0) THEN $6
             ELSE pause_reason END,
           paused_until = GREATEST(coalesce(paused_until, 0), coalesce($5, 0))
         WHERE lane = $1`,
        [lane, token, now, kind === "content", pause?.until ?? null, pause?.reason ?? ""],
      );
    },

    async countThreadWrites(thread, since, record) {
      if (record) {
        await db.query(
          `recording a write to ${thread}`,
          `WITH gone AS (DELETE FROM thread_writes WHERE thread = $1 AND at <= $2)
           INSERT INTO thread_writes (thread, at) VALUES ($1, $3)`,
          [thread, since, record.at],
        );
      }
      const { rows } = await db.query<{ count: number }>(
        `counting the writes to ${thread}`,
        "SELECT count(*)::int AS count FROM thread_writes WHERE thread = $1 AND at > $2",
        [thread, since],
      );
      return rows[0]?.count ?? 0;
    },

    async listLanes(now) {
      const { rows } = await db.query<LaneRow & { lane: string }>(
        "listing the GitHub write lanes",
        "SELECT * FROM write_lanes ORDER BY lane",
        [],
      );
      return rows.map((row) => {
        const schedule = toSchedule(row, now);
        return {
          lane: row.lane,
          contentWritesLastHour: schedule.contentStarts.length,
          pausedUntil: schedule.pausedUntil,
          busy: row.holder !== null && (row.held_until ?? 0) > now,
        };
      });
    },
  };
}

function toSchedule(row: LaneRow, now: number): LaneSchedule {
  return {
    lastWriteEnd: row.last_write_end ?? Number.NEGATIVE_INFINITY,
    lastContentEnd: row.last_content_end ?? Number.NEGATIVE_INFINITY,
    contentStarts: row.content_starts.map(Number).filter((at) => at > now - HOUR_MS),
    pausedUntil: row.paused_until ?? Number.NEGATIVE_INFINITY,
    pauseReason: row.pause_reason,
  };
}
