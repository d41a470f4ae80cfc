import type { Route } from "../config/config-schema.ts";
import type { RepoRef } from "../events/bridge-event.ts";
import { compileRouteMatcher } from "./compile-route-matcher.ts";

/** Routes whose Hub pattern (exact name or glob) and types cover the repo, in config order. */
export function matchRoutes(
  routes: readonly Route[],
  repo: Pick<RepoRef, "name" | "type">,
): Route[] {
  return compileRouteMatcher(routes)(repo);
}
