import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // fast-check: a fixed seed unless FC_SEED says otherwise (CONTRIBUTING.md, "Property tests")
    setupFiles: ["@smoothhess/test-setup/fast-check"],
    // the embedded Fashion-MNIST test parses 149 MB of JSON: seconds, not milliseconds, on a shared core
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
