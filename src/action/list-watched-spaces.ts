import type { Route } from "../config/config-schema.ts";
import type { GitHubRepoRef } from "../effects/effect.ts";

/** A route naming several repos cannot say which of them are Spaces without asking the Hub. */
const GLOB_CHARACTERS = /[*?[\]{}!]/;

export interface WatchedSpace {
  /** `owner/name` on the Hub. */
  space: string;
  github: GitHubRepoRef;
}

/**
 * The Spaces whose runtime `watch` reads: routes with an exact `hub` name and `types: [space]`, so
 * every name asked about is known to be a Space (a model of that name would answer 404 every run).
 */
export function listWatchedSpaces(routes: readonly Route[]): WatchedSpace[] {
  const seen = new Map<string, WatchedSpace>();
  for (const route of routes) {
    const onlySpaces = route.types?.length === 1 && route.types[0] === "space";
    if (!onlySpaces || GLOB_CHARACTERS.test(route.hub)) continue;
    const [owner = "", repo = ""] = route.github.split("/");
    seen.set(`${route.hub} ${route.github}`, { space: route.hub, github: { owner, repo } });
  }
  return [...seen.values()];
}
