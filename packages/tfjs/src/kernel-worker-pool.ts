import { SmoothHessError } from "@smoothhess/errors";

/** @internal Host copy of one kernel parameter, sent to each worker once. */
export interface HostTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** A worker thread of the fast gradient path failed (could not start its backend, or crashed). */
export class WorkerFailedError extends SmoothHessError {
  constructor(detail: string, cause?: unknown) {
    super("worker-failed", `a gradient worker thread failed: ${detail}`, { cause });
  }
}

// Plain CommonJS run by `new Worker(source, { eval: true })`. Module paths come resolved from the main thread, so
// the worker uses the same tfjs-core and backend installation as its parent.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const tf = require(workerData.corePath);
require(workerData.backendPath);
const kernel = new Function("return (" + workerData.kernelSource + ")")();
(async () => {
  if (!(await tf.setBackend(workerData.backend))) throw new Error("backend " + workerData.backend + " did not initialise");
  await tf.ready();
  const params = {};
  for (const [name, t] of Object.entries(workerData.params)) params[name] = tf.tensor(t.data, t.shape, "float32");
  parentPort.on("message", (msg) => {
    try {
      const x = tf.tensor2d(msg.points, [msg.n, msg.dim]);
      const out = tf.tidy(() => kernel(tf, workerData.spec, params, workerData.activation, workerData.target, x));
      x.dispose();
      const values = new Float32Array(out[0].dataSync());
      const gradients = new Float32Array(out[1].dataSync());
      out[0].dispose();
      out[1].dispose();
      parentPort.postMessage({ id: msg.id, values, gradients }, [values.buffer, gradients.buffer]);
    } catch (error) {
      parentPort.postMessage({ id: msg.id, error: String((error && error.stack) || error) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((error) => parentPort.postMessage({ initError: String((error && error.stack) || error) }));
`;

interface Pending {
  resolve(result: { values: Float32Array; gradients: Float32Array }): void;
  reject(error: unknown): void;
}

interface WorkerLike {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: string, listener: (value: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

/**
 * @internal A fixed set of worker threads, each with its own tfjs backend and its own copy of the parameters,
 * running one self-contained gradient kernel (`fastMlpKernel` or `convnetKernel`, rebuilt from its source text)
 * on the rows of a batch. Node only.
 */
export class KernelWorkerPool {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private active = 0;
  private failure: unknown;

  private constructor(private readonly workers: WorkerLike[]) {
    for (const worker of workers) {
      worker.on("message", (msg: { id: number; error?: string; values: Float32Array; gradients: Float32Array }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        this.release();
        if (msg.error) p.reject(new WorkerFailedError(msg.error));
        else p.resolve(msg);
      });
      worker.on("error", (error: unknown) => this.fail(error));
      worker.unref();
    }
  }

  /** Start `count` workers on `backend` and wait until each has its parameters loaded. */
  static async create(
    count: number,
    kernel: (...args: never[]) => unknown,
    spec: unknown,
    params: Readonly<Record<string, HostTensor>>,
    activation: { name: string; beta?: number },
    target: unknown,
    backend: "wasm" | "cpu",
  ): Promise<KernelWorkerPool> {
    const { Worker } = await import("node:worker_threads");
    const { createRequire } = await import("node:module");
    const require = createRequire(import.meta.url);
    const workerData = {
      corePath: require.resolve("@tensorflow/tfjs-core"),
      backendPath: require.resolve(backend === "wasm" ? "@tensorflow/tfjs-backend-wasm" : "@tensorflow/tfjs-backend-cpu"),
      backend,
      kernelSource: kernel.toString(),
      spec,
      params,
      activation: { name: activation.name, beta: activation.beta },
      target,
    };
    const workers: WorkerLike[] = [];
    try {
      await Promise.all(
        Array.from({ length: count }, () => {
          const worker = new Worker(WORKER_SOURCE, { eval: true, workerData }) as unknown as WorkerLike;
          workers.push(worker);
          return new Promise<void>((resolve, reject) => {
            const onMessage = (msg: { ready?: boolean; initError?: string }) => {
              if (msg.ready) resolve();
              else if (msg.initError) reject(new WorkerFailedError(msg.initError));
            };
            worker.on("message", onMessage);
            worker.on("error", (error: unknown) => reject(new WorkerFailedError(String(error), error)));
          });
        }),
      );
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new KernelWorkerPool(workers);
  }

  /** Number of worker threads. */
  get size(): number {
    return this.workers.length;
  }

  /** Values and gradients for `n` rows of `points` (n × dim), split across the workers. */
  async evaluate(points: Float32Array, n: number, dim: number): Promise<{ values: Float32Array; gradients: Float32Array }> {
    if (this.failure) throw new WorkerFailedError("the pool has already failed", this.failure);
    const parts = Math.min(this.workers.length, n);
    const chunk = Math.ceil(n / parts);
    const jobs: Promise<{ values: Float32Array; gradients: Float32Array }>[] = [];
    for (let w = 0, start = 0; start < n; w++, start += chunk) {
      const rows = Math.min(chunk, n - start);
      const slice = points.slice(start * dim, (start + rows) * dim);
      const id = this.nextId++;
      this.acquire();
      jobs.push(new Promise((resolve, reject) => this.pending.set(id, { resolve, reject })));
      this.workers[w].postMessage({ id, points: slice, n: rows, dim }, [slice.buffer]);
    }
    const results = await Promise.all(jobs);
    const values = new Float32Array(n);
    const gradients = new Float32Array(n * dim);
    let offset = 0;
    for (const r of results) {
      values.set(r.values, offset);
      gradients.set(r.gradients, offset * dim);
      offset += r.values.length;
    }
    return { values, gradients };
  }

  /** Terminate every worker. */
  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.fail(new Error("the pool was disposed"));
  }

  // Workers are unref'ed while idle (a forgotten pool does not keep the process alive) and ref'ed while a
  // request is in flight (so the process waits for the answer).
  private acquire(): void {
    if (this.active++ === 0) for (const w of this.workers) w.ref();
  }

  private release(): void {
    if (--this.active === 0) for (const w of this.workers) w.unref();
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      this.release();
      p.reject(new WorkerFailedError(String(error), error));
    }
  }
}
