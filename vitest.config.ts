import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    setupFiles: ["test/support/fast-check-seed.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file gets its own databases; two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
