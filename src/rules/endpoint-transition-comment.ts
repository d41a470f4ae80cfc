import type { EndpointSnapshot } from "../events/bridge-event.ts";
import { endpointMarkdownText } from "./endpoint-markdown-text.ts";
import { endpointStateBadge } from "./endpoint-state-badge.ts";
import { endpointTime } from "./endpoint-time.ts";

const ERROR_STATES = new Set(["failed", "updateFailed"]);

/** The comment that notifies the card's watchers of one transition, with the API's message quoted. */
export function endpointTransitionComment(
  endpoint: EndpointSnapshot,
  previousState: string | undefined,
): string {
  const id = `\`${endpoint.namespace}/${endpoint.name}\``;
  const was = previousState ? ` (was ${previousState})` : "";
  const headline =
    endpoint.state === "deleted"
      ? `${endpointStateBadge("deleted")}: ${id} is no longer listed in its namespace, so this card is closed.`
      : endpoint.state === "running" && previousState && ERROR_STATES.has(previousState)
        ? `${endpointStateBadge("running")} again: ${id} recovered${was}.`
        : `${endpointStateBadge(endpoint.state)}: ${id}${was}.`;
  const details = [
    endpoint.message ? `> ${endpointMarkdownText(endpoint.message)}` : undefined,
    [
      endpoint.revision ? `Revision \`${endpointMarkdownText(endpoint.revision)}\`` : undefined,
      endpoint.updatedAt ? endpointTime(endpoint.updatedAt) : undefined,
    ]
      .filter(Boolean)
      .join(" · "),
  ].filter(Boolean);
  return [headline, ...details].join("\n\n");
}
