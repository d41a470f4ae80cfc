import type { HubRepoType } from "../hf/hub-payload-schema.ts";
import { describeNetworkFailure } from "../util/describe-network-failure.ts";
import { HubApiError } from "./hub-api-error.ts";
import { hubRepoPath } from "./hub-repo-path.ts";

export const DEFAULT_HUB_URL = "https://huggingface.co";
/**
 * A Hub call that has not answered by then is treated as failed; the caller may retry (a write only
 * after it has looked for the result, see write-once-on-hub.ts).
 */
export const HUB_REQUEST_TIMEOUT_MS = 30_000;
/** Discussions per page of `GET …/discussions` (the Hub's own page size). */
const HUB_DISCUSSIONS_PAGE_SIZE = 50;
/** Stops a listing that never ends (a Hub bug or a moving target) after this many discussions. */
const MAX_LISTED_DISCUSSIONS = 10_000;
/** How much of an error body is kept in an error message. */
const ERROR_EXCERPT_CHARS = 200;

export interface HubRepoId {
  type: HubRepoType;
  name: string;
}

export interface HubUser {
  name?: string;
  id?: string;
  _id?: string;
}

interface HubDiscussionSummary {
  num: number;
  title: string;
  status: string;
  isPullRequest: boolean;
  author?: HubUser;
}

export interface HubDiscussionEvent {
  id: string;
  type: string;
  author?: HubUser;
  data?: { latest?: { raw?: string }; hidden?: boolean; status?: string };
}

export interface HubDiscussionDetails extends HubDiscussionSummary {
  events: HubDiscussionEvent[];
  changes?: { base: string; mergeCommitId?: string };
}

export interface HubClient {
  whoAmI(): Promise<{ id: string; name: string }>;
  repoInfo(repo: HubRepoId): Promise<{ id: string; name: string; private: boolean }>;
  listDiscussions(repo: HubRepoId): Promise<HubDiscussionSummary[]>;
  /** `signal` (a job's) ends the request early, beside its own timeout. */
  getDiscussion(
    repo: HubRepoId,
    num: number,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<HubDiscussionDetails>;
  /** Posts a comment; resolves with the new comment's id (`newMessage.id`). */
  postComment(repo: HubRepoId, num: number, text: string): Promise<{ id: string }>;
  /** Replaces a comment's text (the bridge's own comments only: the Hub lets authors edit). */
  editComment(repo: HubRepoId, num: number, commentId: string, text: string): Promise<void>;
  setStatus(
    repo: HubRepoId,
    num: number,
    status: "open" | "closed",
    comment?: string,
  ): Promise<void>;
}

/**
 * The Hub discussion API (hf-apis.md §3), which `@huggingface/hub` does not wrap. URLs come from the
 * configured base URL and the repo's type and name; the token never appears in an error.
 */
export function createHubClient(options: {
  baseUrl?: string;
  token?: string;
  fetch?: typeof fetch;
}): HubClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, "");
  const parsed = URL.parse(baseUrl);
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new Error(
      `Hub base URL ${JSON.stringify(baseUrl)} is not an http(s) address; use ${DEFAULT_HUB_URL} or leave HF_ENDPOINT unset`,
    );
  }
  const send = options.fetch ?? fetch;
  const { token } = options;

  async function call<T>(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    limits: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    const timeout = AbortSignal.timeout(limits.timeoutMs ?? HUB_REQUEST_TIMEOUT_MS);
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await send(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout,
      });
    } catch (error) {
      const target = { service: "the Hub", url: `${baseUrl}${path}`, setting: "HF_ENDPOINT" };
      const network = describeNetworkFailure(error, target);
      if (network) throw new Error(network);
      throw error;
    }
    const text = await response.text();
    if (!response.ok) {
      throw new HubApiError(
        `Hub ${method} ${path} answered ${response.status}: ${text.slice(0, ERROR_EXCERPT_CHARS)}`,
        response.status,
      );
    }
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  function discussionPath(repo: HubRepoId, num: number): string {
    if (!Number.isInteger(num) || num < 0) {
      throw new Error(`discussion number ${JSON.stringify(num)} is not valid; use a whole number`);
    }
    return `${hubRepoPath(repo.type, repo.name)}/discussions/${num}`;
  }

  return {
    async whoAmI() {
      if (!token) throw new Error("HF_TOKEN is not set; the Hub cannot say whose token it is");
      const data = await call<{ id: string; name: string }>("GET", "/api/whoami-v2");
      return { id: data.id, name: data.name };
    },
    async repoInfo(repo) {
      const data = await call<{ _id: string; id: string; private?: boolean }>(
        "GET",
        hubRepoPath(repo.type, repo.name),
      );
      return { id: data._id, name: data.id, private: data.private === true };
    },
    async listDiscussions(repo) {
      const all: HubDiscussionSummary[] = [];
      for (let page = 0; all.length < MAX_LISTED_DISCUSSIONS; page++) {
        const data = await call<{ discussions: HubDiscussionSummary[]; count: number }>(
          "GET",
          `${hubRepoPath(repo.type, repo.name)}/discussions?p=${page}`,
        );
        all.push(...data.discussions);
        if (data.discussions.length < HUB_DISCUSSIONS_PAGE_SIZE || all.length >= data.count) break;
      }
      return all;
    },
    getDiscussion: (repo, num, limits) =>
      call<HubDiscussionDetails>("GET", discussionPath(repo, num), undefined, limits),
    async postComment(repo, num, text) {
      const data = await call<{ newMessage?: { id?: string } }>(
        "POST",
        `${discussionPath(repo, num)}/comment`,
        { comment: text },
      );
      const id = data?.newMessage?.id;
      if (typeof id !== "string") {
        throw new HubApiError("Hub comment answer has no newMessage.id; cannot link the echo", 502);
      }
      return { id };
    },
    async editComment(repo, num, commentId, text) {
      await call(
        "POST",
        `${discussionPath(repo, num)}/comment/${encodeURIComponent(commentId)}/edit`,
        { content: text },
      );
    },
    async setStatus(repo, num, status, comment) {
      await call("POST", `${discussionPath(repo, num)}/status`, {
        status,
        ...(comment === undefined ? {} : { comment }),
      });
    },
  };
}
