import type { BridgeConfig } from "../config/config-schema.ts";
import { discussionLinkKey } from "../effects/discussion-link-key.ts";
import type { BridgeEvent, CommentRef, DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import { hubWebUrl } from "../events/normalize-hub-payload.ts";
import type {
  HubClient,
  HubDiscussionDetails,
  HubDiscussionEvent,
  HubRepoId,
  HubUser,
} from "../hub/create-hub-client.ts";
import { findDiscussionRoute } from "../rules/find-discussion-route.ts";
import type { Store } from "../store/store.ts";

/**
 * Replies queued per discussion, each its own job and GitHub comment: a thread of thousands would
 * otherwise become thousands of writes from one command. The first ones are mirrored, oldest first.
 */
export const MAX_BACKFILL_REPLIES_PER_DISCUSSION = 100;

interface BackfillReport {
  listed: number;
  /** Discussions queued for mirroring by this run. */
  queued: number;
  /** Discussions that already have an issue, or were queued by an earlier run. */
  skipped: number;
  /** Existing replies queued as comments on the new issues. */
  replies: number;
  /** Replies past MAX_BACKFILL_REPLIES_PER_DISCUSSION, not mirrored. */
  repliesLeftOut: number;
}

/**
 * Queues a `discussion.opened` (and its closed/merged status) for every discussion of a Hub repo that
 * has no mirrored issue yet; a running bridge's worker mirrors them. Idempotent twice over: mirrored
 * discussions are skipped by their link, and queued ones by the delivery's dedupe key.
 */
export async function backfillDiscussions(options: {
  store: Store;
  hub: HubClient;
  config: BridgeConfig;
  repo: HubRepoId;
  /** The Hub's web address (HF_ENDPOINT) the mirrored links point at; default huggingface.co. */
  hubUrl?: string;
  now?: () => Date;
}): Promise<BackfillReport> {
  const { store, hub, config } = options;
  const now = options.now ?? (() => new Date());
  const found = findDiscussionRoute(config.routes, options.repo);
  if (!found.route) {
    throw new Error(
      `${options.repo.type} ${JSON.stringify(options.repo.name)} is not mirrored: ${found.reason}; add a route with discussions: true to the config`,
    );
  }
  const info = await hub.repoInfo(options.repo);
  const repo: RepoRef = {
    id: info.id,
    name: info.name,
    type: options.repo.type,
    private: info.private,
    webUrl: hubWebUrl(options.repo.type, info.name, options.hubUrl),
  };
  const listed = await hub.listDiscussions(options.repo);
  const report: BackfillReport = {
    listed: listed.length,
    queued: 0,
    skipped: 0,
    replies: 0,
    repliesLeftOut: 0,
  };
  for (const summary of listed) {
    const discussionRef = { num: summary.num } as DiscussionRef;
    if (await store.getLink(discussionLinkKey(repo, discussionRef))) {
      report.skipped += 1;
      continue;
    }
    const details = await hub.getDiscussion(options.repo, summary.num);
    let queuedAny = false;
    const { events, repliesLeftOut } = backfillEvents(repo, details);
    report.repliesLeftOut += repliesLeftOut;
    for (const event of events) {
      const which = event.kind === "comment.created" ? `comment:${event.comment.id}` : event.kind;
      const result = await store.recordDelivery({
        source: "hub",
        receivedAt: now(),
        dedupeKey: `backfill:${repo.id}:${details.num}:${which}`,
        body: JSON.stringify(details),
        headers: {},
        disposition: "queued",
        reason: "backfill",
        event,
      });
      if (result.status !== "accepted") continue;
      queuedAny = true;
      if (event.kind === "comment.created") report.replies += 1;
    }
    if (queuedAny) report.queued += 1;
    else report.skipped += 1;
  }
  return report;
}

/** The Hub's listing names the author; the id is kept as webhooks have it. */
function authorOf(author: HubUser | undefined): { authorId?: string; authorName?: string } {
  const id = author?.id ?? author?._id;
  return {
    ...(id ? { authorId: id } : author?.name ? { authorId: author.name } : {}),
    ...(author?.name ? { authorName: author.name } : {}),
  };
}

function backfillEvents(
  repo: RepoRef,
  details: HubDiscussionDetails,
): { events: BridgeEvent[]; repliesLeftOut: number } {
  const webUrl = `${repo.webUrl}/discussions/${details.num}`;
  const discussion: DiscussionRef = {
    id: `${repo.id}:${details.num}`,
    num: details.num,
    title: details.title,
    status: details.status,
    isPullRequest: details.isPullRequest,
    webUrl,
    ...authorOf(details.author),
    ...(details.changes ? { baseRef: details.changes.base } : {}),
    ...(details.changes?.mergeCommitId ? { mergeCommitId: details.changes.mergeCommitId } : {}),
  };
  const [opening, ...replies] = details.events
    .filter((event) => event.type === "comment")
    .map((event) => commentRef(event, webUrl));
  const events: BridgeEvent[] = [
    { kind: "discussion.opened", repo, discussion, ...(opening ? { comment: opening } : {}) },
  ];
  const mirrored = replies.slice(0, MAX_BACKFILL_REPLIES_PER_DISCUSSION);
  for (const comment of mirrored)
    events.push({ kind: "comment.created", repo, discussion, comment });
  if (details.status === "closed") events.push({ kind: "discussion.closed", repo, discussion });
  if (details.status === "merged") events.push({ kind: "discussion.merged", repo, discussion });
  return { events, repliesLeftOut: replies.length - mirrored.length };
}

function commentRef(event: HubDiscussionEvent, discussionUrl: string): CommentRef {
  return {
    id: event.id,
    hidden: event.data?.hidden === true,
    webUrl: `${discussionUrl}#${event.id}`,
    ...authorOf(event.author),
    ...(event.data?.hidden || event.data?.latest?.raw === undefined
      ? {}
      : { content: event.data.latest.raw }),
  };
}
