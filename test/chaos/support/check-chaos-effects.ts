import type { DeliverySummary } from "../../../src/store/store.ts";
import { readLinkMarker } from "../../../src/text/link-marker.ts";
import type { FakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import { CHAOS_HUB_REPO, type ChaosDelivery, type ChaosPlan } from "./plan-chaos.ts";

export interface ChaosEffects {
  /** Expected and found counts per kind of object. */
  summary: string;
  findings: string[];
}

interface Expected {
  what: string;
  key: string;
  deliveries: ChaosDelivery[];
}

/**
 * Compares what the fake GitHub holds with the distinct events sent: one issue per discussion, one
 * comment per Hub comment, one dispatch per push; and every acknowledged delivery stored and done.
 * Dispatches carry nothing to look up, so a workflow can only drop a repeat by a `dispatchId` in
 * `client_payload`: repeats with the same `dispatchId` count as one run, as that workflow sees them.
 */
export function checkChaosEffects(input: {
  plan: ChaosPlan;
  /** Delivery index → the bridge's delivery id from its 2xx answer. */
  acks: ReadonlyMap<number, number>;
  stored: DeliverySummary[];
  github: FakeGitHub;
  markerKey: string;
  /** One line per GitHub write, for naming the writes behind a duplicate. */
  writes: string[];
}): ChaosEffects {
  const { plan, acks, github, markerKey } = input;
  const findings: string[] = [];
  const byBridgeId = new Map(input.stored.map((delivery) => [delivery.id, delivery]));
  const describe = (deliveries: ChaosDelivery[]) =>
    deliveries
      .map((delivery) => {
        const id = acks.get(delivery.index);
        const stored = id === undefined ? undefined : byBridgeId.get(id);
        const job = stored?.jobState
          ? `, job ${stored.jobState} after ${stored.attempts} attempt(s)`
          : "";
        return `${delivery.index} (${delivery.kind}, bridge delivery ${id ?? "none"}${job})`;
      })
      .join("; ");

  for (const delivery of plan.deliveries) {
    const id = acks.get(delivery.index);
    if (id === undefined) continue;
    const stored = byBridgeId.get(id);
    if (stored === undefined) {
      findings.push(
        `acknowledged delivery ${delivery.index} (bridge delivery ${id}) is not in the store: LOST`,
      );
    } else if (stored.jobState !== "done") {
      findings.push(
        `delivery ${delivery.index} (${delivery.kind}, bridge delivery ${id}): job ${stored.jobState ?? "missing"} after ${stored.attempts ?? 0} attempt(s)${stored.lastError ? `: ${stored.lastError}` : ""}`,
      );
    }
  }

  const repo = github.state.repos.get("acme/widgets");
  const issues = new Map<string, number[]>();
  for (const issue of repo?.issues.values() ?? []) {
    push(issues, readLinkMarker(issue.body ?? "", markerKey) ?? "(no marker)", issue.number);
  }
  const comments = new Map<string, number[]>();
  for (const comment of github.state.comments.values()) {
    if (comment.repoKey !== "acme/widgets") continue;
    push(comments, readLinkMarker(comment.body, markerKey) ?? "(no marker)", comment.id);
  }
  const dispatches = new Map<string, number[]>();
  const dispatchRuns = new Map<string, Set<string>>();
  (repo?.dispatches ?? []).forEach((dispatch, position) => {
    const payload = (dispatch.client_payload ?? {}) as {
      dispatchId?: unknown;
      hf?: { newSha?: unknown; dispatchId?: unknown };
    };
    const key = String(payload.hf?.newSha ?? "(no newSha)");
    push(dispatches, key, position + 1);
    const dispatchId = payload.dispatchId ?? payload.hf?.dispatchId;
    const runs = dispatchRuns.get(key) ?? new Set<string>();
    runs.add(dispatchId === undefined ? `repeat ${position}` : String(dispatchId));
    dispatchRuns.set(key, runs);
  });

  const expectedIssues = new Map<string, Expected>();
  const expectedComments: Expected[] = [];
  const expectedDispatches: Expected[] = [];
  for (const delivery of plan.deliveries) {
    if (delivery.kind === "push") {
      expectedDispatches.push({
        what: "dispatch",
        key: delivery.newSha ?? "",
        deliveries: [delivery],
      });
      continue;
    }
    const key = `hub-discussion:${CHAOS_HUB_REPO.id}:${delivery.discussion}`;
    const expected = expectedIssues.get(key) ?? { what: "issue", key, deliveries: [] };
    expected.deliveries.push(delivery);
    expectedIssues.set(key, expected);
    if (delivery.kind === "comment.created") {
      expectedComments.push({
        what: "comment",
        key: `hub-comment:${delivery.commentId}`,
        deliveries: [delivery],
      });
    }
  }

  const compare = (
    expected: Expected[],
    found: Map<string, number[]>,
    ids: string,
    runs?: Map<string, Set<string>>,
  ) => {
    for (const { what, key, deliveries } of expected) {
      const objects = found.get(key) ?? [];
      found.delete(key);
      const count = runs?.get(key)?.size ?? objects.length;
      if (count === 0) {
        findings.push(`MISSING ${what} ${key}; deliveries ${describe(deliveries)}`);
      } else if (count > 1) {
        const related = input.writes.filter((write) =>
          write.includes(`[${key.startsWith("hub-") ? key : `newSha ${key.slice(0, 7)}`}]`),
        );
        findings.push(
          `DUPLICATE ${what} ${key}: ${count}× (${ids} ${objects.join(", ")}); deliveries ${describe(deliveries)}; its writes: ${related.join(" | ")}`,
        );
      }
    }
    for (const [key, objects] of found) {
      findings.push(`UNEXPECTED object ${key}: ${ids} ${objects.join(", ")}`);
    }
  };
  const issueCount = [...issues.values()].flat().length;
  const commentCount = [...comments.values()].flat().length;
  const dispatchRequests = [...dispatches.values()].flat().length;
  // A dispatch re-sent under its own id (GitHub's answer lost to a kill) is one run for a workflow.
  const dispatchCount = [...dispatchRuns.values()].reduce((sum, runs) => sum + runs.size, 0);
  compare([...expectedIssues.values()], issues, "issue numbers");
  compare(expectedComments, comments, "comment ids");
  compare(expectedDispatches, dispatches, "dispatches (in order)", dispatchRuns);

  return {
    summary: `issues ${issueCount}/${expectedIssues.size}, comments ${commentCount}/${expectedComments.length}, dispatches ${dispatchCount}/${expectedDispatches.length} (found/expected; ${dispatchRequests} dispatch requests, repeats under one id counted once)`,
    findings,
  };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const values = map.get(key) ?? [];
  values.push(value);
  map.set(key, values);
}
