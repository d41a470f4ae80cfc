import type { BridgeConfig } from "../config/config-schema.ts";
import type { HubEffect, PlannedEffect, WorkflowRunReport } from "../effects/effect.ts";
import { isHubEffect } from "../effects/is-hub-effect.ts";
import type { OctokitFactory } from "../github/create-octokit-factory.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import { PermanentJobError } from "../jobs/job-errors.ts";
import type { LinkInput } from "../store/store.ts";
import { canSpeakForRepo } from "./can-speak-for-repo.ts";
import { createKeyedLock } from "./create-keyed-lock.ts";
import { findPostedHubComment } from "./find-posted-hub-comment.ts";
import {
  type MirroredDiscussion,
  resolveMirroredDiscussion,
} from "./resolve-mirrored-discussion.ts";
import { writeOnceOnHub } from "./write-once-on-hub.ts";

interface WriteBackExecutorOptions {
  /** Performs every GitHub effect. */
  inner: Executor;
  config: BridgeConfig;
  octokitFactory: OctokitFactory;
  /** The Hub client holding HF_TOKEN; without one, Hub effects fail saying what to set. */
  hub: HubClient | undefined;
  /** The bridge's own Hub account: only its comments can be a write-back whose answer was lost. */
  hubAccountId?: string;
  /** See HUB_WRITE_LANDING_WINDOW_MS; shorter only in tests. */
  landingWindowMs?: number;
}

type Comment = Extract<HubEffect, { type: "create-hub-comment" }>;
type Close = Extract<HubEffect, { type: "close-hub-discussion" }>;

/**
 * Runs the Hub effects of GitHub replies and closes, and hands every other effect to `inner`. What
 * needs I/O is decided here, when the job runs: the discussion the issue mirrors, the route's current
 * settings, and whether the GitHub author has write access. A decision not to write is a skipped
 * result with its reason, shown by `hf-bridge deliveries`.
 */
export function createWriteBackExecutor(
  options: WriteBackExecutorOptions,
): Executor<Exclude<PlannedEffect, WorkflowRunReport>> {
  const { inner, config, octokitFactory, hub, hubAccountId, landingWindowMs } = options;
  // Two deliveries of one GitHub comment (two webhooks) must not both find it unposted.
  const lock = createKeyedLock();

  async function execute(
    effect: Exclude<PlannedEffect, WorkflowRunReport>,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    if (!isHubEffect(effect)) return inner.execute(effect, context);
    if (hub === undefined) {
      throw new PermanentJobError(
        `${effect.type} needs HF_TOKEN, which is not set: set it to a Hub token with write access to the mirrored repos, then replay the job with "hf-bridge replay ${context.job.id}"`,
      );
    }
    const repoName = `${effect.repo.owner}/${effect.repo.repo}`;
    const mirrored = await resolveMirroredDiscussion(
      context.store,
      config.routes,
      effect.discussion,
      repoName,
    );
    if (!("hub" in mirrored)) return skipped(mirrored.reason, effect, context);
    const { settings } = mirrored;
    if (!settings.writeBack || (effect.type === "close-hub-discussion" && !settings.closeOnHub)) {
      return skipped(
        effect.type === "create-hub-comment"
          ? "discussions.writeBack is off for this route"
          : "discussions.writeBack and closeOnHub are not both on for this route",
        effect,
        context,
      );
    }
    const login = effect.type === "create-hub-comment" ? effect.author : effect.closedBy;
    const access = await canSpeakForRepo(octokitFactory, effect.repo, login);
    if (!access.allowed) {
      return skipped(
        `${login} has "${access.permission}" access to ${repoName}; only members with write access speak through the bridge`,
        effect,
        context,
      );
    }
    const client = hub;
    return effect.type === "create-hub-comment"
      ? lock(effect.link, () => postComment(client, effect, mirrored, context), context)
      : closeDiscussion(client, effect, mirrored, context);
  }

  async function postComment(
    client: HubClient,
    effect: Comment,
    { hub: target }: MirroredDiscussion,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const { store, job } = context;
    const posted = (await store.getLink(effect.link))?.state?.hubCommentId;
    if (typeof posted === "string") {
      return {
        status: "skipped",
        detail: `GitHub comment ${effect.githubCommentId} was already posted to the Hub as ${posted}`,
      };
    }
    const repo = { type: target.type, name: target.name };
    const { value, found } = await writeOnceOnHub({
      store,
      intentKey: `hub-write-intent:${effect.link}`,
      what: `comment on ${target.type} ${target.name} #${target.num}`,
      jobId: job.id,
      lookup: () =>
        findPostedHubComment({
          hub: client,
          store,
          repo,
          num: target.num,
          text: effect.body,
          githubCommentId: effect.githubCommentId,
          hubAccountId,
        }),
      write: () => client.postComment(repo, target.num, effect.body),
      ...(landingWindowMs === undefined ? {} : { landingWindowMs }),
    });
    const repoName = `${effect.repo.owner}/${effect.repo.repo}`;
    const common = { kind: "comment", repo: repoName, githubId: effect.githubCommentId };
    const links: LinkInput[] = [
      // Recognises the Hub's echo of this comment, so it is not mirrored back to GitHub.
      { key: `hub-comment:${value.id}`, ...common, state: { origin: "github" } },
      { key: effect.link, ...common, state: { hubCommentId: value.id } },
    ];
    // Recorded now as well as with the result: the echo's job may run before the worker records it.
    for (const link of links) await store.putLink(link);
    return {
      status: "done",
      detail: found
        ? `found on the Hub as comment ${value.id} (posted by an earlier attempt whose answer was lost)`
        : `posted to the Hub as comment ${value.id}`,
      links,
    };
  }

  async function closeDiscussion(
    client: HubClient,
    effect: Close,
    { hub: target }: MirroredDiscussion,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const repo = { type: target.type, name: target.name };
    const { value, found } = await writeOnceOnHub({
      store: context.store,
      intentKey: `hub-write-intent:${effect.idempotencyKey}:job-${context.job.id}`,
      what: `close ${target.type} ${target.name} #${target.num}`,
      jobId: context.job.id,
      // Someone may have closed (or merged) it on the Hub already.
      lookFirst: true,
      lookup: async () => {
        const { status } = await client.getDiscussion(repo, target.num);
        return status === "closed" || status === "merged" ? status : undefined;
      },
      write: async () => {
        await client.setStatus(repo, target.num, "closed", effect.comment);
        return "closed";
      },
      ...(landingWindowMs === undefined ? {} : { landingWindowMs }),
    });
    return found
      ? { status: "skipped", detail: `the Hub discussion is already ${value}` }
      : { status: "done", detail: "closed the Hub discussion" };
  }

  return { mode: inner.mode, execute };
}

function skipped(reason: string, effect: HubEffect, context: ExecutionContext): ExecutedEffect {
  context.log.info({ writeBack: effect.type, reason }, `write-back skipped: ${reason}`);
  return { status: "skipped", detail: reason };
}
