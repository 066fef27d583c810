// @smoothhess/onnx in a browser: a page importing the package's browser entry (onnxruntime-web underneath) is bundled
// with esbuild and with Vite, served to headless Chromium, and must compute the gradient and a small SmoothHess of the
// paper authors' MNIST model that the Node entry (onnxruntime-node) computes here for the same input and seed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { build as viteBuild, type Rollup } from "vite";
import { loadOnnxModel, onnxOracle, onnxOuterProductKernel } from "@smoothhess/onnx";
import { smoothHess } from "@smoothhess/stein";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveChromium, launchChromium } from "./chromium.js";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const onnxPackage = dirname(require.resolve("@smoothhess/onnx/package.json"));
const fixtures = join(onnxPackage, "fixtures");
const MODEL = "authors-mnist-mlp.onnx";
const modelBytes = readFileSync(join(fixtures, MODEL));
const reference = JSON.parse(readFileSync(join(fixtures, "authors-mnist-mlp.reference.json"), "utf8")) as { inputs: number[] };
/** The first recorded MNIST digit of the fixture. */
const x0 = reference.inputs.slice(0, 784);
const SIGMA = 0.1, SAMPLES = 256, SEED = 7;
/** onnxruntime-web's WebAssembly binary (its default entry's), to serve beside an esbuild bundle (Vite emits it). */
const ORT_WASM = "ort-wasm-simd-threaded.jsep.wasm";
const ortWasmFile = require.resolve(`onnxruntime-web/${ORT_WASM}`);

/** What the page computes and reports as `window.__result`. */
interface PageResult {
  failed?: string;
  predicted: number;
  value: number;
  gradient: number[];
  hessian: number[];
  smoothGrad: number[];
  liveSessions: number;
  runtimeHasWasmEnv: boolean;
}

/** The page: the browser entry with its default runtime, the model fetched by URL, the digit from a JSON file. */
const PAGE_SOURCE = `
import { defaultRuntime, liveSessionCount, loadOnnxModel, onnxOracle, onnxOuterProductKernel } from "@smoothhess/onnx";
import { smoothHess } from "@smoothhess/stein";
(async () => {
  const x0 = await (await fetch("./input.json")).json();
  const model = await loadOnnxModel("./${MODEL}");
  const oracle = await onnxOracle(model, { target: { output: "predicted", at: x0 } });
  const kernel = await onnxOuterProductKernel();
  try {
    const { values, gradients } = await oracle.evaluate(Float32Array.from(x0), 1);
    const result = await smoothHess(oracle, x0, { covariance: { sigma: ${SIGMA} }, samples: ${SAMPLES}, seed: ${SEED}, kernel });
    const runtime = await defaultRuntime();
    window.__result = {
      predicted: oracle.target.unit,
      value: values[0],
      gradient: Array.from(gradients),
      hessianBase64: base64(result.hessian),
      smoothGrad: Array.from(result.gradient),
      runtimeHasWasmEnv: typeof runtime.env?.wasm === "object",
    };
  } finally {
    await kernel.dispose();
    await oracle.dispose();
  }
  window.__result.liveSessions = liveSessionCount();
})().catch((e) => { window.__result = { failed: String((e && e.stack) || e) }; });
function base64(values) {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
`;

let nodeResult: Omit<PageResult, "failed" | "liveSessions" | "runtimeHasWasmEnv">;
const scratchDirs: string[] = [];

beforeAll(async () => {
  const model = await loadOnnxModel(modelBytes);
  const oracle = await onnxOracle(model, { target: { output: "predicted", at: x0 }, threads: 1 });
  const kernel = await onnxOuterProductKernel({ threads: 1 });
  try {
    const { values, gradients } = await oracle.evaluate(Float32Array.from(x0), 1);
    const result = await smoothHess(oracle, x0, { covariance: { sigma: SIGMA }, samples: SAMPLES, seed: SEED, kernel });
    nodeResult = {
      predicted: (oracle.target as { unit: number }).unit,
      value: values[0],
      gradient: Array.from(gradients),
      hessian: Array.from(result.hessian),
      smoothGrad: Array.from(result.gradient),
    };
  } finally {
    await kernel.dispose();
    await oracle.dispose();
  }
});
afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * Open `/index.html` of `files` (path → bytes) in headless Chromium, served by a local HTTP server (a page needs an
 * http: origin to fetch the model and the .wasm), and return what the page reports and the paths it requested.
 */
async function runPage(files: Map<string, Uint8Array | string>): Promise<{ result: PageResult; requested: string[] }> {
  const types: Record<string, string> = { html: "text/html", js: "text/javascript", wasm: "application/wasm", json: "application/json" };
  const requested: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    requested.push(path);
    const body = files.get(path);
    if (body === undefined) response.writeHead(404).end(`not found: ${path}`);
    else response.writeHead(200, { "content-type": types[path.split(".").pop() ?? ""] ?? "application/octet-stream" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 90_000 });
    const reported = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as PageResult & { hessianBase64?: string };
    // the d×d Hessian comes back as the bytes of its Float64Array (JSON of 614,656 numbers is slow to transfer)
    const { hessianBase64, ...rest } = reported;
    const hessian = hessianBase64 === undefined ? [] : Array.from(new Float64Array(new Uint8Array(Buffer.from(hessianBase64, "base64")).buffer));
    return { result: { ...rest, hessian }, requested };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * The page's numbers equal the Node entry's: float32 tolerance 1e-5 of the largest entry, as in
 * packages/onnx/src/browser-entry.test.ts. Measured in Chromium: gradient 2.8e-7, Hessian 4.5e-7, SmoothGrad 1.3e-8.
 */
function expectNodeResult(result: PageResult): void {
  expect(result.failed).toBeUndefined();
  expect(result.liveSessions).toBe(0);
  expect(result.runtimeHasWasmEnv).toBe(true); // onnxruntime-web's `env.wasm`: the page ran on the web runtime
  expect(result.predicted).toBe(nodeResult.predicted);
  expect(Math.abs(result.value - nodeResult.value)).toBeLessThanOrEqual(1e-5 * Math.abs(nodeResult.value));
  for (const key of ["gradient", "hessian", "smoothGrad"] as const) {
    const scale = nodeResult[key].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const worst = result[key].reduce((m, v, i) => Math.max(m, Math.abs(v - nodeResult[key][i])), 0);
    expect(result[key], key).toHaveLength(nodeResult[key].length);
    expect(scale, key).toBeGreaterThan(0);
    expect(worst, key).toBeLessThanOrEqual(1e-5 * scale);
  }
}

const pageFiles = () =>
  new Map<string, Uint8Array | string>([
    [`/${MODEL}`, modelBytes],
    ["/input.json", JSON.stringify(x0)],
  ]);

describe.skipIf(!haveChromium())("@smoothhess/onnx in headless Chromium", () => {
  it("bundled with esbuild (onnxruntime-web's .wasm served beside the bundle): the Node entry's gradient and SmoothHess", async () => {
    const bundle = await esbuild.build({
      stdin: { contents: PAGE_SOURCE, resolveDir: here, loader: "js" },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(bundle.errors).toEqual([]);
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((f) => f.includes("onnx/dist/browser/index.js"))).toBe(true);
    expect(inputs.some((f) => f.includes("onnxruntime-node"))).toBe(false);
    const files = pageFiles();
    files.set("/index.html", `<!doctype html><script type="module" src="./bundle.js"></script>`);
    files.set("/bundle.js", bundle.outputFiles[0].text);
    // the recipe of the package README: copy the .wasm file(s) of onnxruntime-web/dist beside the bundle
    files.set(`/${ORT_WASM}`, readFileSync(ortWasmFile));
    const { result, requested } = await runPage(files);
    expectNodeResult(result);
    expect(requested).toContain(`/${ORT_WASM}`);
  });

  it("built with Vite (which emits onnxruntime-web's .wasm as an asset): the Node entry's gradient and SmoothHess", async () => {
    // inside this package, so that the page resolves the packages from its node_modules
    const root = mkdtempSync(join(here, "..", "node_modules", ".vite-onnx-app-"));
    scratchDirs.push(root);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "index.html"), `<!doctype html><script type="module" src="./main.js"></script>`);
    writeFileSync(join(root, "main.js"), PAGE_SOURCE);
    const warnings: string[] = [];
    const output = (await viteBuild({
      configFile: false,
      root,
      base: "./",
      logLevel: "silent",
      build: { write: false, minify: false, target: "es2022", rollupOptions: { onwarn: (w: { message: string }) => warnings.push(w.message) } },
      cacheDir: join(root, ".vite-cache"),
    } as never)) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const items = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
    expect(warnings.filter((w) => /externalized for browser compatibility|could not be resolved|Unresolved/i.test(w))).toEqual([]);
    const files = pageFiles();
    for (const item of items) files.set(`/${item.fileName}`, item.type === "chunk" ? item.code : item.source);
    const wasm = items.filter((i) => i.fileName.endsWith(".wasm")).map((i) => i.fileName);
    expect(wasm).toHaveLength(1);
    const { result, requested } = await runPage(files);
    expectNodeResult(result);
    expect(requested).toContain(`/${wasm[0]}`);
  });
});
