import type { ExecutedEffect, ExecutionContext, Executor } from "../github/executor.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import type { Effect } from "../rules/effect.ts";
import { type HubMembersOptions, isHubOrgMember } from "./is-hub-org-member.ts";

export interface TrustGateExecutorOptions {
  inner: Executor;
  /** Reads the pull request (its author and base); undefined without HF_TOKEN. */
  hub: HubClient | undefined;
  members: Omit<HubMembersOptions, "signal">;
}

/**
 * Starts a Hub pull request's CI run only for a trusted author: listed in `pullRequests.trusted`, the
 * user who owns the repo, or a member of the organisation that owns it. A stranger's PR could
 * otherwise run a privileged workflow with the repository's secrets. A held run writes nothing and
 * its result says who opened the PR and what would trust them. The inputs say how the run was let in.
 */
export function createTrustGateExecutor(options: TrustGateExecutorOptions): Executor {
  const { inner } = options;

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    if (
      effect.type !== "workflow-dispatch" ||
      effect.trustGate === undefined ||
      inner.mode === "dry-run"
    ) {
      return inner.execute(effect, context);
    }
    const gate = effect.trustGate;
    if (options.hub === undefined) {
      throw new Error(
        `Hub pull request #${gate.num} of ${gate.hubRepo.name}: its author cannot be read without HF_TOKEN; set HF_TOKEN so the bridge can check who opened it`,
      );
    }
    const details = await options.hub.getDiscussion(gate.hubRepo, gate.num);
    const author = details.author?.name;
    const owner = gate.hubRepo.name.includes("/") ? gate.hubRepo.name.split("/")[0] : undefined;
    let approved: string | undefined;
    if (author !== undefined && gate.trusted.includes(author)) approved = "trusted list";
    else if (author !== undefined && author === owner) approved = "repo owner";
    else if (
      author !== undefined &&
      owner !== undefined &&
      (await isHubOrgMember(owner, author, { ...options.members, signal: context.signal }))
    ) {
      approved = `member of ${owner}`;
    }
    if (approved === undefined) {
      return {
        status: "skipped",
        detail: `held: Hub pull request #${gate.num} was opened by ${author === undefined ? "an unknown user" : `Hub user ${author}`}, who is not a member of ${owner ?? "the owning organisation"} nor in pullRequests.trusted; add them to pullRequests.trusted to run CI for their pull requests`,
      };
    }
    return inner.execute(
      {
        ...effect,
        inputs: {
          ...effect.inputs,
          author: author ?? "",
          base: details.changes?.base ?? "",
          approved: "true",
          approvedBy: approved,
        },
      },
      context,
    );
  }

  return { mode: inner.mode, execute };
}
