import type { RepoRef, WorkflowRunOutcome } from "../events/bridge-event.ts";

/** A GitHub repository named in config as `owner/repo`. */
export interface GitHubRepoRef {
  owner: string;
  repo: string;
}

/**
 * A link key names a Hub-side object (or a card) whose GitHub twin is recorded in the store's links
 * table, e.g. `hub-discussion:<repoId>:<num>`. Creates record one; updates find their target by one.
 */
export type LinkKey = string;

interface EffectBase {
  /** Stable for the same event and effect, so a retried job recognises what it already did. */
  idempotencyKey: string;
  repo: GitHubRepoRef;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckRunAnnotation[];
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

/**
 * Which GitHub commit a check run for a Hub commit belongs to is found at execution time (it needs
 * I/O): the same SHA, else a `GitHub-Commit: <sha>` trailer in the Hub commit message, else the head
 * of `fallbackBranch`. No match: nothing is written and the result says why.
 */
export interface CommitMatch {
  hubRepo: RepoRef;
  hubRef: string;
  hubSha: string;
  fallbackBranch?: string;
  /** Present when the check run follows a Space build until a terminal runtime stage. */
  spaceBuild?: { timeoutMinutes: number };
}

type CheckRunStatus = "queued" | "in_progress" | "completed";
export type CheckRunConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required";

/** The closed set of GitHub writes the bridge plans. Only executors turn these into requests. */
export type Effect =
  | (EffectBase & {
      type: "create-issue";
      link: LinkKey;
      title: string;
      body: string;
      labels?: string[];
      /** Where the full text lives, linked from a truncation notice. */
      sourceUrl?: string;
    })
  | (EffectBase & {
      type: "update-issue";
      issue: LinkKey;
      title?: string;
      body?: string;
      sourceUrl?: string;
    })
  | (EffectBase & { type: "close-issue"; issue: LinkKey; reason: "completed" | "not_planned" })
  | (EffectBase & { type: "reopen-issue"; issue: LinkKey })
  | (EffectBase & { type: "add-labels"; issue: LinkKey; labels: string[] })
  | (EffectBase & { type: "remove-labels"; issue: LinkKey; labels: string[] })
  | (EffectBase & {
      type: "create-comment";
      issue: LinkKey;
      link: LinkKey;
      body: string;
      sourceUrl?: string;
    })
  | (EffectBase & { type: "update-comment"; comment: LinkKey; body: string; sourceUrl?: string })
  | (EffectBase & { type: "delete-comment"; comment: LinkKey })
  | (EffectBase & {
      type: "create-check-run";
      link: LinkKey;
      name: string;
      headSha: string;
      status: CheckRunStatus;
      conclusion?: CheckRunConclusion;
      detailsUrl?: string;
      externalId?: string;
      output: CheckRunOutput;
      /** When present, `headSha` is only the first candidate; see CommitMatch. */
      commitMatch?: CommitMatch;
    })
  | (EffectBase & {
      type: "update-check-run";
      checkRun: LinkKey;
      status?: CheckRunStatus;
      conclusion?: CheckRunConclusion;
      output?: CheckRunOutput;
    })
  | (EffectBase & {
      type: "repository-dispatch";
      eventType: string;
      clientPayload: Record<string, unknown>;
      /** Sent only when a file changed by the push matches; see PathFilter. */
      pathFilter?: PathFilter;
    })
  | (EffectBase & {
      type: "workflow-dispatch";
      workflow: string;
      ref: string;
      inputs?: Record<string, string>;
      pathFilter?: PathFilter;
      /** A Hub pull request's CI run: started only for a trusted author; see TrustGate. */
      trustGate?: TrustGate;
      /** A maintainer's approval of a held run; its workflow and inputs are the held run's. */
      approval?: PullRequestApproval;
    });

/**
 * Who opened the Hub pull request is read from the Hub when the effect runs (the push names no
 * author): a member of the repo's owning organisation, or a user in `trusted`, starts the workflow;
 * anyone else's run is held, and the result says so. The inputs then name the author and the base.
 */
export interface TrustGate {
  hubRepo: Pick<RepoRef, "type" | "name">;
  num: number;
  trusted: string[];
  /** `hub-discussion:<repoId>:<num>`: where a held run asks for approval when the PR is mirrored. */
  discussion: LinkKey;
  /**
   * Set when the event named no commit (PR opened, out of draft): the head is read from the Hub, and
   * the run becomes the one a push of that commit plans (same key), so it starts once.
   */
  headFromHub?: { repoId: string; github: string };
}

/**
 * `/approve` (or the `hub-pr:approved` label) on the issue that mirrors a Hub pull request. Whether `login` has write access and which
 * commit is waiting are read when the effect runs; the approval starts that commit's run only.
 */
export interface PullRequestApproval {
  discussion: LinkKey;
  login: string;
  issueNumber: number;
  /** How it was approved (`comment <id>`, `label by <login>`): a redelivery is the same approval. */
  via: string;
}

/**
 * A dispatch rule's `paths` / `pathsIgnore`: which files changed between the two commits is read from
 * the Hub when the effect runs (I/O), and the dispatch is sent only when one of them counts (matches
 * `paths`, when given, and not `pathsIgnore`). The counted paths go into the client_payload.
 */
export interface PathFilter {
  hubRepo: Pick<RepoRef, "type" | "name">;
  oldSha: string | null;
  newSha: string | null;
  paths?: string[];
  pathsIgnore?: string[];
}

/**
 * Writes to a Hub discussion, planned from GitHub webhooks (write-back). `repo` is the GitHub repository
 * of the mirrored issue: who may speak through the bridge is decided there, when the effect runs.
 */
export type HubEffect =
  | (EffectBase & {
      type: "create-hub-comment";
      /** The Hub discussion the issue mirrors (`hub-discussion:<repoId>:<num>`). */
      discussion: LinkKey;
      /** `github-comment:<owner/repo>:<id>`: the GitHub comment whose link records the Hub comment. */
      link: LinkKey;
      issueNumber: number;
      githubCommentId: number;
      /** The GitHub login that wrote the comment; it needs write access to `repo` when this runs. */
      author: string;
      /** The Hub comment's Markdown, already made safe for the Hub. */
      body: string;
    })
  | (EffectBase & {
      type: "close-hub-discussion";
      discussion: LinkKey;
      issueNumber: number;
      /** The GitHub login that closed the issue; it needs write access to `repo` when this runs. */
      closedBy: string;
      /** Posted with the status change, so the Hub thread says why it closed. */
      comment: string;
    })
  /**
   * A finished run of a Hub PR's CI workflow (`repo` ran it): its status comment on the Hub PR, and on
   * the mirrored issue when there is one, each one per workflow and edited in place. Which PR and
   * commit the run tested was recorded when the bridge started it, and is read when this runs.
   */
  | WorkflowRunReport;

export type WorkflowRunReport = EffectBase & {
  type: "report-workflow-run";
  run: WorkflowRunOutcome;
};

/** Everything a planner may ask for: GitHub writes, and Hub writes for replies from GitHub. */
export type PlannedEffect = Effect | HubEffect;
