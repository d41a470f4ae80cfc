import type { Route } from "../config/config-schema.ts";
import type { Store } from "../store/store.ts";
import type { Handler } from "./handler.ts";
import { isLocalRequest } from "./is-local-request.ts";
import { publicWebhookUrl } from "./public-webhook-url.ts";
import { renderLandingPage, type SetupStatus } from "./render-landing-page.ts";

/** As many deliveries as fit on one screen of the setup page. */
const RECENT_DELIVERIES = 20;

interface LandingPageHandlerOptions {
  store: Store;
  webhookPath: string;
  publicUrl?: string;
  signed: boolean;
  mode: "dry-run" | "github";
  routes: readonly Route[];
  /**
   * Who sees routes and deliveries, which name private repos: "local" (default) only requests from
   * this machine, "public" everyone who reaches the page.
   */
  details?: PageDetails;
  /** The background set-up checks, read at each request. */
  setupStatus?: () => SetupStatus;
  /** This process among replicas, on a shared store. */
  replicaId?: string;
}

export type PageDetails = "local" | "public";

export function createLandingPageHandler(options: LandingPageHandlerOptions): Handler {
  return async ({ req, res, log }) => {
    const at = new Date();
    const showDetails = options.details === "public" || isLocalRequest(req);
    // Each part that cannot be read is shown as such; the page still tells how to connect the Hub.
    const [deliveries, counts, replicas] = await Promise.all([
      showDetails
        ? options.store.listDeliveries({ limit: RECENT_DELIVERIES }).catch((error: unknown) => {
            log.error({ err: error }, "store could not list deliveries for the landing page");
            return undefined;
          })
        : undefined,
      options.store.countJobs(at).catch((error: unknown) => {
        log.error({ err: error }, "store could not count jobs for the landing page");
        return undefined;
      }),
      showDetails && options.store.shared
        ? readReplicas(options.store, at).catch((error: unknown) => {
            log.error({ err: error }, "store could not list leases and write lanes for the page");
            return "unreadable" as const;
          })
        : undefined,
    ]);
    const html = renderLandingPage({
      webhookUrl: publicWebhookUrl(req, options.webhookPath, options.publicUrl),
      signed: options.signed,
      mode: options.mode,
      details: showDetails ? { routes: options.routes, deliveries } : undefined,
      ...(replicas === undefined
        ? {}
        : {
            replicas:
              replicas === "unreadable"
                ? replicas
                : { ...replicas, replicaId: options.replicaId ?? "", at },
          }),
      jobs: counts ? { counts, at } : undefined,
      ...(options.setupStatus
        ? { setup: options.setupStatus(), showSetupFindings: showDetails }
        : {}),
    });
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-length": Buffer.byteLength(html),
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
    res.end(html);
    return undefined;
  };
}

async function readReplicas(store: Store, at: Date) {
  const [leases, lanes] = await Promise.all([
    store.listLeases(),
    store.writeSchedule?.listLanes(at.getTime()) ?? [],
  ]);
  return { leases, lanes };
}
