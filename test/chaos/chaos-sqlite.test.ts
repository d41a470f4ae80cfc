import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chaosSeed } from "./support/chaos-seed.ts";
import { CHAOS_TEST_TIMEOUT_MS } from "./support/chaos-test-timeout.ts";
import { runChaos } from "./support/run-chaos.ts";

const dir = mkdtempSync(join(tmpdir(), "hf-bridge-chaos-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("exactly once under faults (SQLite)", () => {
  it(
    "a bridge SIGKILLed at random moments against a failing GitHub writes each distinct event once and loses no acknowledged delivery",
    async () => {
      const run = await runChaos({
        seed: chaosSeed(),
        storeUrl: join(dir, "bridge.db"),
        label: "SQLite",
      });
      console.log(run.report);
      expect(run.findings, "findings of the chaos run (its report is printed above)").toEqual([]);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
