import type { OnnxRuntime } from "./runtime.js";

let nodeRuntime: Promise<OnnxRuntime> | undefined;

/**
 * The ONNX Runtime binding used when none is passed (`options.runtime`): `onnxruntime-node`, imported once on first
 * use. This is the Node entry's; the browser entry (`exports["."].browser`) has `onnxruntime-web` instead
 * (`default-runtime.browser.ts`).
 */
export function defaultRuntime(): Promise<OnnxRuntime> {
  nodeRuntime ??= import("onnxruntime-node").then((m) => ((m as { default?: OnnxRuntime }).default ?? m) as OnnxRuntime);
  return nodeRuntime;
}
