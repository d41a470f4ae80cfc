import { createHmac, randomBytes } from "node:crypto";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import { prepareWebhookSecrets } from "../hf/prepare-webhook-secrets.ts";
import type { BridgeMetrics } from "../metrics/create-bridge-metrics.ts";
import type { Store } from "../store/store.ts";
import { createConsoleAuth } from "./console/create-console-auth.ts";
import { createHfSignIn, type HfOAuthSettings } from "./console/create-hf-sign-in.ts";
import { createBridgeHandlers } from "./create-bridge-handlers.ts";
import { createBridgeRequestHandler } from "./create-bridge-request-handler.ts";
import type { PageDetails } from "./create-landing-page-handler.ts";
import { createLifecycle } from "./create-lifecycle.ts";
import { DEFAULT_WEBHOOK_PATH } from "./default-webhook-path.ts";
import type { RequestHandler } from "./handler.ts";
import { redactUrl } from "./redact-url.ts";
import type { SetupStatus } from "./render-landing-page.ts";
import { sendJson } from "./send-json.ts";

/** Hub payloads are a few KiB; a mebibyte leaves room for long discussion posts and nothing else. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** The Hub gives up after 30 s, so a stalled upload is answered (408) well before that. */
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/** Same reasoning as the body timeout, for a client that never finishes its headers. */
const HEADERS_TIMEOUT_MS = 10_000;
/** Above the 60 s idle timeout of common load balancers, so they never reuse a socket we just closed. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Session cookies are signed with a key derived from the OAuth client secret, so replicas agree. */
const SESSION_KEY_LABEL = "hf-bridge console session v1";

export interface BridgeServerOptions {
  store: Store;
  config: BridgeConfig;
  /** Accepted webhook secrets (several while rotating), e.g. `splitSecretList(process.env.HF_WEBHOOK_SECRET)`. */
  secrets: readonly string[];
  /** Accept deliveries without a secret when none is configured: dry-run demos only. */
  allowUnsigned?: boolean;
  logger: Logger;
  mode: "dry-run" | "github";
  /** Public base URL (`https://bridge.example.com`) shown on the landing page instead of the Host header. */
  publicUrl?: string;
  /** The Hub's web address (HF_ENDPOINT) for links in mirrored text; default https://huggingface.co. */
  hubUrl?: string;
  path?: string;
  bodyLimitBytes?: number;
  bodyTimeoutMs?: number;
  port: number;
  /** Default 127.0.0.1; use 0.0.0.0 in a container. */
  host?: string;
  /** Serves GitHub App webhooks at /api/github/webhooks (write-back to the Hub); off when undefined. */
  githubWebhooks?: { secret: string; markerKey: () => Promise<string> };
  /** Called after a delivery was queued (e.g. `worker.wake`), so it is handled without poll delay. */
  onQueued?: () => void;
  /** Who sees routes and deliveries on the landing page; default "local" (this machine only). */
  pageDetails?: PageDetails;
  /** This process among replicas (host:pid), which the page marks among the lease holders. */
  replicaId?: string;
  /** The background set-up checks, shown on the landing page. */
  setupStatus?: () => SetupStatus;
  /** Serves `GET /metrics` to holders of the token and counts every request; off when undefined. */
  metrics?: { collector: BridgeMetrics; token: string };
  /**
   * Sign in with Hugging Face for the operator console (/console, /api/…); without it the console
   * follows `pageDetails` (this machine only by default). `apiToken` lets scripts use /api/….
   */
  consoleAccess?: { oauth?: HfOAuthSettings; apiToken?: string };
}

export interface BridgeServer {
  server: Server;
  /** Where the server listens, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Starts answering 503 + Retry-After (shutting down) while still listening. */
  drain(): void;
  /** Stops taking new work (503 + Retry-After), waits for requests in flight, then closes. */
  close(): Promise<void>;
}

/** Starts the HTTP edge: Hub webhook ingest, health check and landing page, on one plain Node server. */
export async function createBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const path = options.path ?? DEFAULT_WEBHOOK_PATH;
  requireOption(
    path.startsWith("/"),
    "path",
    path,
    'start it with "/", e.g. "/webhooks/huggingface"',
  );
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  requireOption(
    Number.isInteger(bodyLimitBytes) && bodyLimitBytes > 0,
    "bodyLimitBytes",
    bodyLimitBytes,
    "use a positive whole number of bytes",
  );
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  requireOption(
    Number.isInteger(bodyTimeoutMs) && bodyTimeoutMs > 0,
    "bodyTimeoutMs",
    bodyTimeoutMs,
    "use a positive whole number of milliseconds",
  );
  if (options.publicUrl !== undefined) {
    const parsed = URL.parse(options.publicUrl);
    requireOption(
      parsed !== null &&
        (parsed.protocol === "https:" || parsed.protocol === "http:") &&
        !parsed.search &&
        !parsed.hash,
      "publicUrl",
      options.publicUrl,
      'use the http(s) base address the Hub can reach, e.g. "https://bridge.example.com"',
    );
  }
  const secrets = prepareWebhookSecrets(options.secrets, {
    allowUnsigned: options.allowUnsigned ?? false,
  });

  const { logger } = options;
  const oauth = options.consoleAccess?.oauth;
  const lifecycle = createLifecycle();
  const bridge = createBridgeRequestHandler({
    lifecycle,
    logger,
    handlers: createBridgeHandlers({
      store: options.store,
      routes: options.config.routes,
      endpoints: options.config.endpoints,
      secrets,
      webhookPath: path,
      bodyLimitBytes,
      bodyTimeoutMs,
      mode: options.mode,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
      ...(options.onQueued ? { onQueued: options.onQueued } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.pageDetails ? { pageDetails: options.pageDetails } : {}),
      ...(options.replicaId ? { replicaId: options.replicaId } : {}),
      ...(options.setupStatus ? { setupStatus: options.setupStatus } : {}),
      ...(options.githubWebhooks ? { githubWebhooks: options.githubWebhooks } : {}),
      console: {
        config: options.config,
        auth: createConsoleAuth({
          signIn: oauth ? createHfSignIn(oauth) : undefined,
          sessionKey: oauth
            ? createHmac("sha256", oauth.clientSecret).update(SESSION_KEY_LABEL).digest()
            : randomBytes(32),
          allow: options.config.console?.allow ?? [],
          details: options.pageDetails ?? "local",
          ...(options.consoleAccess?.apiToken ? { apiToken: options.consoleAccess.apiToken } : {}),
          ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
        }),
      },
    }),
    ...(options.metrics ? { onAnswered: options.metrics.collector.observeRequest } : {}),
  });

  const onRequest: RequestListener = (req, res) => {
    void lifecycle.track(dispatch(bridge, logger, req, res)).catch((error: unknown) => {
      logger.error({ err: error }, "request handler failed");
      if (!res.headersSent)
        sendJson(res, 500, {
          status: "error",
          reason: "the bridge failed on this request; see the server log",
        });
      else res.destroy();
    });
  };
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS },
    onRequest,
  );
  // Node would answer `100 Continue` before any handler sees the request; the bridge's handlers answer
  // it themselves (readBody) once they know the body is welcome, so an over-cap one gets its 413.
  server.on("checkContinue", onRequest);
  // Node's own whole-request limit backs up the body timer for clients that stall elsewhere.
  server.requestTimeout = HEADERS_TIMEOUT_MS + bodyTimeoutMs;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info(
    { url, webhookPath: path, mode: options.mode, signed: secrets.kind === "secrets" },
    "bridge server listening",
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      lifecycle.beginDrain();
      await lifecycle.idle();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    })();
    return closing;
  };
  return { server, url, drain: () => lifecycle.beginDrain(), close };
}

async function dispatch(
  bridge: RequestHandler,
  logger: Logger,
  req: Parameters<RequestHandler>[0],
  res: Parameters<RequestHandler>[1],
): Promise<void> {
  if (await bridge(req, res)) return;
  logger.info({ method: req.method, path: redactUrl(req.url), status: 404 }, "request");
  sendJson(
    res,
    404,
    {
      status: "not-found",
      reason: "nothing is served at this path; Hub webhooks go to the webhook path shown on /",
    },
    { closeConnection: !req.complete },
  );
}

function requireOption(ok: boolean, name: string, value: unknown, fix: string): void {
  if (!ok)
    throw new Error(`createBridgeServer: ${name} ${JSON.stringify(value)} is not valid; ${fix}`);
}
