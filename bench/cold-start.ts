// Cold start: spawn to first 2xx of the shipped serve (first 202), Express and Probot (first 200),
// alternating in rounds. `npm run bench` runs it (BENCH_ONLY=cold-start).
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROBOT_WEBHOOK_PATH } from "./servers/probot-server-path.ts";
import type { BenchSettings } from "./support/bench-settings.ts";
import { firstAnswer } from "./support/first-answer.ts";
import { freePort } from "./support/free-port.ts";
import { githubSignedBody } from "./support/github-signed-body.ts";
import { postHubComment } from "./support/post-hub-comment.ts";
import { spread } from "./support/spread.ts";
import { startServe } from "./support/start-serve.ts";
import { stopChild } from "./support/stop-child.ts";

const SERVERS_DIR = join(dirname(fileURLToPath(import.meta.url)), "servers");

/** Seconds the section takes, for the estimate printed at the start. */
export function coldStartSeconds(settings: BenchSettings): number {
  return settings.rounds * 2;
}

function postSigned(port: number, id: string): Promise<Response> {
  const { body, signature } = githubSignedBody(id, "bench-secret");
  return fetch(`http://127.0.0.1:${port}${PROBOT_WEBHOOK_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": id,
      "x-hub-signature-256": signature,
    },
    body,
  });
}

async function referenceStart(
  script: string,
  post: (port: number) => Promise<Response>,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(SERVERS_DIR, script), String(port)], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  try {
    return await firstAnswer(() => post(port), started, child);
  } finally {
    await stopChild(child);
  }
}

export async function measureColdStart(settings: BenchSettings, work: string): Promise<string[]> {
  const serve: number[] = [];
  const express: number[] = [];
  const probot: number[] = [];
  // Probot needs an app key; made here, so its generation is not counted as Probot's start.
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const env = { ...process.env, BENCH_PROBOT_PRIVATE_KEY: privateKey };
  for (let round = 0; round < settings.rounds; round++) {
    const id = `cold${String(round).padStart(20, "0")}`;
    const port = await freePort();
    const started = process.hrtime.bigint();
    const bridge = startServe(port, join(work, `cold-${round}.db`));
    try {
      serve.push(await firstAnswer(() => postHubComment(port, id), started, bridge));
    } finally {
      await stopChild(bridge);
    }
    express.push(await referenceStart("express-server.ts", (p) => postHubComment(p, id), env));
    probot.push(await referenceStart("probot-server.ts", (p) => postSigned(p, id), env));
  }
  const toExpress = serve.map((ms, i) => ms / (express[i] ?? Number.NaN));
  const line = `Cold start (bench/cold-start.ts), spawn to first 2xx, ms, ${settings.rounds} alternating starts, median (min–max): serve ${spread(serve)}, Express ${spread(express)}, Probot ${spread(probot)}; serve / Express ${spread(toExpress, 2)} (target ≤ 2).`;
  return [line];
}
