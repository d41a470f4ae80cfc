import type { ServerResponse } from "node:http";
import { discardRestOfBody } from "./discard-rest-of-body.ts";

/** What every response of the edge carries: a status word, and the delivery or the reason when known. */
interface ResponseBody {
  status: string;
  deliveryId?: number;
  reason?: string;
}

/**
 * Answers with a JSON body. With `closeConnection` the answer says `Connection: close`; when the
 * request's body has not all arrived, the answer is written at once but ended (and the socket closed)
 * only once the client stopped sending, so a client busy sending still reads it instead of a reset.
 */
export function sendJson(
  res: ServerResponse,
  statusCode: number,
  body: ResponseBody,
  options: { headers?: Record<string, string>; closeConnection?: boolean } = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...(options.closeConnection ? { connection: "close" } : {}),
    ...options.headers,
  });
  if (options.closeConnection && !res.req.complete) {
    res.write(text);
    void discardRestOfBody(res.req).then(() => res.end());
    return;
  }
  res.end(text);
}
