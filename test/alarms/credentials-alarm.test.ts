import { afterEach, describe, expect, it } from "vitest";
import { CREDENTIALS_FAILING_ALARM_MS } from "../../src/alarms/check-credential-failures.ts";
import { createAlarmMonitor } from "../../src/alarms/create-alarm-monitor.ts";
import { createFailureTracker } from "../../src/alarms/create-failure-tracker.ts";
import { configSchema } from "../../src/config/config-schema.ts";
import { checkGitHubSetup } from "../../src/github/check-github-setup.ts";
import { createLogger } from "../../src/util/create-logger.ts";
import { type ChecksBridge, startChecksBridge } from "../checks/support/start-checks-bridge.ts";
import { githubError } from "../support/fake-github/github-error.ts";
import { readFixture } from "../support/fixtures.ts";

const CONFIG = {
  routes: [{ hub: "some-user/*", github: "acme/app", dispatch: [{ workflow: "retrain.yml" }] }],
  alerts: { github: "acme/ops" },
};
/** How far past (or short of) the threshold the alarm is checked. */
const MARGIN_MS = 60_000;
/** The refusals are told as if they happened this long ago, so the alarm can be checked before and past the threshold. */
const REFUSED_AGO_MS = CREDENTIALS_FAILING_ALARM_MS + 2 * MARGIN_MS;

let bridge: ChecksBridge;

afterEach(async () => {
  bridge.github.expectNoViolations();
  await bridge.close();
});

describe("the alarm on GitHub credentials that keep being refused", () => {
  it("opens once past the threshold when GitHub refuses an installation's token, not before, and closes after the next accepted request", async () => {
    const credentials = createFailureTracker();
    let githubLagMs = REFUSED_AGO_MS;
    bridge = await startChecksBridge({
      config: CONFIG,
      // The alarm's own repo is on another installation, whose token GitHub still grants.
      repos: [
        {
          owner: "acme",
          name: "app",
          installationId: 2,
          commits: ["1".repeat(40)],
          branches: ["main"],
          workflows: ["retrain.yml"],
        },
        { owner: "acme", name: "ops", installationId: 1 },
      ],
      onCredentialsOutcome: credentials.record,
      githubNow: () => Date.now() - githubLagMs,
    });
    const monitor = createAlarmMonitor({
      store: bridge.store,
      config: configSchema.parse(CONFIG),
      logger: createLogger({ level: "silent" }),
      credentials,
      onQueued: () => bridge.worker.wake(),
    });
    const issues = () => [...(bridge.github.state.repos.get("acme/ops")?.issues.values() ?? [])];
    const writes = () =>
      bridge.github.requests.filter((request) => request.method !== "GET").length;
    const check = async (now?: Date) => {
      const problems = await monitor.checkNow(now);
      await bridge.settle();
      return problems.map((problem) => problem.id);
    };
    // Checked in the past, never the future: the alarm's job waits until its delivery's time.
    const sinceRefused = (ms: number) => new Date(Date.now() - REFUSED_AGO_MS + ms);

    const heal = bridge.github.inject({
      kind: "status",
      ...githubError(401, "Bad credentials"),
      times: Number.POSITIVE_INFINITY,
      match: { method: "POST", path: "/app/installations/2/access_tokens" },
    });
    // The start-up check through the bridge's own clients: GitHub refuses acme/app's installation token.
    const findings = await checkGitHubSetup({
      config: configSchema.parse(CONFIG),
      credentials: bridge.credentials,
      octokitFactory: bridge.octokitFactory,
    });
    expect(findings.map((finding) => finding.message).join("\n")).toContain("401");

    expect(await check(sinceRefused(CREDENTIALS_FAILING_ALARM_MS - MARGIN_MS))).toStrictEqual([]);
    expect(issues()).toHaveLength(0);

    expect(await check(sinceRefused(CREDENTIALS_FAILING_ALARM_MS + MARGIN_MS))).toStrictEqual([
      "github-credentials",
    ]);
    expect(issues()).toHaveLength(1);
    const body = issues()[0]?.body ?? "";
    expect(issues()[0]?.state).toBe("open");
    expect(body).toContain("GitHub has refused a credential for over 10 minutes");
    expect(body).toContain("the GitHub App's installation on acme/app");
    expect(body).toContain("GitHub answered 401 to POST /app/installations/2/access_tokens");
    expect(body).toContain("Bad credentials");
    expect(body).toContain("APP_ID");
    expect(body).toContain("PRIVATE_KEY");
    expect(body).not.toMatch(/gh[pousr]_|-----BEGIN/);
    // The App itself (GET /app, the installation look-up) and acme/ops's installation are fine.
    expect(body).not.toContain("the GitHub App (APP_ID 4242)");
    expect(body).not.toContain("installation on acme/ops");

    // Still refused a minute later: the same problem, no write.
    const before = writes();
    expect(await check()).toStrictEqual(["github-credentials"]);
    expect(writes()).toBe(before);

    // The token is granted again: the next job's request is accepted and the alarm closes.
    heal();
    githubLagMs = 0;
    expect(
      await bridge.sendHub({
        ...readFixture("composed-repo.content-update-main-and-new-tag.json"),
        updatedRefs: [{ ref: "refs/heads/main", oldSha: "c".repeat(40), newSha: "d".repeat(40) }],
      }),
    ).toBe(202);
    await bridge.settle();
    expect(bridge.github.state.repos.get("acme/app")?.workflowDispatches).toHaveLength(1);
    expect(await check()).toStrictEqual([]);
    expect(issues()).toHaveLength(1);
    expect(issues()[0]?.state).toBe("closed");
    expect(bridge.github.state.comments.size).toBe(0);
  });
});
