import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Posts `post()` until it is answered 2xx; the ms since `started` (a `process.hrtime.bigint()`).
 * Throws once `server` has exited, instead of knocking forever on a server that crashed at start.
 */
export async function firstAnswer(
  post: () => Promise<Response>,
  started: bigint,
  server: ChildProcess,
): Promise<number> {
  for (;;) {
    try {
      const response = await post();
      await response.arrayBuffer();
      if (response.ok) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // Not listening yet.
    }
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `the server exited (${server.exitCode ?? server.signalCode}) before answering`,
      );
    }
    await sleep(2);
  }
}
