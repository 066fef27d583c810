import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgl";
import { interactions, type Interactions, type InteractionsOptions } from "@smoothhess/explain";

type NormalDraws = NonNullable<InteractionsOptions["normals"]>;
import * as onnx from "@smoothhess/onnx";
import { useBackend, type BackendName } from "@smoothhess/tfjs";
import modelUrl from "../../../packages/onnx/fixtures/authors-mnist-mlp.onnx?url";
import digits from "./digits.json";
import { mlpFromOnnx } from "./onnx-mlp.js";

// Query parameters (the end-to-end test sets them): engine=tfjs|onnx, backend=cpu|webgl (tfjs), digit=0…9, samples,
// seed, normals=box-muller|ziggurat, autorun=1.
const query = new URLSearchParams(location.search);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const pad = $<HTMLCanvasElement>("pad");
const context = pad.getContext("2d") as CanvasRenderingContext2D;
const status = $<HTMLSpanElement>("status");
const progress = $<HTMLProgressElement>("progress");
let pixels = new Float64Array(784);

/** What the page computed last, for the end-to-end test. */
interface PageResult {
  readonly state: "done" | "failed";
  readonly error?: string;
  readonly engine?: "tfjs" | "onnx";
  readonly backend?: string;
  readonly predicted?: string;
  readonly sigma?: number;
  readonly normals?: string;
  readonly smoothGrad?: number[];
  readonly topPairs?: { i: number; j: number; value: number }[];
  readonly pixel?: number;
  readonly pixelRow?: number[];
}
const page = window as unknown as { __smoothhess?: PageResult };

function draw(): void {
  const image = context.createImageData(28, 28);
  for (let p = 0; p < 784; p++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, pixels[p])));
    image.data.set([v, v, v, 255], 4 * p);
  }
  context.putImageData(image, 0, 0);
}

function pick(label: number): void {
  pixels = Float64Array.from(digits[label].pixels);
  draw();
}

// Drawing: a soft round brush in the 28×28 grid.
let drawing = false;
function paint(event: PointerEvent): void {
  const box = pad.getBoundingClientRect();
  const cx = ((event.clientX - box.left) / box.width) * 28;
  const cy = ((event.clientY - box.top) / box.height) * 28;
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      const d = Math.hypot(c + 0.5 - cx, r + 0.5 - cy);
      if (d < 1.6) pixels[r * 28 + c] = Math.max(pixels[r * 28 + c], Math.min(1, 1.6 - d));
    }
  }
  draw();
}
pad.addEventListener("pointerdown", (e) => {
  drawing = true;
  paint(e);
});
pad.addEventListener("pointermove", (e) => drawing && paint(e));
window.addEventListener("pointerup", () => (drawing = false));
$("clear").addEventListener("click", () => {
  pixels = new Float64Array(784);
  draw();
});
digits.forEach((d, label) => {
  const button = document.createElement("button");
  button.textContent = String(label);
  button.addEventListener("click", () => pick(label));
  $("digits").append(button);
});

/** The default chosen pixel: the first pixel of the most interacting pair. */
function strongestPixel(result: Interactions): number {
  return result.topPairs(1)[0].i;
}

type Engine = "tfjs" | "onnx";

/**
 * The authors' model on each engine, made on first use: tfjs (the ONNX file's Gemm/ReLU layers as a tfjs MLP, the
 * fast gradient path) or the file itself on ONNX Runtime Web (`@smoothhess/onnx`'s browser entry: onnxruntime-web,
 * whose .wasm Vite emits beside the bundle). `backend` names what runs it.
 */
const models: Partial<Record<Engine, Promise<{ model: Parameters<typeof interactions>[0]; backend: string }>>> = {};
function modelOn(engine: Engine) {
  models[engine] ??=
    engine === "onnx"
      ? onnx.loadOnnxModel(modelUrl).then((model) => ({ model, backend: "onnxruntime-web" }))
      : (async () => {
          const backend = await useBackend((query.get("backend") as BackendName | null) ?? "webgl", { fallbackToCpu: true });
          return { model: mlpFromOnnx(new Uint8Array(await (await fetch(modelUrl)).arrayBuffer())), backend };
        })();
  return models[engine];
}

async function main(): Promise<void> {
  const engineSelect = $<HTMLSelectElement>("engine");
  if (query.get("engine") === "onnx" || query.get("engine") === "tfjs") engineSelect.value = query.get("engine") as Engine;
  const engine = () => engineSelect.value as Engine;
  const { backend } = await modelOn(engine());
  pick(Number(query.get("digit") ?? 0));
  if (query.has("samples")) $<HTMLInputElement>("samples").value = query.get("samples") as string;
  if (query.has("seed")) $<HTMLInputElement>("seed").value = query.get("seed") as string;
  const normalsSelect = $<HTMLSelectElement>("normals");
  if (query.get("normals") === "box-muller" || query.get("normals") === "ziggurat") normalsSelect.value = query.get("normals") as NormalDraws;
  status.textContent = `ready (${backend})`;

  const explain = async () => {
    const samples = Number($<HTMLInputElement>("samples").value);
    const seed = Number($<HTMLInputElement>("seed").value);
    status.textContent = "computing…";
    progress.value = 0;
    try {
      const chosen = engine();
      const { model, backend: runsOn } = await modelOn(chosen);
      const result = await interactions(model, pixels, {
        samples,
        seed,
        normals: normalsSelect.value as NormalDraws,
        inputShape: [28, 28],
        // bundled apps hand explain the onnx module (it never imports the package by itself)
        onnx,
        onProgress: ({ completed, total }) => {
          progress.value = completed / total;
          status.textContent = `${completed} / ${total} gradients`;
        },
      });
      const pixel = strongestPixel(result);
      $("smoothgrad").innerHTML = await result.smoothGradSvg({ cellSize: 9 });
      $("pixel").innerHTML = await result.pixelSvg(pixel, { cellSize: 9 });
      $("pairs").innerHTML = await result.topPairsSvg(10, { cellSize: 9 });
      $("summary").textContent = String(result);
      status.textContent = `done: ${result.target}`;
      progress.value = 1;
      page.__smoothhess = {
        state: "done",
        engine: chosen,
        backend: chosen === "onnx" ? runsOn : tf.getBackend(),
        predicted: result.target,
        sigma: result.sigma,
        normals: result.normals,
        smoothGrad: Array.from(result.smoothGrad),
        topPairs: result.topPairs(10).map(({ i, j, value }) => ({ i, j, value })),
        pixel,
        pixelRow: Array.from(result.interactionsWith(pixel)),
      };
    } catch (error) {
      status.textContent = `failed: ${String(error)}`;
      page.__smoothhess = { state: "failed", error: String((error as Error)?.stack ?? error) };
    }
  };
  $("explain").addEventListener("click", () => void explain());
  if (query.get("autorun") === "1") await explain();
}

main().catch((error) => {
  status.textContent = `failed: ${String(error)}`;
  page.__smoothhess = { state: "failed", error: String((error as Error)?.stack ?? error) };
});
