import type { InferenceSession, Tensor } from "onnxruntime-common";
import { InvalidArgumentError, SmoothHessError } from "@smoothhess/errors";

/**
 * The part of an ONNX Runtime module this package uses: `onnxruntime-node` in Node (the default), or
 * `onnxruntime-web` in a browser (import it yourself and pass it, so that your bundler sees the import).
 */
export interface OrtModule {
  readonly InferenceSession: typeof InferenceSession;
  readonly Tensor: typeof Tensor;
}

/** No ONNX Runtime module could be loaded: `onnxruntime-node` (an optional peer dependency) is not installed. */
export class OnnxRuntimeUnavailableError extends SmoothHessError {
  constructor(cause?: unknown) {
    super(
      "onnx-runtime-unavailable",
      "ONNX Runtime is not available: install `onnxruntime-node` (Node) or pass the `onnxruntime-web` module as " +
        "`runtime` (browsers); both are optional peer dependencies of @smoothhess/onnx",
      { cause },
    );
  }
}

/**
 * @internal The given module, checked, or `onnxruntime-node` imported on first use (a dynamic import, so the
 * package loads without it, e.g. in a browser that passes `onnxruntime-web`).
 */
export async function resolveOrtModule(runtime: OrtModule | undefined, argument = "options.runtime"): Promise<OrtModule> {
  if (runtime !== undefined) {
    if (typeof runtime?.InferenceSession?.create !== "function" || typeof runtime?.Tensor !== "function") {
      throw new InvalidArgumentError(argument, "an ONNX Runtime module (onnxruntime-node or onnxruntime-web) with InferenceSession and Tensor", runtime);
    }
    return runtime;
  }
  try {
    const loaded = (await import("onnxruntime-node")) as unknown as OrtModule & { default?: OrtModule };
    return typeof loaded.InferenceSession?.create === "function" ? loaded : (loaded.default as OrtModule);
  } catch (error) {
    throw new OnnxRuntimeUnavailableError(error);
  }
}
