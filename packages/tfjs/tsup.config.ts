import { defineConfig } from "tsup";
import type { Plugin } from "esbuild";

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
const node = defineConfig({
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

/**
 * The browser build (`exports["."].browser`, `dist/browser/index.js`) replaces what the package loads only by
 * dynamic import inside its Node-only functions — Node's built-in modules, `proper-lockfile` and `write-file-atomic`
 * (saving and loading networks and checkpoints, worker threads) — by a module whose evaluation throws
 * `NodeOnlyError`: those calls reject with a typed error in a browser, and nothing else changes. Bundlers then meet
 * no Node module at all, so apps need no stubs or polyfills. Workers never start in a browser (`isNode()` is false),
 * so the worker entry is not part of it.
 */
const nodeOnlyRejected: Plugin = {
  name: "node-only-rejected",
  setup(build) {
    const filter = /^(node:)?(fs|fs\/promises|path|url|module|worker_threads|os|stream|zlib|crypto)$|^(proper-lockfile|write-file-atomic)$/;
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "node-only" }));
    build.onLoad({ filter: /.*/, namespace: "node-only" }, (args) => ({
      contents: `import { NodeOnlyError } from "./src/node-only-error.ts"; throw new NodeOnlyError(${JSON.stringify(args.path)});`,
      resolveDir: process.cwd(),
      loader: "ts",
    }));
  },
};

const browser = defineConfig({
  entry: { index: "src/index.ts" },
  outDir: "dist/browser",
  format: ["esm"],
  platform: "browser",
  dts: false,
  sourcemap: true,
  splitting: false,
  shims: false,
  removeNodeProtocol: false,
  // not external here, so that the plugin below sees (and replaces) the two Node-only dependencies
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//, /^proper-lockfile$/, /^write-file-atomic$/],
  esbuildPlugins: [nodeOnlyRejected],
});

export default [node, browser];
