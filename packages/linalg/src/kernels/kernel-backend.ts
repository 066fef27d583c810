import { InvalidArgumentError } from "@smoothhess/errors";
import type { DenseKernels, KernelBackend } from "./dense-kernels.js";
import { jsKernels } from "./js-kernels.js";
import { createWasmKernels } from "./wasm-kernels.js";

let wasm: DenseKernels | null | undefined;
let chosen: KernelBackend | undefined;

function wasmKernels(): DenseKernels | null {
  if (wasm === undefined) wasm = createWasmKernels();
  return wasm;
}

/**
 * The kernels in use (internal): the backend set with {@link setKernelBackend}, else WebAssembly SIMD where the
 * runtime compiles it, else JavaScript.
 * @internal
 */
export function denseKernels(): DenseKernels {
  if (chosen === "js") return jsKernels;
  return wasmKernels() ?? jsKernels;
}

/**
 * Which implementation runs the heavy products of the dense eigensolver: `"wasm"` (a WebAssembly SIMD module
 * embedded in the package, no files to load) or `"js"` (plain JavaScript).
 *
 * @example
 * ```ts
 * import { kernelBackend } from "@smoothhess/linalg";
 * console.log(kernelBackend()); // "wasm" on Node ≥ 16 and current browsers
 * ```
 */
export function kernelBackend(): KernelBackend {
  return denseKernels().name;
}

/**
 * Choose the implementation of the dense kernels for this thread: `"wasm"` (the default where available) or `"js"`.
 * Results agree to rounding; `"js"` is for runtimes that forbid WebAssembly and for checking.
 *
 * @param backend - `"wasm"` or `"js"`.
 * @returns the backend now in use.
 * @throws {@link InvalidArgumentError} for another value, or `"wasm"` where the runtime cannot compile the module.
 *
 * @example
 * ```ts
 * import { setKernelBackend, symmetricEigen } from "@smoothhess/linalg";
 * setKernelBackend("js");
 * symmetricEigen([2, 1, 1, 2], 2);
 * setKernelBackend("wasm");
 * ```
 */
export function setKernelBackend(backend: KernelBackend): KernelBackend {
  if (backend !== "wasm" && backend !== "js") throw new InvalidArgumentError("backend", '"wasm" or "js"', backend);
  if (backend === "wasm" && !wasmKernels()) {
    throw new InvalidArgumentError("backend", '"js": this runtime cannot compile WebAssembly SIMD', backend);
  }
  chosen = backend;
  return kernelBackend();
}
