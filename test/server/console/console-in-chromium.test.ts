import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumAvailable } from "../../support/chromium.ts";
import {
  type FakeOpenIdProvider,
  startFakeOpenIdProvider,
} from "../../support/fake-openid-provider/start-fake-openid-provider.ts";
import { HF_FIXTURES } from "../../support/paths.ts";
import {
  DEFAULT_BRIDGE_CONFIG,
  type StartedBridge,
  startBridge,
} from "../../support/start-bridge.ts";

const probe = chromiumAvailable();

interface HubDiscussionPayload {
  discussion: { id: string; num: number; title: string; url: { web: string } };
}
/** Where the screenshots go; printed, kept for a person to look at, never committed. */
const SHOTS = join(tmpdir(), "hf-bridge-console-shots");
const DONE_FIXTURE = "composed-discussion-create-plain-discussion.json";
const DEAD_FIXTURE = "hookdeck-discussion-create-pr.json";
/** As on a Space, every request comes through a proxy, so the local-only rule does not apply. */
const THROUGH_PROXY = { "x-forwarded-for": "203.0.113.50" };

if (!probe.available) {
  describe("the operator console in Chromium", () => {
    it("needs Debian's chromium", (context) => {
      if (probe.required) {
        throw new Error(
          `no Chromium at ${probe.path}; HF_BRIDGE_REQUIRE_CHROMIUM=1 forbids skipping: apt-get install -y chromium`,
        );
      }
      console.warn(`\n!!! Console browser test SKIPPED: no Chromium at ${probe.path}.\n`);
      context.skip();
    });
  });
} else {
  describe("the operator console in Chromium", () => {
    let browser: Browser;
    let provider: FakeOpenIdProvider;
    let bridge: StartedBridge;
    const problems: string[] = [];

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      console.log(`console screenshots: ${SHOTS}`);
      provider = await startFakeOpenIdProvider();
      bridge = await startBridge({
        config: { ...DEFAULT_BRIDGE_CONFIG, console: { allow: ["acme-ops"] } },
        consoleAccess: {
          oauth: {
            providerUrl: provider.url,
            clientId: provider.clientId,
            clientSecret: provider.clientSecret,
          },
        },
      });
      browser = await chromium.launch({ executablePath: probe.path, args: CHROMIUM_ARGS });
    });
    afterAll(async () => {
      await browser?.close();
      await bridge?.close();
      await provider?.close();
    });

    async function newContext(width: number): Promise<BrowserContext> {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        extraHTTPHeaders: THROUGH_PROXY,
      });
      context.on("page", (page) => watch(page));
      return context;
    }

    function watch(page: Page): void {
      page.on("console", (message) => {
        // The sign-in page is answered 401 (403 when refused) on purpose; Chromium logs that status.
        const expected = /Failed to load resource: .* status of 40[13]/.test(message.text());
        if (message.type() === "error" && !expected)
          problems.push(`${page.url()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
    }

    async function signIn(page: Page): Promise<void> {
      await page.goto(`${bridge.url}/console`);
      await page.click("#sign-in");
      await page.waitForURL(`${bridge.url}/console`);
    }

    async function expectNoOverflow(page: Page): Promise<void> {
      const { scrollWidth, innerWidth } = (await page.evaluate(
        "({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })",
      )) as { scrollWidth: number; innerWidth: number };
      expect(scrollWidth, `${page.url()} overflows sideways`).toBeLessThanOrEqual(innerWidth);
    }

    async function shoot(page: Page, name: string): Promise<void> {
      await expectNoOverflow(page);
      await page.screenshot({ path: join(SHOTS, name), fullPage: true });
    }

    it("refuses a user outside console.allow: they see only the public page", async () => {
      provider.signInAs({ sub: "u-9", preferred_username: "mallory", orgs: ["other-org"] });
      const context = await newContext(1440);
      const page = await context.newPage();
      await page.goto(`${bridge.url}/console`);
      await page.click("#sign-in");
      await page.waitForSelector("#refused");
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      expect(await page.locator("#refused").innerText()).toContain("mallory is signed in but");
      expect(await page.locator("#deliveries").count()).toBe(0);
      await page.goto(`${bridge.url}/`);
      expect(await page.locator("#details-hidden").count()).toBe(1);
      expect(await page.locator("#deliveries").count()).toBe(0);
      const api = await page.request.get(`${bridge.url}/api/deliveries`);
      expect(api.status()).toBe(401);
      await context.close();
    });

    it("signs in, lists deliveries, opens a detail, replays a dead job into exactly one issue, previews a config", async () => {
      // One delivery that becomes an issue, one that dies while GitHub refuses to create issues.
      expect((await bridge.post(DONE_FIXTURE)).status).toBe(202);
      await bridge.drain();
      const disarm = bridge.github.inject({
        kind: "status",
        status: 422,
        body: { message: "Validation Failed", documentation_url: "https://docs.github.com/rest" },
        match: { operationId: "issues/create" },
        times: Number.POSITIVE_INFINITY,
      });
      const dead = await bridge.post(DEAD_FIXTURE);
      expect(dead.status).toBe(202);
      await bridge.drain();
      disarm();
      const deadId = dead.body.deliveryId as number;
      const [letter] = await bridge.store.listDeadLetters({ limit: 10 });
      expect(letter?.deliveryId).toBe(deadId);
      const issuesBefore = [
        ...(bridge.github.state.repos.get("acme/widgets")?.issues.values() ?? []),
      ];
      expect(issuesBefore).toHaveLength(1);

      provider.signInAs({ sub: "u-1", preferred_username: "ada", orgs: ["acme-ops"] });
      for (const width of [1440, 390]) {
        const context = await newContext(width);
        const page = await context.newPage();
        await signIn(page);
        const rows = page.locator("#deliveries tbody tr");
        expect(await rows.count()).toBe(2);
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
        const doneRow = await page.locator(`#delivery-${deadId - 1}`).innerText();
        expect(doneRow).toContain("done");
        expect(doneRow).toMatch(/Opened issue .* in acme\/widgets/);
        expect(doneRow).toContain("acme/widgets#1");
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
        expect(await page.locator(`#delivery-${deadId}`).innerText()).toContain("dead");
        await shoot(page, `deliveries-${width}.png`);

        await page.click(`a[href="/console/delivery?id=${deadId - 1}"]`);
        await page.waitForSelector("#payload");
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
        const detail = await page.locator("main").innerText();
        expect(detail).toContain("Dedupe key");
        expect(detail).toContain("user-agent");
        expect(detail).not.toMatch(/x-webhook-secret/i);
        expect(
          await page.locator("#effects a[href^='https://github.com/acme/widgets/issues/']").count(),
        ).toBe(1);
        await shoot(page, `detail-${width}.png`);
        await context.close();
      }

      const context = await newContext(1440);
      const page = await context.newPage();
      await signIn(page);
      await page.goto(`${bridge.url}/console/dead-letters`);
      await shoot(page, "dead-letters-1440.png");
      await page.click(`#dead-${letter?.jobId} button`);
      await page.waitForSelector("#to-replay");
      await page.click("#confirm-replay");
      await page.waitForSelector("#replay-notice");
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      expect(await page.locator("#replay-notice").innerText()).toContain("Replayed 1 job(s)");
      // The detail page refreshes itself: no reload until the job is done.
      await page.goto(`${bridge.url}/console/delivery?id=${deadId}`);
      await page.waitForSelector("#detail-part .state-done", { timeout: 20_000 });
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      const history = await page.locator("#attempt-history").innerText();
      expect(history).toMatch(/1\s+\S+\s+dead\s+PermanentJobError: .*422/);
      expect(history).toMatch(/1\s+\S+\s+done/);
      const issues = [...(bridge.github.state.repos.get("acme/widgets")?.issues.values() ?? [])];
      expect(issues).toHaveLength(2);
      const replayedIssue = issues.find((issue) => !issuesBefore.includes(issue));
      expect(
        await page.locator(`#effects a[href$='/issues/${replayedIssue?.number}']`).count(),
      ).toBe(1);

      // Replaying the same job again is refused as not dead, and writes nothing.
      await page.goto(`${bridge.url}/console/dead-letters`);
      expect(await page.locator("#no-dead-letters").count()).toBe(1);
      const csrf = await page.locator("input[name=csrf]").first().getAttribute("value");
      const again = await page.request.post(`${bridge.url}/console/replay`, {
        form: { csrf: csrf ?? "", jobId: String(letter?.jobId), confirm: "yes" },
        maxRedirects: 0,
      });
      expect(again.headers().location).toBe("/console/dead-letters?replayed=0&notDead=1");
      await bridge.drain();
      expect(bridge.github.state.repos.get("acme/widgets")?.issues.size).toBe(2);

      // Preview: a config sending discussions elsewhere, then one with a mistake.
      await page.goto(`${bridge.url}/console/preview`);
      await page.fill(
        "#config",
        'routes:\n  - hub: "*/*"\n    github: acme/elsewhere\n    discussions: true\n',
      );
      await page.click("#run-preview");
      await page.waitForSelector("#preview");
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      const preview = await page.locator("#preview").innerText();
      expect(preview).toMatch(/Would open issue .* in acme\/elsewhere/);
      expect(preview).toMatch(/Opened issue .* in acme\/widgets/);
      await shoot(page, "preview-1440.png");
      await page.fill("#config", 'routes:\n  - hub: "*/*"\n    githb: acme/elsewhere\n');
      await page.click("#run-preview");
      await page.waitForSelector("#preview-problems");
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      expect(await page.locator("#preview-problems").innerText()).toMatch(/line 3, column 5/);
      expect(bridge.github.state.repos.get("acme/widgets")?.issues.size).toBe(2);
      await page.setViewportSize({ width: 390, height: 900 });
      await shoot(page, "preview-390.png");
      await page.goto(`${bridge.url}/console/dead-letters`);
      await shoot(page, "dead-letters-390.png");
      await context.close();

      expect(problems).toEqual([]);
      bridge.github.expectNoViolations();
    }, 90_000);

    it("runs a done delivery again from its detail page, behind CSRF and console.allow, into still one issue", async () => {
      const payload = JSON.parse(
        readFileSync(join(HF_FIXTURES, DONE_FIXTURE), "utf8"),
      ) as HubDiscussionPayload;
      payload.discussion.id = "639885d811ae2bad2b7b0555";
      payload.discussion.num = 55;
      payload.discussion.title = "Run me again";
      payload.discussion.url.web = "https://huggingface.co/some-user/some-repo/discussions/55";
      const posted = await bridge.post(payload, { "webhook-id": "wh-console-rerun-1" });
      expect(posted.status).toBe(202);
      await bridge.drain();
      const deliveryId = posted.body.deliveryId as number;
      const mirrored = () =>
        [...(bridge.github.state.repos.get("acme/widgets")?.issues.values() ?? [])].filter(
          (issue) => issue.title.includes("Run me again"),
        );
      expect(mirrored()).toHaveLength(1);
      const requestsBefore = bridge.github.requests.length;

      // A user outside console.allow is refused, token or not, and nothing is queued.
      provider.signInAs({ sub: "u-9", preferred_username: "mallory", orgs: ["other-org"] });
      const outsider = await newContext(1440);
      const outsiderPage = await outsider.newPage();
      await outsiderPage.goto(`${bridge.url}/console`);
      await outsiderPage.click("#sign-in");
      await outsiderPage.waitForSelector("#refused");
      for (const path of ["/console/rerun", "/api/rerun"]) {
        const refused = await outsiderPage.request.post(`${bridge.url}${path}`, {
          form: { csrf: "guessed", deliveryId: String(deliveryId), confirm: "yes" },
          headers: { "x-csrf-token": "guessed" },
          maxRedirects: 0,
        });
        expect(refused.status(), path).toBe(403);
        expect(await refused.text()).toContain("mallory is signed in but");
      }
      await outsider.close();

      provider.signInAs({ sub: "u-1", preferred_username: "ada", orgs: ["acme-ops"] });
      const context = await newContext(1440);
      const page = await context.newPage();
      await signIn(page);
      // The Webhook-Id the Hub sent is shown: in the list, the detail's facts and the API's JSON.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      expect(await page.locator(`#delivery-${deliveryId} .webhook-id`).innerText()).toBe(
        "id wh-console-rerun-1",
      );
      await page.setViewportSize({ width: 390, height: 900 });
      await shoot(page, "deliveries-webhook-id-390.png");
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${bridge.url}/console/delivery?id=${deliveryId}`);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      expect(await page.locator("#webhook-id").innerText()).toBe("wh-console-rerun-1");
      const json = (await (
        await page.request.get(`${bridge.url}/api/delivery?id=${deliveryId}`)
      ).json()) as { delivery: { summary: { webhookId?: string } } };
      expect(json.delivery.summary.webhookId).toBe("wh-console-rerun-1");

      // Without the form's CSRF token the re-run is refused, with the reason.
      const forged = await page.request.post(`${bridge.url}/console/rerun`, {
        form: { deliveryId: String(deliveryId), confirm: "yes" },
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain("the form carries no CSRF token");
      const forgedApi = await page.request.post(`${bridge.url}/api/rerun`, {
        form: { deliveryId: String(deliveryId) },
      });
      expect(forgedApi.status()).toBe(403);
      expect(bridge.github.requests.length).toBe(requestsBefore);
      expect((await bridge.store.getDelivery(deliveryId))?.jobState).toBe("done");

      await page.click("#rerun button");
      await page.waitForSelector("#confirm-rerun");
      await shoot(page, "rerun-confirmation-1440.png");
      await page.click("#confirm-rerun");
      await page.waitForSelector("#rerun-notice");
      // The detail page refreshes itself until the job is done again.
      await page.waitForSelector("#attempt-history tbody tr:nth-child(2)", { timeout: 20_000 });
      await page.waitForSelector("#detail-part .state-done", { timeout: 20_000 });
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text a person sees
      const history = await page.locator("#attempt-history").innerText();
      expect(history.match(/\bdone\b/g)).toHaveLength(2);
      await shoot(page, "rerun-done-1440.png");
      // It ran again (its effect planned and applied anew, finding its issue) and made no second one.
      const rerun = await bridge.store.getDelivery(deliveryId);
      expect(rerun?.attempts).toBe(1);
      expect(rerun?.outcome?.effects).toEqual([
        expect.objectContaining({
          effect: expect.objectContaining({ type: "create-issue" }),
          result: expect.objectContaining({
            status: "skipped",
            detail: expect.stringMatching(
              new RegExp(`^issue #${mirrored()[0]?.number} already mirrors `),
            ),
          }),
        }),
      ]);
      const again = bridge.github.requests.slice(requestsBefore);
      expect(again.some((entry) => entry.operationId === "issues/create")).toBe(false);
      expect(mirrored()).toHaveLength(1);
      await context.close();

      expect(problems).toEqual([]);
      bridge.github.expectNoViolations();
    }, 90_000);
  });
}
