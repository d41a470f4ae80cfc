import type { BridgeConfig } from "../config/config-schema.ts";
import { discussionLinkKey } from "../effects/discussion-link-key.ts";
import type { Effect } from "../effects/effect.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import { findDiscussionRoute } from "../rules/find-discussion-route.ts";
import { createKeyedLock } from "./create-keyed-lock.ts";
import { createLiveStatusReader } from "./create-live-status-reader.ts";
import type { RepoVisibility } from "./create-repo-visibility.ts";
import { mirrorDiscussionEffect } from "./mirror-discussion-effect.ts";
import { mirrorPolicySkipReason } from "./mirror-policy-skip-reason.ts";
import { skippedEffect } from "./skipped-effect.ts";

export interface MirrorExecutorOptions {
  /** The GitHub executor that performs the writes. */
  inner: Executor;
  config: BridgeConfig;
  visibility: RepoVisibility;
  /** The bridge's own Hub account id (`whoAmI` of HF_TOKEN): its comments are echoes, never mirrored. */
  hubAccountId?: string;
  /**
   * Reads a discussion's live status (with HF_TOKEN). Hub payloads carry no order, so a close and a
   * reopen delivered out of order would otherwise leave the issue in the older state.
   */
  hub?: Pick<HubClient, "getDiscussion">;
}

/**
 * Wraps the GitHub executor with what mirroring needs beyond one write: the private-repo policy, loop
 * prevention, creating the issue on demand when a later event arrives first, and never applying a
 * Hub state older than the one already applied. The link's `state` remembers what was applied.
 */
export function createMirrorExecutor(options: MirrorExecutorOptions): Executor {
  const { inner, config, visibility, hubAccountId } = options;
  const lock = createKeyedLock();
  const liveStatus = createLiveStatusReader(options.hub);

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    const event = context.job.event;
    if (!("discussion" in event)) return inner.execute(effect, context);
    const found = findDiscussionRoute(config.routes, event.repo);
    if (!found.route) return inner.execute(effect, context);
    const { settings } = found;
    const refused = await mirrorPolicySkipReason({
      effect,
      event,
      settings,
      visibility,
      hubAccountId,
    });
    if (refused !== undefined) return skippedEffect(refused);
    const issueKey = discussionLinkKey(event.repo, event.discussion);
    return lock(
      issueKey,
      () =>
        mirrorDiscussionEffect({ inner, liveStatus, effect, event, issueKey, settings, context }),
      context,
    );
  }

  return { mode: inner.mode, execute };
}
