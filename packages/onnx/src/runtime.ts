import type { InferenceSession, Tensor } from "onnxruntime-common";

/**
 * The part of an ONNX Runtime binding the package uses: `onnxruntime-node`, `onnxruntime-web` and
 * `onnxruntime-react-native` all have this shape, so pass the one you imported (`import * as ort from
 * "onnxruntime-web"`). Default: `onnxruntime-node`, imported on first use.
 */
export interface OnnxRuntime {
  readonly InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  readonly Tensor: new (type: "float32" | "float64" | "int64" | "bool", data: Float32Array | Float64Array | BigInt64Array | Uint8Array, dims: readonly number[]) => Tensor;
}

/** Options for the sessions the package creates. */
export interface SessionSettings {
  /** ONNX Runtime intra-op threads (default: the machine's logical cores). */
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

let nodeRuntime: Promise<OnnxRuntime> | undefined;

/** `onnxruntime-node`, imported once. */
export function defaultRuntime(): Promise<OnnxRuntime> {
  nodeRuntime ??= import("onnxruntime-node").then((m) => ((m as { default?: OnnxRuntime }).default ?? m) as OnnxRuntime);
  return nodeRuntime;
}

/** The machine's logical cores: `navigator.hardwareConcurrency` in browsers, `os.availableParallelism()` in Node. */
export async function machineCores(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  try {
    const os = await import("node:os");
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}

let liveSessions = 0;

/**
 * Number of ONNX Runtime sessions the package has created and not yet released (all models and oracles
 * together). For leak tests and diagnostics.
 */
export function liveSessionCount(): number {
  return liveSessions;
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
  const options: InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    intraOpNumThreads: settings.threads ?? (await machineCores()),
    interOpNumThreads: 1,
    // Session config entry "session.intra_op.allow_spinning" (ONNX Runtime's session options config keys).
    extra: { session: { intra_op: { allow_spinning: settings.spinning ? "1" : "0" } } },
  };
  if (settings.executionProviders) options.executionProviders = settings.executionProviders;
  const session = await runtime.InferenceSession.create(bytes, options);
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
