import { generateKeyPairSync } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createStore } from "../../../src/store/create-store.ts";
import type { DeliverySummary } from "../../../src/store/store.ts";
import { readLinkMarker } from "../../../src/text/link-marker.ts";
import { startFakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import type { FaultAction, ScriptedRequest } from "../../support/fake-github/types.ts";
import { type ChaosEffects, checkChaosEffects } from "./check-chaos-effects.ts";
import { type ChaosPlan, type CreateKind, planChaos, type WriteFault } from "./plan-chaos.ts";
import { type KillRecord, superviseBridge } from "./supervise-bridge.ts";

const WEBHOOK_SECRET = "chaos-hub-webhook-secret";
const MARKER_KEY = "chaos-marker-key";
const METRICS_TOKEN = "chaos-metrics-token";
/**
 * Production values, shortened so a run fits in the suite. The lease stays longer than any job here
 * can run (its waits are at most a few seconds), so a job is only taken over after its process died.
 */
const TUNING = {
  worker: {
    leaseMs: 8_000,
    maxAttempts: 8,
    backoff: { baseMs: 200, capMs: 2_000 },
    pollIntervalMs: 200,
    concurrency: 4,
  },
  github: {
    writeLimits: {
      msBetweenWrites: 20,
      msBetweenContentWrites: 40,
      contentWritesPerMinute: 100_000,
      contentWritesPerHour: 100_000,
    },
    // Above the fake's scripted delays, so only held or dropped writes time out; the window in which
    // a lost create may still land is the timeout plus this margin.
    requestTimeoutMs: 5_000,
    lostCreateMarginMs: 2_000,
  },
};
const CONFIG = {
  routes: [{ hub: "chaos-org/*", github: "acme/widgets", discussions: true, dispatch: [{}] }],
};
/**
 * Bounds that make a stuck run fail with a report instead of hanging the suite: sending and draining
 * share one budget, below the test's timeout. A run takes well under a minute on an idle machine;
 * the margin is for restarts on a loaded one (each start of the bridge imports the whole app).
 */
const DELIVERY_ANSWER_LIMIT_MS = 15_000;
const RUN_LIMIT_MS = 140_000;
const RETRY_SEND_MS = 50;
const DRAIN_POLL_MS = 250;

export interface ChaosRun {
  /** Everything the run did and found, for the test output. */
  report: string;
  /** What went wrong: duplicates, missing effects, lost or failed deliveries. Empty when all held. */
  findings: string[];
}

/**
 * One chaos run over the store at `storeUrl`. The bridge runs as its own process (the production
 * composition root, GitHub App credentials) against the fake GitHub, and is SIGKILLed at moments the
 * seed picks: while the fake holds one of its GitHub writes (then performs or drops it) and a few ms
 * into answering a delivery; it restarts after a short downtime each time. A sender posts distinct
 * deliveries (discussion opens, comments, pushes that dispatch) and, like the Hub, sends one again
 * until it is acknowledged. The fake answers scripted writes with 502, commit-then-502, 429 and
 * delays. Once the queue is drained, GitHub's objects are compared with the distinct events and the
 * store with the acknowledgements (see checkChaosEffects).
 */
export async function runChaos(options: {
  seed: number;
  storeUrl: string;
  label: string;
}): Promise<ChaosRun> {
  const plan = planChaos(options.seed);
  const startedAt = Date.now();
  const github = await startFakeGitHub({ repos: [{ owner: "acme", name: "widgets" }] });
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const supervisor = superviseBridge({
    argument: JSON.stringify({ storeUrl: options.storeUrl, config: CONFIG, tuning: TUNING }),
    env: {
      APP_ID: "4242",
      PRIVATE_KEY: privateKey,
      GITHUB_API_URL: github.url,
      HF_WEBHOOK_SECRET: WEBHOOK_SECRET,
      HF_BRIDGE_MARKER_KEY: MARKER_KEY,
      HF_BRIDGE_METRICS_TOKEN: METRICS_TOKEN,
    },
    startedAt,
  });
  const downtime = () => plan.downtimesMs[supervisor.kills.length % plan.downtimesMs.length] ?? 0;
  const writes: string[] = [];
  const applied: WriteFault[] = [];
  const creates = new Map<CreateKind, number>();
  github.inject({
    match: { path: /^\/repos\// },
    kind: "script",
    decide: (request) => {
      if (request.method === "GET") return undefined;
      const index = writes.length;
      const create = createKindOf(request);
      const ordinal = create === undefined ? -1 : (creates.get(create) ?? 0);
      if (create !== undefined) creates.set(create, ordinal + 1);
      const kill = plan.createKills.find(
        (entry) => entry.create === create && entry.ordinal === ordinal,
      );
      const fault: WriteFault = kill
        ? { kind: "kill", afterwards: kill.afterwards }
        : (plan.writeFaults[index] ?? { kind: "none" });
      writes.push(`write ${index} ${describeWrite(request)}: ${describeFault(fault)}`);
      applied.push(fault);
      if (fault.kind !== "kill") return faultAction(fault);
      const sender = supervisor.current();
      return {
        kind: "hold",
        afterwards: fault.afterwards,
        until: async () => {
          if (sender === undefined) return;
          await supervisor.kill(
            `held GitHub write ${index} (${describeWrite(request)}), then ${fault.afterwards === "commit" ? "performed it" : "dropped it"}`,
            downtime(),
            sender,
          );
        },
      };
    },
  });

  const findings: string[] = [];
  const acks = new Map<number, number>();
  let posts = 0;
  let duplicateAnswers = 0;
  try {
    const deadline = startedAt + RUN_LIMIT_MS;
    for (const delivery of plan.deliveries) {
      if (Date.now() > deadline) break;
      await sleep(plan.gapsMs[delivery.index - 1] ?? 0);
      const killAfter = plan.deliveryKills.get(delivery.index);
      for (let first = true; !acks.has(delivery.index); first = false) {
        if (Date.now() > deadline) break;
        const url = await supervisor.url();
        if (first && killAfter !== undefined) {
          void sleep(killAfter).then(() =>
            supervisor.kill(`${killAfter} ms into sending delivery ${delivery.index}`, downtime()),
          );
        }
        posts++;
        const answer = await post(`${url}/webhooks/huggingface`, delivery.body);
        if (answer?.status === 202 || answer?.status === 200) {
          acks.set(delivery.index, answer.deliveryId);
          if (answer.status === 200) duplicateAnswers++;
        } else {
          await sleep(RETRY_SEND_MS);
        }
      }
    }
    const unsent = plan.deliveries.filter((delivery) => !acks.has(delivery.index));
    if (unsent.length > 0) {
      findings.push(
        `deliveries ${unsent.map((delivery) => delivery.index).join(", ")} were not acknowledged within the run's ${RUN_LIMIT_MS} ms`,
      );
    }
    const drained = await drain(supervisor.url, deadline);
    if (drained !== true) {
      findings.push(`the queue did not drain within the run's ${RUN_LIMIT_MS} ms (${drained})`);
    }
  } finally {
    await supervisor.stop();
    await github.close();
  }

  const store = await createStore(options.storeUrl);
  let stored: DeliverySummary[];
  try {
    stored = await store.listDeliveries({ limit: 1000 });
  } finally {
    await store.close();
  }
  const effects: ChaosEffects = checkChaosEffects({
    plan,
    acks,
    stored,
    github,
    markerKey: MARKER_KEY,
    writes,
  });
  findings.push(...effects.findings);
  if (github.violations.length > 0) {
    findings.push(`${github.violations.length} request(s) broke GitHub's OpenAPI description`);
  }

  const report = [
    `chaos ${options.label}: seed ${plan.seed} (HF_BRIDGE_CHAOS_SEED=${plan.seed} repeats this plan), ${Math.round((Date.now() - startedAt) / 1000)} s`,
    `deliveries: ${plan.deliveries.length} distinct (${countKinds(plan)}), ${acks.size} acknowledged, ${posts} POSTs, ${duplicateAnswers} answered "duplicate"`,
    `GitHub writes: ${writes.length}; faults: ${countFaults(applied)}`,
    `kills: ${supervisor.kills.length}`,
    ...supervisor.kills.map(describeKill),
    `effects: ${effects.summary}`,
    findings.length === 0 ? "findings: none" : `findings (${findings.length}):`,
    ...findings.map((finding) => `  - ${finding}`),
  ].join("\n");
  return { report, findings };
}

async function post(
  url: string,
  body: string,
): Promise<{ status: number; deliveryId: number } | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": WEBHOOK_SECRET },
      body,
      signal: AbortSignal.timeout(DELIVERY_ANSWER_LIMIT_MS),
    });
    const answer = (await response.json().catch(() => ({}))) as { deliveryId?: number };
    return { status: response.status, deliveryId: answer.deliveryId ?? -1 };
  } catch {
    // Refused, reset or timed out: the bridge is down or died mid-answer; the Hub would send again.
    return undefined;
  }
}

/** True once the bridge reports no queued or running job twice in a row; else what it last saw. */
async function drain(url: () => Promise<string>, deadline: number): Promise<true | string> {
  let idle = 0;
  let last = "no answer from /metrics";
  while (Date.now() < deadline) {
    await sleep(DRAIN_POLL_MS);
    try {
      const response = await fetch(`${await url()}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        signal: AbortSignal.timeout(DELIVERY_ANSWER_LIMIT_MS),
      });
      const text = await response.text();
      const jobs = (state: string) =>
        Number(
          new RegExp(`^hf_bridge_jobs\\{state="${state}"\\} (\\d+)`, "m").exec(text)?.[1] ?? NaN,
        );
      last = `queued ${jobs("queued")}, running ${jobs("running")}, dead ${jobs("dead")}`;
      idle = jobs("queued") === 0 && jobs("running") === 0 ? idle + 1 : 0;
      if (idle >= 2) return true;
    } catch {
      idle = 0;
    }
  }
  return last;
}

function faultAction(fault: WriteFault): FaultAction | undefined {
  switch (fault.kind) {
    case "502":
      return { kind: "status", status: 502, body: { message: "Server Error" } };
    case "commit-then-502":
      return { kind: "commitThenStatus", status: 502 };
    case "429":
      return { kind: "rateLimit", status: 429, headers: { "retry-after": "1" } };
    case "delay":
      return { kind: "delay", ms: fault.ms };
    default:
      return undefined;
  }
}

function createKindOf(request: ScriptedRequest): CreateKind | undefined {
  if (request.method !== "POST") return undefined;
  if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(request.path)) return "issue";
  if (/^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(request.path)) return "comment";
  if (/^\/repos\/[^/]+\/[^/]+\/dispatches$/.test(request.path)) return "dispatch";
  return undefined;
}

function describeWrite(request: ScriptedRequest): string {
  const body = (request.body ?? {}) as {
    body?: unknown;
    client_payload?: { hf?: { newSha?: unknown } };
  };
  const marker = typeof body.body === "string" ? readLinkMarker(body.body, MARKER_KEY) : undefined;
  const sha = body.client_payload?.hf?.newSha;
  const what = marker ?? (typeof sha === "string" ? `newSha ${sha.slice(0, 7)}` : undefined);
  return `${request.method} ${request.path}${what ? ` [${what}]` : ""}`;
}

function describeFault(fault: WriteFault): string {
  if (fault.kind === "delay") return `delay ${fault.ms} ms`;
  if (fault.kind === "kill") return `kill the bridge, then ${fault.afterwards}`;
  return fault.kind;
}

function describeKill(kill: KillRecord): string {
  return `  kill ${kill.number} at ${(kill.atMs / 1000).toFixed(1)} s: process ${kill.process} (up ${(kill.uptimeMs / 1000).toFixed(1)} s), ${kill.trigger}`;
}

function countKinds(plan: ChaosPlan): string {
  const count = (kind: string) =>
    plan.deliveries.filter((delivery) => delivery.kind === kind).length;
  return `${count("discussion.opened")} discussion opens, ${count("comment.created")} comments, ${count("push")} pushes`;
}

function countFaults(applied: WriteFault[]): string {
  const counts = new Map<string, number>();
  for (const fault of applied) {
    if (fault.kind !== "none") counts.set(fault.kind, (counts.get(fault.kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, count]) => `${count} ${kind}`).join(", ") || "none";
}
