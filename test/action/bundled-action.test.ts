import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundleAction, LICENSES_FILE_NAME } from "../../scripts/bundle-action.ts";
import { startFakeHub } from "../support/fake-hub/start-fake-hub.ts";
import { BUNDLE, runBundledAction } from "./support/run-bundled-action.ts";
import { startWatchWorld, type WatchWorld } from "./support/watch-world.ts";

const DIST = dirname(BUNDLE);
/** Real runs keep GitHub's write spacing (a second between writes, three between comments). */
const BUNDLED_WATCH_TIMEOUT_MS = 90_000;

describe("dist/index.js run as the Actions runner runs it", () => {
  let world: WatchWorld;

  beforeEach(async () => {
    world = await startWatchWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it(
    "watch: a card on the first run, nothing on the second, exactly the alert on a failure",
    async () => {
      const watch = () => runBundledAction({ inputs: world.inputs, env: world.env });
      world.api.advance("acme", "chat", "running");

      const first = await watch();
      expect(first.exitCode).toBe(0);
      expect(first.outputs).toStrictEqual({ cards: "0", changes: "1", "space-changes": "0" });
      expect(world.cards()).toMatchObject([
        {
          title: "[Endpoint] acme/chat",
          labels: ["endpoint:running"],
          user: { login: "github-actions[bot]" },
        },
      ]);

      const writes = world.writes().length;
      const second = await watch();
      expect(second.outputs).toStrictEqual({ cards: "1", changes: "0", "space-changes": "0" });
      expect(world.writes().length).toBe(writes);

      world.api.advance("acme", "chat", "failed");
      const third = await watch();
      expect(third.exitCode).toBe(0);
      expect(third.stdout).toContain("acme/chat running → failed");
      expect(world.writes().slice(writes)).toStrictEqual([
        "DELETE /repos/acme/app/issues/1/labels/endpoint%3Arunning",
        "POST /repos/acme/app/issues/1/labels",
        "POST /repos/acme/app/issues/1/comments",
        "POST /repos/acme/app/dispatches",
        "PATCH /repos/acme/app/issues/1",
      ]);
      expect(world.github.state.repos.get("acme/app")?.dispatches).toMatchObject([
        { event_type: "hf.endpoint.failed", client_payload: { state: "failed" } },
      ]);
      expect(first.stdout + second.stdout + third.stdout).not.toContain(world.token);
    },
    BUNDLED_WATCH_TIMEOUT_MS,
  );

  it("payload: outputs from GITHUB_EVENT_PATH; a bad input fails the step with exit code 1", async () => {
    const ok = await runBundledAction({
      inputs: { mode: "payload" },
      event: {
        name: "repository_dispatch",
        payload: {
          action: "hf.endpoint.failed",
          client_payload: { endpoint: { namespace: "acme", name: "chat" }, state: "failed" },
        },
      },
    });
    expect(ok.exitCode).toBe(0);
    expect(ok.outputs).toMatchObject({ endpoint: "acme/chat", state: "failed", repo: "" });

    const bad = await runBundledAction({ inputs: { mode: "" } });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('::error::input mode is ""; set it to one of');
  });
});

describe("dist/index.js watching a Space", () => {
  it(
    "watch: a [Space] card, then on a failed build exactly the comment and the card update",
    async () => {
      const world = await startWatchWorld({ spaces: ["acme/demo"] });
      try {
        const watch = () => runBundledAction({ inputs: world.inputs, env: world.env });
        world.runtimes.set("acme/demo", "RUNNING");
        const first = await watch();
        expect(first.exitCode).toBe(0);
        expect(first.outputs).toStrictEqual({ cards: "0", changes: "0", "space-changes": "1" });
        expect(world.cards()).toMatchObject([
          { title: "[Space] acme/demo", user: { login: "github-actions[bot]" } },
        ]);

        const writes = world.writes().length;
        world.runtimes.set("acme/demo", "BUILD_ERROR", "requirements.txt: no such package");
        const second = await watch();
        expect(second.exitCode).toBe(0);
        expect(second.stdout).toContain("acme/demo RUNNING → BUILD_ERROR");
        expect(world.writes().slice(writes)).toStrictEqual([
          "POST /repos/acme/app/issues/1/comments",
          "PATCH /repos/acme/app/issues/1",
        ]);
        // The runner masks the Hub token from then on; nothing else the step prints may carry it.
        const token = world.inputs["hf-token"] ?? "";
        expect(second.stdout).toContain(`::add-mask::${token}`);
        expect((first.stdout + second.stdout).replaceAll(`::add-mask::${token}`, "")).not.toContain(
          token,
        );
      } finally {
        await world.close();
      }
    },
    BUNDLED_WATCH_TIMEOUT_MS,
  );
});

describe("dist/index.js in report mode", () => {
  it("posts to the fake Hub's discussion and sets target and url", async () => {
    const hub = await startFakeHub({ tokens: { hf_writer: { id: "u1", name: "ci-bot" } } });
    try {
      const repo = hub.addRepo({ id: "r1", type: "dataset", name: "acme/corpus" });
      const discussion = hub.addDiscussion(repo, {
        num: 4,
        title: "New split",
        status: "open",
        isPullRequest: true,
        author: { id: "u2", name: "contributor" },
        openingComment: { id: "c1", text: "Adds a test split" },
      });
      const result = await runBundledAction({
        inputs: {
          mode: "report",
          status: "success",
          "github-token": "ghs_unused_for_hub_reports",
          "hf-token": "hf_writer",
          "hub-url": hub.url,
        },
        env: { GITHUB_REPOSITORY: "acme/app", GITHUB_RUN_ID: "77", GITHUB_WORKFLOW: "Validate" },
        event: {
          name: "repository_dispatch",
          payload: {
            action: "hf.dataset.updated",
            client_payload: { hf: { repo: "acme/corpus", type: "dataset", ref: "refs/pr/4" } },
          },
        },
      });
      expect(result.exitCode).toBe(0);
      expect(result.outputs).toMatchObject({
        target: "hub-discussion",
        url: `${hub.url}/datasets/acme/corpus/discussions/4`,
      });
      expect(discussion.events.at(-1)?.data).toMatchObject({
        latest: {
          // The workflow's status comment: its marker, then the outcome (edited in place by later runs).
          raw: expect.stringMatching(
            /^<!-- hf-github-bridge:status workflow=Validate -->\n\*\*GitHub workflow `Validate` ✅ succeeded\*\*: https:\/\/github\.com\/acme\/app\/actions\/runs\/77\n/,
          ),
        },
      });
      // The runner masks the token from then on; nothing else the step prints may carry it.
      expect(result.stdout).toContain("::add-mask::hf_writer");
      expect(result.stdout.replace("::add-mask::hf_writer", "")).not.toContain("hf_writer");
    } finally {
      await hub.close();
    }
  });
});

describe("the bundle's licence notices", () => {
  it("licenses.txt beside the bundle names every bundled package, its licence and the licence text", async () => {
    const directory = mkdtempSync(join(tmpdir(), "action-licenses-"));
    try {
      const packages = await bundleAction(directory);
      const notices = readFileSync(join(directory, LICENSES_FILE_NAME), "utf8");
      // Packages the action certainly bundles, so an empty or partial list cannot pass.
      const names = packages.map((found) => found.name);
      for (const name of ["@actions/core", "@octokit/core", "yaml", "zod", "pino", "picomatch"]) {
        expect(names).toContain(name);
      }
      for (const found of packages) {
        expect(notices).toContain(`\n${found.name} ${found.version} — ${found.license}\n`);
        for (const { text } of found.texts) expect(notices).toContain(text.trimEnd());
      }
      // A package without a licence file carries only its manifest's word; each one is reviewed by
      // hand (is its notice elsewhere?) and listed here, so a new one fails this test until then.
      expect(
        packages.filter((found) => found.texts.length === 0).map((found) => found.name),
      ).toEqual(["npx-import-light"]);
      expect(notices).not.toMatch(/\/(work|home|tmp|root)\//);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("the dist guard", () => {
  it("a fresh bundle of the sources is byte for byte the committed dist/index.js and dist/licenses.txt", async () => {
    const directory = mkdtempSync(join(tmpdir(), "action-dist-"));
    try {
      await bundleAction(directory);
      for (const file of ["index.js", LICENSES_FILE_NAME]) {
        const fresh = readFileSync(join(directory, file), "utf8");
        const committed = existsSync(join(DIST, file))
          ? readFileSync(join(DIST, file), "utf8")
          : "";
        // A plain equality keeps a 3 MB diff out of the report; the message says what to do.
        if (fresh !== committed) {
          expect.fail(
            `dist/${file} is stale: the sources bundle differently. Run \`npm run build\` and commit dist/`,
          );
        }
        expect(fresh.length).toBeGreaterThan(0);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
