import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { addFakeRepo } from "./add-fake-repo.ts";
import { appOperations } from "./app-operations.ts";
import { authenticateRequest } from "./authenticate-request.ts";
import { checkGitHubLimits } from "./check-github-limits.ts";
import { checkRunOperations } from "./check-run-operations.ts";
import { commentOperations } from "./comment-operations.ts";
import { createFakeGitHubState } from "./create-fake-github-state.ts";
import { describeViolations } from "./describe-violations.ts";
import { dispatchOperations } from "./dispatch-operations.ts";
import { expirePresentedToken } from "./expire-presented-token.ts";
import { githubError } from "./github-error.ts";
import { issueInstallationToken } from "./issue-installation-token.ts";
import { issueOperations } from "./issue-operations.ts";
import { labelOperations } from "./label-operations.ts";
import { loadGitHubDescription } from "./load-github-description.ts";
import { maskHeaders } from "./mask-headers.ts";
import { matchOperation } from "./match-operation.ts";
import { rateLimitHeaders } from "./rate-limit-headers.ts";
import { repoOperations } from "./repo-operations.ts";
import { type ArmedFault, takeFault } from "./take-fault.ts";
import type {
  FakeGitHubOptions,
  FakeGitHubState,
  FakeRepo,
  FakeRepoSeed,
  Fault,
  OperationTable,
  Reply,
  RequestLogEntry,
  Violation,
} from "./types.ts";
import { validateRequest } from "./validate-request.ts";
import { writeReply } from "./write-reply.ts";

/** The primary limit resets hourly; `x-ratelimit-reset` points at the end of that window. */
const RATE_LIMIT_WINDOW_SECONDS = 3600;
/** Status of the "lost response" fault when the test does not choose one. */
const DEFAULT_LOST_RESPONSE_STATUS = 502;
const SECONDARY_RATE_LIMIT_MESSAGE = "You have exceeded a secondary rate limit";

export interface FakeGitHub {
  /** Base URL to use as the REST API root, e.g. Octokit's `baseUrl`. */
  url: string;
  state: FakeGitHubState;
  requests: RequestLogEntry[];
  violations: Violation[];
  /** Arms a fault; the returned function disarms it early (e.g. to end a storm of `times: Infinity`). */
  inject(fault: Fault): () => void;
  /** Throws a readable list when any request broke the OpenAPI description; call it in afterEach. */
  expectNoViolations(): void;
  clearViolations(): void;
  addRepo(seed: FakeRepoSeed): FakeRepo;
  /** A valid installation token without the HTTP round trip, for tests that are not about auth. */
  createInstallationToken(installationId?: number): string;
  close(): Promise<void>;
}

/**
 * An in-process GitHub REST API on a free loopback port. Every request is matched against GitHub's
 * OpenAPI description and validated; what the description rejects is answered like GitHub would and
 * recorded in `violations`. Typical use:
 *
 *   const github = await startFakeGitHub({ repos: [{ owner: "org", name: "repo", commits: [sha] }] });
 *   const octokit = new Octokit({ baseUrl: github.url, auth: github.createInstallationToken() });
 *   afterEach(async () => { await github.close(); github.expectNoViolations(); });
 */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const description = await loadGitHubDescription();
  const state = createFakeGitHubState(options);
  const operations: OperationTable = {
    ...appOperations(),
    ...repoOperations(),
    ...issueOperations(),
    ...commentOperations(),
    ...labelOperations(),
    ...checkRunOperations(),
    ...dispatchOperations(),
  };
  const requests: RequestLogEntry[] = [];
  const violations: Violation[] = [];
  const armed: ArmedFault[] = [];
  // Ends delay faults still sleeping when the fake closes, so a hung request does not outlive the test.
  const closing = new AbortController();
  const rateLimitReset = Math.floor(state.now().getTime() / 1000) + RATE_LIMIT_WINDOW_SECONDS;
  let baseUrl = "";

  const answer = async (incoming: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(incoming);
    const method = (incoming.method ?? "GET").toUpperCase();
    const url = new URL(incoming.url ?? "/", baseUrl);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const parsed = parseJson(raw);
    const match = matchOperation(description, method, path);
    const entry: RequestLogEntry = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.ok ? parsed.value : raw,
      headers: maskHeaders(incoming.headers),
      time: state.now(),
      operationId: match?.operation.operationId,
      status: undefined,
    };
    requests.push(entry);
    const send = (reply: Reply) => {
      entry.status = reply.status;
      entry.answeredAt = state.now();
      writeReply(response, reply, rateLimitHeaders(requests.length, rateLimitReset));
    };
    const reject = (reason: string, reply: Reply) => {
      violations.push(toViolation(entry, reason, []));
      send(reply);
    };

    if (!match)
      return reject(
        "no operation in the description has this method and path",
        githubError(404, "Not Found"),
      );
    if (!parsed.ok)
      return reject("the body is not valid JSON", githubError(400, "Problems parsing JSON"));
    const { operation, pathParams } = match;
    const limitReply = checkGitHubLimits(operation.operationId, parsed.value);
    const rejection =
      limitReply === undefined
        ? validateRequest(description, operation, pathParams, url.searchParams, parsed.value)
        : undefined;

    if (rejection) {
      violations.push(
        toViolation(entry, `${rejection.part} rejected by the description`, rejection.errors),
      );
    }

    const fault = takeFault(armed, {
      method,
      path,
      operationId: operation.operationId,
      body: entry.body,
    });
    if (fault?.kind === "delay") {
      const slept = await sleep(fault.ms, true, { signal: closing.signal }).catch(() => false);
      if (!slept) return;
    }
    if (fault?.kind === "hold") await fault.until();
    if (fault?.kind === "drop" || (fault?.kind === "hold" && fault.afterwards === "drop")) {
      response.socket?.destroy();
      return;
    }
    if (fault?.kind === "expireToken") expirePresentedToken(state, incoming.headers.authorization);
    if (rejection) {
      return send(
        rejection.part === "path"
          ? githubError(404, "Not Found")
          : githubError(422, `Invalid request.\n\n${rejection.errors.map(formatError).join("\n")}`),
      );
    }
    if (fault?.kind === "status") {
      return send({ status: fault.status, body: fault.body, headers: fault.headers });
    }
    if (fault?.kind === "rateLimit") {
      return send({
        status: fault.status,
        body: githubError(fault.status, fault.message ?? SECONDARY_RATE_LIMIT_MESSAGE).body,
        headers: fault.headers,
      });
    }

    const authentication = authenticateRequest(
      state,
      operation.operationId,
      incoming.headers.authorization,
    );
    if ("reply" in authentication) return send(authentication.reply);
    if (limitReply) return send(limitReply);
    const handler = operations[operation.operationId];
    if (!handler) {
      return reject(
        "the fake GitHub does not implement this operation yet",
        githubError(501, `The fake GitHub does not implement ${operation.operationId}`),
      );
    }
    const reply = handler(
      {
        method,
        path,
        url,
        pathParams,
        query: url.searchParams,
        body: parsed.value,
        token: authentication.token,
        baseUrl,
      },
      state,
    );
    if (fault?.kind === "commitThenStatus") {
      const status = fault.status ?? DEFAULT_LOST_RESPONSE_STATUS;
      return send({ status, body: fault.body ?? githubError(status, "Server Error").body });
    }
    send(reply);
  };

  const server = createServer((incoming, response) => {
    answer(incoming, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      writeReply(response, githubError(500, `Fake GitHub failed: ${message}`), {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    state,
    requests,
    violations,
    inject: (fault) => {
      const remaining = fault.times ?? (fault.kind === "script" ? Number.POSITIVE_INFINITY : 1);
      const entry: ArmedFault = { fault, remaining, matched: 0 };
      armed.push(entry);
      return () => {
        const index = armed.indexOf(entry);
        if (index >= 0) armed.splice(index, 1);
      };
    },
    expectNoViolations: () => {
      if (violations.length === 0) return;
      throw new Error(
        `The fake GitHub saw ${violations.length} request(s) that GitHub's OpenAPI description rejects:\n${describeViolations(violations)}`,
      );
    },
    clearViolations: () => {
      violations.length = 0;
    },
    addRepo: (seed) => addFakeRepo(state, seed),
    createInstallationToken: (installationId = 1) =>
      issueInstallationToken(state, installationId).token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function toViolation(
  entry: RequestLogEntry,
  reason: string,
  errors: Violation["errors"],
): Violation {
  return {
    method: entry.method,
    path: entry.path,
    operationId: entry.operationId,
    body: entry.body,
    reason,
    errors,
  };
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}
function formatError(error: Violation["errors"][number]): string {
  return `${error.instancePath || "body"} ${error.message ?? error.keyword}`;
}
