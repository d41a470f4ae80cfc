import type { BridgeConfig } from "../config/config-schema.ts";
import type { PlannedEffect } from "../effects/effect.ts";
import type { BridgeEvent } from "../events/bridge-event.ts";
import { planAlarmEffects } from "./plan-alarm-effects.ts";
import { APPROVED_LABEL, planApprovalEffects } from "./plan-approval-effects.ts";
import { planCheckRunEffects } from "./plan-check-run-effects.ts";
import { planDiscussionEffects } from "./plan-discussion-effects.ts";
import { planDispatchEffects } from "./plan-dispatch-effects.ts";
import { planEndpointEffects } from "./plan-endpoint-effects.ts";
import { planPullRequestEffects } from "./plan-pull-request-effects.ts";
import { planPullRequestOpenedEffects } from "./plan-pull-request-opened-effects.ts";
import { planSpaceBuildEffects } from "./plan-space-build-effects.ts";
import { planWorkflowRunEffects } from "./plan-workflow-run-effects.ts";
import { planWriteBackEffects } from "./plan-write-back-effects.ts";
import type { PlannedEffects } from "./planned-effects.ts";

/**
 * Refs of one push that are planned for. A push updates a few refs; a payload naming more is a bulk
 * import (every tag of a mirror) or a forged one, and one dispatch or check run per ref would flood
 * the repository. GitHub itself sends no push event for more than three tags pushed at once.
 */
const MAX_REFS_PER_DELIVERY = 100;

/** What planning knows besides the event and the config, still without I/O. */
interface PlanContext {
  /** The Hub's web address (HF_ENDPOINT) that links to models and commits point at. */
  hubUrl: string;
}

const DEFAULT_PLAN_CONTEXT: PlanContext = { hubUrl: "https://huggingface.co" };

/**
 * What GitHub (or, for replies from GitHub, the Hub) should see for one event under one config. Pure: no I/O, no clock, no randomness, so
 * a retried job plans the same effects with the same idempotency keys.
 */
export function planEffects(
  event: BridgeEvent,
  config: BridgeConfig,
  context: PlanContext = DEFAULT_PLAN_CONTEXT,
): PlannedEffects<PlannedEffect> {
  switch (event.kind) {
    case "discussion.opened":
    case "discussion.updated":
      return mergePlans(
        planDiscussionEffects(event, config.routes),
        planPullRequestOpenedEffects(event, config.routes),
      );
    case "discussion.closed":
    case "discussion.merged":
    case "discussion.deleted":
    case "comment.created":
    case "comment.edited":
    case "comment.hidden":
      return planDiscussionEffects(event, config.routes);
    case "content.updated": {
      const { refs, refused } = boundRefs(event.refs);
      const bounded = { ...event, refs };
      const plan = mergePlans(
        planCheckRunEffects(bounded, config.routes),
        planDispatchEffects(bounded, config.routes),
        planPullRequestEffects(bounded, config.routes),
      );
      return refused.length > 0 ? { ...plan, refused } : plan;
    }
    case "endpoint.state-changed":
      return planEndpointEffects(event, config, context.hubUrl);
    case "space.stage-changed":
      return planSpaceBuildEffects(event);
    case "github.comment-created": {
      // `/approve` where no route runs Hub PR CI is an ordinary reply.
      const approval = planApprovalEffects(event, config.routes);
      return approval && approval.effects.length > 0
        ? approval
        : planWriteBackEffects(event, config);
    }
    case "github.issue-closed":
      return planWriteBackEffects(event, config);
    case "github.issue-labeled":
      return (
        planApprovalEffects(event, config.routes) ?? {
          effects: [],
          reason: `the label "${event.label}" means nothing to the bridge; ${APPROVED_LABEL} approves a held Hub PR run`,
        }
      );
    case "github.workflow-run-completed":
      return planWorkflowRunEffects(event, config.routes);
    case "bridge.alarm":
      return planAlarmEffects(event, config);
    case "config.updated":
    case "repo.created":
    case "repo.updated":
    case "repo.deleted":
    case "repo.moved":
      return { effects: [], reason: `"${event.kind}" events plan no GitHub effects yet` };
    default: {
      // A new event kind fails to compile here until it is planned for (or listed above).
      const unhandled: never = event;
      const { kind } = unhandled as { kind: string };
      return { effects: [], reason: `"${kind}" is not an event kind this bridge knows` };
    }
  }
}

/** Each ref once (the first entry for it counts), and at most MAX_REFS_PER_DELIVERY of them. */
function boundRefs<T extends { ref: string }>(
  refs: readonly T[],
): { refs: T[]; refused: string[] } {
  const seen = new Set<string>();
  const distinct = refs.filter((update) => {
    if (seen.has(update.ref)) return false;
    seen.add(update.ref);
    return true;
  });
  const kept = distinct.slice(0, MAX_REFS_PER_DELIVERY);
  const refused: string[] = [];
  if (distinct.length < refs.length) {
    refused.push(`${refs.length - distinct.length} repeated ref entries ignored`);
  }
  if (kept.length < distinct.length) {
    refused.push(
      `${distinct.length - kept.length} of ${distinct.length} updated refs refused: one push is planned for at most ${MAX_REFS_PER_DELIVERY} refs, the first ones in the payload`,
    );
  }
  return { refs: kept, refused };
}

/** Effects of every plan in order; when there are none, the reasons of the features that are on. */
function mergePlans(...plans: PlannedEffects[]): PlannedEffects {
  const effects = plans.flatMap((plan) => plan.effects);
  if (effects.length > 0) return { effects };
  const reasons = plans.flatMap((plan) => (plan.reason ? [plan.reason] : []));
  return { effects: [], reason: reasons.join("; ") || "nothing to do" };
}
