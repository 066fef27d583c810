import { DisposedError, SmoothHessError } from "@smoothhess/errors";
import type { ActivationSpec } from "./activation-ops.js";
import type { KernelTarget } from "./kernel-target.js";
import type { HostTensor, KernelName, KernelRequest, KernelWorkerData, KernelWorkerMessage } from "./kernel-worker-protocol.js";
import { deserializeError } from "./kernel-worker-protocol.js";

/**
 * A worker thread of the fast gradient path failed: it could not start its backend, a kernel threw, or the thread
 * crashed. `cause` is the worker's error rebuilt in this thread, with its `name` and, for a `SmoothHessError`, its
 * `code` (e.g. `"invalid-argument"`, `"backend-unavailable"`).
 */
export class WorkerFailedError extends SmoothHessError {
  constructor(detail: string, cause?: unknown) {
    super("worker-failed", `a gradient worker thread failed: ${detail}`, { cause });
  }
}

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
 * The worker entry module beside this one: `kernel-worker.js` / `kernel-worker.cjs` in the built package (tsup emits
 * it as a second entry in both formats), `kernel-worker.ts` when this module itself runs from source (vitest, tsx).
 * Source workers load through tsx's `tsImport`, since a worker thread does not inherit its parent's loader; tsx is a
 * devDependency, and that branch is never taken from the built package.
 */
async function workerEntry(): Promise<{ entry: string | URL; eval: boolean }> {
  const here = import.meta.url;
  const extension = /\.(c?js|mjs|ts)$/.exec(new URL(here).pathname)?.[1] ?? "js";
  const entry = new URL(`./kernel-worker.${extension}`, here);
  if (extension !== "ts") return { entry, eval: false };
  const { createRequire } = await import("node:module");
  const require = createRequire(here);
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const { pathToFileURL } = require("node:url") as typeof import("node:url");
  // The ESM build of tsx's API (its `import` condition): `require.resolve` would give the CommonJS one.
  const manifest = require.resolve("tsx/package.json");
  const exportsMap = (JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsx = new URL(exportsMap["./esm/api"].import.default, pathToFileURL(manifest)).href;
  const source = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(here)}))`;
  return { entry: source, eval: true };
}

/**
 * The parent's Node options minus `--input-type`, which a worker inherits by default and which makes Node refuse any
 * entry file (`node --input-type=module -e "…"` would otherwise fail to start the workers).
 */
function workerExecArgv(): string[] {
  const argv = (globalThis as { process?: { execArgv?: string[] } }).process?.execArgv ?? [];
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--input-type") i++;
    else if (!argv[i].startsWith("--input-type=")) kept.push(argv[i]);
  }
  return kept;
}

/**
 * @internal A fixed set of worker threads, each with its own tfjs backend and its own copy of the parameters,
 * running one gradient kernel (`fastMlpKernel` or `convnetKernel`, imported by the worker module `kernel-worker.ts`)
 * on the rows of a batch. Node only.
 */
export class KernelWorkerPool {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private active = 0;
  private failure: unknown;

  private constructor(private readonly workers: WorkerLike[]) {
    for (const worker of workers) {
      worker.on("message", (msg: KernelWorkerMessage) => {
        if (!("id" in msg)) return;
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        this.release();
        if ("error" in msg) {
          const cause = deserializeError(msg.error);
          p.reject(new WorkerFailedError(`${cause.name}: ${cause.message}`, cause));
        } else p.resolve(msg);
      });
      worker.on("error", (error: unknown) => this.fail(error));
      worker.unref();
    }
  }

  /** Start `count` workers on `backend` and wait until each has its parameters loaded. */
  static async create(
    count: number,
    kernel: KernelName,
    spec: unknown,
    params: Readonly<Record<string, HostTensor>>,
    activation: ActivationSpec,
    target: KernelTarget,
    backend: "wasm" | "cpu",
  ): Promise<KernelWorkerPool> {
    const { Worker } = await import("node:worker_threads");
    const { entry, eval: evaluate } = await workerEntry();
    const workerData: KernelWorkerData = {
      kernel,
      backend,
      spec,
      params,
      activation: activation.beta === undefined ? { name: activation.name } : { name: activation.name, beta: activation.beta },
      target,
    };
    const workers: WorkerLike[] = [];
    try {
      await Promise.all(
        Array.from({ length: count }, () => {
          const worker = new Worker(entry, { eval: evaluate, workerData, execArgv: workerExecArgv() }) as unknown as WorkerLike;
          workers.push(worker);
          return new Promise<void>((resolve, reject) => {
            worker.on("message", (msg: KernelWorkerMessage) => {
              if ("ready" in msg) resolve();
              else if ("initError" in msg) {
                const cause = deserializeError(msg.initError);
                reject(new WorkerFailedError(`${cause.name}: ${cause.message}`, cause));
              }
            });
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
      const request: KernelRequest = { id, points: slice, n: rows, dim };
      this.workers[w].postMessage(request, [slice.buffer]);
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
    this.fail(new DisposedError("this worker pool", "create a new one"));
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
