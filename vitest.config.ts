import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/fast-check-seed.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers and databases; two workers match the two cores of the CI machine.
    maxWorkers: 2,
  },
});
