import type { BridgeConfig } from "../config/config-schema.ts";
import { commentLinkKey } from "../effects/comment-link-key.ts";
import { discussionLinkKey } from "../effects/discussion-link-key.ts";
import type { Effect } from "../effects/effect.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import { type DiscussionEvent, discussionIssueEffect } from "../rules/discussion-issue-effect.ts";
import { findDiscussionRoute } from "../rules/find-discussion-route.ts";
import type { Link, LinkInput } from "../store/store.ts";
import { commentRevision } from "./comment-revision.ts";
import { createKeyedLock } from "./create-keyed-lock.ts";
import type { RepoVisibility } from "./create-repo-visibility.ts";
import { hubStatusOf, hubStatusRank } from "./hub-status-rank.ts";

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

const STATUS_EVENTS = new Set([
  "discussion.updated",
  "discussion.closed",
  "discussion.merged",
  "discussion.deleted",
]);

/**
 * Wraps the GitHub executor with what mirroring needs beyond one write: the private-repo policy, loop
 * prevention, creating the issue on demand when a later event arrives first, and never applying a
 * Hub state older than the one already applied. The link's `state` remembers what was applied.
 */
export function createMirrorExecutor(options: MirrorExecutorOptions): Executor {
  const { inner, config, visibility, hubAccountId, hub } = options;
  const lock = createKeyedLock();

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    const event = context.job.event;
    if (!("discussion" in event)) return inner.execute(effect, context);
    const found = findDiscussionRoute(config.routes, event.repo);
    if (!found.route) return inner.execute(effect, context);

    if (event.repo.private && !found.settings.mirrorPrivateIntoPublic) {
      if (!(await visibility.isPrivate(effect.repo))) {
        return skipped(
          `skipped by policy: ${event.repo.type} ${event.repo.name} is private on the Hub and ${effect.repo.owner}/${effect.repo.repo} is public on GitHub; set discussions.mirrorPrivateIntoPublic: true on the route to mirror it anyway`,
        );
      }
    }
    if (
      hubAccountId !== undefined &&
      "comment" in event &&
      event.comment?.authorId === hubAccountId
    ) {
      return skipped("written by the bridge's own Hub account: an echo of a GitHub comment");
    }
    const issueKey = discussionLinkKey(event.repo, event.discussion);
    return lock(issueKey, () => mirror(effect, event, issueKey, found.settings, context), context);
  }

  // One read per job, however many effects it plans.
  const liveStatusByJob = new WeakMap<ExecutionContext["job"], Promise<string | undefined>>();

  /** The live status, or undefined when it cannot be read: arrival order then decides, as without a token. */
  function liveStatus(
    event: DiscussionEvent,
    context: ExecutionContext,
  ): Promise<string | undefined> {
    if (!hub) return Promise.resolve(undefined);
    let status = liveStatusByJob.get(context.job);
    if (status === undefined) {
      status = readLiveStatus(hub, event, context);
      liveStatusByJob.set(context.job, status);
    }
    return status;
  }

  async function readLiveStatus(
    discussions: Pick<HubClient, "getDiscussion">,
    event: DiscussionEvent,
    context: ExecutionContext,
  ): Promise<string | undefined> {
    try {
      return (await discussions.getDiscussion(event.repo, event.discussion.num)).status;
    } catch (error) {
      context.log.warn(
        { err: error },
        `could not read the live status of ${event.repo.name} #${event.discussion.num}; applying "${event.discussion.status}" in arrival order`,
      );
      return undefined;
    }
  }

  async function mirror(
    effect: Effect,
    event: DiscussionEvent,
    issueKey: string,
    settings: Parameters<typeof discussionIssueEffect>[2],
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const { store } = context;
    const hubState = {
      hub: { type: event.repo.type, name: event.repo.name, num: event.discussion.num },
    };
    let issue = await store.getLink(issueKey);
    if (issue === undefined && effect.type !== "create-issue") {
      const created = await inner.execute(
        discussionIssueEffect(event, effect.repo, settings),
        context,
      );
      // Recorded now, not with this effect's result: the effect below needs the issue to exist.
      for (const link of created.links ?? []) {
        await store.putLink({
          ...link,
          state: { ...link.state, ...hubState, hubStatus: hubStatusOf(event) },
        });
      }
      issue = await store.getLink(issueKey);
    }

    const status = hubStatusOf(event);
    const appliedStatus = issue?.state?.hubStatus as string | undefined;
    if (STATUS_EVENTS.has(event.kind) && appliedStatus !== undefined) {
      if (hubStatusRank(status) < hubStatusRank(appliedStatus)) {
        return skipped(`the Hub status "${status}" is older than the applied "${appliedStatus}"`);
      }
      if (status !== appliedStatus && hubStatusRank(status) === hubStatusRank(appliedStatus)) {
        const live = await liveStatus(event, context);
        if (live !== undefined && live !== status) {
          return skipped(
            `the Hub now reports "${live}", not "${status}": this delivery is older than the change to "${live}", which its own delivery mirrors`,
          );
        }
      }
    }

    let planned = effect;
    let commentLink: Link | undefined;
    const commentKey =
      "comment" in event && event.comment ? commentLinkKey(event.comment) : undefined;
    const revision = commentRevision(event.kind);
    if (
      commentKey !== undefined &&
      (effect.type === "create-comment" || effect.type === "update-comment")
    ) {
      commentLink = await store.getLink(commentKey);
      if (commentLink?.state?.origin === "github") {
        return skipped(`${commentKey} was written from GitHub; its Hub echo is not mirrored back`);
      }
      const applied = commentLink?.state?.hubRevision as number | undefined;
      if (applied !== undefined && (revision < applied || (revision === 0 && applied > 0))) {
        return skipped(`${commentKey} already shows a later Hub revision`);
      }
      if (event.kind === "comment.hidden" && effect.type === "update-comment") {
        return replaceHiddenComment(effect, issueKey, commentKey, commentLink, revision, context);
      }
      if (commentLink === undefined && effect.type === "update-comment") {
        // An edit or a hide that arrives before the comment itself: post the comment as it is now.
        planned = {
          type: "create-comment",
          idempotencyKey: effect.idempotencyKey,
          repo: effect.repo,
          issue: issueKey,
          link: commentKey,
          body: effect.body,
          ...(effect.sourceUrl === undefined ? {} : { sourceUrl: effect.sourceUrl }),
        };
      }
    }

    const result = await inner.execute(planned, context);
    const links = [...(result.links ?? [])];
    const appliesStatus = STATUS_EVENTS.has(event.kind) || planned.type === "create-issue";
    stamp(links, issue, issueKey, (state) => ({
      ...state,
      ...hubState,
      hubStatus: laterStatus(state.hubStatus as string | undefined, status, appliesStatus),
    }));
    if (
      commentKey !== undefined &&
      (planned.type === "create-comment" || planned.type === "update-comment")
    ) {
      stamp(links, commentLink, commentKey, (state) => ({ ...state, hubRevision: revision }));
    }
    // Recorded inside the lock too (the worker records them again with the result, harmlessly): the
    // next job about this discussion must see them, or it would create the issue a second time.
    for (const link of links) await store.putLink(link);
    return { ...result, links };
  }

  /**
   * GitHub keeps every version of an edited comment in its edit history, readable by anyone who can
   * read the issue, so editing the copy would keep the hidden text: the copy is deleted and the notice
   * is posted as a comment of its own, under its own link, whichever order the Hub's events came in.
   */
  async function replaceHiddenComment(
    effect: Extract<Effect, { type: "update-comment" }>,
    issueKey: string,
    commentKey: string,
    commentLink: Link | undefined,
    hiddenRevision: number,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const { store } = context;
    const links: LinkInput[] = [];
    if (commentLink !== undefined && commentLink.state?.hubRevision !== hiddenRevision) {
      const deleted = await inner.execute(
        {
          type: "delete-comment",
          idempotencyKey: `${effect.idempotencyKey}:delete-copy`,
          repo: effect.repo,
          comment: commentKey,
        },
        context,
      );
      for (const link of deleted.links ?? []) {
        const tombstone = { ...link, state: { ...link.state, hubRevision: hiddenRevision } };
        // Recorded before the notice: a retry after a crash here must not look for the copy again.
        await store.putLink(tombstone);
        links.push(tombstone);
      }
    }
    const noticeKey = `${commentKey}:hidden-notice`;
    const notice = await inner.execute(
      {
        type: "create-comment",
        idempotencyKey: `${effect.idempotencyKey}:notice`,
        repo: effect.repo,
        issue: issueKey,
        link: noticeKey,
        body: effect.body,
      },
      context,
    );
    const posted = notice.links?.find((link) => link.key === noticeKey);
    if (posted !== undefined) links.push(posted);
    if (commentLink === undefined && posted !== undefined) {
      // Hidden before it was ever mirrored: remembered as hidden, so a late create or edit is not posted.
      links.push({
        key: commentKey,
        kind: "comment",
        repo: posted.repo,
        githubId: posted.githubId,
        state: { hubRevision: hiddenRevision, hiddenNotice: noticeKey },
      });
    }
    for (const link of links) await store.putLink(link);
    return { ...notice, links };
  }

  return { mode: inner.mode, execute };
}

/** Sets the state of `key` among the links to record, adding the known link when the write returned none. */
function stamp(
  links: LinkInput[],
  known: Link | undefined,
  key: string,
  update: (state: Record<string, unknown>) => Record<string, unknown>,
): void {
  const index = links.findIndex((link) => link.key === key);
  const current = index >= 0 ? links[index] : known && withoutTime(known);
  if (current === undefined) return;
  const next = { ...current, state: update(current.state ?? {}) };
  if (index >= 0) links[index] = next;
  else links.push(next);
}

function withoutTime(link: Link): LinkInput {
  const { updatedAt: _updatedAt, ...input } = link;
  return input;
}

/** The status to remember: the incoming one when it applies and is not older than the applied one. */
function laterStatus(applied: string | undefined, incoming: string, applies: boolean): string {
  if (!applies) return applied ?? incoming;
  if (applied === undefined) return incoming;
  return hubStatusRank(incoming) >= hubStatusRank(applied) ? incoming : applied;
}

function skipped(detail: string): ExecutedEffect {
  return { status: "skipped", detail };
}
