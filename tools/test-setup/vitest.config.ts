import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the package's own tests check the setup file exactly as the other packages load it
    setupFiles: ["@smoothhess/test-setup/fast-check"],
  },
});
