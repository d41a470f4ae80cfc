import type { Route } from "../config/config-schema.ts";
import type { Store } from "../store/store.ts";
import { publicWebhookUrl } from "./public-webhook-url.ts";
import { renderLandingPage } from "./render-landing-page.ts";
import type { RouteHandler } from "./route-handler.ts";

/** As many deliveries as fit on one screen of the setup page. */
const RECENT_DELIVERIES = 20;

export interface LandingPageRouteOptions {
  store: Store;
  webhookPath: string;
  publicUrl?: string;
  signed: boolean;
  mode: "dry-run" | "github";
  routes: readonly Route[];
}

export function createLandingPageRoute(options: LandingPageRouteOptions): RouteHandler {
  return async ({ req, res, log }) => {
    let deliveries: Awaited<ReturnType<Store["listDeliveries"]>> | undefined;
    try {
      deliveries = await options.store.listDeliveries({ limit: RECENT_DELIVERIES });
    } catch (error) {
      log.error({ err: error }, "store could not list deliveries for the landing page");
    }
    const html = renderLandingPage({
      webhookUrl: publicWebhookUrl(req, options.webhookPath, options.publicUrl),
      signed: options.signed,
      mode: options.mode,
      routes: options.routes,
      deliveries,
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
