import type { IncomingMessage, ServerResponse } from "node:http";

export type FakeHubRepoType = "model" | "dataset" | "space";

export interface FakeHubUser {
  id: string;
  name: string;
}

/** One entry of a discussion's timeline, in the shape `GET …/discussions/{num}` returns it. */
export interface FakeHubEvent {
  id: string;
  type: "comment" | "status-change" | "title-change";
  createdAt: string;
  author: FakeHubUser;
  data: Record<string, unknown>;
}

export interface FakeHubDiscussion {
  num: number;
  title: string;
  status: "open" | "closed" | "merged" | "draft";
  isPullRequest: boolean;
  author: FakeHubUser;
  createdAt: string;
  events: FakeHubEvent[];
  changes?: { base: string; mergeCommitId?: string };
}

export interface FakeHubRepo {
  id: string;
  type: FakeHubRepoType;
  name: string;
  private: boolean;
  discussions: Map<number, FakeHubDiscussion>;
}

export interface FakeHubState {
  /** Keyed by `{type}s/{name}`, as the API paths spell a repo. */
  repos: Map<string, FakeHubRepo>;
  /** Bearer tokens the fake accepts, and whose account each one is. */
  tokens: Map<string, FakeHubUser>;
  /** Counts the ids the fake has handed out; each is formatted as a 24-hex-digit Hub id. */
  nextId: number;
  now: () => Date;
}

export interface FakeHubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The account of the bearer token, or undefined for an anonymous request. */
  user: FakeHubUser | undefined;
  /** Named groups of the route's pattern. */
  params: Record<string, string>;
  raw: IncomingMessage;
}

export interface FakeHubReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answers as a server-sent-event stream instead of `body`: called with the response after its head. */
  stream?: (response: ServerResponse) => void;
}

/**
 * A route of the fake: more routes (Space runtime, commit lists) are added as separate files with
 * `hub.addRoute(...)`, so each feature's fake lives beside its own tests.
 */
export interface FakeHubRoute {
  method: string;
  /** Matched against the path; named groups become `params`. */
  pattern: RegExp;
  handle(request: FakeHubRequest, state: FakeHubState): FakeHubReply | Promise<FakeHubReply>;
}

/** A failure the fake answers instead of (or after) the matching route, for `times` requests (default 1). */
export interface FakeHubFault {
  method: string;
  /** Tested against the request path. */
  path: RegExp;
  /** `status`: the route does not run; `commitThenStatus`: it runs (a write lands), the answer is lost. */
  kind: "status" | "commitThenStatus";
  status: number;
  times?: number;
}

export interface FakeHubRequestLogEntry {
  method: string;
  path: string;
  body: unknown;
  /** Whether a bearer token was presented; the token itself is never logged. */
  authenticated: boolean;
  status: number;
}
