import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import { defineConfig, type Options } from "tsup";

const sourceDir = join(dirname(fileURLToPath(import.meta.url)), "src") + sep;
const nodeOnly = new RegExp(`^(node:.*|onnxruntime-node|${builtinModules.map((m) => m.replace(/[/]/g, "\\/")).join("|")})$`);

/**
 * Browser variants: the browser build is `src/index.ts` again, except that a module `x.ts` with a sibling
 * `x.browser.ts` is replaced by that sibling wherever the package imports it (`./x.js`). The siblings hold the only
 * platform-specific code — the default ONNX Runtime binding (`onnxruntime-web` for `onnxruntime-node`), the core
 * count, and reading a model (fetch for the file system) — and each is typed as its Node module, so both entries
 * keep one public API. Node built-in modules and `onnxruntime-node` never reach the browser build, so apps meet none
 * (no stubs, no polyfills): a static import of one fails the build, naming the importer; a dynamic `import()` of one
 * (code that runs only on request, such as worker threads) becomes a module that throws a `SmoothHessError` with code
 * `"node-only"` naming it, so that call rejects in a browser and nothing else changes.
 */
export const browserVariants: Plugin = {
  name: "browser-variants",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(sourceDir)) return undefined;
      const variant = resolve(args.resolveDir, args.path.replace(/\.js$/, ".browser.ts"));
      return variant !== args.importer && existsSync(variant) ? { path: variant } : undefined;
    });
    build.onResolve({ filter: nodeOnly }, (args) =>
      args.kind === "dynamic-import"
        ? { path: args.path, namespace: "node-only" }
        : { errors: [{ text: `"${args.path}" is Node-only but ${args.importer} imports it in the browser build; give that module a .browser.ts variant` }] },
    );
    build.onLoad({ filter: /.*/, namespace: "node-only" }, (args) => ({
      contents:
        `import { SmoothHessError } from "@smoothhess/errors";\n` +
        `throw new SmoothHessError("node-only", ${JSON.stringify(`this call needs Node.js: ${args.path} is not available in a browser`)});\n`,
      resolveDir: sourceDir,
      loader: "js",
    }));
  },
};

/**
 * The browser build (`exports["."].browser`, dist/browser/index.js): src/index.ts with the browser variants, ESM
 * only, no Node shims; it shares the Node build's declarations (one API). `removeNodeProtocol: false`, because tsup's
 * own plugin for that marks every `node:` import external before `browserVariants` could see it.
 */
export const browserBuild = {
  entry: { index: "src/index.ts" },
  outDir: "dist/browser",
  format: ["esm"],
  platform: "browser",
  dts: false,
  sourcemap: true,
  splitting: false,
  shims: false,
  removeNodeProtocol: false,
  esbuildPlugins: [browserVariants],
} satisfies Options;

// Node (`import` / `require`): src/index.ts as it is. Browser: see browserBuild.
export default defineConfig([{ entry: ["src/index.ts"], format: ["esm", "cjs"], dts: true, clean: true, sourcemap: true }, browserBuild]);
