import type { Logger } from "pino";
import { HttpProblem } from "./http-problem.ts";

/** The Hub's retry schedule is unpublished; half a minute lets a restarting store come back. */
const STORE_RETRY_AFTER_SECONDS = 30;

/** A store that cannot write is a 503 with Retry-After: never 2xx for an event that was not kept. */
export function storeUnavailable(error: unknown, log: Logger): HttpProblem {
  log.error({ err: error }, "store could not record the delivery");
  return new HttpProblem(
    503,
    "unavailable",
    "the bridge cannot store events right now; the sender retries (on the Hub, or press Replay in the webhook's Activity tab)",
    { headers: { "retry-after": String(STORE_RETRY_AFTER_SECONDS) } },
  );
}
