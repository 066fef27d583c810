import {
  loadOnnxModel,
  networkToOnnx,
  onnxOracle,
  onnxOuterProductKernel,
  onnxQuadraticFormKernel,
  onnxSurrogates,
  type OnnxSurrogateNetwork,
} from "@smoothhess/onnx";
import type { QuadraticFormKernel } from "@smoothhess/metrics";
import { tfjsQuadraticFormKernel } from "@smoothhess/metrics/tfjs";
import type { GradientOracle, ValueOracle } from "@smoothhess/oracle";
import type { OuterProductKernel } from "@smoothhess/stein";
import { tfjsSurrogates, type TfjsSurrogates } from "@smoothhess/surrogates/tfjs";
import { tfjsOracle, tfjsOuterProductKernel, tfjsValueOracle, type Network } from "@smoothhess/tfjs";

/** The engines that run the explanations of a trained network (`--engine`). */
export const ENGINE_NAMES = ["onnx", "tfjs"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The engine a run uses when `--engine` is not given. */
export const DEFAULT_ENGINE: EngineName = "onnx";

/** The scalars the experiments explain, in the vocabulary both engines share. */
export type EngineTarget = { readonly output: number } | { readonly softmax: number } | { readonly layer: number; readonly unit: number };

/** A smooth surrogate of the ReLU network (every ReLU replaced by SoftPlus_β or Swish_β). */
export interface EngineSurrogate {
  readonly name: "softplus" | "swish";
  readonly beta: number;
}

/**
 * Everything an experiment computes on one trained network, on one engine: SmoothHess/SmoothGrad's gradient
 * oracles and d×d kernel, values for P_MSE balls, and the surrogates' exact gradients and Hessians. Oracles are
 * created on first use per target and kept until {@link Engine.dispose}.
 */
export interface Engine {
  readonly name: EngineName;
  /** The gradient oracle of `target` (SmoothHess / SmoothGrad). */
  oracle(target: EngineTarget): Promise<GradientOracle>;
  /** Values of `target` (P_MSE balls). */
  valueOracle(target: EngineTarget): Promise<ValueOracle>;
  /** The `Σ δ ∇fᵀ` accumulation of SmoothHess (`smoothHess(oracle, x0, { kernel })`). */
  readonly kernel: OuterProductKernel;
  /** The quadratic forms `uᵀH̃u` of P_MSE balls (`perturbationBalls(oracle, x0, { kernel })`). */
  readonly quadraticFormKernel: QuadraticFormKernel;
  /** The surrogate's exact gradient and `d×d` Hessian (row-major) of `target` at `x0`. */
  surrogateHessian(surrogate: EngineSurrogate, x0: Float64Array, target: EngineTarget): Promise<{ gradient: Float64Array; hessian: Float64Array }>;
  /** The surrogate's exact gradient of `target` at `x0`. */
  surrogateGradient(surrogate: EngineSurrogate, x0: Float64Array, target: EngineTarget): Promise<Float64Array>;
  /** Release every oracle, session and tensor the engine created (not the network). */
  dispose(): Promise<void>;
}

/** The network an engine runs: the tfjs network, and optionally its ONNX file (the authors' own export). */
export interface EngineModel {
  readonly network: Network;
  /** ONNX bytes of the same weights; without them the ONNX engine exports `network` (`networkToOnnx`) in memory. */
  readonly onnx?: Uint8Array;
}

/**
 * ONNX Runtime intra-op threads per session. One thread gives the most gradients per CPU-second (the package's
 * benchmarks); a machine's cores are used by running shards (`--shard`) side by side.
 */
const ONNX_THREADS = 1;

/** Open `name` on `model`; dispose the engine when done. */
export async function openEngine(name: EngineName, model: EngineModel): Promise<Engine> {
  return name === "onnx" ? onnxEngine(model) : tfjsEngine(model.network);
}

function cached<T>(create: (target: EngineTarget) => T): { get(target: EngineTarget): T; all(): T[] } {
  const map = new Map<string, T>();
  return {
    get(target) {
      const key = JSON.stringify(target);
      let value = map.get(key);
      if (value === undefined) map.set(key, (value = create(target)));
      return value;
    },
    all: () => [...map.values()],
  };
}

/** Today's path: the fast tfjs oracle, the tfjs outer-product kernel and tfjs surrogates. */
function tfjsEngine(network: Network): Engine {
  const oracles = cached((target) => tfjsOracle(network, target, { engine: "fast" }));
  let surrogates: TfjsSurrogates | undefined;
  const surrogate = (s: EngineSurrogate) => (surrogates ??= tfjsSurrogates(network)).surrogate(s);
  return {
    name: "tfjs",
    oracle: async (target) => oracles.get(target),
    valueOracle: async (target) => {
      if ("softmax" in target) return oracles.get(target);
      return tfjsValueOracle(network, target);
    },
    kernel: tfjsOuterProductKernel(),
    quadraticFormKernel: tfjsQuadraticFormKernel(),
    async surrogateHessian(s, x0, target) {
      const { gradients, hessians } = await surrogate(s).hessians(x0, 1, target);
      return { gradient: gradients, hessian: hessians };
    },
    async surrogateGradient(s, x0, target) {
      return Float64Array.from((await surrogate(s).oracle(target).evaluate(x0, 1)).gradients);
    },
    async dispose() {
      surrogates?.dispose();
      surrogates = undefined;
      for (const oracle of oracles.all()) await oracle.dispose();
    },
  };
}

/** ONNX Runtime: the network's graph (or the authors' file) with its backward and second-order graphs. */
async function onnxEngine(model: EngineModel): Promise<Engine> {
  const onnx = await loadOnnxModel(model.onnx ?? networkToOnnx(model.network));
  const kernel = await onnxOuterProductKernel({ threads: ONNX_THREADS });
  const quadraticFormKernel = await onnxQuadraticFormKernel({ threads: ONNX_THREADS });
  const oracles = cached((target) => onnxOracle(onnx, { target, threads: ONNX_THREADS }));
  let surrogates: Promise<OnnxSurrogateNetwork> | undefined;
  const surrogate = async (s: EngineSurrogate) => (await (surrogates ??= onnxSurrogates(onnx, { threads: ONNX_THREADS }))).surrogate(s);
  return {
    name: "onnx",
    oracle: (target) => oracles.get(target),
    // The gradient oracle's values: one ONNX Runtime run per batch gives both, and the balls are a small share of the work.
    valueOracle: (target) => oracles.get(target),
    kernel,
    quadraticFormKernel,
    async surrogateHessian(s, x0, target) {
      const { gradients, hessians } = await (await surrogate(s)).hessians(x0, 1, target);
      return { gradient: gradients, hessian: hessians };
    },
    async surrogateGradient(s, x0, target) {
      const oracle = (await surrogate(s)).oracle(target);
      try {
        return Float64Array.from((await oracle.evaluate(x0, 1)).gradients);
      } finally {
        await oracle.dispose?.();
      }
    },
    async dispose() {
      const settled = await Promise.allSettled(oracles.all());
      for (const result of settled) if (result.status === "fulfilled") await result.value.dispose();
      if (surrogates) await (await surrogates).dispose();
      surrogates = undefined;
      await kernel.dispose();
      await quadraticFormKernel.dispose();
    },
  };
}
