import type { Route } from "../config/config-schema.ts";
import { discussionLinkKey } from "../effects/discussion-link-key.ts";
import type { Effect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { matchRoutes } from "./match-routes.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type DiscussionEvent = Extract<BridgeEvent, { kind: "discussion.opened" | "discussion.updated" }>;

/**
 * A Hub pull request opened ready, or taken out of draft, starts its CI run too: its head commit is
 * read when the effect runs (the webhook names none), and the run is the same one per head commit
 * that a push of it starts, so one commit never starts two runs.
 */
export function planPullRequestOpenedEffects(
  event: DiscussionEvent,
  routes: readonly Route[],
): PlannedEffects {
  const { discussion } = event;
  if (!discussion.isPullRequest || discussion.status !== "open") return { effects: [] };
  const effects: Effect[] = [];
  for (const route of matchRoutes(routes, event.repo)) {
    const settings = route.pullRequests;
    if (!settings) continue;
    effects.push({
      type: "workflow-dispatch",
      idempotencyKey: `workflow-dispatch:pr-ready:${route.github}:${event.repo.id}:${discussion.num}:${event.kind}`,
      repo: toGitHubRepoRef(route.github),
      workflow: settings.workflow,
      ref: settings.workflowRef,
      inputs: { repo: event.repo.name, type: event.repo.type, pr: String(discussion.num) },
      trustGate: {
        hubRepo: { type: event.repo.type, name: event.repo.name },
        num: discussion.num,
        trusted: settings.trusted,
        discussion: discussionLinkKey(event.repo, discussion),
        headFromHub: { repoId: event.repo.id, github: route.github },
      },
    });
  }
  return { effects };
}
