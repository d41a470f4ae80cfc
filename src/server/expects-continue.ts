import type { IncomingMessage } from "node:http";

/** The test Node applies before it emits `checkContinue` instead of `request`. */
const EXPECT_CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * True when the client waits for `100 Continue` before it sends the body (curl does above 1 MB).
 * HTTP/1.0 has no interim responses, so such a client gets none.
 */
export function expectsContinue(req: IncomingMessage): boolean {
  return (
    req.httpVersionMajor === 1 &&
    req.httpVersionMinor >= 1 &&
    EXPECT_CONTINUE.test(req.headers.expect ?? "")
  );
}
