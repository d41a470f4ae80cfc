import { type BridgeEvent, eventRepo } from "../events/bridge-event.ts";
import type { RouteMatcher } from "../rules/compile-route-matcher.ts";

type RoutingDecision = { routed: true } | { routed: false; reason: string };

/** Whether any configured route covers the event's Hub repo; an unrouted event is stored as ignored. */
export function decideRouting(matchRoutes: RouteMatcher, event: BridgeEvent): RoutingDecision {
  const repo = eventRepo(event);
  if (!repo) {
    return { routed: false, reason: `${event.kind} has no Hub repository to route by` };
  }
  if (matchRoutes(repo).length > 0) return { routed: true };
  return {
    routed: false,
    reason: `no route matches ${repo.type} ${repo.name}; add a route to hf-bridge.yml`,
  };
}
