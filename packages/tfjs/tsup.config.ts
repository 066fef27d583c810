import { defineConfig } from "tsup";
import type { Plugin } from "esbuild";

// tfjs-core's Node bundle registers no gradients (see shared NOTES). The gradient configs live only in its ESM
// `dist/` tree, whose extensionless imports plain Node cannot resolve, so they are bundled here — the same thing
// @tensorflow/tfjs-layers does in its own Node bundle. tfjs-core itself stays external (a peer dependency);
// the registrations land in tfjs-core's global gradient registry, shared by every copy.
const shared = {
  entry: ["src/index.ts"],
  dts: true,
  sourcemap: true,
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
};

/**
 * The browser build replaces Node's built-in modules, which the package loads only by dynamic import inside the
 * Node-only functions (saving and loading networks, worker threads), by a module whose evaluation throws
 * `NodeOnlyError`: those calls reject with a typed error in a browser, and nothing else changes. Bundlers then meet no
 * `node:` import at all, so apps need no stubs or polyfills.
 */
const nodeBuiltinsRejected: Plugin = {
  name: "node-builtins-rejected",
  setup(build) {
    build.onResolve({ filter: /^(node:)?(fs|fs\/promises|path|url|module|worker_threads|os|stream|zlib)$/ }, (args) => ({
      path: args.path,
      namespace: "node-only",
    }));
    build.onLoad({ filter: /.*/, namespace: "node-only" }, (args) => ({
      contents: `import { NodeOnlyError } from "./src/node-only-error.ts"; throw new NodeOnlyError(${JSON.stringify(args.path)});`,
      resolveDir: process.cwd(),
      loader: "ts",
    }));
  },
};

export default defineConfig([
  { ...shared, format: ["esm", "cjs"], clean: true, shims: true },
  {
    ...shared,
    entry: { index: "src/index.ts" },
    outDir: "dist/browser",
    format: ["esm"],
    splitting: false,
    platform: "browser",
    dts: false,
    shims: false,
    removeNodeProtocol: false,
    esbuildPlugins: [nodeBuiltinsRejected],
  },
]);
