import { type Agent, type IncomingHttpHeaders, request } from "node:http";

export interface SentResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: { status?: string; deliveryId?: number; reason?: string } | undefined;
  reusedSocket: boolean;
}

export interface RequestSpec {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Sends the body in these pieces with chunked transfer encoding (no Content-Length). */
  chunks?: Iterable<Buffer>;
  /** Writes only this much of the announced body and then waits, as a stalled client would. */
  stallAfter?: Buffer;
  agent?: Agent | false;
}

/**
 * One HTTP request with full control over framing. A server may answer before the body is sent (413,
 * 401); write errors after the answer arrived are expected then and ignored.
 */
export function sendRequest(url: string, spec: RequestSpec = {}): Promise<SentResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: spec.method ?? "POST",
      headers: spec.headers ?? {},
      agent: spec.agent ?? false,
    });
    req.on("response", (res) => {
      answered = true;
      const pieces: Buffer[] = [];
      res.on("data", (piece: Buffer) => pieces.push(piece));
      res.on("end", () => {
        const text = Buffer.concat(pieces).toString("utf8");
        let json: SentResponse["json"];
        try {
          json = JSON.parse(text) as SentResponse["json"];
        } catch {
          json = undefined;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json,
          reusedSocket: req.reusedSocket,
        });
      });
      res.on("error", reject);
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (spec.chunks) {
      void writeChunks(req, spec.chunks, () => answered);
    } else if (spec.stallAfter) {
      req.write(spec.stallAfter);
    } else {
      req.end(spec.body);
    }
  });
}

async function writeChunks(
  req: ReturnType<typeof request>,
  chunks: Iterable<Buffer>,
  answered: () => boolean,
): Promise<void> {
  for (const chunk of chunks) {
    if (answered() || req.destroyed) return;
    if (!req.write(chunk)) await drainedOrClosed(req);
  }
  if (!answered() && !req.destroyed) req.end();
}

function drainedOrClosed(req: ReturnType<typeof request>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off("drain", done);
      req.off("close", done);
      resolve();
    };
    req.on("drain", done);
    req.on("close", done);
  });
}
