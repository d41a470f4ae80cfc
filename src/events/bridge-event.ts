import type { HubRepoType } from "../hf/hub-payload-schema.ts";

/** The Hub repository an event is about, in the few fields every layer after parsing needs. */
export interface RepoRef {
  id: string;
  /** `owner/name`; old canonical repos have no owner (`gpt2`). */
  name: string;
  type: HubRepoType;
  private: boolean;
  webUrl: string;
}

export interface DiscussionRef {
  id: string;
  num: number;
  title: string;
  status: string;
  isPullRequest: boolean;
  authorId?: string;
  /** The author's Hub username, filled in when the job runs (webhooks carry the id only). */
  authorName?: string;
  /** The GitHub login the config's `users:` map gives the author, shown as plain text. */
  authorGitHubLogin?: string;
  baseRef?: string;
  mergeCommitId?: string;
  webUrl: string;
}

export interface CommentRef {
  id: string;
  authorId?: string;
  /** As DiscussionRef's. */
  authorName?: string;
  authorGitHubLogin?: string;
  /** Undefined when hidden: the Hub drops the text, and so does the bridge. */
  content?: string;
  hidden: boolean;
  webUrl: string;
}

export interface RefUpdate {
  ref: string;
  oldSha: string | null;
  newSha: string | null;
}

/** What the pollers report for an Inference Endpoint, already reduced to what cards and alerts show. */
export interface EndpointSnapshot {
  namespace: string;
  name: string;
  state: string;
  message?: string;
  url?: string;
  repository?: string;
  revision?: string;
  task?: string;
  accelerator?: string;
  instance?: string;
  readyReplica?: number;
  targetReplica?: number;
  updatedAt?: string;
}

/** One state an endpoint entered, and when; pollers keep the recent ones so planners stay pure. */
export interface EndpointTransition {
  state: string;
  at: string;
  message?: string;
}

/** A Space build the bridge follows with a check run (route `commits: checks`). */
export interface SpaceBuild {
  /** The GitHub repository (`owner/repo`) that holds the check run. */
  github: string;
  /** Link key of the check run. */
  checkRun: string;
  hubRef: string;
  hubSha: string;
  githubSha: string;
  startedAt: string;
}

/**
 * A GitHub issue that mirrors a Hub discussion, as a GitHub webhook names it. Field names differ from
 * the Hub events' `repo` and `discussion` on purpose: layers recognise Hub events by those keys.
 */
export interface MirroringIssueRef {
  owner: string;
  /** The repository's name, without the owner. */
  name: string;
  number: number;
  /**
   * Link key of the Hub discussion the issue mirrors (`hub-discussion:<repoId>:<num>`), read from the
   * issue's signed marker when the delivery arrived.
   */
  mirrors: string;
}

/** A GitHub repository as its webhooks name it. */
interface GitHubRepoName {
  owner: string;
  name: string;
}

/** How a finished GitHub Actions run went, in the fields a status comment shows. */
export interface WorkflowRunOutcome {
  id: number;
  /** Counts from 1; a re-run of the same run id is attempt 2. */
  attempt: number;
  /** The workflow's `name:`, or its file path when it has none. */
  workflowName: string;
  /** `.github/workflows/<file>` */
  workflowPath: string;
  workflowId: number;
  /** GitHub's conclusion: success, failure, cancelled, skipped, timed_out, … */
  conclusion: string;
  url: string;
  startedAt?: string;
  completedAt: string;
}

/**
 * Every event the worker handles, from Hub webhooks, GitHub webhooks and pollers alike. `kind` alone decides
 * what a planner does; the rest is what it needs, so planners never read raw payloads.
 */
export type BridgeEvent =
  | { kind: "discussion.opened"; repo: RepoRef; discussion: DiscussionRef; comment?: CommentRef }
  /** Status `open` or `draft` after a change: a retitle, a reopen or a draft toggle. */
  | { kind: "discussion.updated"; repo: RepoRef; discussion: DiscussionRef }
  | { kind: "discussion.closed"; repo: RepoRef; discussion: DiscussionRef }
  | { kind: "discussion.merged"; repo: RepoRef; discussion: DiscussionRef }
  | { kind: "discussion.deleted"; repo: RepoRef; discussion: DiscussionRef }
  | { kind: "comment.created"; repo: RepoRef; discussion: DiscussionRef; comment: CommentRef }
  | { kind: "comment.edited"; repo: RepoRef; discussion: DiscussionRef; comment: CommentRef }
  | { kind: "comment.hidden"; repo: RepoRef; discussion: DiscussionRef; comment: CommentRef }
  | { kind: "content.updated"; repo: RepoRef; headSha?: string; refs: RefUpdate[] }
  | { kind: "config.updated"; repo: RepoRef; headSha?: string; config: Record<string, unknown> }
  | { kind: "repo.created"; repo: RepoRef }
  | { kind: "repo.updated"; repo: RepoRef }
  | { kind: "repo.deleted"; repo: RepoRef }
  | { kind: "repo.moved"; repo: RepoRef; movedTo: string }
  | {
      kind: "endpoint.state-changed";
      endpoint: EndpointSnapshot;
      previousState?: string;
      /** Recent transitions, oldest first, this one included. */
      history?: EndpointTransition[];
    }
  | {
      kind: "space.stage-changed";
      repo: RepoRef;
      stage: string;
      previousStage?: string;
      errorMessage?: string;
      /** The followed build this stage belongs to; absent for Spaces nobody follows. */
      build?: SpaceBuild;
      /** The build was overtaken by a newer commit (its Hub SHA) before reaching a terminal stage. */
      supersededBy?: string;
      /** The build reached no terminal stage within this many minutes. */
      timedOutAfterMinutes?: number;
      /** A failed build's last log lines (secret-looking ones hidden), and where the full log is. */
      buildLog?: { excerpt: string; lines: number; url: string };
    }
  /** A comment on a mirrored issue, to write back to the Hub discussion (GitHub `issue_comment.created`). */
  | {
      kind: "github.comment-created";
      issue: MirroringIssueRef;
      reply: { id: number; author: string; body: string };
    }
  /** A mirrored issue was closed on GitHub (GitHub `issues.closed`), to close its Hub discussion. */
  | { kind: "github.issue-closed"; issue: MirroringIssueRef; closedBy: string }
  /** A label was added to a mirrored issue (GitHub `issues.labeled`): the approval label counts. */
  | { kind: "github.issue-labeled"; issue: MirroringIssueRef; label: string; labeledBy: string }
  /** A workflow run that a dispatch started has finished (GitHub `workflow_run.completed`). */
  | { kind: "github.workflow-run-completed"; repository: GitHubRepoName; run: WorkflowRunOutcome }
  /**
   * What is wrong with the bridge itself, when that changed (src/alarms): the alarm issue shows it,
   * and is closed when `problems` is empty again. `seq` counts the changes.
   */
  | { kind: "bridge.alarm"; seq: number; checkedAt: string; problems: BridgeProblem[] };

/** One thing wrong with the bridge, in words a maintainer can act on. */
export interface BridgeProblem {
  /** Stable per kind of problem, e.g. `dead-letters`. */
  id: string;
  title: string;
  detail: string;
  fix: string;
}

export type BridgeEventKind = BridgeEvent["kind"];

/** The events GitHub webhooks bring: what members do on a mirrored issue, and how runs the bridge started went. */
export type GitHubEvent = Extract<
  BridgeEvent,
  {
    kind:
      | "github.comment-created"
      | "github.issue-closed"
      | "github.issue-labeled"
      | "github.workflow-run-completed";
  }
>;

/** The Hub repository an event concerns, for routing; endpoint events route by namespace instead. */
export function eventRepo(event: BridgeEvent): RepoRef | undefined {
  return "repo" in event ? event.repo : undefined;
}
