import type { BridgeConfig, EndpointWatch, Route } from "../config/config-schema.ts";
import type { WebhookSecrets } from "../hf/prepare-webhook-secrets.ts";
import type { Store } from "../store/store.ts";
import type { ConsoleAuth } from "./console/create-console-auth.ts";
import { createConsoleRoutes } from "./console/create-console-routes.ts";
import type { RouteTable } from "./create-bridge-handler.ts";
import { createEndpointStateRoute, ENDPOINT_STATE_PATH } from "./create-endpoint-state-route.ts";
import { createGitHubWebhookRoute, GITHUB_WEBHOOKS_PATH } from "./create-github-webhook-route.ts";
import { createHubWebhookRoute } from "./create-hub-webhook-route.ts";
import { createLandingPageRoute, type PageDetails } from "./create-landing-page-route.ts";
import {
  createMetricsRoute,
  METRICS_PATH,
  type MetricsRouteOptions,
} from "./create-metrics-route.ts";
import type { SetupStatus } from "./render-landing-page.ts";
import { sendJson } from "./send-json.ts";

export interface BridgeRoutesOptions {
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
  metrics?: MetricsRouteOptions["metrics"];
  pageDetails?: PageDetails;
  replicaId?: string;
  setupStatus?: () => SetupStatus;
  /** Serves GitHub App webhooks (write-back to the Hub); off when undefined. */
  githubWebhooks?: { secret: string; markerKey: () => Promise<string> };
  /** The operator console and /api/…; off when undefined. */
  console?: { auth: ConsoleAuth; config: BridgeConfig };
}

/** Every path the bridge serves; a new endpoint (e.g. Inference Endpoint posts) is one more entry. */
export function createBridgeRoutes(options: BridgeRoutesOptions): RouteTable {
  const { store, routes, endpoints, secrets, webhookPath, bodyLimitBytes, bodyTimeoutMs } = options;
  const onQueued = options.onQueued ? { onQueued: options.onQueued } : {};
  const limits = { bodyLimitBytes, bodyTimeoutMs };
  const ownRoutes: RouteTable = {
    [ENDPOINT_STATE_PATH]: {
      POST: createEndpointStateRoute({ store, endpoints, secrets, ...limits, ...onQueued }),
    },
    "/healthz": {
      GET: async ({ res }) => {
        sendJson(res, 200, { status: "ok" });
        return undefined;
      },
    },
    [METRICS_PATH]: { GET: createMetricsRoute({ metrics: options.metrics }) },
    ...(options.githubWebhooks
      ? {
          [GITHUB_WEBHOOKS_PATH]: {
            POST: createGitHubWebhookRoute({
              store,
              routes,
              ...options.githubWebhooks,
              bodyTimeoutMs,
              ...onQueued,
            }),
          },
        }
      : {}),
    ...(options.console ? createConsoleRoutes({ store, ...options.console, ...onQueued }) : {}),
    "/": {
      GET: createLandingPageRoute({
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
  if (Object.hasOwn(ownRoutes, webhookPath)) {
    throw new Error(
      `createBridgeServer: path ${JSON.stringify(webhookPath)} is one of the bridge's own paths (${Object.keys(ownRoutes).join(", ")}); use another, e.g. "/webhooks/huggingface"`,
    );
  }
  return {
    ...ownRoutes,
    [webhookPath]: {
      POST: createHubWebhookRoute({
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
