import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the embedded Fashion-MNIST test parses 149 MB of JSON: seconds, not milliseconds, on a shared core
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
