import { setTimeout as sleep } from "node:timers/promises";

/** Posts `post()` until it is answered 2xx; the ms since `started` (a `process.hrtime.bigint()`). */
export async function firstAnswer(post: () => Promise<Response>, started: bigint): Promise<number> {
  for (;;) {
    try {
      const response = await post();
      await response.arrayBuffer();
      if (response.ok) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // Not listening yet.
    }
    await sleep(2);
  }
}
