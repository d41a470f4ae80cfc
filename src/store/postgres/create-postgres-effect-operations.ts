import { randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
import {
  type CreateIntent,
  LeaseLostError,
  type Link,
  type LinkInput,
  type Store,
} from "../store.ts";
import type { PostgresDb } from "./postgres-db.ts";
import { POSTGRES_HELD_JOB } from "./postgres-held-job.ts";

type Row = Record<string, unknown>;

/** A job's completed effects, the links they created and the create intents in front of them. */
export function createPostgresEffectOperations(
  db: PostgresDb,
): Pick<
  Store,
  "recordEffect" | "getLink" | "putLink" | "getIntent" | "dropIntent" | "recordIntent"
> {
  return {
    recordEffect(job, idempotencyKey, result, links = [], resolvedIntents = []) {
      return db.transaction(
        `recording effect "${idempotencyKey}" of job ${job.id}`,
        async (client) => {
          const updated = await client.query(
            `UPDATE jobs SET completed_effects = completed_effects || jsonb_build_object($3::text, $4::jsonb),
             updated_at = now()
           WHERE ${POSTGRES_HELD_JOB}`,
            [job.id, job.leaseToken, idempotencyKey, JSON.stringify(result)],
          );
          if (updated.rowCount === 0) throw new LeaseLostError(job.id);
          for (const link of links) await upsertLink(client, link);
          if (resolvedIntents.length > 0) {
            await client.query("DELETE FROM intents WHERE key = ANY($1::text[])", [
              resolvedIntents,
            ]);
          }
        },
      );
    },

    async getLink(key) {
      const { rows } = await db.query(
        `reading link "${key}"`,
        "SELECT * FROM links WHERE key = $1",
        [key],
      );
      const row = rows[0];
      if (!row) return undefined;
      const link: Link = {
        key: row.key as string,
        kind: row.kind as string,
        repo: row.repo as string,
        githubId: row.github_id as number,
        updatedAt: row.updated_at as Date,
      };
      if (row.github_number !== null) link.githubNumber = row.github_number as number;
      if (row.state !== null) link.state = row.state as Record<string, unknown>;
      return link;
    },

    putLink(link) {
      return db.transaction(`writing link "${link.key}"`, (client) => upsertLink(client, link));
    },

    async getIntent(key) {
      const { rows } = await db.query(
        `reading the create intent "${key}"`,
        "SELECT * FROM intents WHERE key = $1",
        [key],
      );
      return rows[0] ? toIntent(rows[0]) : undefined;
    },

    async dropIntent(intent) {
      await db.query(
        `dropping the create intent "${intent.key}"`,
        "DELETE FROM intents WHERE key = $1 AND token = $2",
        [intent.key, intent.token],
      );
    },

    recordIntent(job, intent, { replacing, now }) {
      return db.transaction(
        `recording the create intent "${intent.key}" of job ${job.id}`,
        async (client) => {
          // FOR SHARE holds off a claim that would take the job over until this commits.
          const held = await client.query(
            `SELECT 1 FROM jobs WHERE ${POSTGRES_HELD_JOB} FOR SHARE`,
            [job.id, job.leaseToken],
          );
          if (held.rowCount === 0) throw new LeaseLostError(job.id);
          const values = [intent.key, intent.kind, intent.repo, job.id, randomUUID(), now];
          const { rows } =
            replacing === undefined
              ? await client.query(
                  `INSERT INTO intents (key, kind, repo, job_id, token, recorded_at)
                   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING *`,
                  values,
                )
              : await client.query(
                  `UPDATE intents SET kind = $2, repo = $3, job_id = $4, token = $5, recorded_at = $6
                   WHERE key = $1 AND token = $7 RETURNING *`,
                  [...values, replacing.token],
                );
          if (!rows[0]) return undefined;
          // After the insert, which waits for a job that is linking the key right now: a link
          // created since this job looked means the create happened, and must not happen again.
          const linked = await client.query("SELECT 1 FROM links WHERE key = $1", [intent.key]);
          if (linked.rowCount !== 0) {
            await client.query("DELETE FROM intents WHERE key = $1 AND token = $2", [
              intent.key,
              rows[0].token,
            ]);
            return undefined;
          }
          return toIntent(rows[0]);
        },
      );
    },
  };
}

async function upsertLink(client: { query: PoolClient["query"] }, link: LinkInput): Promise<void> {
  await client.query(
    `INSERT INTO links (key, kind, repo, github_id, github_number, state, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
     ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, repo = excluded.repo,
       github_id = excluded.github_id, github_number = excluded.github_number,
       state = excluded.state, updated_at = excluded.updated_at`,
    [
      link.key,
      link.kind,
      link.repo,
      link.githubId,
      link.githubNumber ?? null,
      link.state === undefined ? null : JSON.stringify(link.state),
    ],
  );
  // The link is the create's recorded result.
  await client.query("DELETE FROM intents WHERE key = $1", [link.key]);
}

function toIntent(row: Row): CreateIntent {
  return {
    key: row.key as string,
    kind: row.kind as string,
    repo: row.repo as string,
    jobId: row.job_id as number,
    token: row.token as string,
    recordedAt: row.recorded_at as Date,
  };
}
