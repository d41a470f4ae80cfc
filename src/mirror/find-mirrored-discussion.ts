import { readLinkMarker } from "../github/link-marker.ts";
import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { findDiscussionRoute } from "../rules/find-discussion-route.ts";
import type { DiscussionSettings } from "../rules/resolve-discussion-settings.ts";
import type { WriteBackDeps } from "./write-back-deps.ts";

export interface MirroredDiscussion {
  hub: { type: HubRepoType; name: string; num: number };
  settings: DiscussionSettings;
}

/**
 * The Hub discussion a GitHub issue mirrors, from the signed marker in its body (a marker typed by
 * someone else fails the signature), provided the route that mirrors it still targets this repo.
 */
export async function findMirroredDiscussion(
  deps: WriteBackDeps,
  issueBody: string | null | undefined,
  repoFullName: string,
): Promise<MirroredDiscussion | { reason: string }> {
  const key = issueBody ? readLinkMarker(issueBody, deps.markerKey) : undefined;
  if (key === undefined || !key.startsWith("hub-discussion:")) {
    return { reason: "the issue does not mirror a Hub discussion (no bridge marker)" };
  }
  const link = await deps.store.getLink(key);
  const hub = link?.state?.hub as MirroredDiscussion["hub"] | undefined;
  if (link === undefined || hub === undefined) {
    return { reason: `no mirrored discussion is recorded for ${key}` };
  }
  const found = findDiscussionRoute(deps.config.routes, hub);
  if (!found.route || found.route.github.toLowerCase() !== repoFullName.toLowerCase()) {
    return { reason: `no route mirrors ${hub.type} ${hub.name} into ${repoFullName} any more` };
  }
  return { hub, settings: found.settings };
}
