import type { IncomingMessage, ServerResponse } from "node:http";
import { expectsContinue } from "./expects-continue.ts";
import { HttpProblem } from "./http-problem.ts";

/**
 * Reads the request body, counting bytes as chunks arrive so a chunked upload without Content-Length
 * is cut off at the cap too, and refusing an announced over-large Content-Length before reading a byte.
 * A client that waits for `100 Continue` gets it here, once the announced length fits, so an over-cap
 * one gets the 413 instead (the server hands `checkContinue` requests over unanswered). Over the cap
 * mid-stream, the rest of the body is no longer kept; the refusal says to close the connection, and
 * `sendJson` drops the rest of the body before it closes, so the client can read the 413.
 */
export function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: { limitBytes: number; timeoutMs: number },
): Promise<Buffer> {
  const { limitBytes, timeoutMs } = limits;
  // Built only when needed: an Error captures a stack, which is a cost on every accepted request.
  const tooLarge = () =>
    new HttpProblem(
      413,
      "too-large",
      `the body is larger than ${limitBytes} bytes, the limit of this endpoint; Hub webhook payloads are far smaller, so check what is posting here`,
      { closeConnection: true },
    );
  const announced = Number(req.headers["content-length"]);
  if (Number.isFinite(announced) && announced > limitBytes) return Promise.reject(tooLarge());
  if (expectsContinue(req) && !res.headersSent) res.writeContinue();

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      finish();
      reject(
        new HttpProblem(
          408,
          "timeout",
          `the body did not arrive within ${timeoutMs} ms; send the whole request at once`,
          { closeConnection: true },
        ),
      );
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        finish();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      finish();
      resolve(Buffer.concat(chunks, received));
    };
    const onCutOff = () => {
      finish();
      reject(
        new HttpProblem(400, "incomplete", "the connection closed before the body ended", {
          closeConnection: true,
        }),
      );
    };
    function finish() {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onCutOff);
      req.off("close", onCutOff);
      req.pause();
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onCutOff);
    req.on("close", onCutOff);
  });
}
