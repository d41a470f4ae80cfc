import { timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import { sha256Digest } from "../hf/prepare-webhook-secrets.ts";
import type { BridgeMetrics } from "../metrics/create-bridge-metrics.ts";
import type { Handler } from "./handler.ts";
import { HttpProblem } from "./http-problem.ts";

export const METRICS_PATH = "/metrics";
/** Long enough that guessing it over HTTP is hopeless; `openssl rand -hex 32` gives 64 characters. */
const MIN_METRICS_TOKEN_LENGTH = 16;

const TOKEN_FIX =
  "set HF_BRIDGE_METRICS_TOKEN to a random string, e.g. the output of `openssl rand -hex 32`";
/** Sent in an Authorization header, so printable ASCII without spaces. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

export interface MetricsHandlerOptions {
  /** Undefined when metrics are off: the path then says how to turn them on. */
  metrics: { collector: BridgeMetrics; token: string } | undefined;
}

/**
 * `GET /metrics` for Prometheus, behind a bearer token: the bridge faces the internet (the Hub must
 * reach it), and its queue figures are nobody else's business.
 */
export function createMetricsHandler(options: MetricsHandlerOptions): Handler {
  const { metrics } = options;
  if (!metrics) {
    return async () => {
      throw new HttpProblem(404, "not-found", `metrics are off; to serve them here, ${TOKEN_FIX}`);
    };
  }
  // Compared as digests: equal lengths, so the timing says nothing about the token's length or content.
  const expected = sha256Digest(checkedToken(metrics.token));
  return async ({ req, res, log }) => {
    const presented = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (presented === undefined || !timingSafeEqual(sha256Digest(presented), expected)) {
      throw new HttpProblem(
        401,
        "unauthorized",
        presented === undefined
          ? "send the metrics token as `Authorization: Bearer <HF_BRIDGE_METRICS_TOKEN>` (Prometheus: `authorization: { credentials: … }` in the scrape config)"
          : "the bearer token does not match HF_BRIDGE_METRICS_TOKEN",
        { headers: { "www-authenticate": 'Bearer realm="hf-bridge metrics"' } },
      );
    }
    const { contentType, text } = await render(metrics.collector, log);
    res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
    res.end(text);
    return undefined;
  };
}

async function render(collector: BridgeMetrics, log: Logger) {
  try {
    return await collector.render();
  } catch (error) {
    log.error({ err: error }, "metrics could not be collected");
    throw new HttpProblem(
      503,
      "unavailable",
      "the store could not be read for the queue figures; see the server log",
    );
  }
}

function checkedToken(token: string): string {
  // Errors describe the token and never quote it: it is a secret.
  if (!TOKEN_CHARACTERS.test(token)) {
    throw new Error(
      `HF_BRIDGE_METRICS_TOKEN holds spaces or characters outside printable ASCII; ${TOKEN_FIX}`,
    );
  }
  if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new Error(
      `HF_BRIDGE_METRICS_TOKEN is ${token.length} characters long, fewer than the ${MIN_METRICS_TOKEN_LENGTH} required; ${TOKEN_FIX}`,
    );
  }
  return token;
}
