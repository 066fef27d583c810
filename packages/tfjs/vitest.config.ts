import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // tfjs keeps one global engine per process; the files share backends, so run them in separate forks.
    pool: "forks",
    testTimeout: 60_000,
  },
});
