import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // fast-check: a fixed seed unless FC_SEED says otherwise (CONTRIBUTING.md, "Property tests")
    setupFiles: ["@smoothhess/test-setup/fast-check"],
    // tfjs keeps one global engine per process: run the files in separate forks.
    pool: "forks",
    testTimeout: 60_000,
  },
});
