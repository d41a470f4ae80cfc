import type { Route } from "../config/config-schema.ts";
import type { RepoRef } from "../events/bridge-event.ts";
import { matchRoutes } from "./match-routes.ts";
import {
  type DiscussionSettings,
  resolveDiscussionSettings,
} from "./resolve-discussion-settings.ts";

type DiscussionRoute =
  | { route: Route; settings: DiscussionSettings }
  | { route?: undefined; reason: string };

/**
 * The route that mirrors a Hub repo's discussions: the first matching one with discussions on. Links
 * are keyed by the Hub discussion alone, so a second route would fight over the same issue.
 */
export function findDiscussionRoute(
  routes: readonly Route[],
  repo: Pick<RepoRef, "name" | "type">,
): DiscussionRoute {
  const matching = matchRoutes(routes, repo);
  if (matching.length === 0) return { reason: `no route matches ${repo.type} "${repo.name}"` };
  for (const route of matching) {
    const settings = resolveDiscussionSettings(route);
    if (settings) return { route, settings };
  }
  return { reason: "discussions are off for this route" };
}
