import type { BridgeConfig, EndpointWatch, Route } from "../config/config-schema.ts";
import type { WebhookSecrets } from "../hf/prepare-webhook-secrets.ts";
import type { Store } from "../store/store.ts";
import type { ConsoleAuth } from "./console/create-console-auth.ts";
import { createConsoleHandlers } from "./console/create-console-handlers.ts";
import type { HandlerTable } from "./create-bridge-request-handler.ts";
import {
  createEndpointStateHandler,
  ENDPOINT_STATE_PATH,
} from "./create-endpoint-state-handler.ts";
import {
  createGitHubWebhookHandler,
  GITHUB_WEBHOOKS_PATH,
} from "./create-github-webhook-handler.ts";
import { createHubWebhookHandler } from "./create-hub-webhook-handler.ts";
import { createLandingPageHandler, type PageDetails } from "./create-landing-page-handler.ts";
import {
  createMetricsHandler,
  METRICS_PATH,
  type MetricsHandlerOptions,
} from "./create-metrics-handler.ts";
import type { SetupStatus } from "./render-landing-page.ts";
import { sendJson } from "./send-json.ts";

interface BridgeHandlersOptions {
  store: Store;
  routes: readonly Route[];
  endpoints: readonly EndpointWatch[];
  secrets: WebhookSecrets;
  webhookPath: string;
  bodyLimitBytes: number;
  bodyTimeoutMs: number;
  mode: "dry-run" | "github";
  publicUrl?: string;
  /** The Hub's web address (HF_ENDPOINT) for links in mirrored text. */
  hubUrl?: string;
  onQueued?: () => void;
  metrics?: MetricsHandlerOptions["metrics"];
  pageDetails?: PageDetails;
  replicaId?: string;
  setupStatus?: () => SetupStatus;
  /** Serves GitHub App webhooks (write-back to the Hub); off when undefined. */
  githubWebhooks?: { secret: string; markerKey: () => Promise<string> };
  /** The operator console and /api/…; off when undefined. */
  console?: { auth: ConsoleAuth; config: BridgeConfig };
}

/** Every path the bridge serves; a new endpoint (e.g. Inference Endpoint posts) is one more entry. */
export function createBridgeHandlers(options: BridgeHandlersOptions): HandlerTable {
  const { store, routes, endpoints, secrets, webhookPath, bodyLimitBytes, bodyTimeoutMs } = options;
  const onQueued = options.onQueued ? { onQueued: options.onQueued } : {};
  const limits = { bodyLimitBytes, bodyTimeoutMs };
  const ownHandlers: HandlerTable = {
    [ENDPOINT_STATE_PATH]: {
      POST: createEndpointStateHandler({ store, endpoints, secrets, ...limits, ...onQueued }),
    },
    "/healthz": {
      GET: async ({ res }) => {
        sendJson(res, 200, { status: "ok" });
        return undefined;
      },
    },
    [METRICS_PATH]: { GET: createMetricsHandler({ metrics: options.metrics }) },
    ...(options.githubWebhooks
      ? {
          [GITHUB_WEBHOOKS_PATH]: {
            POST: createGitHubWebhookHandler({
              store,
              routes,
              ...options.githubWebhooks,
              bodyTimeoutMs,
              ...onQueued,
            }),
          },
        }
      : {}),
    ...(options.console ? createConsoleHandlers({ store, ...options.console, ...onQueued }) : {}),
    "/": {
      GET: createLandingPageHandler({
        store,
        routes,
        webhookPath,
        signed: secrets.kind === "secrets",
        mode: options.mode,
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
        ...(options.pageDetails ? { details: options.pageDetails } : {}),
        ...(options.replicaId ? { replicaId: options.replicaId } : {}),
        ...(options.setupStatus ? { setupStatus: options.setupStatus } : {}),
      }),
    },
  };
  // A webhook path on one of these would silently replace a page, or be replaced by it.
  if (Object.hasOwn(ownHandlers, webhookPath)) {
    throw new Error(
      `createBridgeServer: path ${JSON.stringify(webhookPath)} is one of the bridge's own paths (${Object.keys(ownHandlers).join(", ")}); use another, e.g. "/webhooks/huggingface"`,
    );
  }
  return {
    ...ownHandlers,
    [webhookPath]: {
      POST: createHubWebhookHandler({
        store,
        routes,
        secrets,
        ...limits,
        ...onQueued,
        ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
      }),
    },
  };
}
