import type { GradientBatch, PointBatch, SyncGradientOracle } from "../gradient-oracle.js";
import type { DenseNetwork } from "./dense-network.js";
import { resolveTarget, type NetworkTarget, type ResolvedTarget } from "./network-target.js";

/**
 * A float64 {@link GradientOracle} for one scalar function of a {@link DenseNetwork}, with exact gradients by
 * backpropagation. Synchronous.
 *
 * @param network - the network.
 * @param target - which scalar to explain (default `{ output: 0 }`).
 * @throws {@link InvalidArgumentError} when the target is out of range for the network.
 *
 * @example
 * ```ts
 * const oracle = networkOracle(denseNetwork(layers), { layer: 5, unit: 12 }); // a penultimate neuron
 * ```
 */
export function networkOracle(network: DenseNetwork, target: NetworkTarget = { output: 0 }): SyncGradientOracle {
  const resolved = resolveTarget(network, target);
  const d = network.inputDim;
  return {
    dim: d,
    evaluate(points: PointBatch, n: number): GradientBatch {
      const values = new Float64Array(n);
      const gradients = new Float64Array(n * d);
      for (let p = 0; p < n; p++) {
        const x = points.subarray(p * d, (p + 1) * d);
        values[p] = valueAndGradient(network, resolved, x, gradients.subarray(p * d, (p + 1) * d));
      }
      return { values, gradients };
    },
  };
}

/**
 * Value and input gradient (written into `gradient`) of the target scalar at one point.
 * @internal exported for the surrogates package and tests.
 */
export function valueAndGradient(
  network: DenseNetwork,
  target: ResolvedTarget,
  x: ArrayLike<number>,
  gradient: Float64Array,
): number {
  const pre = network.forward(x);
  const { layers, activation } = network;
  const top = pre[target.layerIndex];
  // Seed the backward pass: d(target)/d(pre-activations of layer target.layerIndex).
  let upstream = new Float64Array(top.length);
  let value: number;
  if (target.softmax) {
    const p = softmax(top);
    value = p[target.unit];
    for (let j = 0; j < top.length; j++) upstream[j] = value * ((j === target.unit ? 1 : 0) - p[j]);
  } else {
    value = top[target.unit];
    upstream[target.unit] = 1;
  }
  for (let l = target.layerIndex; l >= 0; l--) {
    const layer = layers[l];
    // upstream is d/d f⁽ˡ⁾; go to d/d g⁽ˡ⁻¹⁾ = Wᵀ upstream, then through φ′ of f⁽ˡ⁻¹⁾.
    const down = new Float64Array(layer.inputs);
    for (let o = 0; o < layer.outputs; o++) {
      const u = upstream[o];
      if (u === 0) continue;
      const row = o * layer.inputs;
      for (let i = 0; i < layer.inputs; i++) down[i] += layer.weights[row + i] * u;
    }
    if (l > 0) {
      const below = pre[l - 1];
      for (let i = 0; i < down.length; i++) down[i] *= activation.derivative(below[i]);
    }
    upstream = down;
  }
  gradient.set(upstream);
  return value;
}

/** Numerically stable SoftMax of a logit vector. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < logits.length; i++) out[i] /= sum;
  return out;
}
