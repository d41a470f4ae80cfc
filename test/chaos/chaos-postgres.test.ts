import { expect, it } from "vitest";
import { describeOnPostgres } from "../support/describe-on-postgres.ts";
import { chaosSeed } from "./support/chaos-seed.ts";
import { CHAOS_TEST_TIMEOUT_MS } from "./support/chaos-test-timeout.ts";
import { runChaos } from "./support/run-chaos.ts";

await describeOnPostgres("exactly once under faults (PostgreSQL)", ({ url, schema }) => {
  it(
    "a bridge SIGKILLed at random moments against a failing GitHub writes each distinct event once and loses no acknowledged delivery",
    async () => {
      const storeUrl = new URL(url);
      storeUrl.searchParams.set("schema", schema);
      const run = await runChaos({
        seed: chaosSeed(),
        storeUrl: storeUrl.toString(),
        label: "PostgreSQL",
      });
      console.log(run.report);
      expect(run.findings, "findings of the chaos run (its report is printed above)").toEqual([]);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
