import { DisposedError, checkInteger } from "@smoothhess/errors";
import type { Tensor } from "onnxruntime-common";
import type { GradientBatch, GradientOracle, PointBatch } from "@smoothhess/oracle";
import { buildGradientGraph } from "./gradient-graph.js";
import { encodeModel } from "./ir/proto-codec.js";
import { OnnxModelError } from "./onnx-model-error.js";
import { checkBatch, type OnnxModel } from "./onnx-model.js";
import { createSession, machineCores, type SessionSettings } from "./runtime.js";
import { checkWorkerRuntime, createWorkerSession, type WorkerSession, type WorkerTensor } from "./worker-session.js";
import { resolveOnnxTarget, type OnnxTarget, type ResolvedOnnxTarget } from "./target.js";

/** Options of {@link onnxOracle}. */
export interface OnnxOracleOptions extends SessionSettings {
  /** The scalar explained (default `{ output: 0 }`). */
  readonly target?: OnnxTarget;
  /** Rows per ONNX Runtime run (default 1024, or the model's fixed batch); larger requests are split. */
  readonly batchSize?: number;
  /**
   * Run the session on a worker thread of its own (Node with the default `onnxruntime-node` runtime only; default
   * `false`). `onnxruntime-node` computes a run on the calling thread and blocks it until the run ends; on a worker
   * `evaluate` leaves the caller's thread free while the batch runs, so a caller that prepares its next batch in
   * the meantime — the Stein estimators of `@smoothhess/stein` do — keeps two cores busy. The numbers are the
   * same as on the calling thread (the same session options).
   */
  readonly workerThread?: boolean;
}

/** A {@link GradientOracle} running on ONNX Runtime. Call {@link OnnxOracle.dispose} to release its session. */
export interface OnnxOracle extends GradientOracle {
  /** The target as resolved ("predicted" replaced by the class). */
  readonly target: ResolvedOnnxTarget;
  /** Rows per run. */
  readonly maxBatchSize: number;
  /** Intra-op threads of the session. */
  readonly threads: number;
  /**
   * The model's precision, which every point is rounded to before it runs: the capability of `@smoothhess/stein`
   * (`SteinOracleCapabilities`) by which its estimators hand a float32 model float32 points directly (same numbers,
   * one conversion fewer).
   */
  readonly pointPrecision: "float32" | "float64";
  evaluate(points: PointBatch, n: number): Promise<GradientBatch>;
  /** Release the ONNX Runtime session (idempotent); later `evaluate` calls throw. */
  dispose(): Promise<void>;
}

/**
 * A gradient oracle for one scalar of an ONNX model: builds the target's gradient graph once (reverse mode, see
 * `buildGradientGraph`) and runs value and input gradient in one ONNX Runtime call per batch. Computes in the
 * model's precision (float32 for the usual export); values come back as `Float64Array`, gradients as
 * `Float32Array` (float32 models). Deterministic: the same points give the same numbers.
 *
 * @param model - from {@link loadOnnxModel}.
 * @param options - `target`, `threads` (default: the machine's cores), `batchSize`, `executionProviders`, `spinning`
 *   (default off; see {@link SessionSettings.spinning}).
 * @throws {@link InvalidArgumentError} for a target out of range (naming the field); {@link OnnxModelError} for an
 *   unknown tensor name; {@link UnsupportedOpError} for a node that cannot be differentiated.
 *
 * @example
 * ```ts
 * const model = await loadOnnxModel("mnist-mlp.onnx");
 * const oracle = await onnxOracle(model, { target: { softmax: "predicted", at: x0 } });
 * const { values, gradients } = await oracle.evaluate(points, n);
 * await oracle.dispose();
 * ```
 */
export async function onnxOracle(model: OnnxModel, options: OnnxOracleOptions = {}): Promise<OnnxOracle> {
  const target = await resolveOnnxTarget(model, options.target ?? { output: 0 }, "options.target");
  return gradientOracle(model, target, options);
}

/**
 * The oracle of a resolved target on `model` (whose graph may have extra scalar inputs, given in `feeds`).
 * @internal shared by {@link onnxOracle} and the surrogate models.
 */
export async function gradientOracle(
  model: OnnxModel,
  target: ResolvedOnnxTarget,
  options: Omit<OnnxOracleOptions, "target">,
  feeds: Record<string, number> = {},
): Promise<OnnxOracle> {
  const batchSize = model.fixedBatch ?? checkInteger("options.batchSize", options.batchSize ?? 1024, 1);
  const threads = checkInteger("options.threads", options.threads ?? (await machineCores()), 1);
  const gradient = await buildGradientGraph(model, target);
  const settings = { threads, executionProviders: options.executionProviders, spinning: options.spinning };
  const d = model.dim;
  const float64 = model.precision === "float64";
  const rowShape = model.inputShape.slice(1);
  const scalarFeed = (value: number) => (float64 ? Float64Array.of(value) : Float32Array.of(value));
  // Input buffers come back after each run and are reused (a fresh 3 MB array per batch costs its zeroing and GC).
  const spare: (Float32Array | Float64Array)[] = [];
  const takeBuffer = (length: number): Float32Array | Float64Array => {
    const i = spare.findIndex((b) => b.length === length);
    if (i >= 0) return spare.splice(i, 1)[0];
    return float64 ? new Float64Array(length) : new Float32Array(length);
  };
  const giveBack = (buffer: Float32Array | Float64Array) => {
    if (spare.length < 2) spare.push(buffer);
  };
  let run: (data: Float32Array | Float64Array, runRows: number) => Promise<{ values: Float32Array | Float64Array; gradients: Float32Array | Float64Array; release(): void }>;
  let release: () => Promise<void>;
  if (options.workerThread) {
    await checkWorkerRuntime(model.runtime);
    const session: WorkerSession = await createWorkerSession(encodeModel(gradient.graph), settings);
    run = async (data, runRows) => {
      const inputs: Record<string, WorkerTensor> = { [model.inputName]: { type: model.precision, data, dims: [runRows, ...rowShape] } };
      for (const [name, value] of Object.entries(feeds)) inputs[name] = { type: model.precision, data: scalarFeed(value), dims: [] };
      const { outputs, inputs: returned } = await session.run(inputs, { [gradient.value]: null, [gradient.gradient]: null });
      giveBack(returned[model.inputName].data);
      return { values: outputs[gradient.value].data, gradients: outputs[gradient.gradient].data, release() {} };
    };
    release = () => session.release();
  } else {
    const owned = await createSession(model.runtime, encodeModel(gradient.graph), settings);
    run = async (data, runRows) => {
      const feed = new model.runtime.Tensor(model.precision, data, [runRows, ...rowShape]);
      const inputs: Record<string, Tensor> = { [model.inputName]: feed };
      for (const [name, value] of Object.entries(feeds)) inputs[name] = new model.runtime.Tensor(model.precision, scalarFeed(value), []);
      const out = await owned.session.run(inputs);
      return {
        values: out[gradient.value].data as Float32Array | Float64Array,
        gradients: out[gradient.gradient].data as Float32Array | Float64Array,
        release() {
          for (const t of Object.values(out)) t.dispose();
          feed.dispose();
          giveBack(data);
        },
      };
    };
    release = () => owned.release();
  }
  let disposed = false;

  return {
    dim: d,
    target,
    maxBatchSize: batchSize,
    threads,
    pointPrecision: model.precision,
    async evaluate(points: PointBatch, n: number): Promise<GradientBatch> {
      if (disposed) throw new DisposedError("this ONNX oracle", "create a new one with onnxOracle()");
      const count = checkBatch(model, points, n);
      const values = new Float64Array(count);
      let gradients: Float32Array | Float64Array | undefined;
      for (let start = 0; start < count; start += batchSize) {
        const rows = Math.min(batchSize, count - start);
        const runRows = model.fixedBatch ?? rows;
        // The oracle's own buffer: the session must not see the caller's array change, and a worker takes it over.
        const data = takeBuffer(runRows * d);
        data.set(points.subarray(start * d, (start + rows) * d));
        if (runRows > rows) data.fill(0, rows * d); // a fixed batch's padding rows
        const out = await run(data, runRows);
        for (let i = 0; i < rows; i++) values[start + i] = out.values[i];
        if (rows === count && out.gradients.length === count * d && !options.workerThread) {
          gradients = out.gradients.slice();
        } else if (rows === count && out.gradients.length === count * d) {
          gradients = out.gradients; // one run, transferred from the worker: already the caller's own array
        } else {
          gradients ??= float64 ? new Float64Array(count * d) : new Float32Array(count * d);
          gradients.set(out.gradients.subarray(0, rows * d), start * d);
        }
        out.release();
      }
      return { values, gradients: gradients ?? (float64 ? new Float64Array(0) : new Float32Array(0)) };
    },
    async dispose() {
      disposed = true;
      await release();
    },
  };
}
