import { existsSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { interactions, type Interactions } from "@smoothhess/explain";
import * as onnx from "@smoothhess/onnx";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import digits from "./digits.json";
import { mlpFromOnnx } from "./onnx-mlp.js";

const app = fileURLToPath(new URL("..", import.meta.url));
const dist = join(app, "dist");
const model = join(app, "../../packages/onnx/fixtures/authors-mnist-mlp.onnx");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ready = existsSync(CHROMIUM) && existsSync(model) && existsSync(join(dist, "index.html"));
// The page's settings: the same digit, samples and seed in the page and in Node.
const DIGIT = 3;
const SAMPLES = 512;
const SEED = 7;

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".onnx": "application/octet-stream", ".wasm": "application/wasm" };

/** dist/ on a loopback port (a static server: the page needs http for fetch and modules). */
function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dist, path === "/" ? "index.html" : path);
    if (!file.startsWith(dist) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe.skipIf(!ready)("the playground page in headless Chromium (needs chromium, the onnx fixture and `vite build`)", () => {
  let served: { server: Server; url: string };
  beforeAll(async () => {
    served = await serve();
  });
  afterAll(() => served?.server.close());

  /** Open the page with `query`, wait for its result, check what it shows, and return the result. */
  async function openPage(query: string, screenshot?: string): Promise<Record<string, unknown>> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const tab = await browser.newPage({ viewport: { width: 1400, height: 720 } });
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(String(e)));
      await tab.goto(`${served.url}?${query}`);
      await tab.waitForFunction(() => (globalThis as { __smoothhess?: unknown }).__smoothhess !== undefined, undefined, { timeout: 240_000 });
      const page = (await tab.evaluate(() => (globalThis as { __smoothhess?: unknown }).__smoothhess)) as Record<string, unknown>;
      expect(page.error).toBeUndefined();
      expect(errors).toEqual([]);
      expect(await tab.locator("#status").textContent()).toMatch(/^done: logit of class 3 \(predicted\)/);
      expect(await tab.locator("progress").evaluate((p) => (p as HTMLProgressElement).value)).toBe(1);
      expect(await tab.locator(".panel svg").count()).toBe(3);
      if (screenshot) {
        const out = join(app, "dist-screenshots");
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, screenshot), await tab.screenshot({ fullPage: true }));
      }
      return page;
    } finally {
      await browser.close();
    }
  }

  /** The page's numbers against Node's `interactions()` for the same model, digit, samples and seed. */
  function expectSameAsNode(page: Record<string, unknown>, node: Interactions): void {
    expect(page.predicted).toBe(node.target);
    expect(page.sigma).toBe(node.sigma);
    expect(relativeError(page.smoothGrad as number[], node.smoothGrad)).toBeLessThan(1e-5);
    const pixel = page.pixel as number;
    expect(relativeError(page.pixelRow as number[], node.interactionsWith(pixel))).toBeLessThan(1e-4);
    const pairs = page.topPairs as { i: number; j: number; value: number }[];
    const nodePairs = node.topPairs(10);
    expect(pairs.map((p) => [p.i, p.j])).toEqual(nodePairs.map((p) => [p.i, p.j]));
    expect(relativeError(pairs.map((p) => p.value), nodePairs.map((p) => p.value))).toBeLessThan(1e-4);
  }

  it("computes SmoothGrad, SmoothHess and top pairs in the page that match Node's for the same digit and seed", async () => {
    const page = await openPage(`backend=cpu&digit=${DIGIT}&samples=${SAMPLES}&seed=${SEED}&autorun=1`, "playground.png");
    // Node: the same model, digit, samples and seed, on the cpu backend
    await tf.setBackend("cpu");
    const network = mlpFromOnnx(new Uint8Array(readFileSync(model)));
    const node = await interactions(network, digits[DIGIT].pixels, { samples: SAMPLES, seed: SEED, inputShape: [28, 28] });
    network.dispose();
    expect(page.engine).toBe("tfjs");
    expect(page.backend).toBe("cpu");
    expectSameAsNode(page, node);
  });

  it("with ziggurat draws (the normals select) matches Node's interactions() with the same draws, and differs from Box–Muller's", async () => {
    const page = await openPage(`engine=onnx&normals=ziggurat&digit=${DIGIT}&samples=${SAMPLES}&seed=${SEED}&autorun=1`);
    const node = await interactions(model, digits[DIGIT].pixels, { samples: SAMPLES, seed: SEED, inputShape: [28, 28], onnx, normals: "ziggurat" });
    const boxMuller = await interactions(model, digits[DIGIT].pixels, { samples: SAMPLES, seed: SEED, inputShape: [28, 28], onnx });
    expect(page.normals).toBe("ziggurat");
    expect(node.normals).toBe("ziggurat");
    expectSameAsNode(page, node);
    // the select really changed the draws: the same seed gives other numbers
    expect(relativeError(page.smoothGrad as number[], boxMuller.smoothGrad)).toBeGreaterThan(1e-3);
  });

  it("with the ONNX engine (onnxruntime-web in the page) matches Node's ONNX engine (onnxruntime-node)", async () => {
    const page = await openPage(`engine=onnx&digit=${DIGIT}&samples=${SAMPLES}&seed=${SEED}&autorun=1`, "playground-onnx.png");
    const node = await interactions(model, digits[DIGIT].pixels, { samples: SAMPLES, seed: SEED, inputShape: [28, 28], onnx });
    expect(page.engine).toBe("onnx");
    expect(page.backend).toBe("onnxruntime-web");
    expect(page.normals).toBe("box-muller");
    expect(node.engine).toBe("onnx");
    expectSameAsNode(page, node);
  });
});
