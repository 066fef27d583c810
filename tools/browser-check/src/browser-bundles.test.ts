import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { build as viteBuild, type Rollup } from "vite";
import { afterAll, describe, expect, it } from "vitest";
import { haveChromium, launchChromium } from "./chromium.js";

const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "smoothhess-browser-check-"));
const scratchDirs = [scratch];

/** A Node built-in module specifier. */
const NODE_BUILTIN = /^(node:)?(crypto|fs|fs\/promises|path|util|url|os|module|stream|zlib|buffer|worker_threads|child_process)$/;
afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every published package and subpath, imported the way an app does. */
const ENTRIES = [
  "@smoothhess/errors",
  "@smoothhess/random",
  "@smoothhess/linalg",
  "@smoothhess/oracle",
  "@smoothhess/datasets",
  "@smoothhess/stein",
  "@smoothhess/surrogates",
  "@smoothhess/surrogates/tfjs",
  "@smoothhess/metrics",
  "@smoothhess/tfjs",
  "@smoothhess/explain",
  "@smoothhess/onnx",
];


function entrySource(): string {
  return ENTRIES.map((e, i) => `import * as m${i} from "${e}";`).join("\n") + `\nexport const names = [${ENTRIES.map((_, i) => `Object.keys(m${i}).length`).join(", ")}];\n`;
}

describe("every package bundles for the browser", () => {
  it("with esbuild (platform browser): no errors and no Node built-in module left", async () => {
    for (const entry of ENTRIES) {
      const result = await esbuild.build({
        stdin: { contents: `import * as m from "${entry}"; export const n = Object.keys(m).length;`, resolveDir: here, loader: "ts" },
        bundle: true,
        platform: "browser",
        format: "esm",
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      // for platform "browser" esbuild fails on any Node built-in it meets, so no error means none is imported
      expect(result.errors, entry).toEqual([]);
      const external = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
      expect(external, `${entry} leaves imports unbundled`).toEqual([]);
    }
  });

  it("with Vite (a production build of a page importing every package): no module externalized for browser compatibility", async () => {
    // inside this package, so that the page resolves the packages from its node_modules
    const root = mkdtempSync(join(here, "..", "node_modules", ".vite-app-"));
    scratchDirs.push(root);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "index.html"), `<!doctype html><script type="module" src="./main.ts"></script>`);
    writeFileSync(join(root, "main.ts"), entrySource());
    const warnings: string[] = [];
    const builtins: { source: string; importer: string }[] = [];
    const output = (await viteBuild({
      configFile: false,
      root,
      logLevel: "silent",
      resolve: { preserveSymlinks: false },
      customLogger: {
        info() {},
        warn: (message: string) => warnings.push(message),
        warnOnce: (message: string) => warnings.push(message),
        error: (message: string) => warnings.push(message),
        clearScreen() {},
        hasErrorLogged: () => false,
        hasWarned: false,
      },
      build: { write: false, minify: false, rollupOptions: { onwarn: (w: { message: string }) => warnings.push(w.message) } },
      plugins: [
        {
          name: "record-node-builtins",
          enforce: "pre",
          resolveId(source: string, importer?: string) {
            if (NODE_BUILTIN.test(source)) builtins.push({ source, importer: importer ?? "" });
            return null;
          },
        },
      ],
      cacheDir: join(scratch, "vite-cache"),
    } as never)) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).filter((c): c is Rollup.OutputChunk => c.type === "chunk");
    // the page really bundled the packages (tfjs-core, vega, every @smoothhess module), not an empty entry
    expect(chunks.reduce((a, c) => a + c.code.length, 0)).toBeGreaterThan(1_000_000);
    // No package of ours asks for a Node module (Vite would replace it by its empty "__vite-browser-external" stub).
    // Third parties that declare the stub themselves stay allowed: tfjs-core's seedrandom maps `crypto` to false in
    // its own "browser" field, which is the mechanism for exactly this.
    const ours = builtins.filter((b) => !b.importer.includes("node_modules/.pnpm/"));
    expect(ours).toEqual([]);
    expect(builtins.map((b) => b.importer.replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, "$1"))).toEqual(builtins.map(() => "seedrandom@3.0.5"));
    expect(warnings.filter((w) => /externalized for browser compatibility|could not be resolved|Unresolved/i.test(w))).toEqual([]);
  });

  it.skipIf(!haveChromium())("the tfjs browser build runs in headless Chromium: an oracle evaluates, a Node-only call rejects with NodeOnlyError", async () => {
    const result = await esbuild.build({
      stdin: {
        contents: `
          import "@tensorflow/tfjs-backend-cpu";
          import { mlp, tfjsOracle, saveNetwork, NodeOnlyError, useBackend } from "@smoothhess/tfjs";
          (async () => {
            await useBackend("cpu");
            const net = mlp({ sizes: [3, 4, 2], seed: 1 });
            const oracle = tfjsOracle(net, { output: 1 });
            const { gradients } = await oracle.evaluate(new Float32Array([0.1, 0.2, 0.3]), 1);
            const error = await saveNetwork(net, "somewhere").catch((e) => e);
            window.__result = { gradients: gradients.length, nodeOnly: error instanceof NodeOnlyError, code: error.code, engine: oracle.engine };
          })().catch((e) => { window.__result = { failed: String(e && e.stack || e) }; });
        `,
        resolveDir: here,
        loader: "ts",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent("<!doctype html><html><body></body></html>");
      await page.addScriptTag({ content: result.outputFiles[0].text, type: "module" });
      await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 60_000 });
      const printed = await page.evaluate(() => (globalThis as { __result?: unknown }).__result);
      expect(printed).toEqual({ gradients: 3, nodeOnly: true, code: "node-only", engine: "fast" });
    } finally {
      await browser.close();
    }
  });
});
