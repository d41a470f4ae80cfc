import { Command, InvalidArgumentError } from "commander";
import { type Logger, levels } from "pino";
import {
  type BridgeEnvironment,
  readBridgeEnvironment,
} from "../../app/read-bridge-environment.ts";
import type { BridgeApp } from "../../app/start-bridge-app.ts";
import { ConfigError } from "../../config/config-error.ts";
import { loadConfig } from "../../config/load-config.ts";
import { METRICS_PATH } from "../../server/create-metrics-handler.ts";
import { DEFAULT_WEBHOOK_PATH } from "../../server/default-webhook-path.ts";
import { createStore } from "../../store/create-store.ts";
import type { Store } from "../../store/store.ts";
import { createProcessLogger } from "../../util/create-process-logger.ts";
import { addStoreOptions, type StoreOptions } from "../add-store-options.ts";
import { CliError } from "../cli-error.ts";
import type { CliIo } from "../cli-io.ts";
import { limitHeapGrowth } from "../limit-heap-growth.ts";
import { resolveStoreUrl } from "../resolve-store-url.ts";

/** The port a Hugging Face Docker Space routes to by default. */
export const DEFAULT_PORT = 7860;
const DEFAULT_HOST = "0.0.0.0";
/** Platforms send SIGKILL about 10 s after SIGTERM; running jobs get most of that, then go back. */
export const SHUTDOWN_GRACE_MS = 8_000;
/** Closing the store after the grace takes milliseconds; a shutdown stuck past this is cut short. */
const SHUTDOWN_EXIT_MARGIN_MS = 1_000;

interface ServeOptions extends StoreOptions {
  port?: number;
  host: string;
  config?: string;
  dryRun?: boolean;
  publicUrl?: string;
}

export function createServeCommand(io: CliIo): Command {
  const command = new Command("serve")
    .description(
      "receive Hub webhooks and endpoint states, store them, and apply (or, without credentials, plan) GitHub effects",
    )
    .option("--port <port>", `port to listen on (env PORT, default ${DEFAULT_PORT})`, parsePort)
    .option("--host <host>", "address to listen on", DEFAULT_HOST)
    .option("--config <file>", "config file (env HF_BRIDGE_CONFIG, default ./hf-bridge.yml)")
    .option("--dry-run", "never write to GitHub, even with credentials; show planned effects")
    .option(
      "--public-url <url>",
      "the address the Hub reaches this bridge at, shown on the landing page",
    );
  return addStoreOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ npx hf-bridge serve                      # SQLite in ./data, landing page at http://localhost:7860
  $ HF_WEBHOOK_SECRET=s3cret npx hf-bridge serve --port 8080 --config hf-bridge.yml
  $ npx hf-bridge serve --store postgres://bridge@db:5432/bridge --public-url https://bridge.example.com`,
    )
    .action(async (options: ServeOptions) => {
      const logger = await createProcessLogger({
        level: readLogLevel(io.env),
        terminal: io.terminal,
      });
      try {
        await serve(options, io, logger);
      } catch (error) {
        // A bridge that did not start says why in its log, where whoever runs it looks.
        if (error instanceof CliError) logger.fatal(error.message);
        else logger.fatal({ err: error }, "the bridge failed to start");
        process.exitCode = error instanceof CliError ? error.exitCode : 1;
      }
    });
}

async function serve(options: ServeOptions, io: CliIo, logger: Logger): Promise<void> {
  limitHeapGrowth(process.execArgv);
  const port = options.port ?? (io.env.PORT ? parsePortFrom("PORT", io.env.PORT) : DEFAULT_PORT);
  const loaded = await loadOrExplain(options.config, io, logger);
  for (const notice of loaded.notices) logger.info(notice);

  let environment: BridgeEnvironment;
  try {
    environment = readBridgeEnvironment(io.env);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const credentials = environment.github;
  if (environment.webhookSecrets.length === 0 && credentials) {
    throw new CliError(
      "HF_WEBHOOK_SECRET is not set, but GitHub credentials are, so anyone could make this bridge write to GitHub — fix: set HF_WEBHOOK_SECRET to the secret you typed in the Hub webhook form",
    );
  }

  const location = resolveStoreUrl(options, io.env, io.cwd);
  // The SQLite store opens on its own thread while this one loads the app (server, worker, planners):
  // on two cores the two halves of the start-up overlap instead of adding up.
  const opening = createStore(location.url);
  const loadingApp = import("../../app/start-bridge-app.ts");
  let store: Store;
  try {
    store = await opening;
  } catch (error) {
    await loadingApp.catch(() => undefined);
    throw new CliError(`cannot open the store at ${location.shown}: ${(error as Error).message}`);
  }
  const { startBridgeApp } = await loadingApp.catch(async (error: unknown) => {
    await store.close();
    throw error;
  });

  // On a Space the Hub sets SPACE_HOST, its public host: the webhook URL to type in the Hub's form.
  const spaceHost = io.env.SPACE_HOST?.trim();
  const publicUrl = options.publicUrl ?? (spaceHost ? `https://${spaceHost}` : undefined);
  let app: BridgeApp;
  try {
    app = await startBridgeApp({
      config: loaded.config,
      store,
      environment,
      logger,
      port,
      host: options.host,
      ...(publicUrl ? { publicUrl } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    });
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    const fix =
      code === "EADDRINUSE"
        ? ` — fix: stop the other process on port ${port}, or pass --port (0 picks a free one)`
        : "";
    throw new CliError(`cannot start the bridge: ${(error as Error).message}${fix}`);
  }

  const landing = `${(publicUrl ?? browsableUrl(app.server.url)).replace(/\/+$/, "")}/`;
  if (environment.webhookSecrets.length === 0) {
    logger.warn(
      "HF_WEBHOOK_SECRET is not set, so this bridge accepts UNSIGNED deliveries from anyone (demo mode). Set HF_WEBHOOK_SECRET to the secret you typed in the Hub webhook form before exposing it.",
    );
  }
  if (!credentials) {
    logger.info(
      `dry-run: no GitHub credentials (set GITHUB_TOKEN, or APP_ID and PRIVATE_KEY for a GitHub App); planned effects are shown at ${landing}`,
    );
  } else if (options.dryRun) {
    logger.info(`dry-run (--dry-run): planned effects are shown at ${landing}`);
  } else {
    logger.info(
      `github: writing to GitHub as a ${credentials.kind === "app" ? "GitHub App" : "token user"} at ${credentials.baseUrl}`,
    );
  }
  for (const notice of app.notices) logger.warn(`setup: ${notice}`);
  logger.info(`store: ${location.shown}`);
  logger.info(`config: ${loaded.file ?? "none"} (${loaded.config.routes.length} routes)`);
  logger.info(`Hub webhook URL: ${landing.slice(0, -1)}${DEFAULT_WEBHOOK_PATH}`);
  logger.info(
    environment.metricsToken
      ? `metrics: ${landing.slice(0, -1)}${METRICS_PATH} (Authorization: Bearer <HF_BRIDGE_METRICS_TOKEN>)`
      : "metrics: off (set HF_BRIDGE_METRICS_TOKEN to serve /metrics)",
  );
  // Last, so it is the line people (and scripts) see when the bridge is ready.
  logger.info(`landing page: ${landing}`);
  // The GitHub and Hub checks answer after the server listens; a hung GitHub delays only them.
  void app.setupChecked.then((findings) => {
    for (const finding of findings) logger.warn(`setup: ${finding}`);
  });

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info(`${signal}: shutting down (server, pollers, then worker, then store)`);
    // Past the grace the platform kills the process anyway; exiting first at least says why.
    setTimeout(() => {
      logger.error(`shutdown took longer than its ${SHUTDOWN_GRACE_MS} ms grace; exiting now`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS + SHUTDOWN_EXIT_MARGIN_MS).unref();
    void (async () => {
      await app.close(SHUTDOWN_GRACE_MS);
      await store.close();
      logger.info("stopped");
    })()
      .catch((error: unknown) => {
        logger.error({ err: error }, `shutdown failed: ${(error as Error).message}`);
        process.exitCode = 1;
      })
      // Everything durable is closed; a request a released job still has in flight must not keep
      // the process alive past its grace (its answer could not be recorded anyway).
      .finally(() => process.exit());
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

async function loadOrExplain(path: string | undefined, io: CliIo, logger: Logger) {
  try {
    return await loadConfig({ path, env: io.env, cwd: io.cwd });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) logger.error(problem);
    throw new CliError(
      'the config is invalid, so the bridge did not start — fix the problems above ("npx hf-bridge validate-config" checks again)',
    );
  }
}

/** pino's levels, and "silent" for none. */
const LOG_LEVELS = [...Object.keys(levels.values), "silent"];

function readLogLevel(env: NodeJS.ProcessEnv): string {
  const level = env.LOG_LEVEL?.trim() || "info";
  if (!LOG_LEVELS.includes(level)) {
    throw new CliError(
      `LOG_LEVEL ${JSON.stringify(level)} is not a log level — fix: use one of ${LOG_LEVELS.join(", ")} (default info)`,
    );
  }
  return level;
}

/** A server bound to every interface is reached locally through localhost. */
function browsableUrl(url: string): string {
  return url.replace("://0.0.0.0:", "://localhost:").replace("://[::]:", "://localhost:");
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not a port; use a whole number from 0 to 65535 (0 picks a free one)`,
    );
  }
  return port;
}

function parsePortFrom(name: string, value: string): number {
  try {
    return parsePort(value);
  } catch (error) {
    throw new CliError(`${name} ${(error as Error).message}`);
  }
}
