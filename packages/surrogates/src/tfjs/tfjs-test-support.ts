// Test-only helpers for the tfjs path (not exported).
import * as tf from "@tensorflow/tfjs-core";
import { denseNetwork, type DenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import type { Network } from "@smoothhess/tfjs";
import type { GradientOracle } from "@smoothhess/oracle";

/** Seeded uniform point in [lo, hi), float32. */
export function uniformPoint(seed: number, d: number, lo = 0, hi = 1): Float32Array {
  const rng = gaussianSampler(seed);
  return Float32Array.from({ length: d }, () => lo + (hi - lo) * rng.uniform());
}

/**
 * Central differences of an oracle's gradient at x0 (float32 inputs): all 2d shifted points in one batch; the
 * step actually taken in float32 is used as the denominator. Entry (i, j) = ∂g_i/∂x_j.
 */
export async function finiteDifferenceHessian(oracle: GradientOracle, x0: Float32Array, h: number): Promise<Float64Array> {
  const d = x0.length;
  const batch = new Float32Array(2 * d * d);
  for (let j = 0; j < d; j++) {
    batch.set(x0, 2 * j * d);
    batch.set(x0, (2 * j + 1) * d);
    batch[2 * j * d + j] += h;
    batch[(2 * j + 1) * d + j] -= h;
  }
  const { gradients } = await oracle.evaluate(batch, 2 * d);
  const out = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const step = batch[2 * j * d + j] - batch[(2 * j + 1) * d + j];
    for (let i = 0; i < d; i++) out[i * d + j] = (gradients[2 * j * d + i] - gradients[(2 * j + 1) * d + i]) / step;
  }
  return out;
}

/** The float64 reference `DenseNetwork` with the weights of a tfjs MLP (kernels are in×out there, out×in here). */
export function referenceCopy(network: Network): DenseNetwork {
  const layers = [];
  for (let i = 0; network.weights.has(`dense${i}/kernel`); i++) {
    const kernel = network.weights.get(`dense${i}/kernel`) as tf.Variable;
    const [inputs, outputs] = kernel.shape as [number, number];
    const k = kernel.dataSync();
    const weights = new Float64Array(inputs * outputs);
    for (let a = 0; a < inputs; a++) for (let o = 0; o < outputs; o++) weights[o * inputs + a] = k[a * outputs + o];
    layers.push({ weights, bias: Float64Array.from((network.weights.get(`dense${i}/bias`) as tf.Variable).dataSync()) });
  }
  return denseNetwork(layers);
}

/** Give every batch-norm layer non-trivial seeded statistics and affine parameters (fresh networks have γ=1, β=0, μ=0, σ²=1). */
export function randomizeBatchNorm(network: Network, seed: number): void {
  const rng = gaussianSampler(seed);
  for (const [name, v] of [...network.weights, ...network.buffers]) {
    const n = v.size;
    let values: Float32Array | undefined;
    if (name.endsWith("/gamma")) values = Float32Array.from({ length: n }, () => 0.6 + 0.8 * rng.uniform());
    if (name.endsWith("/beta")) values = Float32Array.from({ length: n }, () => 0.2 * rng.normal());
    if (name.endsWith("/mean")) values = Float32Array.from({ length: n }, () => 0.1 * rng.normal());
    if (name.endsWith("/variance")) values = Float32Array.from({ length: n }, () => 0.5 + rng.uniform());
    if (values) {
      const t = tf.tensor(values, v.shape);
      v.assign(t);
      t.dispose();
    }
  }
}

/**
 * Among `candidates` seeded points, the one whose smallest |pre-activation| over all ReLU sites is largest: central
 * differences of a ReLU network's gradient are only meaningful when the step crosses no kink. Returns the point and
 * that margin.
 */
export function wellConditionedPoint(network: Network, candidates: number, lo = 0, hi = 1): { x: Float32Array; margin: number } {
  let best = { x: uniformPoint(0, network.inputSize, lo, hi), margin: -1 };
  for (let seed = 1; seed <= candidates; seed++) {
    const x = uniformPoint(seed, network.inputSize, lo, hi);
    const margin = tf.tidy(() => {
      const r = network.forward(tf.tensor2d(x, [1, network.inputSize]), { capture: true });
      return Math.min(...r.preActivations.map((z) => tf.min(tf.abs(z)).dataSync()[0]));
    });
    if (margin > best.margin) best = { x, margin };
  }
  return best;
}

/** Shift the last dense layer's bias of a tfjs MLP (in place) so that its logits at `x0` are `logits` (to float32 rounding). */
export function setMlpLogitsAt(network: Network, x0: Float32Array, logits: ArrayLike<number>): void {
  let last = 0;
  while (network.weights.has(`dense${last + 1}/bias`)) last++;
  const bias = network.weights.get(`dense${last}/bias`) as tf.Variable;
  const z = tf.tidy(() => network.forward(tf.tensor2d(x0, [1, x0.length])).output.dataSync());
  const shifted = tf.tensor(Float32Array.from(bias.dataSync(), (b, k) => b + logits[k] - z[k]), bias.shape);
  bias.assign(shifted);
  shifted.dispose();
}
