import type { Logger } from "pino";
import type { BridgeEvent, CommentRef, DiscussionRef, RepoRef } from "../events/bridge-event.ts";
import type { HubClient, HubUser } from "./create-hub-client.ts";

/**
 * Names are cosmetic: a Hub that is slow to list a discussion must not hold a job for the client's
 * full 30 s, so the lookup gives up sooner and the id is shown.
 */
const AUTHOR_LOOKUP_TIMEOUT_MS = 5_000;
/** Discussions whose authors are remembered; beyond this the least recently used is forgotten. */
const MAX_CACHED_DISCUSSIONS = 1_000;

interface AuthorResolver {
  /**
   * The event with its authors' Hub usernames (and the `users:` map's GitHub logins) filled in. Never
   * throws: a failed lookup leaves the ids, and the job goes on.
   */
  resolve(event: BridgeEvent, context: { signal: AbortSignal; log: Logger }): Promise<BridgeEvent>;
}

interface CachedDiscussion {
  names: Map<string, string>;
  /** Ids a fresh listing did not name: asked about again, they are not worth another request. */
  unknown: Set<string>;
}

/**
 * Resolves author ids to usernames through the Hub discussion API (`GET …/discussions/{num}`, which
 * names the author of the discussion and of every comment): one request per discussion, cached, and
 * asked again only for an id the cached listing did not have (a newcomer's first comment).
 */
export function createAuthorResolver(options: {
  hub: Pick<HubClient, "getDiscussion">;
  /** Hub username → GitHub login (the config's `users:`). */
  users: Readonly<Record<string, string>>;
}): AuthorResolver {
  const { hub, users } = options;
  const cache = new Map<string, CachedDiscussion>();

  function remember(key: string, entry: CachedDiscussion): void {
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > MAX_CACHED_DISCUSSIONS) cache.delete(cache.keys().next().value as string);
  }

  async function names(
    repo: RepoRef,
    num: number,
    ids: string[],
    context: { signal: AbortSignal; log: Logger },
  ): Promise<Map<string, string>> {
    const key = `${repo.type}:${repo.name}#${num}`;
    const cached = cache.get(key);
    if (cached && ids.every((id) => cached.names.has(id) || cached.unknown.has(id))) {
      remember(key, cached);
      return cached.names;
    }
    try {
      const details = await hub.getDiscussion(repo, num, {
        signal: context.signal,
        timeoutMs: AUTHOR_LOOKUP_TIMEOUT_MS,
      });
      const found = new Map<string, string>();
      const add = (user: HubUser | undefined) => {
        const id = user?.id ?? user?._id;
        if (id && user?.name) found.set(id, user.name);
      };
      add(details.author);
      for (const item of details.events ?? []) add(item.author);
      const entry = { names: found, unknown: new Set(ids.filter((id) => !found.has(id))) };
      remember(key, entry);
      return found;
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      context.log.warn(
        { err: error },
        `could not look up the authors of ${repo.type} ${repo.name} #${num} on the Hub; showing their ids`,
      );
      return cached?.names ?? new Map();
    }
  }

  function named<T extends DiscussionRef | CommentRef>(post: T, found: Map<string, string>): T {
    const name = post.authorId === undefined ? post.authorName : found.get(post.authorId);
    const resolved = name ?? post.authorName;
    if (resolved === undefined) return post;
    const login = Object.hasOwn(users, resolved) ? users[resolved] : undefined;
    return { ...post, authorName: resolved, ...(login ? { authorGitHubLogin: login } : {}) };
  }

  return {
    async resolve(event, context) {
      if (!("discussion" in event)) return event;
      const comment = "comment" in event ? event.comment : undefined;
      const ids = [event.discussion, comment]
        .filter((post) => post?.authorId !== undefined && post.authorName === undefined)
        .map((post) => post?.authorId as string);
      const found =
        ids.length === 0 ? new Map() : await names(event.repo, event.discussion.num, ids, context);
      return {
        ...event,
        discussion: named(event.discussion, found),
        ...(comment ? { comment: named(comment, found) } : {}),
      } as BridgeEvent;
    },
  };
}
