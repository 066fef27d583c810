import { defineConfig } from "tsup";

// Node: every export (file loaders included). Browser (`exports["."].browser`): src/index.browser.ts, the same minus
// the file loaders, built without Node shims so bundlers meet no Node built-in module.
export default defineConfig([
  { entry: ["src/index.ts"], format: ["esm", "cjs"], dts: true, clean: true, sourcemap: true, shims: true },
  { entry: { index: "src/index.browser.ts" }, outDir: "dist/browser", format: ["esm"], platform: "browser", dts: true, sourcemap: true, splitting: false },
]);
