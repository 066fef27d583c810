import { checkFiniteArray, checkInteger } from "@smoothhess/errors";
import type { DenseNetwork, GradientBatch, PointBatch, SyncGradientOracle } from "@smoothhess/oracle";
import { DEFAULT_DENSE_LIMIT, checkDirections, checkPointBatch } from "./check-inputs.js";
import {
  firstOrderPass,
  hessianFromPass,
  hessianVectorProductsFromPass,
  referenceWeights,
  slopesOf,
  topJacobian,
} from "./reference-second-order.js";
import type { HessianBatch, HessianVectorProducts, LogitJacobian, SecondOrderModel } from "./second-order-model.js";
import type { ModelActivation } from "./surrogate-activation.js";
import { resolveSurrogateTarget, type SurrogateTarget } from "./surrogate-target.js";

/** Options of {@link referenceModel}. */
export interface ReferenceModelOptions {
  /** Largest input dimension for which {@link SecondOrderModel.hessians} forms dense Hessians. Default 8192. */
  readonly denseLimit?: number;
}

/** A {@link SecondOrderModel} over a float64 `DenseNetwork`: every method answers synchronously. */
export interface ReferenceModel extends SecondOrderModel {
  /** The network, evaluated with {@link SecondOrderModel.activation}. */
  readonly network: DenseNetwork;
  oracle(target: SurrogateTarget): SyncGradientOracle;
  hessians(points: PointBatch, n: number, target: SurrogateTarget): HessianBatch;
  hessianVectorProducts(x0: ArrayLike<number>, directions: ArrayLike<number>, k: number, target: SurrogateTarget): HessianVectorProducts;
  logitJacobian(x0: ArrayLike<number>): LogitJacobian;
}

/**
 * Exact float64 values, gradients, Hessians (Hessian backpropagation) and Hessian-vector products (batched
 * R-operator) of any target of a `DenseNetwork` from `@smoothhess/oracle`, evaluated with the network's own
 * activation. The derivation is in the package README ("How the Hessians are computed").
 *
 * Use {@link referenceSurrogates} for the surrogates of a ReLU network; this function serves networks that are
 * smooth already (e.g. trained with GELU).
 *
 * @param network - the network (its weights are shared, not copied).
 * @param options - `denseLimit`.
 * @example
 * ```ts
 * const model = referenceModel(randomDenseNetwork([4, 8, 3], { activation: gelu() }));
 * const { hessians } = model.hessians(new Float64Array([0.1, 0.2, 0.3, 0.4]), 1, { output: 0 });
 * ```
 */
export function referenceModel(network: DenseNetwork, options: ReferenceModelOptions = {}): ReferenceModel {
  const denseLimit = checkInteger("options.denseLimit", options.denseLimit ?? DEFAULT_DENSE_LIMIT, 1);
  const weights = referenceWeights(network);
  const d = network.inputDim;
  const hiddenSizes = Object.freeze(network.layers.slice(0, -1).map((l) => l.outputs));
  const shape = { outputDim: network.outputDim, hiddenSizes };
  const act = network.activation;
  const activation = Object.freeze(
    act.beta === undefined ? { name: act.name } : { name: act.name, beta: act.beta },
  ) as ModelActivation;
  const relu = act.name === "relu";

  return {
    network,
    dim: d,
    outputDim: network.outputDim,
    hiddenSizes,
    activation,
    oracle(target: SurrogateTarget): SyncGradientOracle {
      const resolved = resolveSurrogateTarget(shape, target);
      return {
        dim: d,
        evaluate(points: PointBatch, n: number): GradientBatch {
          const count = checkInteger("n", n, 0);
          checkFiniteArray("points", points, count * d);
          const values = new Float64Array(count);
          const gradients = new Float64Array(count * d);
          for (let p = 0; p < count; p++) {
            const pass = firstOrderPass(network, weights, resolved, points.subarray(p * d, (p + 1) * d));
            values[p] = pass.value;
            gradients.set(pass.gradient, p * d);
          }
          return { values, gradients };
        },
      };
    },
    hessians(points: PointBatch, n: number, target: SurrogateTarget): HessianBatch {
      const count = checkPointBatch(points, n, d, denseLimit);
      const resolved = resolveSurrogateTarget(shape, target);
      const values = new Float64Array(count);
      const gradients = new Float64Array(count * d);
      const hessians = new Float64Array(count * d * d);
      for (let p = 0; p < count; p++) {
        const pass = firstOrderPass(network, weights, resolved, points.subarray(p * d, (p + 1) * d));
        values[p] = pass.value;
        gradients.set(pass.gradient, p * d);
        hessianFromPass(weights, pass, hessians.subarray(p * d * d, (p + 1) * d * d), relu);
      }
      return { n: count, d, values, gradients, hessians };
    },
    hessianVectorProducts(x0, directions, k, target): HessianVectorProducts {
      const count = checkDirections(x0, directions, k, d);
      const resolved = resolveSurrogateTarget(shape, target);
      const pass = firstOrderPass(network, weights, resolved, x0);
      const products = new Float64Array(count * d);
      if (count > 0) hessianVectorProductsFromPass(weights, pass, directions, count, products);
      return { value: pass.value, gradient: pass.gradient, products };
    },
    logitJacobian(x0): LogitJacobian {
      checkFiniteArray("x0", x0, d);
      const pre = network.forward(x0);
      const top = pre.length - 1;
      const jacobian = topJacobian(weights, { top, slopes: slopesOf(act, pre, top) }, network.outputDim);
      return { logits: pre[top], jacobian };
    },
  };
}
