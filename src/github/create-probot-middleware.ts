import type { Logger } from "pino";
import { type ApplicationFunction, createNodeMiddleware } from "probot";
import { createBridgeProbot } from "./create-bridge-probot.ts";
import type { GitHubCredentials } from "./read-github-credentials.ts";

/** Where GitHub delivers the App's webhooks, Probot's default path. */
export const GITHUB_WEBHOOKS_PATH = "/api/github/webhooks";

export type NodeMiddleware = Awaited<ReturnType<typeof createNodeMiddleware>>;

/**
 * Probot's handler for GitHub webhooks, to mount in the bridge's own `node:http` server beside the
 * Hub routes: it answers requests under `webhooksPath` (signature checked with WEBHOOK_SECRET) and
 * calls `next` for everything else.
 */
export async function createProbotMiddleware(options: {
  credentials: GitHubCredentials;
  log: Logger;
  appFn: ApplicationFunction;
  webhooksPath?: string;
}): Promise<NodeMiddleware> {
  const { credentials } = options;
  if (credentials.kind !== "app" || credentials.webhookSecret === undefined) {
    throw new Error(
      "GitHub webhooks need a GitHub App with a webhook secret: set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET (the secret entered on the App's settings page)",
    );
  }
  const probot = createBridgeProbot({ credentials, log: options.log });
  return createNodeMiddleware(options.appFn, {
    probot,
    webhooksPath: options.webhooksPath ?? GITHUB_WEBHOOKS_PATH,
  });
}
