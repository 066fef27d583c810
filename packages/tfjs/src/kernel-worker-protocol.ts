import { SmoothHessError } from "@smoothhess/errors";
import type { ActivationSpec } from "./activation-ops.js";
import type { KernelTarget } from "./kernel-target.js";

/** @internal Host copy of one kernel parameter, sent to each worker once. */
export interface HostTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** @internal The gradient kernels a worker can run: `fastMlpKernel` and `convnetKernel`. */
export type KernelName = "mlp" | "convnet";

/** @internal What a kernel worker starts from (`workerData`): its kernel, backend and a copy of the weights. */
export interface KernelWorkerData {
  readonly kernel: KernelName;
  readonly backend: "wasm" | "cpu";
  readonly spec: unknown;
  readonly params: Readonly<Record<string, HostTensor>>;
  readonly activation: ActivationSpec;
  readonly target: KernelTarget;
}

/** @internal An error thrown in a worker, as it crosses to the calling thread (structured clone keeps no class). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  /** The `code` of a `SmoothHessError`. */
  readonly code?: string;
  readonly stack?: string;
}

/** @internal Messages from a kernel worker to the calling thread. */
export type KernelWorkerMessage =
  | { readonly ready: true }
  | { readonly initError: SerializedError }
  | { readonly id: number; readonly error: SerializedError }
  | { readonly id: number; readonly values: Float32Array; readonly gradients: Float32Array };

/** @internal A request to a kernel worker: `n` rows of `dim` coordinates. */
export interface KernelRequest {
  readonly id: number;
  readonly points: Float32Array;
  readonly n: number;
  readonly dim: number;
}

/** @internal Name, message, stack and (for a `SmoothHessError`) code of anything thrown. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = error instanceof SmoothHessError ? error.code : undefined;
    return { name: error.name, message: error.message, stack: error.stack, ...(code === undefined ? {} : { code }) };
  }
  return { name: "Error", message: String(error) };
}

/**
 * @internal The worker's error rebuilt in the calling thread: a `SmoothHessError` with the worker's `code` and `name`
 * when it was one (so `cause.code` tells an `InvalidArgumentError` from a `BackendUnavailableError`), else an `Error`
 * with its name. The stack is the worker's.
 */
export function deserializeError(serialized: SerializedError): Error {
  const error =
    serialized.code === undefined ? new Error(serialized.message) : new SmoothHessError(serialized.code, serialized.message);
  error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}
