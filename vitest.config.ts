import { defineConfig } from "vitest/config";

/** The pure layers: planners, event normalizing, payload parsing, config. `npm run coverage` holds them here. */
const PURE_LAYERS = ["src/rules/**", "src/events/**", "src/hf/**", "src/config/**"];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/fast-check-seed.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers and databases; two workers match the two cores of the CI machine.
    maxWorkers: 2,
    // Only with --coverage (npm run coverage): code run in child processes (serve, the chaos bridge)
    // is not counted, so the figures are what in-process tests reach.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: "coverage",
      thresholds: Object.fromEntries(
        PURE_LAYERS.map((glob) => [glob, { lines: 85, branches: 70, functions: 85 }]),
      ),
    },
  },
});
