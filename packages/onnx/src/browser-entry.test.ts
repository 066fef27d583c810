// The browser entry (`exports["."].browser`) is src/index.ts built with the browser variants of tsup.config.ts.
// These tests build it with that very configuration (tsup, `browserBuild`) into a scratch folder and run it in Node:
// onnxruntime-web's WebAssembly backend runs here too, so the browser entry can be checked against the Node entry
// (onnxruntime-node) on the authors' MNIST model, in one process, without a browser. (`tools/browser-check` runs the
// built dist/browser bundle in headless Chromium.)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { SmoothHessError } from "@smoothhess/errors";
import { smoothHess } from "@smoothhess/stein";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build as tsup } from "tsup";
import { browserBuild, browserVariants } from "../tsup.config.js";
import * as nodeEntry from "./index.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const fixture = (name: string) => join(packageDir, "fixtures", name);
const MODEL = "authors-mnist-mlp.onnx";

interface Reference {
  inputs: number[];
  inputShape: number[];
  outputs: number[];
  outputShape: number[];
  inputGradientOfOutput0: number[];
}
const reference = JSON.parse(readFileSync(fixture("authors-mnist-mlp.reference.json"), "utf8")) as Reference;

let scratch: string;
let metafile: esbuild.Metafile;
let browserEntry: typeof nodeEntry;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // inside the package, so that Node resolves the bundle's external imports (onnxruntime-web, onnx-proto, …) here
  scratch = mkdtempSync(join(packageDir, "node_modules", ".browser-entry-test-"));
  // tsup reads the package's dependencies (kept external) from the package.json in the working directory
  expect(process.cwd()).toBe(packageDir);
  await tsup({ ...browserBuild, outDir: scratch, sourcemap: false, metafile: true, silent: true, config: false });
  metafile = JSON.parse(readFileSync(join(scratch, "metafile-esm.json"), "utf8")) as esbuild.Metafile;
  browserEntry = (await import(pathToFileURL(join(scratch, "index.js")).href)) as typeof nodeEntry;
  // the model served over HTTP, as a page would fetch it
  const bytes = readFileSync(fixture(MODEL));
  server = createServer((request, response) => {
    if (request.url === `/${MODEL}`) response.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
    else response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("the browser entry", () => {
  it("exports the same names as the Node entry", () => {
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
  });

  it("imports no Node built-in module and not onnxruntime-node: only onnxruntime-web and the package's dependencies", () => {
    const imports = new Set(Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path)));
    expect([...imports].sort()).toEqual(["@smoothhess/errors", "onnx-proto", "onnxruntime-web"]);
    // the variants really replaced their Node modules
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((f) => f.endsWith(".browser.ts")).sort()).toEqual([
      "src/default-runtime.browser.ts",
      "src/machine-cores.browser.ts",
      "src/model-source.browser.ts",
    ]);
    expect(inputs.filter((f) => /src\/(default-runtime|machine-cores|model-source)\.ts$/.test(f))).toEqual([]);
  });

  it("fails to build when a Node-only module reaches it, naming the importer", async () => {
    const failure = await esbuild
      .build({
        stdin: { contents: `import { readFile } from "node:fs/promises"; export { readFile };`, resolveDir: join(packageDir, "src"), sourcefile: join(packageDir, "src", "leak.ts"), loader: "ts" },
        bundle: true,
        platform: "browser",
        format: "esm",
        write: false,
        packages: "external",
        plugins: [browserVariants],
        logLevel: "silent",
      })
      .catch((error: esbuild.BuildFailure) => error);
    expect((failure as esbuild.BuildFailure).errors?.map((e) => e.text)).toEqual([
      expect.stringMatching(/"node:fs\/promises" is Node-only but .*leak\.ts imports it in the browser build/),
    ]);
  });

  it("turns a dynamic import() of a Node-only module into a call that rejects with a node-only SmoothHessError", async () => {
    const result = await esbuild.build({
      stdin: { contents: `export const start = () => import("node:worker_threads");`, resolveDir: join(packageDir, "src"), sourcefile: join(packageDir, "src", "lazy.ts"), loader: "ts" },
      outfile: join(scratch, "lazy.mjs"),
      bundle: true,
      platform: "browser",
      format: "esm",
      packages: "external",
      plugins: [browserVariants],
      metafile: true,
      logLevel: "silent",
    });
    expect(Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path))).toEqual(["@smoothhess/errors"]);
    const lazy = (await import(pathToFileURL(join(scratch, "lazy.mjs")).href)) as { start(): Promise<unknown> };
    const error = await lazy.start().catch((e: unknown) => e);
    // (the bundle's @smoothhess/errors is Node's copy, not vitest's, so the class is compared by name)
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: SmoothHessError.name, code: "node-only", message: "this call needs Node.js: node:worker_threads is not available in a browser" });
  });

  it("defaults to onnxruntime-web (the Node entry to onnxruntime-node)", async () => {
    const web = await import("onnxruntime-web");
    const node = await import("onnxruntime-node");
    const browserRuntime = await browserEntry.defaultRuntime();
    const nodeRuntime = await nodeEntry.defaultRuntime();
    expect(browserRuntime.InferenceSession).toBe((web.default ?? web).InferenceSession);
    expect(nodeRuntime.InferenceSession).toBe((node.default ?? node).InferenceSession);
    expect(browserRuntime.InferenceSession).not.toBe(nodeRuntime.InferenceSession);
  });

  it("fetches a model from a URL, and names the URL and the HTTP status when it cannot", async () => {
    const model = await browserEntry.loadOnnxModel(`${baseUrl}/${MODEL}`);
    expect(model.dim).toBe(784);
    expect(model.inputShape).toEqual([-1, 784]);
    const missing = `${baseUrl}/missing.onnx`;
    const error = await browserEntry.loadOnnxModel(new URL(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(browserEntry.OnnxModelError);
    expect((error as Error).message).toBe(`${missing}: cannot fetch the model: HTTP 404 Not Found`);
    // a string is a URL in the browser entry, never a file path
    const path = await browserEntry.loadOnnxModel(fixture(MODEL)).catch((e: unknown) => e);
    expect(path).toBeInstanceOf(browserEntry.OnnxModelError);
    expect((path as Error).message).toMatch(/cannot fetch the model/);
  });

  it("gives the Node entry's gradients on the authors' MNIST model (and PyTorch's recorded ones)", async () => {
    const [n, d] = reference.inputShape;
    const browserModel = await browserEntry.loadOnnxModel(`${baseUrl}/${MODEL}`);
    const nodeModel = await nodeEntry.loadOnnxModel(fixture(MODEL));
    const points = Float32Array.from(reference.inputs);
    const results = [];
    for (const [entry, model] of [[browserEntry, browserModel], [nodeEntry, nodeModel]] as const) {
      const oracle = await entry.onnxOracle(model, { target: { output: 0 }, threads: 1 });
      try {
        results.push(await oracle.evaluate(points, n));
      } finally {
        await oracle.dispose();
      }
    }
    const [web, native] = results;
    expect(web.gradients).toHaveLength(n * d);
    // Float32 tolerance: the same graph, float32 GEMMs on both engines (native MLAS and its WebAssembly build), summed
    // in different orders. Measured: 2.4e-7 of the largest |∂f/∂x|, 2.7e-7 of the largest |f|; asserted: 1e-5.
    const scale = maxAbs(native.gradients);
    expect(maxAbsDifference(web.gradients, native.gradients)).toBeLessThanOrEqual(1e-5 * scale);
    expect(maxAbsDifference(web.values, native.values)).toBeLessThanOrEqual(1e-5 * maxAbs(native.values));
    // and both are PyTorch's (the fixture test's tolerance: 1e-4 of the largest entry)
    const pytorch = Float64Array.from(reference.inputGradientOfOutput0);
    expect(maxAbsDifference(web.gradients, pytorch)).toBeLessThanOrEqual(1e-4 * maxAbs(pytorch));
  });

  it("gives the Node entry's SmoothHess and SmoothGrad (same seed), each with its own default outer-product kernel", async () => {
    const x0 = Float64Array.from(reference.inputs.slice(0, 784));
    const results = [];
    for (const entry of [browserEntry, nodeEntry]) {
      const model = await entry.loadOnnxModel(new Uint8Array(readFileSync(fixture(MODEL))));
      const oracle = await entry.onnxOracle(model, { target: { output: "predicted", at: x0 }, threads: 1 });
      const kernel = await entry.onnxOuterProductKernel({ threads: 1 });
      try {
        results.push(await smoothHess(oracle, x0, { covariance: { sigma: 0.1 }, samples: 512, seed: 7, kernel }));
      } finally {
        await kernel.dispose();
        await oracle.dispose();
      }
    }
    const [web, native] = results;
    // Float32 tolerance: the gradients differ by ~2e-7 of their scale (above) and each kernel block is a float32 sum
    // of 512 products. Measured: 2.8e-7 of the largest |H_ij|, 1.2e-8 of the largest |SmoothGrad_i|; asserted: 1e-5.
    expect(maxAbsDifference(web.hessian, native.hessian)).toBeLessThanOrEqual(1e-5 * maxAbs(native.hessian));
    expect(maxAbsDifference(web.gradient, native.gradient)).toBeLessThanOrEqual(1e-5 * maxAbs(native.gradient));
    expect(maxAbs(native.hessian)).toBeGreaterThan(0);
    expect(nodeEntry.liveSessionCount()).toBe(0);
    expect(browserEntry.liveSessionCount()).toBe(0);
  });
});

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
