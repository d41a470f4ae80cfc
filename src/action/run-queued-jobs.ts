import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { Effect, GitHubRepoRef } from "../effects/effect.ts";
import { endpointCardLinkKey } from "../effects/endpoint-card-link-key.ts";
import { isHubEffect } from "../effects/is-hub-effect.ts";
import type { RepoClient } from "../github/create-octokit-factory.ts";
import type { WriteThrottle } from "../github/write-throttle.ts";
import { describeJobError } from "../jobs/describe-job-error.ts";
import type { ExecutedEffect, Executor } from "../jobs/executor.ts";
import { planEffects } from "../rules/plan-effects.ts";
import type { EffectResult, Job, Store } from "../store/store.ts";
import { arrangeCardEffects } from "./arrange-card-effects.ts";
import { postTransitionCommentOnce } from "./post-transition-comment-once.ts";

/** One run handles its few jobs in seconds; the lease only has to outlast that. */
const LEASE_MS = 15 * 60_000;
const WORKER_ID = "github-action";

export interface JobReport {
  event: string;
  effects: Array<{ type: string; status: EffectResult["status"]; detail?: string }>;
  error?: string;
}

/**
 * Runs every job the poll queued, once, in order: plan, arrange (card state last), execute, record.
 * A failed job does not stop the others; it is reported, and since its card state was not written,
 * the next scheduled run meets the same transition again.
 *
 * A transition's dispatch is sent only by the run whose comment on it is the first: a run that finds
 * the comment already there (an earlier run died before saving the state, or an overlapping run got
 * there first) leaves the dispatch to that run, so re-runs never dispatch twice.
 */
export async function runQueuedJobs(input: {
  store: Store;
  config: BridgeConfig;
  executor: Executor;
  /** For the comment lookups around each post; the same throttle as the executor's writes. */
  clientFor: (repo: GitHubRepoRef) => Promise<RepoClient>;
  throttle: WriteThrottle;
  markerKey: string;
  log: Logger;
  /** The Hub's web address (the hub-url input) that planned links point at. */
  hubUrl?: string;
  now?: () => Date;
}): Promise<JobReport[]> {
  const { store, config, executor, log } = input;
  const now = input.now ?? (() => new Date());
  // One short run holds its jobs to the end: nothing takes them back early, so nothing aborts.
  const signal = new AbortController().signal;
  const reports: JobReport[] = [];
  for (;;) {
    const claimed = await store.claimJob({ workerId: WORKER_ID, leaseMs: LEASE_MS, now: now() });
    if (claimed === undefined) return reports;
    // An earlier run may have died (or still be running) after some writes, so the executor treats
    // every run as a retry: it looks for a create's marker before creating.
    const job = { ...claimed, attempts: Math.max(claimed.attempts, 2) };
    const report: JobReport = { event: describeEvent(job.event), effects: [] };
    reports.push(report);
    try {
      const card = job.event.kind === "endpoint.state-changed" ? job.event.endpoint : undefined;
      const cardExists =
        card !== undefined &&
        (await store.getLink(endpointCardLinkKey(card.namespace, card.name))) !== undefined;
      const plan = planEffects(
        job.event,
        config,
        input.hubUrl ? { hubUrl: input.hubUrl } : undefined,
      );
      // The Action's jobs come from its own pollers, whose events plan GitHub writes only.
      const githubEffects = plan.effects.filter((effect): effect is Effect => !isHubEffect(effect));
      const effects = arrangeCardEffects(job.event, githubEffects, cardExists);
      const outcome = [];
      let commentedElsewhere = false;
      for (const effect of effects) {
        let executed: ExecutedEffect;
        if (effect.type === "create-comment") {
          const comment = await postComment(effect, job);
          commentedElsewhere ||= comment.postedElsewhere;
          executed = comment.executed;
        } else if (commentedElsewhere && isDispatch(effect)) {
          executed = {
            status: "skipped",
            detail: "the run that first commented on this transition sent its dispatch",
          };
        } else {
          executed = await executor.execute(effect, { job, store, log, signal });
        }
        const { links, resolvedIntents, ...result } = executed;
        await store.recordEffect(job, effect.idempotencyKey, result, links, resolvedIntents);
        outcome.push({ effect, result });
        report.effects.push({
          type: effect.type,
          status: result.status,
          ...(result.detail ? { detail: result.detail } : {}),
        });
      }
      await store.completeJob(job, {
        summary:
          effects.length === 0 ? (plan.reason ?? "nothing to do") : `${effects.length} effects`,
        effects: outcome,
      });
    } catch (error) {
      report.error = describeJobError(error);
      await store.deadLetterJob(job, report.error);
    }
  }

  async function postComment(effect: Extract<Effect, { type: "create-comment" }>, job: Job) {
    const post = () => executor.execute(effect, { job, store, log, signal });
    const issueNumber = (await store.getLink(effect.issue))?.githubNumber;
    // No card yet: the executor's create fails with the reason.
    if (issueNumber === undefined) return { executed: await post(), postedElsewhere: false };
    return postTransitionCommentOnce({
      repo: effect.repo,
      link: effect.link,
      issueNumber,
      client: await input.clientFor(effect.repo),
      throttle: input.throttle,
      markerKey: input.markerKey,
      post,
    });
  }
}

function isDispatch(effect: Effect): boolean {
  return effect.type === "repository-dispatch" || effect.type === "workflow-dispatch";
}

function describeEvent(event: Parameters<typeof planEffects>[0]): string {
  if (event.kind === "endpoint.state-changed") {
    const { namespace, name, state } = event.endpoint;
    return `${namespace}/${name} ${event.previousState ?? "(new)"} → ${state}`;
  }
  return event.kind;
}
