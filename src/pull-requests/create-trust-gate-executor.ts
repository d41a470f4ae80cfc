import type { Effect, PullRequestApproval, TrustGate } from "../effects/effect.ts";
import type { OctokitFactory } from "../github/create-octokit-factory.ts";
import { HUB_REPO_TYPES, type HubRepoType } from "../hf/hub-payload-schema.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import { isHubOrgMember } from "../hub/is-hub-org-member.ts";
import { readPullRequestHead } from "../hub/read-pull-request-head.ts";
import type { HubReadOptions } from "../hub/send-hub-read.ts";
import type { ExecutedEffect, ExecutionContext, Executor } from "../jobs/executor.ts";
import { canSpeakForRepo } from "../mirror/can-speak-for-repo.ts";
import { createKeyedLock } from "../mirror/create-keyed-lock.ts";
import { writeOnceOnHub } from "../mirror/write-once-on-hub.ts";
import { dispatchId } from "../rules/dispatch-id.ts";
import { APPROVED_LABEL } from "../rules/plan-approval-effects.ts";
import { pullRequestRunKey } from "../rules/pull-request-run-key.ts";
import { type WorkflowRunRecord, workflowRunRecordKey } from "./workflow-run-record-key.ts";

interface TrustGateExecutorOptions {
  inner: Executor;
  /** Reads the pull request (its author and base); undefined without HF_TOKEN. */
  hub: HubClient | undefined;
  members: Omit<HubReadOptions, "signal">;
  /** Reads an approver's permission on the GitHub repository. */
  octokitFactory: OctokitFactory;
}

type Dispatch = Extract<Effect, { type: "workflow-dispatch" }>;

/** What waits for approval: the newest commit of an untrusted PR, and the run it would start. */
interface HeldRun {
  headSha: string;
  author: string;
  idempotencyKey: string;
  inputs: Record<string, string>;
}

/**
 * Starts a Hub pull request's CI run only for a trusted author: listed in `pullRequests.trusted`, the
 * user who owns the repo, or a member of the organisation that owns it. A stranger's PR could
 * otherwise run a privileged workflow with the repository's secrets. A stranger's run is held: the
 * mirrored issue (or, unmirrored, the Hub PR) says it waits for `/approve` from someone with write
 * access, and that approval starts the held commit's run only; a newer commit is held again.
 */
export function createTrustGateExecutor(options: TrustGateExecutorOptions): Executor {
  const { inner } = options;
  // Two approvals of one commit (two comments at once) must not both find it not yet started.
  const lock = createKeyedLock();

  async function execute(effect: Effect, context: ExecutionContext): Promise<ExecutedEffect> {
    if (effect.type !== "workflow-dispatch" || inner.mode === "dry-run") {
      return inner.execute(effect, context);
    }
    if (effect.approval !== undefined) return approve(effect, effect.approval, context);
    if (effect.trustGate === undefined) return inner.execute(effect, context);
    return gate(await withHead(effect, effect.trustGate, context), effect.trustGate, context);
  }

  async function withHead(
    effect: Dispatch,
    gate: TrustGate,
    context: ExecutionContext,
  ): Promise<Dispatch> {
    if (gate.headFromHub === undefined) return effect;
    const { repoId, github } = gate.headFromHub;
    const headSha = await readPullRequestHead(gate.hubRepo, gate.num, {
      ...options.members,
      signal: context.signal,
    });
    const idempotencyKey = pullRequestRunKey(github, repoId, String(gate.num), headSha);
    return {
      ...effect,
      idempotencyKey,
      inputs: { ...effect.inputs, headSha, dispatchId: dispatchId(repoId, idempotencyKey) },
    };
  }

  async function gate(
    effect: Dispatch,
    gate: TrustGate,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const hub = requireHub(gate.num, gate.hubRepo.name);
    const details = await hub.getDiscussion(gate.hubRepo, gate.num);
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
    const inputs = {
      ...effect.inputs,
      author: author ?? "",
      base: details.changes?.base ?? "",
    };
    const headSha = effect.inputs?.headSha ?? "";
    if (approved === undefined) {
      const held: HeldRun = {
        headSha,
        author: author ?? "",
        idempotencyKey: effect.idempotencyKey,
        inputs,
      };
      await context.store.setState(heldKey(effect, gate.discussion), held);
      const where = await requestApproval(effect, gate, held, context);
      return {
        status: "skipped",
        detail: `held: Hub pull request #${gate.num} was opened by ${author === undefined ? "an unknown user" : `Hub user ${author}`}, who is not a member of ${owner ?? "the owning organisation"} nor in pullRequests.trusted; ${where}. Add them to pullRequests.trusted to run CI for their pull requests without approval`,
      };
    }
    return startOnce(
      { ...effect, inputs: { ...inputs, approved: "true", approvedBy: approved } },
      gate.discussion,
      headSha,
      context,
    );
  }

  async function approve(
    effect: Dispatch,
    approval: PullRequestApproval,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const { store } = context;
    const held = (await store.getState(heldKey(effect, approval.discussion))) as
      | HeldRun
      | null
      | undefined;
    if (!held) {
      return {
        status: "skipped",
        detail: `approval by ${approval.login}: no run of ${effect.workflow} waits for approval on this pull request`,
      };
    }
    const repoName = `${effect.repo.owner}/${effect.repo.repo}`;
    const access = await canSpeakForRepo(options.octokitFactory, effect.repo, approval.login);
    if (!access.allowed) {
      const reason = `${approval.login} has "${access.permission}" access to ${repoName}; only someone with write access can approve a CI run`;
      await inner.execute(
        {
          type: "create-comment",
          idempotencyKey: `pr-approval-refused:${approval.via}:${held.headSha}:${effect.workflow}`,
          repo: effect.repo,
          issue: approval.discussion,
          link: `pr-approval-refused:${repoName.toLowerCase()}#${approval.issueNumber}:${approval.via}:${held.headSha}:${effect.workflow}`,
          body: `@${approval.login} your approval was refused: ${reason}. The run of \`${effect.workflow}\` for ${held.headSha.slice(0, 12)} is still held until someone with write access approves it.`,
        },
        context,
      );
      return { status: "skipped", detail: `approval refused: ${reason}` };
    }
    return startOnce(
      {
        ...effect,
        idempotencyKey: held.idempotencyKey,
        inputs: { ...held.inputs, approved: "true", approvedBy: approval.login },
      },
      approval.discussion,
      held.headSha,
      context,
    );
  }

  /** One run per workflow and head commit, whichever path (push, approval) gets there first. */
  function startOnce(
    effect: Dispatch,
    discussion: string,
    headSha: string,
    context: ExecutionContext,
  ): Promise<ExecutedEffect> {
    const key =
      `pr-run:${effect.repo.owner}/${effect.repo.repo}:${effect.workflow}:${discussion}:${headSha}`.toLowerCase();
    return lock(
      key,
      async () => {
        const started = await context.store.getState(key);
        if (started) {
          return {
            status: "skipped",
            detail: `${effect.workflow} already started for ${headSha.slice(0, 12)} (${(started as { by?: string }).by ?? "earlier"})`,
          };
        }
        const { trustGate: _gate, approval: _approval, ...dispatch } = effect;
        const executed = await inner.execute(dispatch, context);
        await context.store.setState(key, { by: effect.inputs?.approvedBy ?? "" });
        await recordRun(effect, discussion, headSha, executed, context);
        return executed;
      },
      context,
    );
  }

  /**
   * Remembers which PR and commit the run tests, for its `workflow_run` result. GitHub names the run
   * only when it answers with run details (github.com does); without, the Action's report step is the
   * way back.
   */
  async function recordRun(
    effect: Dispatch,
    discussion: string,
    headSha: string,
    executed: ExecutedEffect,
    context: ExecutionContext,
  ): Promise<void> {
    const { inputs = {} } = effect;
    const type = inputs.type;
    if (executed.githubId === undefined || !isHubRepoType(type) || !inputs.repo) return;
    const record: WorkflowRunRecord = {
      hubRepo: { type, name: inputs.repo },
      num: Number(inputs.pr),
      discussion,
      headSha,
      approvedBy: inputs.approvedBy ?? "",
    };
    await context.store.setState(workflowRunRecordKey(effect.repo, executed.githubId), record);
  }

  async function requestApproval(
    effect: Dispatch,
    gate: TrustGate,
    held: HeldRun,
    context: ExecutionContext,
  ): Promise<string> {
    const short = held.headSha.slice(0, 12);
    const waiting = `The CI run of \`${effect.workflow}\` for commit ${short} of this pull request waits for approval: its author${held.author ? ` (${held.author})` : ""} is not trusted.`;
    const mirrored = await context.store.getLink(gate.discussion);
    // Approval is given on the mirrored issue; without one, trusting the author is the only way in.
    const text = mirrored
      ? `${waiting} A maintainer with write access to ${effect.repo.owner}/${effect.repo.repo} approves it by commenting \`/approve\` on the mirrored GitHub issue or adding the \`${APPROVED_LABEL}\` label to it. Each new commit needs a new approval.`
      : `${waiting} This pull request is not mirrored to GitHub, so it cannot be approved there: a maintainer adds the author to \`pullRequests.trusted\` in the bridge's hf-bridge.yml, or turns on \`discussions\` for this route to approve runs one commit at a time.`;
    if (mirrored) {
      // A label left from the last commit's approval would read as approving this one; adding it again approves.
      await inner.execute(
        {
          type: "remove-labels",
          idempotencyKey: `pr-approval-label-reset:${effect.idempotencyKey}`,
          repo: effect.repo,
          issue: gate.discussion,
          labels: [APPROVED_LABEL],
        },
        context,
      );
      await inner.execute(
        {
          type: "create-comment",
          idempotencyKey: `pr-approval-request:${effect.idempotencyKey}`,
          repo: effect.repo,
          issue: gate.discussion,
          link: `pr-approval-request:${effect.idempotencyKey}`,
          body: text,
        },
        context,
      );
      return `approval was requested on GitHub issue #${mirrored.githubNumber ?? mirrored.githubId}`;
    }
    const hub = requireHub(gate.num, gate.hubRepo.name);
    const { value } = await writeOnceOnHub({
      store: context.store,
      intentKey: `hub-write-intent:pr-approval-request:${effect.idempotencyKey}`,
      what: `approval request on ${gate.hubRepo.name} #${gate.num}`,
      jobId: context.job.id,
      lookFirst: true,
      lookup: async () => {
        const { events } = await hub.getDiscussion(gate.hubRepo, gate.num);
        const found = events.find((event) => event.data?.latest?.raw === text);
        return found ? { id: found.id } : undefined;
      },
      write: () => hub.postComment(gate.hubRepo, gate.num, text),
    });
    return `approval was requested on the Hub pull request (comment ${value.id})`;
  }

  function requireHub(num: number, name: string): HubClient {
    if (options.hub === undefined) {
      throw new Error(
        `Hub pull request #${num} of ${name}: its author cannot be read without HF_TOKEN; set HF_TOKEN so the bridge can check who opened it`,
      );
    }
    return options.hub;
  }

  return { mode: inner.mode, execute };
}

function isHubRepoType(type: string | undefined): type is HubRepoType {
  return (HUB_REPO_TYPES as readonly (string | undefined)[]).includes(type);
}

function heldKey(effect: Dispatch, discussion: string): string {
  return `pr-held:${effect.repo.owner}/${effect.repo.repo}:${effect.workflow}:${discussion}`.toLowerCase();
}
