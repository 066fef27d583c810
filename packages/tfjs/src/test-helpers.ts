// Test-only helpers (not exported from index.ts).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { type Activation, type DenseNetwork, denseNetwork, gelu, relu, softplus, swish } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import type { ActivationSpec } from "./activation-ops.js";
import type { Network } from "./network.js";
import type { ResolvedTfjsTarget } from "./target.js";
import { targetValues } from "./target.js";

/** Fixed-seed uniform points in [lo, hi). */
export function randomPoints(seed: number, n: number, dim: number, lo = -1, hi = 1): Float32Array {
  const rng = gaussianSampler(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.between(lo, hi);
  return out;
}

/** Target values of the network's own forward pass at `n` points (float32 → float64). */
export function forwardValues(network: Network, target: ResolvedTfjsTarget, x: Float32Array, n: number, activation?: ActivationSpec): Float64Array {
  const v = tf.tidy(() => targetValues(network, target, tf.tensor2d(x, [n, network.inputSize]), activation));
  const out = Float64Array.from(v.dataSync());
  v.dispose();
  return out;
}

/**
 * Central finite differences of the forward pass at one point: (f(x + h e_j) − f(x − h e_j)) / 2h for every j,
 * all 2·dim points in one batch.
 */
export function centralDifferences(network: Network, target: ResolvedTfjsTarget, x0: Float32Array, h: number, activation?: ActivationSpec): Float64Array {
  const d = x0.length;
  const batch = new Float32Array(2 * d * d);
  for (let j = 0; j < d; j++) {
    batch.set(x0, 2 * j * d);
    batch.set(x0, (2 * j + 1) * d);
    batch[2 * j * d + j] += h;
    batch[(2 * j + 1) * d + j] -= h;
  }
  const v = forwardValues(network, target, batch, 2 * d, activation);
  const g = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    // the step actually taken in float32
    const up = Math.fround(x0[j] + h) - x0[j];
    const down = x0[j] - Math.fround(x0[j] - h);
    g[j] = (v[2 * j] - v[2 * j + 1]) / (up + down);
  }
  return g;
}

/** max |a − b| / (atol + rtol·max|b|) ≤ 1 ⇔ close. Returns the worst ratio. */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (atol + rtol * scale));
  return worst;
}

/** Copy every weight and buffer of a network to host arrays (for "did it change?" checks). */
export function snapshot(network: Network): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [k, v] of network.weights) out.set(k, Float32Array.from(v.dataSync()));
  for (const [k, v] of network.buffers) out.set(k, Float32Array.from(v.dataSync()));
  return out;
}

/** The float64 reference network with the tfjs MLP's (float32) weights: `dense{i}/kernel` is `in × out`. */
export function referenceOf(net: Network, activation: Activation = relu): DenseNetwork {
  const layers = [];
  for (let i = 0; net.weights.has(`dense${i}/kernel`); i++) {
    const kernel = net.weights.get(`dense${i}/kernel`) as tf.Variable;
    const [inputs, outputs] = kernel.shape;
    const w = kernel.dataSync();
    const weights = new Float64Array(inputs * outputs);
    for (let a = 0; a < inputs; a++) for (let b = 0; b < outputs; b++) weights[b * inputs + a] = w[a * outputs + b];
    layers.push({ weights, bias: Float64Array.from((net.weights.get(`dense${i}/bias`) as tf.Variable).dataSync()) });
  }
  return denseNetwork(layers, activation);
}

/** The activations the oracle-vs-float64 tests run over, with their labels. */
export const ORACLE_TEST_ACTIVATIONS: [string, Activation][] = [
  ["relu", relu],
  ["softplus 10", softplus(10)],
  ["swish 5", swish(5)],
  ["gelu", gelu()],
];
