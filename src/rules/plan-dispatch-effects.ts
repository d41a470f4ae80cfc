import picomatch from "picomatch";
import type { Route } from "../config/config-schema.ts";
import type { DISPATCH_INPUT_VARIABLES } from "../config/template-variables.ts";
import type { Effect } from "../effects/effect.ts";
import type { BridgeEvent, RefUpdate, RepoRef } from "../events/bridge-event.ts";
import { dispatchId } from "./dispatch-id.ts";
import { matchRoutes } from "./match-routes.ts";
import type { PlannedEffects } from "./planned-effects.ts";
import { splitTemplate } from "./split-template.ts";
import { toGitHubRepoRef } from "./to-github-repo-ref.ts";

type ContentUpdatedEvent = Extract<BridgeEvent, { kind: "content.updated" }>;
type DispatchRule = Route["dispatch"][number];

/**
 * One dispatch per updated ref that a rule's `refs` (names or globs) cover, for every matching route
 * whose rule also covers the repo's type and name. Rule refs match Hub refs; `workflowRef` is the
 * GitHub ref the workflow runs on, whatever changed.
 */
export function planDispatchEffects(
  event: ContentUpdatedEvent,
  routes: readonly Route[],
): PlannedEffects {
  const matching = matchRoutes(routes, event.repo);
  if (matching.length === 0) {
    return { effects: [], reason: `no route matches ${event.repo.type} "${event.repo.name}"` };
  }
  if (matching.every((route) => route.dispatch.length === 0)) {
    return { effects: [], reason: "no dispatch rule for this route" };
  }
  const effects = matching.flatMap((route) =>
    route.dispatch.flatMap((rule, ruleIndex) =>
      ruleCoversRepo(rule, event.repo)
        ? event.refs
            .filter((update) => picomatch.isMatch(update.ref, rule.refs, { dot: true }))
            .map((update) => dispatchEffect(event.repo, update, route.github, rule, ruleIndex))
        : [],
    ),
  );
  if (effects.length > 0) return { effects };
  const updated = event.refs.map((update) => update.ref).join(", ") || "none";
  if (!matching.some((route) => route.dispatch.some((rule) => ruleCoversRepo(rule, event.repo)))) {
    return {
      effects: [],
      reason: `no dispatch rule covers ${event.repo.type} "${event.repo.name}" (rule types/repos)`,
    };
  }
  return { effects: [], reason: `no updated ref matches a dispatch rule (updated: ${updated})` };
}

function ruleCoversRepo(rule: DispatchRule, repo: RepoRef): boolean {
  if (rule.types && !rule.types.includes(repo.type)) return false;
  return !rule.repos || picomatch.isMatch(repo.name, rule.repos, { nocase: true, dot: true });
}

function dispatchEffect(
  hubRepo: RepoRef,
  update: RefUpdate,
  github: string,
  rule: DispatchRule,
  ruleIndex: number,
): Effect {
  const repo = toGitHubRepoRef(github);
  const change = `${github}:${ruleIndex}:${update.ref}:${update.oldSha ?? "-"}:${update.newSha ?? "-"}`;
  const kind = rule.workflow === undefined ? "repository-dispatch" : "workflow-dispatch";
  const idempotencyKey = `${kind}:${change}`;
  // The Hub repo too: a duplicated repo pushes the same refs and commits as its original.
  const id = dispatchId(hubRepo.id, idempotencyKey);
  const hf: Record<
    Exclude<(typeof DISPATCH_INPUT_VARIABLES)[number], "dispatchId">,
    string | null
  > = {
    repo: hubRepo.name,
    type: hubRepo.type,
    ref: update.ref,
    oldSha: update.oldSha,
    newSha: update.newSha,
    url: hubRepo.webUrl,
    // A deleted ref has no new commit to link to.
    commitUrl: update.newSha ? `${hubRepo.webUrl}/commit/${update.newSha}` : null,
  };
  const filtered =
    rule.paths || rule.pathsIgnore
      ? {
          pathFilter: {
            hubRepo: { type: hubRepo.type, name: hubRepo.name },
            oldSha: update.oldSha,
            newSha: update.newSha,
            ...(rule.paths ? { paths: rule.paths } : {}),
            ...(rule.pathsIgnore ? { pathsIgnore: rule.pathsIgnore } : {}),
          },
        }
      : {};
  if (rule.workflow !== undefined) {
    return {
      type: "workflow-dispatch",
      idempotencyKey,
      repo,
      workflow: rule.workflow,
      ref: rule.workflowRef,
      ...(rule.inputs ? { inputs: workflowInputs(rule.inputs, { ...hf, dispatchId: id }) } : {}),
      ...filtered,
    };
  }
  return {
    type: "repository-dispatch",
    idempotencyKey,
    repo,
    eventType: rule.eventType ?? `hf.${hubRepo.type}.updated`,
    // GitHub allows at most 10 top-level keys: the change sits under one, beside the dispatch's id.
    clientPayload: { hf, dispatchId: id },
    ...filtered,
  };
}

/**
 * Input values may name the change, e.g. `sha: "{{newSha}}"` (a deleted ref's sha is empty), or
 * `{{dispatchId}}`, which a workflow can use to drop a repeated dispatch. Inputs are data a workflow
 * reads, not Markdown GitHub renders, so they are filled in exactly: a repo name or ref changed by
 * Markdown sanitising would point the workflow at something else. Workflows must treat them as
 * untrusted input (pass them through `env:`, never inline them into a script).
 */
function workflowInputs(
  inputs: Record<string, string>,
  hf: Record<string, string | null>,
): Record<string, string> {
  const values = Object.fromEntries(Object.entries(hf).map(([key, value]) => [key, value ?? ""]));
  return Object.fromEntries(
    Object.entries(inputs).map(([name, template]) => {
      const split = splitTemplate(template, values, `dispatch inputs.${name}`);
      return [name, split.parts.map((part, index) => part + (split.values[index] ?? "")).join("")];
    }),
  );
}
