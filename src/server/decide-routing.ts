import type { Route } from "../config/config-schema.ts";
import { type BridgeEvent, eventRepo } from "../events/bridge-event.ts";
import { matchRoutes } from "../rules/match-routes.ts";

export type RoutingDecision = { routed: true } | { routed: false; reason: string };

/** Whether any configured route covers the event's Hub repo; an unrouted event is stored as ignored. */
export function decideRouting(routes: readonly Route[], event: BridgeEvent): RoutingDecision {
  const repo = eventRepo(event);
  if (!repo) {
    return { routed: false, reason: `${event.kind} has no Hub repository to route by` };
  }
  if (matchRoutes(routes, repo).length > 0) return { routed: true };
  return {
    routed: false,
    reason: `no route matches ${repo.type} ${repo.name}; add a route to hf-bridge.yml`,
  };
}
