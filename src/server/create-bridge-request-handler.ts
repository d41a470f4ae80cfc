import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { Lifecycle } from "./create-lifecycle.ts";
import type { Handler, RequestHandler } from "./handler.ts";
import { HttpProblem } from "./http-problem.ts";
import { redactUrl } from "./redact-url.ts";
import { sendJson } from "./send-json.ts";

/** How long a client should wait before retrying while the server drains for a restart. */
const DRAIN_RETRY_AFTER_SECONDS = 10;

/** Path → method → handler, as built by `createBridgeHandlers`. */
export type HandlerTable = Readonly<Record<string, Partial<Record<"GET" | "POST", Handler>>>>;

interface BridgeRequestHandlerOptions {
  handlers: HandlerTable;
  lifecycle: Lifecycle;
  logger: Logger;
  /** Told of every answered request, e.g. for metrics; `path` is a key of the handler table. */
  onAnswered?: (path: string, status: number, seconds: number) => void;
}

/**
 * The bridge's own paths as a Node request handler. It answers only the paths in its table and returns
 * false for any other, which the server answers with a 404.
 */
export function createBridgeRequestHandler(options: BridgeRequestHandlerOptions): RequestHandler {
  const { handlers, lifecycle, logger } = options;
  return async (req, res) => {
    const url = requestUrl(req);
    const methods =
      url && Object.hasOwn(handlers, url.pathname) ? handlers[url.pathname] : undefined;
    if (!url || !methods) return false;

    const started = performance.now();
    const log = logger.child({ requestId: randomUUID() });
    let deliveryId: number | undefined;
    const method = req.method === "HEAD" ? "GET" : req.method;
    const handler = method === "GET" || method === "POST" ? methods[method] : undefined;
    // The server tracks the whole request for shutdown; this only answers it.
    try {
      if (lifecycle.isDraining()) {
        throw new HttpProblem(503, "unavailable", "the bridge is shutting down; retry shortly", {
          headers: { "retry-after": String(DRAIN_RETRY_AFTER_SECONDS) },
          closeConnection: true,
        });
      }
      if (!handler) {
        const allowed = Object.keys(methods).flatMap((name) =>
          name === "GET" ? ["GET", "HEAD"] : [name],
        );
        throw new HttpProblem(
          405,
          "method-not-allowed",
          `${req.method} is not supported on ${url.pathname}; use ${allowed.join(" or ")}`,
          { headers: { allow: allowed.join(", ") }, closeConnection: true },
        );
      }
      deliveryId = (await handler({ req, res, url, log }))?.deliveryId;
    } catch (error) {
      answerProblem(error, res, log);
    }
    const seconds = (performance.now() - started) / 1000;
    options.onAnswered?.(url.pathname, res.statusCode, seconds);
    if (log.isLevelEnabled("info")) {
      log.info(
        {
          method: req.method,
          path: redactUrl(req.url),
          status: res.statusCode,
          durationMs: Math.round(seconds * 10_000) / 10,
          ...(deliveryId !== undefined ? { deliveryId } : {}),
        },
        "request",
      );
    }
    return true;
  };
}

function answerProblem(error: unknown, res: Parameters<RequestHandler>[1], log: Logger): void {
  const problem =
    error instanceof HttpProblem
      ? error
      : new HttpProblem(500, "error", "the bridge failed on this request; see the server log", {
          closeConnection: true,
        });
  if (!(error instanceof HttpProblem)) log.error({ err: error }, "request failed");
  else log.info({ reason: problem.message }, "request refused");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(
    res,
    problem.statusCode,
    { status: problem.status, reason: problem.message },
    { headers: problem.headers, closeConnection: problem.closeConnection },
  );
}

function requestUrl(req: IncomingMessage): URL | undefined {
  // A fixed base keeps a target such as `//evil.example/x` a path instead of a host.
  return URL.parse(`http://bridge.invalid${req.url ?? "/"}`) ?? undefined;
}
