import type { Route } from "../config/config-schema.ts";
import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { findDiscussionRoute } from "../rules/find-discussion-route.ts";
import type { DiscussionSettings } from "../rules/resolve-discussion-settings.ts";
import type { Store } from "../store/store.ts";

export interface MirroredDiscussion {
  hub: { type: HubRepoType; name: string; num: number };
  settings: DiscussionSettings;
}

/**
 * The Hub discussion behind a link key read from an issue's signed marker, provided the route that
 * mirrors it still targets this GitHub repository.
 */
export async function resolveMirroredDiscussion(
  store: Store,
  routes: readonly Route[],
  discussionKey: string,
  repoName: string,
): Promise<MirroredDiscussion | { reason: string }> {
  const link = await store.getLink(discussionKey);
  const hub = link?.state?.hub as MirroredDiscussion["hub"] | undefined;
  if (link === undefined || hub === undefined) {
    return { reason: `no mirrored discussion is recorded for ${discussionKey}` };
  }
  const found = findDiscussionRoute(routes, hub);
  if (!found.route || found.route.github.toLowerCase() !== repoName.toLowerCase()) {
    return { reason: `no route mirrors ${hub.type} ${hub.name} into ${repoName} any more` };
  }
  return { hub, settings: found.settings };
}
