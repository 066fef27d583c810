import { DimensionMismatchError, InvalidArgumentError, checkInteger, checkPositive, described } from "@smoothhess/errors";
import type { GradientBatch, PointBatch, SyncGradientOracle } from "@smoothhess/oracle";
import { gaussianSampler, seededPermutation } from "@smoothhess/random";

/*
 * The function Agarwal et al. (2021, §6.1) explain: a small fully connected classifier with ELU activations
 * ("two layer neural network with ELU activation function and 10 nodes per hidden layer"), trained with Adam on
 * the cross-entropy. Written here in float64 because the project's tfjs MLPs offer ReLU, SoftPlus, Swish and GELU
 * only, and because an explanation's robustness should be measured on exact gradients, not float32 ones.
 */

/** ELU(z) = z for z > 0, e^z − 1 otherwise (α = 1); smooth enough that its gradient is Lipschitz. */
function elu(z: number): number {
  return z > 0 ? z : Math.expm1(z);
}

function eluDerivative(z: number): number {
  return z > 0 ? 1 : Math.exp(z);
}

/** A float64 ELU classifier: `sizes[0]` inputs, ELU hidden layers, `sizes[last]` logits. */
export interface EluClassifier {
  /** Layer sizes, input first, e.g. `[2, 10, 10, 2]`. */
  readonly sizes: readonly number[];
  /** Weights per layer, row-major `outputs×inputs`; mutable (training updates them in place). */
  readonly weights: readonly Float64Array[];
  /** Biases per layer. */
  readonly biases: readonly Float64Array[];
}

/**
 * A seeded ELU classifier with He-normal weights and zero biases.
 *
 * @param sizes - at least input and output size, e.g. `[2, 10, 10, 2]` (two hidden layers of 10, as Agarwal et al.).
 * @throws {@link InvalidArgumentError} for fewer than two sizes or a size < 1.
 */
export function eluClassifier(sizes: readonly number[], seed = 0): EluClassifier {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new InvalidArgumentError("sizes", "at least two layer sizes", sizes);
  sizes.forEach((s, i) => checkInteger(`sizes[${i}]`, s, 1));
  const rng = gaussianSampler(seed);
  const weights: Float64Array[] = [], biases: Float64Array[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const w = rng.fillNormal(new Float64Array(sizes[l] * sizes[l - 1]));
    const scale = Math.sqrt(2 / sizes[l - 1]);
    for (let i = 0; i < w.length; i++) w[i] *= scale;
    weights.push(w);
    biases.push(new Float64Array(sizes[l]));
  }
  return { sizes: [...sizes], weights, biases };
}

/** Pre-activations of every layer for one input (the last entry holds the logits). */
function forward(net: EluClassifier, x: ArrayLike<number>): Float64Array[] {
  const out: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  for (let l = 0; l < net.weights.length; l++) {
    const n = net.sizes[l], m = net.sizes[l + 1], w = net.weights[l], b = net.biases[l];
    const z = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      let s = b[r];
      for (let c = 0; c < n; c++) s += w[r * n + c] * input[c];
      z[r] = s;
    }
    out.push(z);
    input = l + 1 < net.weights.length ? z.map(elu) : z;
  }
  return out;
}

/** Softmax probabilities of one input. */
export function eluClassifierProbabilities(net: EluClassifier, x: ArrayLike<number>): Float64Array {
  const logits = forward(net, x).at(-1)!;
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const p = logits.map((v) => Math.exp(v - max));
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / sum);
}

/**
 * Back-propagate `seed` (dLoss/dlogits) through the network for one input: adds parameter gradients into
 * `gradW`/`gradB` when given, and returns the input gradient.
 */
function backward(net: EluClassifier, x: ArrayLike<number>, pre: Float64Array[], seed: Float64Array, gradW?: Float64Array[], gradB?: Float64Array[]): Float64Array {
  let delta = seed;
  for (let l = net.weights.length - 1; l >= 0; l--) {
    const n = net.sizes[l], m = net.sizes[l + 1], w = net.weights[l];
    const input = l === 0 ? x : pre[l - 1].map(elu);
    if (gradW && gradB) {
      for (let r = 0; r < m; r++) {
        gradB[l][r] += delta[r];
        for (let c = 0; c < n; c++) gradW[l][r * n + c] += delta[r] * input[c];
      }
    }
    const next = new Float64Array(n);
    for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) next[c] += w[r * n + c] * delta[r];
    if (l > 0) for (let c = 0; c < n; c++) next[c] *= eluDerivative(pre[l - 1][c]);
    delta = next;
  }
  return delta;
}

/** Options of {@link trainEluClassifier}. */
export interface EluTrainingOptions {
  /** Passes over the data (Agarwal et al.: 15 for Simulated, 60 Bankruptcy, 100 Online Shopping). */
  readonly epochs: number;
  /** Mini-batch size (default 32). */
  readonly batchSize?: number;
  /** Adam step size (default 1e-2). */
  readonly learningRate?: number;
  /** Seed of the shuffling (default 0). */
  readonly seed?: number;
}

/**
 * Train an {@link EluClassifier} in place with Adam (β₁ = 0.9, β₂ = 0.999) on the mean cross-entropy.
 *
 * @param x - row-major `n×d` features.
 * @param y - class indices in `[0, classes)`.
 * @returns the mean training loss of every epoch.
 * @throws {@link DimensionMismatchError} when `x` does not hold `y.length` rows of the input size;
 *   {@link InvalidArgumentError} for a label out of range or bad options.
 */
export function trainEluClassifier(net: EluClassifier, x: ArrayLike<number>, y: ArrayLike<number>, options: EluTrainingOptions): number[] {
  const d = net.sizes[0], classes = net.sizes.at(-1)!, n = y.length;
  if (x.length !== n * d) throw new DimensionMismatchError("x", `${n}×${d} = ${n * d} features (one row per label)`, described(`length ${x.length}`));
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= classes) throw new InvalidArgumentError(`y[${i}]`, `a class index in [0, ${classes - 1}]`, y[i]);
  }
  const epochs = checkInteger("options.epochs", options.epochs, 1);
  const batchSize = checkInteger("options.batchSize", options.batchSize ?? 32, 1);
  const rate = checkPositive("options.learningRate", options.learningRate ?? 1e-2);
  const seed = checkInteger("options.seed", options.seed ?? 0);
  const zeros = () => net.weights.map((w) => new Float64Array(w.length));
  const zerosB = () => net.biases.map((b) => new Float64Array(b.length));
  const m1W = zeros(), m2W = zeros(), m1B = zerosB(), m2B = zerosB();
  let t = 0;
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = seededPermutation(n, seed + epoch);
    let total = 0;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const gW = zeros(), gB = zerosB();
      for (let k = start; k < end; k++) {
        const i = order[k];
        const row = Array.prototype.slice.call(x, i * d, (i + 1) * d) as number[];
        const pre = forward(net, row);
        const logits = pre.at(-1)!;
        let max = -Infinity;
        for (const v of logits) max = Math.max(max, v);
        const p = logits.map((v) => Math.exp(v - max));
        const sum = p.reduce((a, b) => a + b, 0);
        for (let c = 0; c < classes; c++) p[c] /= sum;
        total += -Math.log(Math.max(p[y[i]], 1e-300));
        p[y[i]] -= 1;
        backward(net, row, pre, p, gW, gB);
      }
      t++;
      const size = end - start;
      const update = (param: Float64Array, grad: Float64Array, m1: Float64Array, m2: Float64Array) => {
        for (let j = 0; j < param.length; j++) {
          const g = grad[j] / size;
          m1[j] = 0.9 * m1[j] + 0.1 * g;
          m2[j] = 0.999 * m2[j] + 0.001 * g * g;
          param[j] -= (rate * (m1[j] / (1 - 0.9 ** t))) / (Math.sqrt(m2[j] / (1 - 0.999 ** t)) + 1e-8);
        }
      };
      for (let l = 0; l < net.weights.length; l++) {
        update(net.weights[l], gW[l], m1W[l], m2W[l]);
        update(net.biases[l], gB[l], m1B[l], m2B[l]);
      }
    }
    losses.push(total / n);
  }
  return losses;
}

/**
 * The {@link SyncGradientOracle} of the softmax probability of class `target` (values in [0, 1]: the bounded f of
 * Agarwal et al. §2.3 and Wang et al. Thm. 2), with exact float64 input gradients.
 *
 * @throws {@link InvalidArgumentError} for a class index out of range.
 */
export function eluProbabilityOracle(net: EluClassifier, target: number): SyncGradientOracle {
  const classes = net.sizes.at(-1)!, d = net.sizes[0];
  checkInteger("target", target, 0, classes - 1);
  return {
    dim: d,
    evaluate(points: PointBatch, n: number): GradientBatch {
      const values = new Float64Array(n), gradients = new Float64Array(n * d);
      for (let p = 0; p < n; p++) {
        const row = points.subarray(p * d, (p + 1) * d);
        const pre = forward(net, row);
        const logits = pre.at(-1)!;
        let max = -Infinity;
        for (const v of logits) max = Math.max(max, v);
        const e = logits.map((v) => Math.exp(v - max));
        const sum = e.reduce((a, b) => a + b, 0);
        const prob = e.map((v) => v / sum);
        values[p] = prob[target];
        // ∂p_k/∂z_j = p_k(δ_kj − p_j)
        const seed = prob.map((pj, j) => prob[target] * ((j === target ? 1 : 0) - pj));
        gradients.set(backward(net, row, pre, seed), p * d);
      }
      return { values, gradients };
    },
  };
}
