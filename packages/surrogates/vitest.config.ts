import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // tfjs keeps one global engine per process: run test files in separate forks.
    pool: "forks",
    testTimeout: 60_000,
  },
});
