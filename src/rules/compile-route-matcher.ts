import picomatch from "picomatch";
import type { Route } from "../config/config-schema.ts";
import type { RepoRef } from "../events/bridge-event.ts";

export type RouteMatcher = (repo: Pick<RepoRef, "name" | "type">) => Route[];

/** Compiles each route's Hub glob once; the HTTP edge keeps the result for every request. */
export function compileRouteMatcher(routes: readonly Route[]): RouteMatcher {
  const compiled = routes.map((route) => ({
    route,
    isMatch: picomatch(route.hub, { nocase: true, dot: true }),
  }));
  return (repo) =>
    compiled
      .filter(
        ({ route, isMatch }) =>
          (!route.types || route.types.includes(repo.type)) && isMatch(repo.name),
      )
      .map(({ route }) => route);
}
