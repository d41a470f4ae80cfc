import type { ServerResponse } from "node:http";

/** What every response of the edge carries: a status word, and the delivery or the reason when known. */
export interface ResponseBody {
  status: string;
  deliveryId?: number;
  reason?: string;
}

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
  res.end(text);
}
