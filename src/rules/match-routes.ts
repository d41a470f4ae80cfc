import picomatch from "picomatch";
import type { Route } from "../config/config-schema.ts";
import type { RepoRef } from "../events/bridge-event.ts";

/** Routes whose Hub pattern (exact name or glob) and types cover the repo, in config order. */
export function matchRoutes(
  routes: readonly Route[],
  repo: Pick<RepoRef, "name" | "type">,
): Route[] {
  return routes.filter(
    (route) =>
      (!route.types || route.types.includes(repo.type)) &&
      picomatch.isMatch(repo.name, route.hub, { nocase: true, dot: true }),
  );
}
