import { afterEach, describe, expect, it } from "vitest";
import { CHILD_PROCESS_TEST_TIMEOUT_MS, runCli } from "../cli/support/run-cli.ts";
import { sendRequest } from "../server/support/send-request.ts";
import { startWriteBackBridge, type WriteBackBridge } from "./support/start-write-back-bridge.ts";

const COMMENT_PATH = /^\/api\/models\/some-user\/some-repo\/discussions\/3\/comment$/;
const STATUS_PATH = /^\/api\/models\/some-user\/some-repo\/discussions\/3\/status$/;
/** Distinctive text, so the test can tell whether a reply's body reached the log. */
const REPLY = "Thanks, the fix for the tokenizer is queued (reply-body-7d41c0)";

let bridge: WriteBackBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge?.github.expectNoViolations();
  bridge = undefined;
});

async function start(): Promise<WriteBackBridge> {
  bridge = await startWriteBackBridge();
  return bridge;
}

function hubRequests(running: WriteBackBridge, method: string, path: RegExp) {
  return running.hub.requests.filter(
    (request) => request.method === method && path.test(request.path),
  );
}

describe("GitHub → Hub write-back through a bridge process", {
  timeout: CHILD_PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("answers GitHub 202 at once while the Hub answers 503, then posts the reply once when it recovers", async () => {
    const running = await start();
    // HF_ENDPOINT is the fake Hub: the mirrored issue links there, not to huggingface.co.
    expect(running.issue.body).toContain(`](${running.hub.url}/some-user/some-repo/discussions/3)`);
    expect(running.issue.body).not.toContain("https://huggingface.co");
    running.hub.inject({
      method: "POST",
      path: COMMENT_PATH,
      kind: "status",
      status: 503,
      times: 2,
    });

    const answer = await running.postGitHub(
      "issue_comment",
      running.commentPayload(9001, "widget-maintainer", REPLY),
    );
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ status: "queued" });
    const delivery = await running.settled(answer.json?.deliveryId ?? 0);

    expect(delivery.jobState).toBe("done");
    expect(delivery.outcome?.effects[0]?.result).toMatchObject({
      status: "done",
      detail: expect.stringMatching(/^posted to the Hub as comment /),
    });
    expect(running.hubComments()).toEqual([
      "This adds an env key",
      `widget-maintainer on GitHub wrote:\n\n${REPLY}`,
    ]);
    const posts = hubRequests(running, "POST", COMMENT_PATH).map((request) => request.status);
    expect(posts).toEqual([503, 503, 200]);
    // Each retry after an unknown outcome looked for the comment before posting again.
    const lookups = hubRequests(running, "GET", /\/discussions\/3$/);
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(running.stdout()).not.toContain("reply-body-7d41c0");
  });

  it("adopts a reply the Hub stored although its answer was lost, instead of posting it twice", async () => {
    const running = await start();
    running.hub.inject({
      method: "POST",
      path: COMMENT_PATH,
      kind: "commitThenStatus",
      status: 503,
    });

    const answer = await running.postGitHub(
      "issue_comment",
      running.commentPayload(9002, "widget-maintainer", REPLY),
    );
    expect(answer.status).toBe(202);
    const delivery = await running.settled(answer.json?.deliveryId ?? 0);

    expect(delivery.outcome?.effects[0]?.result.detail).toMatch(
      /^found on the Hub as comment \w+ \(posted by an earlier attempt whose answer was lost\)$/,
    );
    expect(running.hubComments()).toEqual([
      "This adds an env key",
      `widget-maintainer on GitHub wrote:\n\n${REPLY}`,
    ]);
    expect(hubRequests(running, "POST", COMMENT_PATH)).toHaveLength(1);
  });

  it("answers a redelivery with the same X-GitHub-Delivery 200 duplicate, and posts one Hub comment", async () => {
    const running = await start();
    const payload = running.commentPayload(9003, "widget-maintainer", REPLY);
    const first = await running.postGitHub("issue_comment", payload, "redelivered-guid-0001");
    const again = await running.postGitHub("issue_comment", payload, "redelivered-guid-0001");

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ status: "duplicate", deliveryId: first.json?.deliveryId });
    await running.settled(first.json?.deliveryId ?? 0);
    expect(running.hubComments()).toHaveLength(2);
    expect(hubRequests(running, "POST", COMMENT_PATH)).toHaveLength(1);
  });

  it("dead-letters a close the Hub answers 404 for, with the reason, while GitHub got 202", async () => {
    const running = await start();
    running.hub.inject({ method: "POST", path: STATUS_PATH, kind: "status", status: 404 });

    const answer = await running.postGitHub("issues", running.closedPayload("widget-maintainer"));
    expect(answer.status).toBe(202);
    const delivery = await running.settled(answer.json?.deliveryId ?? 0);

    expect(delivery.jobState).toBe("dead");
    expect(delivery.lastError).toContain(
      "close model some-user/some-repo #3: Hub POST /api/models/some-user/some-repo/discussions/3/status answered 404",
    );
    expect(delivery.lastError).toContain(
      `the discussion or its repo no longer exists, or HF_TOKEN cannot see it (a private repo) — check it on the Hub, then replay the job with "hf-bridge replay ${delivery.jobId}"`,
    );
    const listed = await runCli(["dead-letters", "--json", "--store", running.dbPath], {
      cwd: process.cwd(),
    });
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { jobId: delivery.jobId, event: { kind: "github.issue-closed" } },
    ]);
    expect(hubRequests(running, "POST", STATUS_PATH).map((request) => request.status)).toEqual([
      404,
    ]);
    expect(running.discussion.status).toBe("draft");
  });

  it("replays a dead write-back job: the reply is posted once the Hub takes it", async () => {
    const running = await start();
    running.hub.inject({ method: "POST", path: COMMENT_PATH, kind: "status", status: 404 });
    const answer = await running.postGitHub(
      "issue_comment",
      running.commentPayload(9004, "widget-maintainer", REPLY),
    );
    const dead = await running.settled(answer.json?.deliveryId ?? 0);
    expect(dead.jobState).toBe("dead");
    expect(running.hubComments()).toHaveLength(1);
    expect(running.stdout()).not.toContain("reply-body-7d41c0");

    const replayed = await runCli(["replay", String(dead.jobId), "--store", running.dbPath], {
      cwd: process.cwd(),
    });
    expect(replayed.code).toBe(0);
    await expect
      .poll(async () => (await running.store.getDelivery(dead.id))?.jobState, {
        timeout: 60_000,
        interval: 100,
      })
      .toBe("done");
    expect(running.hubComments()).toEqual([
      "This adds an env key",
      `widget-maintainer on GitHub wrote:\n\n${REPLY}`,
    ]);
    expect(hubRequests(running, "POST", COMMENT_PATH).map((request) => request.status)).toEqual([
      404, 200,
    ]);
  });

  it("refuses a missing, malformed or wrong signature with 401 and stores nothing", async () => {
    const running = await start();
    const body = JSON.stringify(running.commentPayload(9005, "widget-maintainer", REPLY));
    const headers = {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": "unsigned-guid-0001",
    };
    const url = `${running.url}/api/github/webhooks`;
    const missing = await sendRequest(url, { headers, body });
    const malformed = await sendRequest(url, {
      headers: { ...headers, "x-hub-signature-256": "sha1=abc" },
      body,
    });
    const wrong = await sendRequest(url, {
      headers: { ...headers, "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
      body,
    });

    expect([missing.status, malformed.status, wrong.status]).toEqual([401, 401, 401]);
    expect(missing.json?.reason).toContain("X-Hub-Signature-256 is missing");
    expect(wrong.json?.reason).toContain("does not match the body under WEBHOOK_SECRET");
    const stored = await running.store.listDeliveries({ limit: 10 });
    expect(stored.filter((delivery) => delivery.source === "github")).toEqual([]);
    expect(running.stdout()).not.toContain("reply-body-7d41c0");
  });

  it("refuses a 20 MiB body with a wrong signature without taking it into memory or the log", async () => {
    const running = await start();
    const piece = Buffer.from(`"oversized-body-93ab",`.repeat(2_978));
    const pieces = Math.ceil((20 * 1024 * 1024) / piece.length);
    const headers = {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": "oversized-guid-0001",
      "x-hub-signature-256": `sha256=${"1".repeat(64)}`,
    };
    const rssBefore = running.rssBytes();
    const stdoutBefore = running.stdoutBytes();
    const textBefore = running.stdout().length;

    // The server answers 413 and closes while the client is still sending, so the client may see the
    // connection reset before it reads the answer; the server's request log says what it answered.
    const chunked = await sendRequest(`${running.url}/api/github/webhooks`, {
      headers,
      chunks: (function* () {
        yield Buffer.from("[");
        for (let index = 0; index < pieces; index++) yield piece;
      })(),
    }).then(
      (response) => response.status,
      (error: NodeJS.ErrnoException) => error.code,
    );
    const announced = await sendRequest(`${running.url}/api/github/webhooks`, {
      headers: { ...headers, "content-length": pieces * piece.length },
      stallAfter: piece,
    });

    expect([413, "EPIPE", "ECONNRESET"]).toContain(chunked);
    expect(announced.status).toBe(413);
    expect(announced.json?.reason).toContain("larger than 2097152 bytes");
    const answered = () =>
      running
        .stdout()
        .slice(textBefore)
        .split("\n")
        .filter((line) => line.includes('"msg":"request"') && line.includes("/api/github/webhooks"))
        .map((line) => (JSON.parse(line) as { status: number }).status);
    await expect.poll(answered, { timeout: 30_000, interval: 100 }).toEqual([413, 413]);
    const logged = running.stdout().slice(textBefore);
    expect(running.stdoutBytes() - stdoutBefore).toBeLessThan(16 * 1024);
    expect(logged).not.toContain("oversized-body-93ab");
    // The body is 20 MiB; reading it whole (and more so logging it) grows the process far past this.
    expect(running.rssBytes() - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
