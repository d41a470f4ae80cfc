import type { Route } from "../config/config-schema.ts";
import type { RepoRef } from "../events/bridge-event.ts";
import { compileRouteMatcher, type RouteMatcher } from "./compile-route-matcher.ts";

/**
 * Each routes list's globs compiled once, not once per job (a config's routes are read-only for as
 * long as it runs). A cache of a pure function, not state: it drops a list with the list.
 */
const compiledRoutes = new WeakMap<readonly Route[], RouteMatcher>();

/** Routes whose Hub pattern (exact name or glob) and types cover the repo, in config order. */
export function matchRoutes(
  routes: readonly Route[],
  repo: Pick<RepoRef, "name" | "type">,
): Route[] {
  let matcher = compiledRoutes.get(routes);
  if (matcher === undefined) {
    matcher = compileRouteMatcher(routes);
    compiledRoutes.set(routes, matcher);
  }
  return matcher(repo);
}
