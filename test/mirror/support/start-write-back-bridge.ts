import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "../../../src/store/sqlite/create-sqlite-store.ts";
import type { DeliverySummary, Store } from "../../../src/store/store.ts";
import { type SentResponse, sendRequest } from "../../server/support/send-request.ts";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/start-fake-github.ts";
import type { FakeIssue } from "../../support/fake-github/types.ts";
import { type FakeHub, startFakeHub } from "../../support/fake-hub/start-fake-hub.ts";
import type { FakeHubDiscussion } from "../../support/fake-hub/types.ts";
import { REPO_ROOT } from "../../support/paths.ts";
import { BRIDGE_HUB_ACCOUNT } from "../../support/start-bridge.ts";
import { seedHubPullRequest } from "../seed-hub-pull-request.ts";

const CHILD_SCRIPT = join(REPO_ROOT, "test/mirror/support/write-back-bridge-child.ts");
const HUB_SECRET = "write-back-child-hub-secret-31f0";
export const GITHUB_WEBHOOK_SECRET = "write-back-child-github-secret-8c2d";
export const WRITE_BACK_HF_TOKEN = "hf_writebackchildtokenforthefakehub";
/** Long enough for a few retries on a loaded machine; a job still open by then is stuck. */
const WAIT_LIMIT_MS = 60_000;
const POLL_MS = 100;
/** Short, so the lost-response rule's wait takes a second or two instead of a minute. */
export const TEST_LANDING_WINDOW_MS = 1_500;

const CONFIG = {
  routes: [
    {
      hub: "some-user/*",
      github: "acme/widgets",
      discussions: { writeBack: true, closeOnHub: true },
    },
  ],
};

/** One App key per test process: RSA generation is slow, and the fake only checks the JWT's shape. */
let appPrivateKey: string | undefined;

export interface WriteBackBridge {
  url: string;
  github: FakeGitHub;
  hub: FakeHub;
  /** some-user/some-repo #3 on the fake Hub, mirrored into `issue` once the bridge has started. */
  discussion: FakeHubDiscussion;
  issue: FakeIssue;
  dbPath: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout so far, and its size in bytes. */
  stdout(): string;
  stdoutBytes(): number;
  /** The process's resident set size, from /proc. */
  rssBytes(): number;
  /** A read connection to the bridge's SQLite file. */
  store: Store;
  /** POSTs a Hub webhook body with the Hub secret. */
  postHub(body: object): Promise<SentResponse>;
  /** POSTs a GitHub webhook signed with the App's secret; a fresh X-GitHub-Delivery unless given. */
  postGitHub(event: string, payload: object, deliveryId?: string): Promise<SentResponse>;
  /** A GitHub `issue_comment.created` on the mirrored issue. */
  commentPayload(id: number, login: string, body: string): object;
  /** A GitHub `issues.closed` of the mirrored issue. */
  closedPayload(login: string): object;
  /** Hub comments on the discussion, as their raw text. */
  hubComments(): string[];
  /** Waits until the delivery's job is done or dead, and returns it. */
  settled(deliveryId: number): Promise<DeliverySummary>;
  close(): Promise<void>;
}

/**
 * A bridge in its own process (the same composition root as `hf-bridge serve`) with GitHub App
 * credentials, HF_TOKEN and write-back on, in front of a fake GitHub and a fake Hub on loopback. It
 * mirrors some-user/some-repo #3 before it is handed over, so GitHub webhooks have an issue to name.
 */
export async function startWriteBackBridge(
  options: {
    /** hf-bridge.yml as JSON; write-back into acme/widgets when absent. */
    config?: object;
    /** Who opened the Hub PR; its repo's owner, some-user, when absent. */
    author?: { id: string; name: string };
    /** Workflow files acme/widgets has, for routes with `pullRequests`. */
    workflows?: string[];
  } = {},
): Promise<WriteBackBridge> {
  const github = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: "widgets",
        collaborators: { "widget-maintainer": "write", "widget-reader": "read" },
        ...(options.workflows ? { workflows: options.workflows } : {}),
      },
    ],
  });
  const hub = await startFakeHub({ tokens: { [WRITE_BACK_HF_TOKEN]: BRIDGE_HUB_ACCOUNT } });
  const discussion = seedHubPullRequest(hub, options.author);
  const dir = mkdtempSync(join(tmpdir(), "write-back-child-"));
  const dbPath = join(dir, "bridge.db");
  appPrivateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;

  const child = spawn(
    process.execPath,
    [
      CHILD_SCRIPT,
      dbPath,
      JSON.stringify(options.config ?? CONFIG),
      String(TEST_LANDING_WINDOW_MS),
    ],
    {
      env: {
        PATH: process.env.PATH ?? "",
        APP_ID: "4242",
        PRIVATE_KEY: appPrivateKey,
        WEBHOOK_SECRET: GITHUB_WEBHOOK_SECRET,
        GITHUB_API_URL: github.url,
        HF_TOKEN: WRITE_BACK_HF_TOKEN,
        HF_ENDPOINT: hub.url,
        HF_WEBHOOK_SECRET: HUB_SECRET,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stdoutBytes = 0;
  let stderr = "";
  child.stdout?.on("data", (piece: Buffer) => {
    stdoutBytes += piece.length;
    stdout += piece.toString("utf8");
  });
  child.stderr?.on("data", (piece: Buffer) => {
    stderr += piece.toString("utf8");
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /"msg":"bridge server listening"/.test(stdout)
        ? /"url":"(http:\/\/[^"]+)"/.exec(stdout)
        : null;
      if (match?.[1]) {
        child.stdout?.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`bridge child exited (${code}) before listening:\n${stderr}\n${stdout}`)),
    );
  });
  const store = await createSqliteStore({ path: dbPath });

  async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    const giveUpAt = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > giveUpAt || child.exitCode !== null) {
        throw new Error(`gave up waiting for ${what}; the bridge printed:\n${stderr}${stdout}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  const opened = await sendRequest(`${url}/webhooks/huggingface`, {
    headers: { "content-type": "application/json", "x-webhook-secret": HUB_SECRET },
    body: JSON.stringify(hubDiscussionOpened()),
  });
  if (opened.status !== 202) throw new Error(`the Hub delivery was answered ${opened.status}`);
  const issue = await waitFor("the mirrored issue", async () => {
    const link = await store.getLink("hub-discussion:6366c000a2abcdf2fd69a080:3");
    return link && github.state.repos.get("acme/widgets")?.issues.get(link.githubNumber ?? 0);
  });

  const repository = { name: "widgets", full_name: "acme/widgets", owner: { login: "acme" } };
  const installation = { id: 1 };
  return {
    url,
    github,
    hub,
    discussion,
    issue,
    dbPath,
    child,
    stdout: () => stdout,
    stdoutBytes: () => stdoutBytes,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    store,
    postHub: (body) =>
      sendRequest(`${url}/webhooks/huggingface`, {
        headers: { "content-type": "application/json", "x-webhook-secret": HUB_SECRET },
        body: JSON.stringify(body),
      }),
    postGitHub(event, payload, deliveryId) {
      const body = JSON.stringify(payload);
      const signature = createHmac("sha256", GITHUB_WEBHOOK_SECRET).update(body).digest("hex");
      return sendRequest(`${url}/api/github/webhooks`, {
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": deliveryId ?? randomUUID(),
          "x-hub-signature-256": `sha256=${signature}`,
        },
        body,
      });
    },
    commentPayload: (id, login, body) => ({
      action: "created",
      issue: { number: issue.number, body: issue.body },
      comment: { id, body, user: { login, type: "User" } },
      repository,
      sender: { login, type: "User" },
      installation,
    }),
    closedPayload: (login) => ({
      action: "closed",
      issue: { number: issue.number, body: issue.body },
      repository,
      sender: { login, type: "User" },
      installation,
    }),
    hubComments: () =>
      discussion.events
        .filter((event) => event.type === "comment")
        .map((event) => (event.data.latest as { raw: string }).raw),
    settled: (deliveryId) =>
      waitFor(`delivery ${deliveryId}'s job to settle`, async () => {
        const delivery = await store.getDelivery(deliveryId);
        return delivery?.jobState === "done" || delivery?.jobState === "dead"
          ? delivery
          : undefined;
      }),
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }
      await store.close();
      await github.close();
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Hub's v3 webhook for draft PR #3 of some-user/some-repo, which the fake Hub holds. */
function hubDiscussionOpened() {
  const repoUrl = "https://huggingface.co/some-user/some-repo";
  const author = { id: "61d2000c3c2083e1c08af22d" };
  return {
    event: { action: "create", scope: "discussion" },
    repo: {
      type: "model",
      name: "some-user/some-repo",
      id: "6366c000a2abcdf2fd69a080",
      private: false,
      url: { web: repoUrl, api: "https://huggingface.co/api/models/some-user/some-repo" },
      owner: author,
    },
    discussion: {
      id: "639885d811ae2bad2b7ba461",
      title: "Hello!",
      url: { web: `${repoUrl}/discussions/3` },
      status: "draft",
      author,
      isPullRequest: true,
      changes: { base: "refs/heads/main" },
      num: 3,
    },
    comment: {
      id: "6398872887bfcfb93a306f18",
      author,
      content: "This adds an env key",
      hidden: false,
      url: { web: `${repoUrl}/discussions/3#6398872887bfcfb93a306f18` },
    },
    webhook: { id: "6390e855e30d9209411de93b", version: 3 },
  };
}
