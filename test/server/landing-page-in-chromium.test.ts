import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumAvailable } from "../support/chromium.ts";
import { readFixtureText } from "../support/fixtures.ts";
import { postWebhook } from "./support/post-webhook.ts";
import { startTestBridge, type TestBridge } from "./support/start-test-bridge.ts";

const probe = chromiumAvailable();

if (!probe.available) {
  describe("the landing page in Chromium", () => {
    it("needs Debian's chromium", (context) => {
      if (probe.required) {
        throw new Error(
          `no Chromium at ${probe.path}; HF_BRIDGE_REQUIRE_CHROMIUM=1 forbids skipping: apt-get install -y chromium`,
        );
      }
      console.warn(
        `\n!!! Landing page browser test SKIPPED: no Chromium at ${probe.path}.\n!!! apt-get install -y chromium (or set HF_BRIDGE_TEST_CHROMIUM); CI sets HF_BRIDGE_REQUIRE_CHROMIUM=1 to make this fatal.\n`,
      );
      context.skip();
    });
  });
} else {
  describe("the landing page in Chromium", () => {
    let browser: Browser;
    let bridge: TestBridge;
    let shots: string;

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: probe.path, args: CHROMIUM_ARGS });
      bridge = await startTestBridge();
      shots = mkdtempSync(join(tmpdir(), "landing-shots-"));
    });
    afterAll(async () => {
      await browser?.close();
      await bridge?.close();
      rmSync(shots, { recursive: true, force: true });
    });

    it("shows the webhook settings and a stored delivery, with no script or console errors", async () => {
      const routed = readFixtureText("composed-discussion-create-plain-discussion.json");
      expect((await postWebhook(bridge.webhookUrl, routed)).status).toBe(202);

      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      const response = await page.goto(`${bridge.url}/`);
      expect(response?.status()).toBe(200);

      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a person sees, which is what this checks
      const text = await page.locator("body").innerText();
      expect(text).toContain(bridge.webhookUrl);
      const row = page.locator("#deliveries tbody tr").first();
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a person sees, which is what this checks
      const rowText = await row.innerText();
      expect(rowText).toContain("discussion.opened");
      expect(rowText).toContain("queued");
      expect(await page.locator("#deliveries tbody tr").count()).toBe(1);

      const shot = join(shots, "landing.png");
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(1000);
      expect(problems).toEqual([]);
    });
  });
}
