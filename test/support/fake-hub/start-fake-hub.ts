import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { discussionRoutes } from "./discussion-routes.ts";
import { hubRepoKey } from "./hub-repo-key.ts";
import type {
  FakeHubDiscussion,
  FakeHubFault,
  FakeHubReply,
  FakeHubRepo,
  FakeHubRepoType,
  FakeHubRequestLogEntry,
  FakeHubRoute,
  FakeHubState,
  FakeHubUser,
} from "./types.ts";

export interface FakeHubOptions {
  /** Bearer tokens the fake accepts and the account each belongs to. */
  tokens?: Record<string, FakeHubUser>;
  now?: () => Date;
}

export interface FakeHub {
  /** Base URL to use instead of `https://huggingface.co`. */
  url: string;
  state: FakeHubState;
  requests: FakeHubRequestLogEntry[];
  /** Makes the next matching requests fail (see FakeHubFault); faults are used in the order armed. */
  inject(fault: FakeHubFault): void;
  /** Adds a route; later routes win over earlier ones for the same method and path. */
  addRoute(route: FakeHubRoute): void;
  addRepo(repo: {
    id: string;
    type: FakeHubRepoType;
    name: string;
    private?: boolean;
  }): FakeHubRepo;
  /** Adds a discussion whose first event is its opening comment (id `openingCommentId`). */
  addDiscussion(
    repo: FakeHubRepo,
    discussion: Omit<FakeHubDiscussion, "events" | "createdAt"> & {
      openingComment: { id: string; text: string };
    },
  ): FakeHubDiscussion;
  close(): Promise<void>;
}

/**
 * An in-process Hub API on a free loopback port: repo info, whoami and the discussion calls (list,
 * get, comment, status). Other features register their routes with `addRoute`.
 */
export async function startFakeHub(options: FakeHubOptions = {}): Promise<FakeHub> {
  const now = options.now ?? (() => new Date());
  const state: FakeHubState = {
    repos: new Map(),
    tokens: new Map(Object.entries(options.tokens ?? {})),
    nextId: 0,
    now,
  };
  const routes: FakeHubRoute[] = [...discussionRoutes()];
  const requests: FakeHubRequestLogEntry[] = [];
  const armed: Array<{ fault: FakeHubFault; remaining: number }> = [];

  function takeFault(method: string, path: string): FakeHubFault | undefined {
    const index = armed.findIndex(({ fault }) => fault.method === method && fault.path.test(path));
    const entry = armed[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) armed.splice(index, 1);
    return entry.fault;
  }

  const server = createServer((req, res) => {
    void answer(req).then(
      (reply) => {
        if (reply.stream) {
          res.writeHead(reply.status, { "content-type": "text/event-stream", ...reply.headers });
          res.flushHeaders();
          reply.stream(res);
          return;
        }
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: `fake Hub failed: ${(error as Error).message}` }));
      },
    );
  });

  async function answer(req: IncomingMessage): Promise<FakeHubReply> {
    const url = new URL(req.url ?? "/", "http://fake-hub.invalid");
    const text = await readText(req);
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      return log(req, url.pathname, text, { status: 400, body: { error: "body is not JSON" } });
    }
    const authorization = req.headers.authorization;
    const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
    const user = token === undefined ? undefined : state.tokens.get(token);
    if (token !== undefined && user === undefined) {
      return log(req, url.pathname, body, {
        status: 401,
        body: { error: "Invalid credentials in Authorization header" },
      });
    }
    const fault = takeFault(req.method ?? "", url.pathname);
    const failed: FakeHubReply | undefined = fault && {
      status: fault.status,
      body: { error: `the fake Hub answers ${fault.status} (an injected fault)` },
    };
    if (fault?.kind === "status") return log(req, url.pathname, body, failed as FakeHubReply);
    for (const route of [...routes].reverse()) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const reply = await route.handle(
        {
          method: req.method,
          path: url.pathname,
          query: url.searchParams,
          body,
          user,
          params: { ...match.groups },
          raw: req,
        },
        state,
      );
      return log(req, url.pathname, body, failed ?? reply);
    }
    return log(req, url.pathname, body, {
      status: 404,
      body: { error: `the fake Hub has no route for ${req.method} ${url.pathname}` },
    });
  }

  function log(
    req: IncomingMessage,
    path: string,
    body: unknown,
    reply: FakeHubReply,
  ): FakeHubReply {
    requests.push({
      method: req.method ?? "",
      path,
      body,
      authenticated: req.headers.authorization !== undefined,
      status: reply.status,
    });
    return reply;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    inject: (fault) => armed.push({ fault, remaining: fault.times ?? 1 }),
    addRoute: (route) => routes.push(route),
    addRepo(seed) {
      const repo: FakeHubRepo = { private: false, ...seed, discussions: new Map() };
      state.repos.set(hubRepoKey(seed.type, seed.name), repo);
      return repo;
    },
    addDiscussion(repo, seed) {
      const { openingComment, ...rest } = seed;
      const createdAt = now().toISOString();
      const discussion: FakeHubDiscussion = {
        ...rest,
        createdAt,
        events: [
          {
            id: openingComment.id,
            type: "comment",
            createdAt,
            author: seed.author,
            data: { latest: { raw: openingComment.text }, hidden: false, edited: false },
          },
        ],
      };
      repo.discussions.set(discussion.num, discussion);
      return discussion;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
