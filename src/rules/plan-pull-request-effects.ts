import type { Route } from "../config/config-schema.ts";
import type { Effect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { dispatchId } from "./dispatch-id.ts";
import { matchRoutes } from "./match-routes.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { pullRequestRunKey } from "./pull-request-run-key.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type ContentUpdatedEvent = Extract<BridgeEvent, { kind: "content.updated" }>;

/** The ref a Hub pull request's commits land on. */
const PULL_REQUEST_REF = /^refs\/pr\/(\d+)$/;

/**
 * One workflow run per new commit of a Hub pull request (`refs/pr/N`) for every route with
 * `pullRequests`. Whether it starts depends on who opened the PR, which only the Hub can say: the
 * effect carries a TrustGate that the executor decides. Keyed by the commit, so a redelivered push
 * starts nothing twice and every new commit is its own run.
 */
export function planPullRequestEffects(
  event: ContentUpdatedEvent,
  routes: readonly Route[],
): PlannedEffects {
  const ci = matchRoutes(routes, event.repo).filter((route) => route.pullRequests !== undefined);
  if (ci.length === 0) return { effects: [] };
  const effects: Effect[] = [];
  for (const route of ci) {
    const settings = route.pullRequests;
    if (!settings) continue;
    for (const update of event.refs) {
      const num = PULL_REQUEST_REF.exec(update.ref)?.[1];
      if (num === undefined || update.newSha === null) continue;
      const idempotencyKey = pullRequestRunKey(route.github, event.repo.id, num, update.newSha);
      effects.push({
        type: "workflow-dispatch",
        idempotencyKey,
        repo: toGitHubRepoRef(route.github),
        workflow: settings.workflow,
        ref: settings.workflowRef,
        inputs: {
          repo: event.repo.name,
          type: event.repo.type,
          pr: num,
          headSha: update.newSha,
          dispatchId: dispatchId(event.repo.id, idempotencyKey),
        },
        trustGate: {
          hubRepo: { type: event.repo.type, name: event.repo.name },
          num: Number(num),
          trusted: settings.trusted,
          discussion: `hub-discussion:${event.repo.id}:${num}`,
        },
      });
    }
  }
  if (effects.length > 0) return { effects };
  return { effects: [], reason: "the push updated no Hub pull request (refs/pr/N)" };
}
