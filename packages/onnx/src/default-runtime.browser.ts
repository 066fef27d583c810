// The browser build's replacement for `default-runtime.ts` (see tsup.config.ts, "browser variants").
import type { defaultRuntime as nodeDefaultRuntime } from "./default-runtime.js";
import type { OnnxRuntime } from "./runtime.js";

let webRuntime: Promise<OnnxRuntime> | undefined;

/**
 * The ONNX Runtime binding used when none is passed (`options.runtime`): `onnxruntime-web` (its main entry: WebGPU
 * and WebAssembly), imported once on first use. It is the same module instance an app gets from `import * as ort
 * from "onnxruntime-web"`, so settings such as `ort.env.wasm.wasmPaths` made there apply here.
 */
export const defaultRuntime: typeof nodeDefaultRuntime = () => {
  webRuntime ??= import("onnxruntime-web").then((m) => ((m as { default?: OnnxRuntime }).default ?? m) as OnnxRuntime);
  return webRuntime;
};
