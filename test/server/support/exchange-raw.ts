import { connect, type Socket } from "node:net";

/** What a client read off the wire: the interim (1xx) statuses, then the final response. */
export interface RawExchange {
  interim: number[];
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  /** Request line and headers, without the blank line that ends them. */
  head: string;
  body: Buffer;
  /** Send the body only after a `100 Continue`, as curl does for bodies over 1 MB. */
  waitForContinue?: boolean;
  /** Frame the body as chunks of this size (the head must say `Transfer-Encoding: chunked`). */
  chunkBytes?: number;
}

/** Bytes written per socket write when the body is not chunked. */
const WRITE_BYTES = 64 * 1024;

/**
 * One request over a raw TCP socket, read as a client that keeps sending while it reads would: it
 * resolves as soon as a complete final response arrived, and rejects when the connection fails first
 * (a reset that swallowed the answer, for instance).
 */
export function exchangeRaw(
  target: { host: string; port: number },
  request: RawRequest,
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, target.host);
    let received = Buffer.alloc(0);
    const interim: number[] = [];
    let settled = false;
    let sending = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      outcome();
    };
    const fail = (why: string) =>
      settle(() =>
        reject(
          new Error(
            `${why} before a complete response; read so far: ${JSON.stringify(received.toString("latin1").slice(0, 200))}, interim ${JSON.stringify(interim)}`,
          ),
        ),
      );
    const startSending = () => {
      if (sending) return;
      sending = true;
      void writeBody(socket, request, () => settled);
    };

    socket.on("data", (piece: Buffer) => {
      received = Buffer.concat([received, piece]);
      for (;;) {
        let parsed: ReturnType<typeof parseResponse>;
        try {
          parsed = parseResponse(received);
        } catch (error) {
          fail((error as Error).message);
          return;
        }
        if (!parsed) return;
        if (parsed.status >= 100 && parsed.status < 200) {
          interim.push(parsed.status);
          received = received.subarray(parsed.length);
          if (parsed.status === 100) startSending();
          continue;
        }
        const { status, headers, body } = parsed;
        settle(() => resolve({ interim, status, headers, body }));
        return;
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => fail(`${error.code ?? error.message}`));
    socket.on("end", () => fail("the server closed the connection"));
    socket.write(`${request.head}\r\n\r\n`);
    if (!request.waitForContinue) startSending();
  });
}

async function writeBody(socket: Socket, request: RawRequest, stop: () => boolean): Promise<void> {
  const { body, chunkBytes } = request;
  const step = chunkBytes ?? WRITE_BYTES;
  for (let offset = 0; offset < body.length; offset += step) {
    if (stop() || socket.destroyed) return;
    const piece = body.subarray(offset, offset + step);
    const framed = chunkBytes
      ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")])
      : piece;
    if (!socket.write(framed)) await drainedOrClosed(socket);
  }
  if (chunkBytes && !stop() && !socket.destroyed) socket.write("0\r\n\r\n");
}

function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}

/** One response at the start of `bytes`, once its head and its Content-Length body are all there. */
function parseResponse(
  bytes: Buffer,
): { status: number; headers: Record<string, string>; body: string; length: number } | undefined {
  const headEnd = bytes.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine = "", ...headerLines] = bytes
    .subarray(0, headEnd)
    .toString("latin1")
    .split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP status line: ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyStart = headEnd + 4;
  const bodyLength = status < 200 ? 0 : Number(headers["content-length"] ?? Number.NaN);
  if (!Number.isInteger(bodyLength))
    throw new Error(`a final response without Content-Length: ${statusLine}`);
  if (bytes.length < bodyStart + bodyLength) return undefined;
  return {
    status,
    headers,
    body: bytes.subarray(bodyStart, bodyStart + bodyLength).toString("utf8"),
    length: bodyStart + bodyLength,
  };
}
