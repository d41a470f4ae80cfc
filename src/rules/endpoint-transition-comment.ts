import type { EndpointSnapshot } from "../events/bridge-event.ts";
import { githubMarkdown } from "../text/github-markdown.ts";
import { endpointStateBadge } from "./endpoint-state-badge.ts";
import { endpointTime } from "./endpoint-time.ts";

const ERROR_STATES = new Set(["failed", "updateFailed"]);

/** The comment that notifies the card's watchers of one transition, with the API's message quoted. */
export function endpointTransitionComment(
  endpoint: EndpointSnapshot,
  previousState: string | undefined,
): string {
  const id = { hubText: `${endpoint.namespace}/${endpoint.name}` };
  const badge = { hubText: endpointStateBadge(endpoint.state) };
  const was = previousState ? githubMarkdown` (was ${{ hubText: previousState }})` : "";
  const headline =
    endpoint.state === "deleted"
      ? githubMarkdown`${badge}: \`${id}\` is no longer listed in its namespace, so this card is closed.`
      : endpoint.state === "running" && previousState && ERROR_STATES.has(previousState)
        ? githubMarkdown`${badge} again: \`${id}\` recovered${{ bridge: was }}.`
        : githubMarkdown`${badge}: \`${id}\`${{ bridge: was }}.`;
  const details = [
    endpoint.message ? githubMarkdown`> ${{ hubText: endpoint.message }}` : undefined,
    [
      endpoint.revision
        ? githubMarkdown`Revision \`${{ hubText: endpoint.revision }}\``
        : undefined,
      endpoint.updatedAt
        ? githubMarkdown`${{ hubText: endpointTime(endpoint.updatedAt) }}`
        : undefined,
    ]
      .filter(Boolean)
      .join(" · "),
  ].filter(Boolean);
  return [headline, ...details].join("\n\n");
}
