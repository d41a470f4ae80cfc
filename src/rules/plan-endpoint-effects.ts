import type { BridgeConfig, EndpointWatch } from "../config/config-schema.ts";
import type { Effect, GitHubRepoRef, LinkKey } from "../effects/effect.ts";
import { endpointCardLinkKey } from "../effects/endpoint-card-link-key.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { sha256 } from "../util/sha256.ts";
import { dispatchId } from "./dispatch-id.ts";
import { endpointCardBody } from "./endpoint-card-body.ts";
import { endpointCardTitle } from "./endpoint-card-title.ts";
import { endpointCheckRun } from "./endpoint-check-run.ts";
import { endpointTransitionComment } from "./endpoint-transition-comment.ts";
import { endpointWatchesMatching } from "./endpoint-watches-matching.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type EndpointEvent = Extract<BridgeEvent, { kind: "endpoint.state-changed" }>;

/** Enough of the card body's hash to tell two renderings apart inside one idempotency key. */
const CONTENT_HASH_LENGTH = 16;
/** Alerts worth sending even for the first sight of an endpoint: it may have failed while we were down. */
const ALERT_STATES = new Set(["failed", "updateFailed"]);
const DELETED_STATE = "deleted";

/**
 * Keeps one card issue per endpoint (body, state label) and raises the configured alerts. Cards are
 * keyed by the endpoint alone, so only the first config entry watching it gets one, as with routes.
 *
 * Comments and dispatches fire on entering a state listed in `commentOn`/`dispatchOn`; the first sight
 * of an endpoint counts as entering only for error states, so a fleet of running endpoints met at
 * start-up makes cards, not noise. A deleted endpoint always gets a closing note. Entering `running`
 * or a failure also reports on the GitHub commit of the model revision, when one matches.
 */
export function planEndpointEffects(
  event: EndpointEvent,
  config: BridgeConfig,
  hubUrl = "https://huggingface.co",
): PlannedEffects {
  const { namespace, name } = event.endpoint;
  const watch = endpointWatchesMatching(config.endpoints, namespace, name)[0];
  if (!watch) {
    return {
      effects: [],
      reason: `no endpoints[] entry watches "${namespace}/${name}"; add its namespace and name to the config`,
    };
  }
  return { effects: endpointEffects(event, watch, hubUrl.replace(/\/+$/, "")) };
}

function endpointEffects(event: EndpointEvent, watch: EndpointWatch, hubUrl: string): Effect[] {
  const { endpoint, previousState } = event;
  const { state } = endpoint;
  const repo = toGitHubRepoRef(watch.github);
  const card = endpointCardLinkKey(endpoint.namespace, endpoint.name);
  // A return to an earlier state carries a new updatedAt, so each transition has its own keys.
  const transition = `${card}:${state}@${endpoint.updatedAt ?? event.history?.at(-1)?.at ?? "-"}`;
  const body = endpointCardBody(endpoint, event.history ?? [], hubUrl);
  const entered = state !== previousState;
  const announce = entered && (previousState !== undefined || ALERT_STATES.has(state));

  const effects: Effect[] = [
    {
      type: "create-issue",
      idempotencyKey: `create-issue:${card}`,
      repo,
      link: card,
      title: endpointCardTitle(`${endpoint.namespace}/${endpoint.name}`),
      body,
      labels: [stateLabel(state)],
    },
    {
      type: "update-issue",
      idempotencyKey: `update-issue:${card}:${sha256(body).slice(0, CONTENT_HASH_LENGTH)}`,
      repo,
      issue: card,
      body,
    },
  ];
  if (previousState === DELETED_STATE && entered) {
    effects.push({
      type: "reopen-issue",
      idempotencyKey: `reopen-issue:${transition}`,
      repo,
      issue: card,
    });
  }
  if (entered) effects.push(...labelEffects(repo, card, transition, state, previousState));
  if (state === DELETED_STATE || (announce && watch.commentOn.includes(state))) {
    effects.push(commentEffect(event, repo, card, transition));
  }
  if (announce && watch.dispatchOn.includes(state)) {
    effects.push(dispatchEffect(event, repo, transition, watch.dispatchEventType));
  }
  const checkRun = entered ? endpointCheckRun(endpoint, repo, transition, hubUrl) : undefined;
  if (checkRun) effects.push(checkRun);
  if (state === DELETED_STATE && entered) {
    effects.push({
      type: "close-issue",
      idempotencyKey: `close-issue:${transition}`,
      repo,
      issue: card,
      reason: "completed",
    });
  }
  return effects;
}

function labelEffects(
  repo: GitHubRepoRef,
  card: LinkKey,
  transition: string,
  state: string,
  previousState: string | undefined,
): Effect[] {
  const effects: Effect[] = [];
  if (previousState !== undefined) {
    effects.push({
      type: "remove-labels",
      idempotencyKey: `remove-labels:${transition}`,
      repo,
      issue: card,
      labels: [stateLabel(previousState)],
    });
  }
  effects.push({
    type: "add-labels",
    idempotencyKey: `add-labels:${transition}`,
    repo,
    issue: card,
    labels: [stateLabel(state)],
  });
  return effects;
}

function commentEffect(
  event: EndpointEvent,
  repo: GitHubRepoRef,
  card: LinkKey,
  transition: string,
): Effect {
  const link = `${transition}:comment`;
  return {
    type: "create-comment",
    idempotencyKey: `create-comment:${link}`,
    repo,
    issue: card,
    link,
    body: endpointTransitionComment(event.endpoint, event.previousState),
  };
}

function dispatchEffect(
  event: EndpointEvent,
  repo: GitHubRepoRef,
  transition: string,
  eventType: string,
): Effect {
  const { endpoint } = event;
  const idempotencyKey = `repository-dispatch:${transition}`;
  return {
    type: "repository-dispatch",
    idempotencyKey,
    repo,
    eventType,
    // GitHub allows at most 10 top-level keys; these six keep room and a stable shape.
    clientPayload: {
      dispatchId: dispatchId(`${repo.owner}/${repo.repo}`, idempotencyKey),
      endpoint: {
        namespace: endpoint.namespace,
        name: endpoint.name,
        repository: endpoint.repository ?? null,
        url: endpoint.url ?? null,
      },
      state: endpoint.state,
      previousState: event.previousState ?? null,
      message: endpoint.message ?? null,
      revision: endpoint.revision ?? null,
    },
  };
}

function stateLabel(state: string): string {
  return `endpoint:${state}`;
}
