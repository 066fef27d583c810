import { DisposedError, InvalidArgumentError, checkFiniteArray, checkInteger, checkPositive } from "@smoothhess/errors";
import type { GradientBatch, GradientOracle, PointBatch } from "@smoothhess/oracle";
import type { Tensor } from "onnxruntime-common";
import { emittedOpset } from "../gradient-graph.js";
import type { IrGraph } from "../ir/graph.js";
import { encodeModel } from "../ir/proto-codec.js";
import { probeShapes } from "../ir/shape-probe.js";
import { OnnxModelError } from "../onnx-model-error.js";
import type { OnnxModel } from "../onnx-model.js";
import { gradientOracle, type OnnxOracle } from "../onnx-oracle.js";
import { createSession, machineCores, type OwnedSession } from "../runtime.js";
import { headDerivatives } from "./head-derivatives.js";
import { HVP_INPUTS, buildHvpGraph, type HvpGraph } from "./hvp-graph.js";
import { buildStructuredHessianGraph, type StructuredHessianGraph } from "./structured-hessian.js";
import { resolveSecondOrderTarget, type ResolvedSecondOrderTarget, type SecondOrderTarget } from "./second-order-target.js";
import { BETA_INPUT, surrogateGraph, type SmoothActivationName } from "./surrogate-graph.js";

/** A smooth activation: `{ name: "softplus" | "swish", beta }` or `{ name: "gelu" }` (`@smoothhess/surrogates`). */
export type OnnxSurrogateActivation = { readonly name: "softplus" | "swish"; readonly beta: number } | { readonly name: "gelu" };

/** The activation a model is evaluated with: a smooth one, or the network's own ReLU. */
export type OnnxModelActivation = OnnxSurrogateActivation | { readonly name: "relu" };

/** Values, gradients and exact Hessians at `n` points (the `HessianBatch` of `@smoothhess/surrogates`). */
export interface OnnxHessianBatch {
  readonly n: number;
  readonly d: number;
  readonly values: Float64Array;
  readonly gradients: Float64Array;
  /** `n` row-major `d×d` blocks, each exactly symmetric. */
  readonly hessians: Float64Array;
}

/** `H(x₀) v_r` for `k` directions, with value and gradient at `x₀`. */
export interface OnnxHessianVectorProducts {
  readonly value: number;
  readonly gradient: Float64Array;
  /** Row r is `H(x₀) v_r`, row-major `k×d`. */
  readonly products: Float64Array;
}

/** Logits at one point and their Jacobian (row i = `∇ logit_i`, row-major `c×d`). */
export interface OnnxLogitJacobian {
  readonly logits: Float64Array;
  readonly jacobian: Float64Array;
}

/**
 * One model evaluated with one activation, answering exact second-order questions on ONNX Runtime. Structurally
 * a `SecondOrderModel` of `@smoothhess/surrogates` (methods answer with promises).
 */
export interface OnnxSecondOrderModel {
  readonly dim: number;
  readonly outputDim: number;
  readonly hiddenSizes: readonly number[];
  readonly activation: OnnxModelActivation;
  /**
   * A gradient oracle for `target` (its session is created on the first `evaluate`; `dispose()` it, or dispose
   * the network).
   * @throws {@link InvalidArgumentError} for a target out of range.
   */
  oracle(target: SecondOrderTarget): GradientOracle;
  /** Values, gradients and exact `d×d` Hessians of `target` at `n` points. */
  hessians(points: PointBatch, n: number, target: SecondOrderTarget): Promise<OnnxHessianBatch>;
  /** `H(x₀) v` for `k` directions (row-major `k×d`), many directions per run. */
  hessianVectorProducts(x0: ArrayLike<number>, directions: ArrayLike<number>, k: number, target: SecondOrderTarget): Promise<OnnxHessianVectorProducts>;
  /** Logits at `x₀` and their input Jacobian. */
  logitJacobian(x0: ArrayLike<number>): Promise<OnnxLogitJacobian>;
}

/**
 * The surrogates of a ReLU model on ONNX Runtime: structurally a `SurrogateNetwork` of `@smoothhess/surrogates`.
 * `surrogate(activation)` is cheap: β is a graph input, so the graphs and sessions of one activation family are
 * built once and serve every β.
 */
export interface OnnxSurrogateNetwork {
  readonly dim: number;
  readonly outputDim: number;
  readonly hiddenSizes: readonly number[];
  /** The ReLU model itself. */
  readonly original: OnnxSecondOrderModel;
  /**
   * The model with every `Relu` replaced by `activation`.
   * @throws {@link InvalidArgumentError} for an unknown activation or β ≤ 0 (naming `activation.beta`);
   *   {@link OnnxModelError} for GELU on a float64 model (ONNX Runtime has no float64 Erf).
   */
  surrogate(activation: OnnxSurrogateActivation | { readonly name: string; readonly beta?: number }): OnnxSecondOrderModel;
  /** Release every ONNX Runtime session the network and its models created (idempotent). */
  dispose(): Promise<void>;
}

/** Options of {@link onnxSurrogates}. */
export interface OnnxSurrogatesOptions {
  /** ONNX Runtime intra-op threads (default: the machine's cores). */
  readonly threads?: number;
  /** Rows per run of the Hessian-vector-product graph (directions, or Hessian rows; default 1024). */
  readonly batchSize?: number;
  /**
   * How `hessians` computes: `"structured"` (one run: `Σ J_uᵀ diag(ā φ″(u)) J_u + J_tᵀ C J_t` from forward-mode
   * Jacobians; for graphs whose only nonlinearities are elementwise activations, else an error), `"hvp"` (`d`
   * Hessian-vector products with the unit vectors; any graph), or `"auto"` (default: structured where possible).
   */
  readonly hessianMethod?: "auto" | "structured" | "hvp";
}

type Family = "relu" | SmoothActivationName;

/** Check an activation as `checkSurrogateActivation` of `@smoothhess/surrogates` does. */
function checkActivation(activation: unknown): OnnxSurrogateActivation {
  const a = activation as { name?: unknown; beta?: unknown } | null | undefined;
  if (typeof a !== "object" || a === null) {
    throw new InvalidArgumentError("activation", '{ name: "softplus" | "swish", beta } or { name: "gelu" }', activation);
  }
  if (a.name === "softplus" || a.name === "swish") return Object.freeze({ name: a.name, beta: checkPositive("activation.beta", a.beta) });
  if (a.name === "gelu") return Object.freeze({ name: "gelu" });
  throw new InvalidArgumentError("activation.name", '"softplus", "swish" or "gelu"', a.name);
}

/**
 * Exact second-order derivatives of an ONNX model and of its smooth surrogates (every `Relu` replaced by
 * SoftPlus_β, Swish_β or GELU, as in `@smoothhess/surrogates`), run on ONNX Runtime:
 * - Hessian-vector products by reverse-over-reverse differentiation of the graph, many directions per run;
 * - exact Hessians in one run from forward-mode Jacobians of the pre-activations,
 *   `H = Σ_a J_uᵀ diag(ā ⊙ φ″(u)) J_u + J_tᵀ C J_t` (MLPs and CNNs whose nonlinearities are elementwise
 *   activations), or else as `d` Hessian-vector products with the unit vectors (one batched run per `batchSize`
 *   rows); symmetrised;
 * - the head (SoftMax, cross-entropy) enters through its float64 seed and curvature at the point, so confident
 *   predictions keep their precision (see `headDerivatives`).
 * β is a graph input: a sweep over β builds nothing twice.
 *
 * @param model - a model from {@link loadOnnxModel} (the ReLU network).
 * @param options - `threads`, `batchSize`.
 * @throws {@link OnnxModelError} when the model has no `Relu` to replace or its output is not `n × classes`.
 *
 * @example
 * ```ts
 * const network = await onnxSurrogates(await loadOnnxModel("mnist-mlp.onnx"));
 * const { hessians } = await network.surrogate({ name: "softplus", beta: 10 }).hessians(x0, 1, { output: 3 });
 * await network.dispose();
 * ```
 */
export async function onnxSurrogates(model: OnnxModel, options: OnnxSurrogatesOptions = {}): Promise<OnnxSurrogateNetwork> {
  const threads = checkInteger("options.threads", options.threads ?? (await machineCores()), 1);
  const batchSize = checkInteger("options.batchSize", options.batchSize ?? 1024, 1);
  const method = options.hessianMethod ?? "auto";
  if (method !== "auto" && method !== "structured" && method !== "hvp") {
    throw new InvalidArgumentError("options.hessianMethod", '"auto", "structured" or "hvp"', method);
  }
  if (!model.graph.nodes.some((n) => n.opType === "Relu")) throw new OnnxModelError("model", "no Relu node to replace by a smooth activation");
  if (model.outputShape.length !== 2) throw new OnnxModelError("model", `output shape [${model.outputShape.join(", ")}]; expected n × classes`);
  const d = model.dim;
  const hiddenSizes = Object.freeze(model.hiddenTensors.map((t) => model.shapes.shape(t).slice(1).reduce((a, b) => a * b, 1)));
  const float64 = model.precision === "float64";
  const rowShape = model.inputShape.slice(1);
  const opset = emittedOpset(model);
  const owned: OwnedSession[] = [];
  const oracles: OnnxOracle[] = [];
  let disposed = false;
  const checkAlive = () => {
    if (disposed) throw usedAfterDispose();
  };
  const floats = (values: ArrayLike<number>) => (float64 ? Float64Array.from(values) : Float32Array.from(values));
  const tensor = (data: ArrayLike<number>, dims: readonly number[]) => new model.runtime.Tensor(model.precision, floats(data), dims);

  interface FamilyEngine {
    readonly family: Family;
    readonly graph: IrGraph;
    readonly model: Promise<OnnxModel>;
    readonly forward: Promise<OwnedSession>;
    readonly hvp: Map<string, Promise<{ session: OwnedSession; spec: HvpGraph }>>;
    readonly structured: Map<string, Promise<{ session: OwnedSession; spec: StructuredHessianGraph } | undefined>>;
  }
  const engines = new Map<Family, FamilyEngine>();
  const inputShapes = (graph: IrGraph) => {
    const m = new Map<string, readonly number[]>([[model.inputName, model.inputShape]]);
    if (graph.inputs.some((i) => i.name === BETA_INPUT)) m.set(BETA_INPUT, []);
    return m;
  };
  const session = async (graph: IrGraph) => {
    const s = await createSession(model.runtime, encodeModel(graph), { threads });
    if (disposed) {
      await s.release();
      throw usedAfterDispose();
    }
    owned.push(s);
    return s;
  };
  const engineOf = (family: Family): FamilyEngine => {
    let engine = engines.get(family);
    if (engine) return engine;
    const graph = family === "relu" ? model.graph : surrogateGraph(model.graph, family, opset);
    const familyModel = (async (): Promise<OnnxModel> =>
      family === "relu" ? model : { ...model, graph, shapes: await probeShapes(model.runtime, graph, inputShapes(graph), "model") })();
    // Forward session: the output and every hidden pre-activation, so any target's tensor is one run away.
    const forwardGraph: IrGraph = { ...graph, opset, outputs: [model.outputName, ...model.hiddenTensors].map((name) => ({ name, dataType: graph.inputs[0].dataType })) };
    engine = { family, graph, model: familyModel, forward: session(forwardGraph), hvp: new Map(), structured: new Map() };
    engines.set(family, engine);
    return engine;
  };
  const feedsOf = (engine: FamilyEngine, beta: number, x: ArrayLike<number>, rows: number): Record<string, Tensor> => {
    const feeds: Record<string, Tensor> = { [model.inputName]: tensor(x, [rows, ...rowShape]) };
    if (engine.graph.inputs.some((i) => i.name === BETA_INPUT)) feeds[BETA_INPUT] = tensor([beta], []);
    return feeds;
  };
  /** The rows of tensor `name` at point x0 (one forward run). */
  const forwardAt = async (engine: FamilyEngine, beta: number, x0: ArrayLike<number>, name: string): Promise<Float64Array> => {
    const out = await (await engine.forward).session.run(feedsOf(engine, beta, x0, 1));
    const result = Float64Array.from(out[name].data as Float32Array);
    for (const t of Object.values(out)) t.dispose();
    return result;
  };
  const hvpOf = (engine: FamilyEngine, tensorName: string, withCurvature: boolean) => {
    const key = `${tensorName}|${withCurvature}`;
    let entry = engine.hvp.get(key);
    if (!entry) {
      const size = model.shapes.shape(tensorName).slice(1).reduce((a, b) => a * b, 1);
      entry = buildHvpGraph(model.runtime, engine.graph, inputShapes(engine.graph), tensorName, size, withCurvature, opset).then(async (spec) => ({
        spec,
        session: await session(spec.graph),
      }));
      engine.hvp.set(key, entry);
    }
    return entry;
  };
  /**
   * Run the HVP graph at x0 with `k` directions (rows of `directions`), seeds (one row, or one per direction) and
   * curvature; returns the gradient rows and the products, both `k×d`.
   */
  const runHvp = async (
    engine: FamilyEngine,
    beta: number,
    target: ResolvedSecondOrderTarget,
    x0: ArrayLike<number>,
    directions: ArrayLike<number>,
    k: number,
    seeds: Float64Array,
    seedRows: number,
    curvature: Float64Array | null,
  ) => {
    const { spec, session: s } = await hvpOf(engine, target.tensor, curvature !== null);
    const m = spec.targetSize;
    const gradients = new Float64Array(k * d);
    const products = new Float64Array(k * d);
    for (let start = 0; start < k; start += batchSize) {
      const rows = Math.min(batchSize, k - start);
      const x = float64 ? new Float64Array(rows * d) : new Float32Array(rows * d);
      for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) x[r * d + j] = x0[j];
      const feeds = feedsOf(engine, beta, x, rows);
      feeds[HVP_INPUTS.direction] = tensor(Array.prototype.slice.call(directions, start * d, (start + rows) * d) as number[], [rows, ...rowShape]);
      feeds[HVP_INPUTS.seed] = seedRows === 1 ? tensor(seeds, [1, m]) : tensor(seeds.subarray(start * m, (start + rows) * m), [rows, m]);
      if (curvature) feeds[HVP_INPUTS.curvature] = tensor(curvature, [m, m]);
      const out = await s.session.run(feeds);
      gradients.set(out[spec.gradient].data as Float32Array, start * d);
      products.set(out[spec.products].data as Float32Array, start * d);
      for (const t of Object.values(out)) t.dispose();
    }
    return { gradients, products };
  };
  /** The structured Hessian graph of a target tensor, or undefined where the graph is outside its class. */
  const structuredOf = (engine: FamilyEngine, tensorName: string, withCurvature: boolean) => {
    const key = `${tensorName}|${withCurvature}`;
    let entry = engine.structured.get(key);
    if (!entry) {
      const size = model.shapes.shape(tensorName).slice(1).reduce((a, b) => a * b, 1);
      entry = engine.model.then(async (m) => {
        const spec = buildStructuredHessianGraph(engine.graph, model.graph, m.shapes, engine.family, model.inputName, tensorName, size, withCurvature, opset);
        return spec ? { spec, session: await session(spec.graph) } : undefined;
      });
      engine.structured.set(key, entry);
    }
    return entry;
  };
  /** Value, seed and curvature of the target's head at x0 (float64, from one forward run). */
  const headAt = async (engine: FamilyEngine, beta: number, target: ResolvedSecondOrderTarget, x0: ArrayLike<number>) => {
    const z = await forwardAt(engine, beta, x0, target.tensor);
    if (target.kind === "unit") {
      const seed = new Float64Array(z.length);
      seed[target.unit] = 1;
      return { value: z[target.unit], seed, curvature: null };
    }
    return headDerivatives(target.kind, target.unit, z);
  };

  const makeModel = (family: Family, activation: OnnxModelActivation): OnnxSecondOrderModel => {
    const beta = "beta" in activation ? activation.beta : 1;
    return Object.freeze({
      dim: d,
      outputDim: model.outputSize,
      hiddenSizes,
      activation,
      oracle(target: SecondOrderTarget): GradientOracle {
        checkAlive();
        const resolved = resolveSecondOrderTarget(model, target);
        let oracle: Promise<OnnxOracle> | undefined;
        return {
          dim: d,
          maxBatchSize: batchSize,
          async evaluate(points: PointBatch, n: number): Promise<GradientBatch> {
            checkAlive();
            oracle ??= engineOf(family).model.then(async (m) => {
              const o = await gradientOracle(
                m,
                resolved.kind === "logit" || resolved.kind === "unit" ? { kind: "unit", tensor: resolved.tensor, unit: resolved.unit } : { kind: resolved.kind, tensor: resolved.tensor, unit: resolved.unit },
                { threads, batchSize },
                m.graph.inputs.some((i) => i.name === BETA_INPUT) ? { [BETA_INPUT]: beta } : {},
              );
              oracles.push(o);
              return o;
            });
            return (await oracle).evaluate(points, n);
          },
          async dispose() {
            if (oracle) await (await oracle).dispose();
          },
        };
      },
      async hessians(points: PointBatch, n: number, target: SecondOrderTarget): Promise<OnnxHessianBatch> {
        checkAlive();
        const count = checkInteger("n", n, 0);
        checkFiniteArray("points", points, count * d);
        const resolved = resolveSecondOrderTarget(model, target);
        const engine = engineOf(family);
        const values = new Float64Array(count);
        const gradients = new Float64Array(count * d);
        const hessians = new Float64Array(count * d * d);
        const identity = new Float64Array(d * d);
        for (let i = 0; i < d; i++) identity[i * d + i] = 1;
        for (let p = 0; p < count; p++) {
          const x0 = points.subarray(p * d, (p + 1) * d);
          const head = await headAt(engine, beta, resolved, x0);
          values[p] = head.value;
          const block = hessians.subarray(p * d * d, (p + 1) * d * d);
          const structured = method === "hvp" ? undefined : await structuredOf(engine, resolved.tensor, head.curvature !== null);
          if (!structured && method === "structured") {
            throw new OnnxModelError("options.hessianMethod", "\"structured\" needs a graph whose only nonlinearities on the path to the target are elementwise activations; use \"auto\" or \"hvp\"");
          }
          if (structured) {
            const feeds = feedsOf(engine, beta, x0, 1);
            feeds[HVP_INPUTS.seed] = tensor(head.seed, [1, head.seed.length]);
            if (head.curvature) feeds[HVP_INPUTS.curvature] = tensor(head.curvature, [head.seed.length, head.seed.length]);
            const out = await structured.session.session.run(feeds);
            gradients.set(out[structured.spec.gradient].data as Float32Array, p * d);
            for (const { name, r0, c0, rows, cols } of structured.spec.blocks) {
              const data = out[name].data as Float32Array;
              for (let i = 0; i < rows; i++) {
                for (let j = 0; j < cols; j++) {
                  const r = r0 + i, c = c0 + j;
                  if (r === c) block[r * d + c] = data[i * cols + j];
                  else if (r < c) block[r * d + c] = block[c * d + r] = r0 === c0 ? 0.5 * (data[i * cols + j] + data[j * cols + i]) : data[i * cols + j];
                }
              }
            }
            for (const t of Object.values(out)) t.dispose();
            continue;
          }
          const run = await runHvp(engine, beta, resolved, x0, identity, d, head.seed, 1, head.curvature);
          gradients.set(run.gradients.subarray(0, d), p * d);
          const products = run.products;
          for (let i = 0; i < d; i++) {
            for (let j = i; j < d; j++) block[i * d + j] = block[j * d + i] = 0.5 * (products[i * d + j] + products[j * d + i]);
          }
        }
        return { n: count, d, values, gradients, hessians };
      },
      async hessianVectorProducts(x0: ArrayLike<number>, directions: ArrayLike<number>, k: number, target: SecondOrderTarget): Promise<OnnxHessianVectorProducts> {
        checkAlive();
        checkFiniteArray("x0", x0, d);
        const count = checkInteger("k", k, 0);
        checkFiniteArray("directions", directions, count * d);
        const resolved = resolveSecondOrderTarget(model, target);
        const engine = engineOf(family);
        const head = await headAt(engine, beta, resolved, x0);
        const rows = Math.max(count, 1);
        const { gradients, products } = await runHvp(engine, beta, resolved, x0, count > 0 ? directions : new Float64Array(d), rows, head.seed, 1, head.curvature);
        return { value: head.value, gradient: gradients.slice(0, d), products: count > 0 ? products : new Float64Array(0) };
      },
      async logitJacobian(x0: ArrayLike<number>): Promise<OnnxLogitJacobian> {
        checkAlive();
        checkFiniteArray("x0", x0, d);
        const engine = engineOf(family);
        const logits = await forwardAt(engine, beta, x0, model.outputName);
        const c = model.outputSize;
        const seeds = new Float64Array(c * c);
        for (let i = 0; i < c; i++) seeds[i * c + i] = 1;
        const target: ResolvedSecondOrderTarget = { kind: "logit", tensor: model.outputName, unit: 0 };
        const { gradients } = await runHvp(engine, beta, target, x0, new Float64Array(c * d), c, seeds, c, null);
        return { logits, jacobian: gradients };
      },
    });
  };

  const original = makeModel("relu", Object.freeze({ name: "relu" as const }));
  return Object.freeze({
    dim: d,
    outputDim: model.outputSize,
    hiddenSizes,
    original,
    surrogate(activation: unknown): OnnxSecondOrderModel {
      checkAlive();
      const checked = checkActivation(activation);
      if (checked.name === "gelu" && float64) {
        throw new OnnxModelError("activation", "a GELU surrogate of a float64 model: ONNX Runtime has no float64 Erf kernel (use a float32 model)");
      }
      return makeModel(checked.name, checked);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.allSettled([...engines.values()].flatMap((e) => [e.forward, ...e.hvp.values(), ...e.structured.values()]));
      for (const o of oracles) await o.dispose();
      for (const s of owned) await s.release();
    },
  });
}

/** The error of a surrogate network used after `dispose()`. */
function usedAfterDispose(): DisposedError {
  return new DisposedError("this ONNX surrogate network", "create a new one with onnxSurrogates()");
}
