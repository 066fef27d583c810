// The entry module of a gradient worker thread (Node only), started by `KernelWorkerPool`: it loads its own tfjs
// backend and copy of the weights, then answers row batches with the same kernels the calling thread runs.
import { parentPort, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { BackendUnavailableError } from "./backend-errors.js";
import { convnetKernel } from "./fast-convnet-kernel.js";
import type { ConvnetSpec } from "./fast-convnet-kernel.js";
import { fastMlpKernel } from "./fast-mlp-kernel.js";
import type { KernelRequest, KernelWorkerData, KernelWorkerMessage } from "./kernel-worker-protocol.js";
import { serializeError } from "./kernel-worker-protocol.js";

const BACKEND_PACKAGES = { wasm: "@tensorflow/tfjs-backend-wasm", cpu: "@tensorflow/tfjs-backend-cpu" } as const;

async function start(port: NonNullable<typeof parentPort>, data: KernelWorkerData): Promise<void> {
  const post = (message: KernelWorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  // Literal specifiers, so bundlers and the pack check see both backends (peer dependencies).
  if (data.backend === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  else if (data.backend === "cpu") await import("@tensorflow/tfjs-backend-cpu");
  else throw new InvalidArgumentError("workerData.backend", '"wasm" or "cpu"', data.backend);
  if (!(await tf.setBackend(data.backend))) {
    throw new BackendUnavailableError(data.backend, [BACKEND_PACKAGES[data.backend]], "it failed to initialise in a worker thread");
  }
  await tf.ready();
  const run = kernelRunner(data);
  const params: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(data.params)) params[name] = tf.tensor(t.data, [...t.shape], "float32");
  port.on("message", (request: KernelRequest) => {
    try {
      const [values, gradients] = tf.tidy(() => run(params, tf.tensor2d(request.points, [request.n, request.dim])));
      const v = new Float32Array(values.dataSync());
      const g = new Float32Array(gradients.dataSync());
      values.dispose();
      gradients.dispose();
      post({ id: request.id, values: v, gradients: g }, [v.buffer, g.buffer]);
    } catch (error) {
      post({ id: request.id, error: serializeError(error) });
    }
  });
  post({ ready: true });
}

/** The kernel named in `data`, bound to its spec, activation and target. */
function kernelRunner(data: KernelWorkerData): (params: Record<string, tf.Tensor>, x: tf.Tensor2D) => [tf.Tensor1D, tf.Tensor2D] {
  const { spec, activation, target } = data;
  if (data.kernel === "mlp") return (params, x) => fastMlpKernel(spec as { layers: number }, params, activation, target, x);
  if (data.kernel === "convnet") return (params, x) => convnetKernel(spec as ConvnetSpec, params, activation, target, x);
  throw new InvalidArgumentError("workerData.kernel", '"mlp" or "convnet"', data.kernel);
}

if (parentPort) {
  const port = parentPort;
  start(port, workerData as KernelWorkerData).catch((error: unknown) => port.postMessage({ initError: serializeError(error) }));
}
