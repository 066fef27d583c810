import type { InferenceSession, Tensor } from "onnxruntime-common";
import { machineCores } from "./machine-cores.js";
import { copyingPreallocatedOutputs, fillsPreallocatedOutputs } from "./preallocated-outputs.js";

/**
 * The part of an ONNX Runtime binding the package uses: `onnxruntime-node`, `onnxruntime-web` (and its
 * `/wasm`, `/webgpu` subpaths) and `onnxruntime-react-native` all have this shape, so pass the one you imported
 * (`import * as ort from "onnxruntime-web/webgpu"`). Default ({@link defaultRuntime}): `onnxruntime-node` in Node,
 * `onnxruntime-web` in the browser build, imported on first use.
 */
export interface OnnxRuntime {
  readonly InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  readonly Tensor: new (type: "float32" | "float64" | "int64" | "bool", data: Float32Array | Float64Array | BigInt64Array | Uint8Array, dims: readonly number[]) => Tensor;
}

/** Options for the sessions the package creates. */
export interface SessionSettings {
  /**
   * ONNX Runtime intra-op threads (default: the machine's logical cores). `onnxruntime-web` takes its WebAssembly
   * thread count from `ort.env.wasm.numThreads` instead (threads need a cross-origin-isolated page).
   */
  readonly threads?: number;
  /** Execution providers, as ONNX Runtime names them (default: ONNX Runtime's default, the CPU). */
  readonly executionProviders?: InferenceSession.SessionOptions["executionProviders"];
  /**
   * Let ONNX Runtime's intra-op threads spin while they wait for work (`session.intra_op.allow_spinning`).
   * Default `false`: the package's callers alternate runs with their own JavaScript (sampling the next batch,
   * accumulating the last one), and spinning threads burn a core each through those gaps, competing with that
   * JavaScript and with other processes. `true` restores ONNX Runtime's own default, which can lower the latency
   * of back-to-back runs on an otherwise idle machine.
   */
  readonly spinning?: boolean;
}

// Which binding is the default, and how many cores there are, depends on the platform: the Node entry reads them
// from these modules, the browser build from their `.browser.ts` siblings (tsup.config.ts, "browser variants").
export { defaultRuntime } from "./default-runtime.js";
export { machineCores };

let liveSessions = 0;

/**
 * Number of ONNX Runtime sessions the package has created and not yet released (all models and oracles
 * together). For leak tests and diagnostics.
 */
export function liveSessionCount(): number {
  return liveSessions;
}

/**
 * The package's session options, for sessions on the calling thread and on worker threads alike: full graph
 * optimisation (ORT_ENABLE_ALL), sequential execution, `threads` intra-op threads, one inter-op thread, intra-op
 * spinning off unless `settings.spinning`, and `settings.executionProviders` when given. Plain data (a worker
 * receives it as `workerData`).
 */
export function sessionOptions(settings: SessionSettings, threads: number): InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    // Session config entry "session.intra_op.allow_spinning" (ONNX Runtime's session options config keys).
    extra: { session: { intra_op: { allow_spinning: settings.spinning ? "1" : "0" } } },
    ...(settings.executionProviders ? { executionProviders: settings.executionProviders } : {}),
  };
}

/** A session the package owns: `release()` is idempotent and keeps {@link liveSessionCount} right. */
export interface OwnedSession {
  readonly session: InferenceSession;
  release(): Promise<void>;
}

/**
 * Create a session for `bytes` with full graph optimisation (ORT_ENABLE_ALL), sequential execution, `threads`
 * intra-op threads, and intra-op spinning off unless `spinning` is set (see {@link SessionSettings.spinning}).
 */
export async function createSession(runtime: OnnxRuntime, bytes: Uint8Array, settings: SessionSettings = {}): Promise<OwnedSession> {
  const options = sessionOptions(settings, settings.threads ?? (await machineCores()));
  const created = await runtime.InferenceSession.create(bytes, options);
  // Pre-allocated outputs (`run(feeds, { name: tensor })`) mean the same thing on every binding.
  const session = (await fillsPreallocatedOutputs(runtime)) ? created : copyingPreallocatedOutputs(created);
  liveSessions++;
  let released = false;
  return {
    session,
    async release() {
      if (released) return;
      released = true;
      liveSessions--;
      await session.release();
    },
  };
}
