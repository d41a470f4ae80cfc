import type { ErrorObject } from "ajv";

export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  state_reason: "completed" | "not_planned" | "duplicate" | "reopened" | null;
  /** Label names as GitHub keeps them: the repo's label objects, in the order they were added. */
  labels: string[];
  user: FakeUser;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface FakeComment {
  id: number;
  repoKey: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  created_at: Date;
  updated_at: Date;
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  title?: string;
  raw_details?: string;
  start_column?: number;
  end_column?: number;
}

export interface FakeCheckRun {
  id: number;
  repoKey: string;
  name: string;
  head_sha: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  started_at: Date;
  completed_at: Date | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotations: FakeAnnotation[];
  };
}

export interface FakeRepositoryDispatch {
  event_type: string;
  client_payload: Record<string, unknown> | undefined;
  at: Date;
}

export interface FakeWorkflowDispatch {
  workflowId: number;
  ref: string;
  inputs: Record<string, unknown> | undefined;
  runId: number;
  at: Date;
}

export interface FakeWorkflow {
  id: number;
  path: string;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  default_branch: string;
  /** The App installation that covers this repo, or null when the App is not installed on it. */
  installationId: number | null;
  issues: Map<number, FakeIssue>;
  nextIssueNumber: number;
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, FakeLabel>;
  branches: Set<string>;
  /** Known commit SHAs in insertion order; the last one is the default branch head. */
  commits: string[];
  workflows: FakeWorkflow[];
  collaborators: Map<string, RepoPermission>;
  dispatches: FakeRepositoryDispatch[];
  workflowDispatches: FakeWorkflowDispatch[];
}

export interface FakeToken {
  token: string;
  kind: "installation" | "personal";
  installationId: number | null;
  user: FakeUser;
  expiresAt: Date;
}

export interface FakeApp {
  id: number;
  slug: string;
  name: string;
  owner: string;
}

export interface FakeGitHubState {
  app: FakeApp;
  /** Keyed by lower-cased `owner/name`: GitHub resolves repository names case-insensitively. */
  repos: Map<string, FakeRepo>;
  tokens: Map<string, FakeToken>;
  comments: Map<number, FakeComment>;
  checkRuns: Map<number, FakeCheckRun>;
  nextId: number;
  tokenLifetimeMs: number;
  now: () => Date;
}

export interface FakeRepoSeed {
  owner: string;
  name: string;
  private?: boolean;
  defaultBranch?: string;
  /** Defaults to installation 1; null means the App is not installed on the repo. */
  installationId?: number | null;
  branches?: string[];
  commits?: string[];
  /** Workflow file names under .github/workflows, e.g. "hf-sync.yml". */
  workflows?: string[];
  labels?: string[];
  collaborators?: Record<string, RepoPermission>;
}

export interface FakeGitHubOptions {
  app?: Partial<FakeApp>;
  repos?: FakeRepoSeed[];
  /** Pre-issued user tokens (PAT or GITHUB_TOKEN style) that never expire unless a test expires them. */
  personalTokens?: Array<{ token: string; login: string }>;
  now?: () => Date;
  tokenLifetimeMs?: number;
}

export interface FaultMatch {
  method?: string;
  /** A string matches the request path exactly; a RegExp is tested against it. */
  path?: string | RegExp;
  operationId?: string;
}

interface FaultBase {
  match: FaultMatch;
  /** How many matching requests the fault applies to; defaults to 1 (to every one for `script`). */
  times?: number;
}

/** What the fake does to one request a fault applies to. */
export type FaultAction =
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  /** Performs the write, then answers this status (default 502): the client cannot tell it landed. */
  | { kind: "commitThenStatus"; status?: number; body?: unknown }
  | { kind: "rateLimit"; status: 403 | 429; headers?: Record<string, string>; message?: string }
  | { kind: "delay"; ms: number }
  | { kind: "drop" }
  | { kind: "expireToken" }
  /**
   * Holds the request until `until` settles (a test kills the client meanwhile, say), then either
   * performs it and answers as usual (`commit`, as GitHub does with a request whose client went
   * away) or drops the connection without performing it (`drop`).
   */
  | { kind: "hold"; until: () => Promise<void>; afterwards: "commit" | "drop" };

export type Fault = FaultBase &
  (
    | FaultAction
    /** Decides per matching request, from what it is and how many came before: scripted chaos. */
    | { kind: "script"; decide: (request: ScriptedRequest) => FaultAction | undefined }
  );

/** A request as a fault script sees it: `index` counts the requests this script matched, from 0. */
export interface ScriptedRequest {
  index: number;
  method: string;
  path: string;
  operationId: string | undefined;
  body: unknown;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
  time: Date;
  operationId: string | undefined;
  /** The status the fake answered, or undefined when the socket was dropped or the reply is pending. */
  status: number | undefined;
  /** When the answer was sent (the fake's clock), to tell which requests were in flight together. */
  answeredAt?: Date;
}

export interface Violation {
  method: string;
  path: string;
  operationId: string | undefined;
  body: unknown;
  reason: string;
  errors: ErrorObject[];
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface OperationRequest {
  method: string;
  path: string;
  url: URL;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  token: FakeToken | undefined;
  baseUrl: string;
}

export type OperationHandler = (request: OperationRequest, state: FakeGitHubState) => Reply;

export type OperationTable = Record<string, OperationHandler>;
