import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.ts";
import type { Store } from "../../src/store/store.ts";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github/start-fake-github.ts";
import { hubDiscussionDelivery } from "../support/hub-discussion-delivery.ts";
import {
  CHILD_PROCESS_TEST_TIMEOUT_MS,
  eventually,
  runCli,
  type ServeProcess,
  startServe,
} from "./support/run-cli.ts";

const HUB_SECRET = "serve-webhook-id-hub-secret";
const HUB_REPO = "openai-community/gpt2";
const CONFIG = `routes:
  - hub: openai-community/*
    github: acme/widgets
    discussions: true
`;

let dir: string;
let github: FakeGitHub;
let serving: ServeProcess | undefined;
let store: Store | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-webhook-id-"));
  await writeFile(join(dir, "hf-bridge.yml"), CONFIG);
  github = await startFakeGitHub({
    repos: [{ owner: "acme", name: "widgets" }],
    personalTokens: [{ token: "ghp_webhook_id_token", login: "octo-bot" }],
  });
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await serving?.stop();
  serving = undefined;
  await github.close();
  github.expectNoViolations();
  await rm(dir, { recursive: true, force: true });
});

/** Posts as the Hub does: the secret header, and the delivery's own id in `Webhook-Id`. */
async function send(body: string, webhookId: string) {
  const response = await fetch(`${serving?.landing}webhooks/huggingface`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-webhook-secret": HUB_SECRET,
      "webhook-id": webhookId,
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function issues() {
  return [...(github.state.repos.get("acme/widgets")?.issues.values() ?? [])];
}

/** The delivery once its job is done with an outcome recorded (a forced re-run clears both). */
async function finished(id: number) {
  return eventually(async () => {
    const delivery = await store?.getDelivery(id);
    return delivery?.jobState === "done" && delivery.outcome ? delivery : undefined;
  }, `delivery ${id} done`);
}

describe("Webhook-Id through a running bridge", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS }, () => {
  it("dedupes on the id first and the payload second, shows the id, and re-runs a delivery on --force without a second issue", async () => {
    serving = await startServe(["--port", "0"], {
      cwd: dir,
      env: {
        GITHUB_TOKEN: "ghp_webhook_id_token",
        GITHUB_API_URL: github.url,
        HF_WEBHOOK_SECRET: HUB_SECRET,
      },
    });
    store = await createStore(join(dir, "data", "bridge.db"));
    const body = hubDiscussionDelivery(HUB_REPO);

    const first = await send(body, "wh-delivery-1");
    expect(first).toEqual({
      status: 202,
      json: { status: "queued", deliveryId: expect.any(Number) },
    });
    const firstId = first.json.deliveryId as number;

    // A Hub retry of the same delivery whose body changed meanwhile: the id says it is the same one.
    const changed = JSON.parse(body) as { discussion: { title: string } };
    changed.discussion.title = "A title edited between two attempts";
    expect(await send(JSON.stringify(changed), "wh-delivery-1")).toEqual({
      status: 200,
      json: { status: "duplicate", deliveryId: firstId },
    });
    // Another id, the same change: the payload key, the second check, still calls it a duplicate.
    expect(await send(body, "wh-delivery-2")).toEqual({
      status: 200,
      json: { status: "duplicate", deliveryId: firstId },
    });
    // Another id and another change: a delivery of its own.
    const other = await send(hubDiscussionDelivery(HUB_REPO), "wh-delivery-3");
    expect(other.status).toBe(202);
    const otherId = other.json.deliveryId as number;
    expect(otherId).not.toBe(firstId);

    await finished(firstId);
    await finished(otherId);
    expect(issues()).toHaveLength(2);
    const mirrored = issues().find((issue) => !issue.title.includes("edited"));
    expect(issues().map((issue) => issue.title)).not.toContain(
      "[Hub] A title edited between two attempts",
    );

    const listed = await runCli(["deliveries"], { cwd: dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^#${firstId} .* queued webhook-id wh-delivery-1 job \\d+ done .* \\+2 duplicates`,
        "m",
      ),
    );
    expect(listed.stdout).toMatch(new RegExp(`^#${otherId} .* webhook-id wh-delivery-3 `, "m"));
    const page = await (await fetch(serving.landing)).text();
    expect(page).toContain("<th>Webhook-Id</th>");
    expect(page).toContain("<td><code>wh-delivery-1</code></td>");

    // The Hub's Replay reuses the id: still a duplicate, nothing runs again.
    expect(await send(body, "wh-delivery-1")).toMatchObject({ status: 200 });
    const refused = await runCli(["replay", "--delivery", String(firstId)], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is done — fix: add --force to run it again on purpose");

    const createsBefore = github.requests.filter(
      (request) => request.method === "POST" && request.path === "/repos/acme/widgets/issues",
    ).length;
    const forced = await runCli(["replay", "--delivery", String(firstId), "--force"], { cwd: dir });
    expect(forced.stdout).toContain(`delivery ${firstId}: job`);
    expect(forced.code).toBe(0);
    const rerun = await finished(firstId);
    expect(rerun.attempts).toBe(1);
    // It ran again (its effect was planned and applied anew, finding its issue), and GitHub still
    // holds one issue per delivery.
    expect(rerun.outcome?.effects).toEqual([
      expect.objectContaining({
        effect: expect.objectContaining({ type: "create-issue" }),
        result: {
          status: "skipped",
          detail: expect.stringMatching(new RegExp(`^issue #${mirrored?.number} already mirrors `)),
        },
      }),
    ]);
    expect(
      github.requests.filter(
        (request) => request.method === "POST" && request.path === "/repos/acme/widgets/issues",
      ),
    ).toHaveLength(createsBefore);
    expect(issues()).toHaveLength(2);
    expect(issues().find((issue) => issue.number === mirrored?.number)?.title).toBe(
      mirrored?.title,
    );
  });
});
