/**
 * Helpers shared by this package's tests (not exported from the package).
 */
import { softmax, valueAndGradient, resolveTarget, type DenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";

/** A seeded random symmetric `d×d` matrix with N(0, scale²) entries (row-major). */
export function randomSymmetric(d: number, seed: number, scale = 1): Float64Array {
  const rng = gaussianSampler(seed);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal() * scale;
      a[i * d + j] = v;
      a[j * d + i] = v;
    }
  }
  return a;
}

/** A seeded random vector with N(0, scale²) entries. */
export function randomVector(d: number, seed: number, scale = 1): Float64Array {
  const v = gaussianSampler(seed).fillNormal(new Float64Array(d));
  for (let i = 0; i < d; i++) v[i] *= scale;
  return v;
}

/** `Σ aᵢbᵢ`. */
export function dotProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** `‖a‖₂`. */
export function euclidean(a: ArrayLike<number>): number {
  return Math.sqrt(dotProduct(a, a));
}

/** `aᵀb / (‖a‖‖b‖)`. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return dotProduct(a, b) / (euclidean(a) * euclidean(b));
}

/** `A x` for a row-major `d×d` matrix. */
export function multiply(a: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const d = x.length;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** `gᵀδ + ½ δᵀHδ` for a dense `H`. */
export function quadraticModel(g: ArrayLike<number>, h: ArrayLike<number>, delta: ArrayLike<number>): number {
  return dotProduct(g, delta) + 0.5 * dotProduct(delta, multiply(h, delta));
}

/**
 * The Kolmogorov–Smirnov statistic `sup |F_n(t) − F(t)|` of a sample against a continuous CDF.
 */
export function ksStatistic(sample: ArrayLike<number>, cdf: (t: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  const n = sorted.length;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    worst = Math.max(worst, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return worst;
}

/** The KS critical value at level α = 0.001 for a sample of size `n` (asymptotic: 1.949/√n). */
export function ksCritical(n: number): number {
  return 1.949 / Math.sqrt(n);
}

/** Solve `A x = b` for a small dense `d×d` matrix by Gaussian elimination with partial pivoting. */
export function solveDense(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const d = b.length;
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(m[i * d + k]) > Math.abs(m[p * d + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < d; j++) [m[k * d + j], m[p * d + j]] = [m[p * d + j], m[k * d + j]];
      [x[k], x[p]] = [x[p], x[k]];
    }
    for (let i = k + 1; i < d; i++) {
      const f = m[i * d + k] / m[k * d + k];
      for (let j = k; j < d; j++) m[i * d + j] -= f * m[k * d + j];
      x[i] -= f * x[k];
    }
  }
  for (let k = d - 1; k >= 0; k--) {
    let s = x[k];
    for (let j = k + 1; j < d; j++) s -= m[k * d + j] * x[j];
    x[k] = s / m[k * d + k];
  }
  return x;
}

/**
 * The input Jacobian of a reference network's logits at `x`, as the CASO paper's `W` (`d×c`, row-major: row `i`
 * holds `∂logits/∂xᵢ`), by exact backpropagation, with the logits.
 */
export function logitsJacobian(network: DenseNetwork, x: ArrayLike<number>): { w: Float64Array; logits: Float64Array } {
  const d = network.inputDim, c = network.outputDim;
  const w = new Float64Array(d * c);
  const grad = new Float64Array(d);
  const logits = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    logits[k] = valueAndGradient(network, resolveTarget(network, { output: k }), x, grad);
    for (let i = 0; i < d; i++) w[i * c + k] = grad[i];
  }
  return { w, logits };
}

/** Cross-entropy `−log p_y` of a reference network at `x` (from the logits, stably). */
export function crossEntropy(network: DenseNetwork, x: ArrayLike<number>, label: number): number {
  const pre = network.forward(x);
  const logits = pre[pre.length - 1];
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return -(logits[label] - max - Math.log(sum));
}

/**
 * The CASO paper's closed form at `x` (Prop. 1, Eq. 14–15): `g = W(p − y)`, `H = W(diag(p) − ppᵀ)Wᵀ` for the
 * cross-entropy at `label`.
 */
export function crossEntropyDerivatives(network: DenseNetwork, x: ArrayLike<number>, label: number): { gradient: Float64Array; hessian: Float64Array; probabilities: Float64Array } {
  const { w, logits } = logitsJacobian(network, x);
  const p = softmax(logits);
  return { ...closedFormLoss(w, network.inputDim, network.outputDim, p, label), probabilities: p };
}

/** `g = W(p − e_label)`, `H = W(diag(p) − ppᵀ)Wᵀ` for a row-major `d×c` `W`. */
export function closedFormLoss(w: ArrayLike<number>, d: number, c: number, p: ArrayLike<number>, label: number): { gradient: Float64Array; hessian: Float64Array } {
  const gradient = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += w[i * c + k] * (p[k] - (k === label ? 1 : 0));
    gradient[i] = s;
  }
  // H = W diag(p) Wᵀ − (Wp)(Wp)ᵀ
  const wp = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let k = 0; k < c; k++) wp[i] += w[i * c + k] * p[k];
  const hessian = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += w[i * c + k] * p[k] * w[j * c + k];
      const v = s - wp[i] * wp[j];
      hessian[i * d + j] = v;
      hessian[j * d + i] = v;
    }
  }
  return { gradient, hessian };
}

/**
 * The Hessian of the SoftMax probability `p_k` of a ReLU reference network at `x` (exact almost everywhere, since
 * the logits are locally linear): `W ∇²_z p_k Wᵀ` with `∂²p_k/∂zᵢ∂zⱼ = p_k(δ_kᵢ − pᵢ)(δ_kⱼ − pⱼ) − p_k pᵢ(δᵢⱼ − pⱼ)`.
 */
export function softmaxProbabilityHessian(network: DenseNetwork, x: ArrayLike<number>, k: number): Float64Array {
  const { w, logits } = logitsJacobian(network, x);
  const p = softmax(logits);
  const d = network.inputDim, c = network.outputDim;
  const inner = new Float64Array(c * c);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) {
      inner[i * c + j] = p[k] * ((k === i ? 1 : 0) - p[i]) * ((k === j ? 1 : 0) - p[j]) - p[k] * p[i] * ((i === j ? 1 : 0) - p[j]);
    }
  }
  const hessian = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) s += w[a * c + i] * inner[i * c + j] * w[b * c + j];
      hessian[a * d + b] = s;
    }
  }
  // exact symmetry
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) hessian[a * d + b] = hessian[b * d + a] = 0.5 * (hessian[a * d + b] + hessian[b * d + a]);
  return hessian;
}
