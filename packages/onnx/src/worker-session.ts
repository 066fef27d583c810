import { InvalidArgumentError, SmoothHessError, described } from "@smoothhess/errors";
import { defaultRuntime, sessionOptions, type OnnxRuntime, type SessionSettings } from "./runtime.js";

/** A tensor as it crosses to and from the worker thread: element type, data (transferred, not copied) and shape. */
export interface WorkerTensor {
  readonly type: "float32" | "float64";
  readonly data: Float32Array | Float64Array;
  readonly dims: readonly number[];
}

/**
 * An ONNX Runtime session that lives on a worker thread of its own. `onnxruntime-node`'s `session.run` computes on
 * the calling thread and blocks it for the whole run (its binding is synchronous; the JavaScript wrapper only
 * defers the call with `setImmediate`), so on the main thread nothing else progresses while a batch runs. On a
 * worker the run leaves the caller's thread free: a caller that prepares its next batch while the last one runs
 * (the Stein estimators do) keeps two cores busy. One dedicated thread per session, answering runs in order: a
 * worker-pool library (piscina, tinypool) adds nothing for a single long-lived thread and would need a worker
 * module file of its own in every build.
 */
export interface WorkerSession {
  /**
   * Run the session on `feeds` and return the outputs named in `fetches`: `null` lets ONNX Runtime allocate the
   * output, a tensor is written in place (a buffer of the right size, e.g. one returned by an earlier run). Every
   * buffer is **transferred** (detached here until it comes back): the answer returns the outputs and, in
   * `inputs`, the feeds' own buffers, for the caller to reuse instead of allocating new ones.
   */
  run(feeds: Readonly<Record<string, WorkerTensor>>, fetches: Readonly<Record<string, WorkerTensor | null>>): Promise<WorkerRun>;
  /** Release the session and end the thread (idempotent). Pending runs reject. */
  release(): Promise<void>;
}

/** What a {@link WorkerSession} run returns: the fetched outputs, and the feeds' buffers handed back. */
export interface WorkerRun {
  readonly outputs: Record<string, WorkerTensor>;
  readonly inputs: Record<string, WorkerTensor>;
}

/** The worker thread of a {@link WorkerSession} failed: its session could not be created, a run threw, or it exited. */
export class WorkerSessionError extends SmoothHessError {
  constructor(detail: string, cause?: unknown) {
    super("onnx-worker-session", `ONNX Runtime worker thread: ${detail}`, cause === undefined ? undefined : { cause });
  }
}

let liveWorkers = 0;

/** Worker threads with a session that {@link createWorkerSession} started and that have not yet ended (for leak tests). */
export function liveWorkerSessionCount(): number {
  return liveWorkers;
}

interface Pending {
  resolve(run: WorkerRun): void;
  reject(error: unknown): void;
}

type WorkerMessage =
  | { readonly ready: true }
  | { readonly failed: string }
  | { readonly id: number; readonly outputs: Record<string, WorkerTensor>; readonly inputs: Record<string, WorkerTensor> }
  | { readonly id: number; readonly error: string };

/**
 * Start a worker thread holding an `onnxruntime-node` session of `bytes` with the package's session options
 * (full graph optimisation, sequential execution, `settings.threads` intra-op threads, spinning as
 * `settings.spinning`). Node only. The thread does not keep the process alive while no run is pending.
 *
 * @throws {@link WorkerSessionError} when the thread or its session cannot start.
 */
export async function createWorkerSession(bytes: Uint8Array, settings: SessionSettings & { threads: number }): Promise<WorkerSession> {
  const { Worker } = await import("node:worker_threads");
  const { createRequire } = await import("node:module");
  // The worker runs plain CommonJS and needs the binding's path: resolved from this package, as its own import is.
  const base = typeof __filename === "string" ? __filename : import.meta.url;
  const ortPath = createRequire(base).resolve("onnxruntime-node");
  const options = sessionOptions(settings, settings.threads);
  // The worker's code is this file's `serveSession`, sent as source (`eval`): a worker needs a module of its own,
  // and an evaluated function needs no second build entry and no loader when the package runs from source.
  // `__name`: the helper esbuild (tsx, vitest) calls around named functions when it keeps names; defined here so
  // that the function's source runs on its own.
  const source = `var __name = (target) => target;\n(${serveSession.toString()})(require(${JSON.stringify(ortPath)}), require("node:worker_threads"));`;
  const model = bytes.slice();
  const worker = new Worker(source, { eval: true, workerData: { model, options }, transferList: [model.buffer], execArgv: [] });
  liveWorkers++;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let ended = false;
  let failure: unknown;
  const end = (error: unknown) => {
    if (ended) return;
    ended = true;
    failure = error;
    liveWorkers--;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      if ("ready" in message) resolve();
      else if ("failed" in message) reject(new WorkerSessionError(`could not create the session: ${message.failed}`));
      else {
        const p = pending.get(message.id);
        if (!p) return;
        pending.delete(message.id);
        if (pending.size === 0) worker.unref();
        if ("error" in message) p.reject(new WorkerSessionError(`run failed: ${message.error}`));
        else p.resolve({ outputs: message.outputs, inputs: message.inputs });
      }
    });
    worker.on("error", (error: unknown) => {
      const wrapped = new WorkerSessionError(String(error), error);
      end(wrapped);
      reject(wrapped);
    });
    worker.on("exit", (code: number) => {
      const error = new WorkerSessionError(`the thread exited (code ${code})`);
      end(error);
      reject(error);
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.unref();

  return {
    run(feeds, fetches) {
      if (ended) return Promise.reject(failure ?? new WorkerSessionError("the session was released"));
      const id = nextId++;
      const transfer: ArrayBuffer[] = [];
      for (const t of [...Object.values(feeds), ...Object.values(fetches)]) {
        if (t && !transfer.includes(t.data.buffer as ArrayBuffer)) transfer.push(t.data.buffer as ArrayBuffer);
      }
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, feeds, fetches }, transfer);
      });
    },
    async release() {
      if (ended) return;
      end(new WorkerSessionError("the session was released"));
      await worker.terminate();
    },
  };
}

/**
 * The worker thread's program (runs there, as source: it may use nothing but its arguments). Creates the session,
 * says `ready`, then answers each `{ id, feeds, fetches }` with the fetched outputs and the feeds' buffers,
 * transferring them back.
 */
function serveSession(
  ort: {
    InferenceSession: { create(model: Uint8Array, options: unknown): Promise<{ run(feeds: unknown, fetches: unknown): Promise<Record<string, { type: string; data: Float32Array | Float64Array; dims: readonly number[] }>> }> };
    Tensor: new (type: string, data: unknown, dims: readonly number[]) => unknown;
  },
  threads: { parentPort: { on(event: "message", listener: (message: never) => void): void; postMessage(message: unknown, transfer?: ArrayBuffer[]): void } | null; workerData: { model: Uint8Array; options: unknown } },
): void {
  const port = threads.parentPort;
  if (!port) return;
  ort.InferenceSession.create(threads.workerData.model, threads.workerData.options).then(
    (session) => {
      type Carried = { type: string; data: Float32Array | Float64Array; dims: readonly number[] };
      port.on("message", (message: { id: number; feeds: Record<string, Carried>; fetches: Record<string, Carried | null> }) => {
        const feeds: Record<string, unknown> = {};
        for (const name of Object.keys(message.feeds)) {
          const t = message.feeds[name];
          feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
        }
        const fetches: Record<string, unknown> = {};
        for (const name of Object.keys(message.fetches)) {
          const t = message.fetches[name];
          fetches[name] = t ? new ort.Tensor(t.type, t.data, t.dims) : null;
        }
        const transfer: ArrayBuffer[] = [];
        // A buffer goes back whole and once: a view of part of one, or one already listed, is copied.
        const carried = (t: Carried): Carried => {
          const whole = t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength && !transfer.includes(t.data.buffer as ArrayBuffer);
          const data = whole ? t.data : t.data.slice();
          transfer.push(data.buffer as ArrayBuffer);
          return { type: t.type, data, dims: [...t.dims] };
        };
        session.run(feeds, fetches).then(
          (results) => {
            const outputs: Record<string, Carried> = {};
            for (const name of Object.keys(message.fetches)) outputs[name] = carried(results[name]);
            const inputs: Record<string, Carried> = {};
            for (const name of Object.keys(message.feeds)) inputs[name] = carried(message.feeds[name]);
            port.postMessage({ id: message.id, outputs, inputs }, transfer);
          },
          (error: unknown) => port.postMessage({ id: message.id, error: String(error) }),
        );
      });
      port.postMessage({ ready: true });
    },
    (error: unknown) => port.postMessage({ failed: String(error) }),
  );
}

/**
 * A worker thread loads `onnxruntime-node` itself, so it can only stand in for that runtime.
 * @throws {@link InvalidArgumentError} naming `options.workerThread` for any other runtime.
 */
export async function checkWorkerRuntime(runtime: OnnxRuntime): Promise<void> {
  if (runtime !== (await defaultRuntime())) {
    throw new InvalidArgumentError("options.workerThread", "true only with the default runtime, onnxruntime-node (a worker thread loads it itself)", described("true with another runtime"));
  }
}
