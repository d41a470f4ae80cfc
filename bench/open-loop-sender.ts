import { Agent, request } from "node:http";

export interface OpenLoopFigures {
  sent: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than 2xx, socket errors, and requests still unanswered at the end of the grace. */
  failed: number;
  /** Sends that waited because `maxInFlight` requests were already out. */
  heldByCap: number;
  /** The latest any request left after its intended send time. */
  maxSendLagMs: number;
  /** The sender could not keep its schedule (held by the cap, or a send more than LATE_MS late). */
  fellBehind: boolean;
}

/** A send this much after its intended time means the schedule slipped, not timer jitter. */
const LATE_MS = 20;
/** How long answers are awaited after the last send before the rest count as failed. */
const GRACE_MS = 10_000;

/**
 * Posts `rate` requests a second for `seconds` on a fixed schedule, whatever the server does, and
 * times each from its intended send time, not from when it actually left: a server that stalls makes
 * the requests queued behind the stall late too, instead of the sender waiting politely and hiding
 * the queueing (coordinated omission). At most `maxInFlight` requests are out at once; a send that
 * has to wait for one is still timed from its schedule, and the run reports that it fell behind.
 */
export async function sendAtFixedRate(options: {
  url: string;
  rate: number;
  seconds: number;
  maxInFlight: number;
  headers: Record<string, string>;
  body: (index: number) => string;
}): Promise<OpenLoopFigures> {
  const total = options.rate * options.seconds;
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const latencies = new Float64Array(total);
  const intervalMs = 1000 / options.rate;
  const started = performance.now();
  let sent = 0;
  let answered = 0;
  let inFlight = 0;
  let failed = 0;
  let heldByCap = 0;
  /** Every send below this index was due while the cap held it back. */
  let heldBelow = 0;
  let maxSendLagMs = 0;
  let allAnswered: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    allAnswered = resolve;
  });
  const settle = (index: number, intended: number, ok: boolean) => {
    latencies[index] = performance.now() - intended;
    if (!ok) failed++;
    inFlight--;
    answered++;
    if (answered === total) allAnswered();
  };
  const send = (index: number, intended: number) => {
    inFlight++;
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - intended);
    const body = options.body(index);
    const outgoing = request(options.url, {
      method: "POST",
      agent,
      headers: { ...options.headers, "content-length": Buffer.byteLength(body) },
    });
    outgoing.once("response", (response) => {
      response.resume();
      response.once("end", () =>
        settle(index, intended, response.statusCode !== undefined && response.statusCode < 300),
      );
    });
    outgoing.once("error", () => settle(index, intended, false));
    outgoing.end(body);
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
      while (sent < due) {
        if (inFlight >= options.maxInFlight) {
          heldBelow = due;
          break;
        }
        if (sent < heldBelow) heldByCap++;
        send(sent, started + sent * intervalMs);
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const grace = setTimeout(allAnswered, GRACE_MS);
  await finished;
  clearTimeout(grace);
  agent.destroy();
  // Whatever is still out counts as failed, and as late as the grace made it.
  const now = performance.now();
  for (let index = 0; index < total; index++) {
    if (latencies[index] === 0) latencies[index] = now - (started + index * intervalMs);
  }
  failed += total - answered;
  const sorted = latencies.sort();
  const at = (fraction: number) => sorted[Math.min(total - 1, Math.floor(total * fraction))] ?? 0;
  return {
    sent: total,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    failed,
    heldByCap,
    maxSendLagMs,
    fellBehind: heldByCap > 0 || maxSendLagMs > LATE_MS,
  };
}
