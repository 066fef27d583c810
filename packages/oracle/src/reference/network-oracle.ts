import type { GradientBatch, PointBatch, SyncGradientOracle } from "../gradient-oracle.js";
import type { DenseNetwork } from "./dense-network.js";
import { resolveTarget, type NetworkTarget, type ResolvedTarget } from "./network-target.js";
import { checkPointBatch } from "../point-batch-check.js";

/**
 * A float64 {@link GradientOracle} for one scalar function of a {@link DenseNetwork}, with exact gradients by
 * backpropagation. Synchronous.
 *
 * @param network - the network.
 * @param target - which scalar to explain (default `{ output: 0 }`): a logit `{ output: k }`, a SoftMax probability
 *   `{ softmax: k }` (its logit gradient `p_k Σ_{j≠k} p_j` / `−p_k p_j` from class-shifted logits, so a confident
 *   prediction, where `p_k` rounds to 1, keeps its gradient `Σ_{j≠k} p_k p_j (∇z_k − ∇z_j)`), the cross-entropy loss `{ crossEntropy: y }` (`−log softmax(f(x))_y`, computed stably; its
 *   gradient is what CASO/CAFO and `smoothCaso` of `@smoothhess/metrics` take) or a hidden unit `{ layer, unit }`.
 * @throws {@link InvalidArgumentError} when the target is out of range for the network, naming the field
 *   (`target.output`, `target.crossEntropy` for a label that is not an integer in `[0, classes)`, …).
 *
 * @example
 * ```ts
 * const oracle = networkOracle(denseNetwork(layers), { layer: 5, unit: 12 }); // a penultimate neuron
 * const loss = networkOracle(net, { crossEntropy: 3 });                     // −log p₃ and its input gradient
 * ```
 */
export function networkOracle(network: DenseNetwork, target: NetworkTarget = { output: 0 }): SyncGradientOracle {
  const resolved = resolveTarget(network, target);
  const d = network.inputDim;
  return {
    dim: d,
    evaluate(points: PointBatch, n: number): GradientBatch {
      checkPointBatch(points, n, d);
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
  if (target.crossEntropy) {
    value = crossEntropyHead(top, target.unit, upstream);
  } else if (target.softmax) {
    value = softmaxHead(top, target.unit, upstream);
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

/**
 * The cross-entropy loss `ℓ = −log softmax(z)_y = logsumexp(z) − z_y` of the logits `z` and label `y`, with its
 * gradient `∂ℓ/∂z = softmax(z) − e_y` written into `seed`.
 *
 * Computed from the shifted logits `s = z − z_y` (`s_y = 0`, `M = max s ≥ 0`), so that nothing overflows and a
 * confident prediction keeps its small loss and gradient to full relative precision:
 * `ℓ = M + log1p(expm1(−M) + V)` with `V = Σ_{j≠y} exp(s_j − M)` (for `M = 0` this is `log1p(V)`, where the textbook
 * `logsumexp(z) − z_y` would cancel to 0 once `ℓ` drops below the rounding of `z_y`), and
 * `∂ℓ/∂z_j = exp(s_j − M)/D` for `j ≠ y`, `∂ℓ/∂z_y = −V/D` with `D = exp(−M) + V` (rather than `p_y − 1`, which
 * cancels to 0 in the same regime and would drop the `−∇z_y` term of the input gradient).
 */
function crossEntropyHead(z: ArrayLike<number>, y: number, seed: Float64Array): number {
  const c = z.length;
  const zy = z[y];
  let m = 0;
  for (let j = 0; j < c; j++) if (j !== y) m = Math.max(m, z[j] - zy);
  let v = 0;
  for (let j = 0; j < c; j++) {
    if (j === y) continue;
    v += seed[j] = Math.exp(z[j] - zy - m);
  }
  const denominator = Math.exp(-m) + v;
  for (let j = 0; j < c; j++) seed[j] /= denominator;
  seed[y] = -v / denominator;
  return m + Math.log1p(Math.expm1(-m) + v);
}

/**
 * The SoftMax probability `p_k = softmax(z)_k` of the logits `z`, with its gradient `∂p_k/∂z = p_k(e_k − p)` written
 * into `seed`.
 *
 * Computed from the logits shifted by the class's, `s = z − z_k` (`s_k = 0`, `M = max_j s_j ≥ 0`,
 * `V = Σ_{j≠k} e^{s_j − M}`, `D = e^{−M} + V`): `p_k = e^{−M}/D`, `p_j = e^{s_j − M}/D`, and
 * `∂p_k/∂z_k = p_k q` with `q = V/D = Σ_{j≠k} p_j` (no subtraction from 1), `∂p_k/∂z_j = −p_k p_j` (j ≠ k). Every
 * entry is a product of quotients of sums of positive terms, so it keeps its relative precision at any margin; the
 * textbook `p_k(1 − p_k)` is 0 once `p_k` rounds to 1 (margins above ~37 in float64), which drops the `∇z_k` term of
 * the input gradient `Σ_{j≠k} p_k p_j (∇z_k − ∇z_j)`. Nothing overflows (`1 ≤ D ≤ c`). As `softmaxHead` of
 * `@smoothhess/surrogates`.
 */
function softmaxHead(z: ArrayLike<number>, k: number, seed: Float64Array): number {
  const c = z.length;
  const zk = z[k];
  let m = 0;
  for (let j = 0; j < c; j++) if (j !== k) m = Math.max(m, z[j] - zk);
  let v = 0;
  for (let j = 0; j < c; j++) {
    if (j === k) continue;
    v += seed[j] = Math.exp(z[j] - zk - m);
  }
  const top = Math.exp(-m);
  const denominator = top + v;
  const pk = top / denominator;
  for (let j = 0; j < c; j++) seed[j] = j === k ? pk * (v / denominator) : -pk * (seed[j] / denominator);
  return pk;
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
