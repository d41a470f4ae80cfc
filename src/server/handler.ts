import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

/** One request as a handler sees it: the parsed target and a logger already bound to the request. */
interface HandlerRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  log: Logger;
}

/** A handler answers the request itself and reports what the request log line should add. */
export type Handler = (request: HandlerRequest) => Promise<{ deliveryId?: number } | undefined>;

/** Node request handler that says whether it answered; the server answers 404 for the rest. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
