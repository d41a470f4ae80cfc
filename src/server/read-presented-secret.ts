import type { IncomingMessage } from "node:http";
import { HttpProblem } from "./http-problem.ts";

/** The secret a sender presented, in the X-Webhook-Secret header and/or `?secret=`. */
export function readPresentedSecret(
  req: IncomingMessage,
  url: URL,
): { header?: string; query?: string } {
  // Node joins a repeated header into one value, which then simply fails to match.
  const header = req.headers["x-webhook-secret"] as string | undefined;
  const queryValues = url.searchParams.getAll("secret");
  if (queryValues.length > 1) {
    throw new HttpProblem(
      401,
      "unauthorized",
      "more than one webhook secret was sent; send it once, in X-Webhook-Secret or ?secret=",
      { closeConnection: true },
    );
  }
  return {
    ...(header !== undefined ? { header } : {}),
    ...(queryValues[0] !== undefined ? { query: queryValues[0] } : {}),
  };
}
