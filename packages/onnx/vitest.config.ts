import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // fast-check: a fixed seed unless FC_SEED says otherwise (CONTRIBUTING.md, "Property tests")
    setupFiles: ["@smoothhess/test-setup/fast-check"],
    pool: "forks",
    testTimeout: 60_000,
  },
});
