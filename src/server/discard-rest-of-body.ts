import type { IncomingMessage } from "node:http";

/**
 * How long a refused request's client may go on sending before its socket closes anyway: time to
 * notice the answer and stop, or to finish a few MiB; a client still sending after that is not reading.
 */
const LINGER_MS = 5_000;
/** Bytes of a refused body read and dropped before the socket closes anyway, for the same reason. */
const LINGER_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Reads and drops what is left of a body the bridge refused, and settles once the client stopped
 * sending it (the body ended or the client went away) or a bound above was reached. Closing a socket
 * with unread bytes resets the connection, and a client still sending can lose the answer to that
 * reset before it reads it; so the answer goes out at once and the socket closes only after this.
 */
export function discardRestOfBody(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    const timer = setTimeout(done, LINGER_MS);
    // A lingering client must not keep a stopping process alive; closing the server ends it anyway.
    timer.unref();
    function onData(chunk: Buffer) {
      discarded += chunk.length;
      if (discarded > LINGER_LIMIT_BYTES) done();
    }
    function done() {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", done);
      req.off("close", done);
      req.off("error", done);
      resolve();
    }
    req.on("data", onData);
    req.on("end", done);
    req.on("close", done);
    req.on("error", done);
    req.resume();
  });
}
