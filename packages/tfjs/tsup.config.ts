import { defineConfig } from "tsup";

// tfjs-core's Node bundle registers no gradients (see README, "Install"). The gradient configs live only in its ESM
// `dist/` tree, whose extensionless imports plain Node cannot resolve, so they are bundled here — the same thing
// @tensorflow/tfjs-layers does in its own Node bundle. tfjs-core itself stays external (a peer dependency);
// the registrations land in tfjs-core's global gradient registry, shared by every copy.
//
// Two entries: the package, and the worker threads' entry module (`kernel-worker`), which `KernelWorkerPool`
// starts from the file beside its own (`dist/kernel-worker.js` for ESM, `.cjs` for CJS). No code splitting, so each
// file stands alone and no shared chunk carries the gradient registrations outside `sideEffects`.
//
// No tsup `shims`: its ESM shim adds top-level `path` / `url` imports that browser bundlers cannot resolve. The CJS
// build needs `import.meta.url` (to find the worker module), so only that format gets it (`cjs-import-meta-url.ts`).
export default defineConfig({
  entry: { index: "src/index.ts", "kernel-worker": "src/kernel-worker.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  splitting: false,
  shims: false,
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  esbuildOptions(options, { format }) {
    if (format === "cjs") {
      options.define = { ...options.define, "import.meta.url": "importMetaUrl" };
      options.inject = [...(options.inject ?? []), "src/cjs-import-meta-url.ts"];
    }
  },
});
