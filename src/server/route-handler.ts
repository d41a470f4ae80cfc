import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

/** One request as a route sees it: the parsed target and a logger already bound to the request. */
export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  log: Logger;
}

/** A route answers the request itself and reports what the request log line should add. */
export type RouteHandler = (request: RouteRequest) => Promise<{ deliveryId?: number } | undefined>;

/** Node request handler that says whether it answered; the server answers 404 for the rest. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
