// Test-only helpers (not exported from index.ts).
import { denseNetwork, type DenseNetwork, type SyncGradientOracle } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";

/** Fixed-seed standard normal vector. */
export function normalVector(seed: number, length: number, scale = 1): Float64Array {
  const out = gaussianSampler(seed).fillNormal(new Float64Array(length));
  for (let i = 0; i < length; i++) out[i] *= scale;
  return out;
}

/**
 * Central finite differences of a gradient: column j is (g(x + h e_j) − g(x − h e_j)) / 2h, returned row-major
 * d×d with entry (i, j) = ∂g_i/∂x_j. `gradient` returns the exact gradient at a point.
 */
export function centralDifferenceHessian(gradient: (x: Float64Array) => ArrayLike<number>, x0: ArrayLike<number>, h: number): Float64Array {
  const d = x0.length;
  const out = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const up = Float64Array.from(x0);
    const down = Float64Array.from(x0);
    up[j] += h;
    down[j] -= h;
    const gu = gradient(up);
    const gd = gradient(down);
    const step = up[j] - down[j];
    for (let i = 0; i < d; i++) out[i * d + j] = (gu[i] - gd[i]) / step;
  }
  return out;
}

/** Central differences of a scalar function: the gradient. */
export function centralDifferenceGradient(f: (x: Float64Array) => number, x0: ArrayLike<number>, h: number): Float64Array {
  const d = x0.length;
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const up = Float64Array.from(x0);
    const down = Float64Array.from(x0);
    up[j] += h;
    down[j] -= h;
    out[j] = (f(up) - f(down)) / (up[j] - down[j]);
  }
  return out;
}

/** max |a − b| / max |b|: the error of `a` relative to the largest entry of the reference `b`. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

/** Largest |A − Aᵀ| of a row-major n×n block. */
export function asymmetry(a: ArrayLike<number>, n: number, offset = 0): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) worst = Math.max(worst, Math.abs(a[offset + i * n + j] - a[offset + j * n + i]));
  }
  return worst;
}

/** Naive row-major product C = A B (A: r×k, B: k×c). */
export function naiveProduct(a: ArrayLike<number>, b: ArrayLike<number>, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let t = 0; t < k; t++) for (let j = 0; j < c; j++) out[i * c + j] += a[i * k + t] * b[t * c + j];
  return out;
}

/**
 * Independent reference for the cross-entropy head `ℓ = −log softmax(o)_y` (test ground truth), from the logits
 * shifted by their maximum (`r_k = e^{o_k − max}`, `R = Σ_k r_k`) with every `1 − p_i` written as the explicit sum
 * `Σ_{k≠i} r_k / R`: `p_i = r_i/R`; seed `p_j` (j ≠ y) and `−Σ_{k≠y} r_k / R` (j = y); curvature `p_i Σ_{k≠i} r_k / R`
 * on the diagonal and `−p_i p_j` off it; loss `log1p(Σ_{k≠y} r_k)` when y is an argmax (r_y = 1), else
 * `(max − o_y) + log R`. Every entry is a sum of positive terms, a product or a quotient, so it carries a relative
 * error of a few ulps at any margin (the textbook `p_y − 1`, `p_y − p_y²` and `logsumexp(o) − o_y` do not).
 */
export function crossEntropyReference(logits: ArrayLike<number>, y: number): { value: number; seed: Float64Array; curvature: Float64Array } {
  const c = logits.length;
  let max = -Infinity;
  for (let k = 0; k < c; k++) max = Math.max(max, logits[k]);
  const r = Array.from({ length: c }, (_, k) => Math.exp(logits[k] - max));
  const R = r.reduce((a, b) => a + b, 0);
  const othersThan = (i: number) => r.reduce((a, b, k) => (k === i ? a : a + b), 0);
  const p = r.map((v) => v / R);
  const seed = Float64Array.from(p, (v, j) => (j === y ? -othersThan(y) / R : v));
  const curvature = new Float64Array(c * c);
  for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) curvature[i * c + j] = i === j ? (p[i] * othersThan(i)) / R : -p[i] * p[j];
  const value = logits[y] === max ? Math.log1p(othersThan(y)) : max - logits[y] + Math.log(R);
  return { value, seed, curvature };
}

/** Largest entrywise relative error `|a_i − b_i| / |b_i|` (entries equal in both, zeros included, count 0). */
export function entrywiseRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (a[i] === b[i]) continue;
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  }
  return worst;
}

/** Logits of c classes in which class y leads the next one by `margin` (the others trail by 0.5, 1.25, …), around `top`. */
export function logitsWithMargin(c: number, y: number, margin: number, top = 7.3): Float64Array {
  const out = new Float64Array(c);
  let t = 0;
  for (let k = 0; k < c; k++) out[k] = k === y ? top : top - margin - [0, 0.5, 1.25, 2, 3.5, 4][t++ % 6];
  return out;
}

/** The same weights with the last layer's bias shifted so that the logits at `x0` are `logits` (to rounding). */
export function withLogitsAt(network: DenseNetwork, x0: ArrayLike<number>, logits: ArrayLike<number>): DenseNetwork {
  const pre = network.forward(x0);
  const z = pre[pre.length - 1];
  const last = network.layers.length - 1;
  return denseNetwork(
    network.layers.map((layer, l) => ({
      weights: layer.weights,
      bias: l === last ? Float64Array.from(layer.bias, (b, k) => b + logits[k] - z[k]) : layer.bias,
    })),
    network.activation,
  );
}

/**
 * Independent float64 reference of the cross-entropy loss of label y and its input gradient at x, from the logits
 * and their input gradients only (`logit(k)` is the `{ output: k }` oracle; no cross-entropy code involved):
 * `∇ℓ = Σ_{j≠y} p_j (∇z_j − ∇z_y)` with `p_j` of {@link crossEntropyReference}, which keeps its relative precision
 * when `p_y` rounds to 1. Also returns the logits and their Jacobian (`c×d`, row k = ∇z_k).
 */
export function crossEntropyGradientReference(
  logit: (k: number) => SyncGradientOracle,
  c: number,
  x: ArrayLike<number>,
  y: number,
): { value: number; gradient: Float64Array; logits: Float64Array; jacobian: Float64Array; middle: Float64Array } {
  const d = x.length;
  const logits = new Float64Array(c);
  const jacobian = new Float64Array(c * d);
  for (let k = 0; k < c; k++) {
    const { values, gradients } = logit(k).evaluate(Float64Array.from(x), 1);
    logits[k] = values[0];
    jacobian.set(gradients, k * d);
  }
  const head = crossEntropyReference(logits, y);
  const gradient = new Float64Array(d);
  for (let j = 0; j < c; j++) {
    if (j === y) continue;
    for (let i = 0; i < d; i++) gradient[i] += head.seed[j] * (jacobian[j * d + i] - jacobian[y * d + i]);
  }
  return { value: head.value, gradient, logits, jacobian, middle: head.curvature };
}

/**
 * Independent reference for the SoftMax-probability head `p_k = softmax(o)_k` (test ground truth), by a route other
 * than `headDerivatives`: the chain rule through `S = Σ_{j≠k} e^{o_j − o_k}` (an explicit sum of positive terms), with
 * `p_k = f(S) = 1/(1 + S)`, `f′ = −p_k²`, `f″ = 2p_k³`, `∂S/∂o_j = e^{o_j − o_k}` (j ≠ k), `∂S/∂o_k = −S`, and
 * `∂²S/∂o_i∂o_j` = `e^{o_i − o_k}` (i = j ≠ k), `−e^{o_j − o_k}` (i = k ≠ j, and symmetrically), `S` (i = j = k),
 * 0 otherwise. Written with `t = ∇S/(1 + S)` and `U = ∇²S/(1 + S)` (so nothing overflows up to margins ~700):
 * seed `f′∇S = −p_k t` (its k-th entry `p_k S/(1 + S)`, i.e. `p_k Σ_{j≠k} p_j`), curvature
 * `f″∇S∇Sᵀ + f′∇²S = 2p_k t tᵀ − p_k U`. For a confident class (S ≪ 1) each entry is a dominant term plus a much
 * smaller one, so it carries a relative error of a few ulps at any margin (the textbook `p_k(1 − p_k)` does not).
 */
export function softmaxReference(logits: ArrayLike<number>, k: number): { value: number; seed: Float64Array; curvature: Float64Array } {
  const c = logits.length;
  const e = Array.from({ length: c }, (_, j) => (j === k ? 0 : Math.exp(logits[j] - logits[k])));
  const S = e.reduce((a, b) => a + b, 0);
  const pk = 1 / (1 + S);
  const t = e.map((v, j) => (j === k ? -S / (1 + S) : v / (1 + S)));
  const u = (i: number, j: number) => {
    if (i === k && j === k) return S / (1 + S);
    if (i === k) return -t[j];
    if (j === k) return -t[i];
    return i === j ? t[i] : 0;
  };
  const seed = Float64Array.from(t, (v) => -pk * v);
  const curvature = new Float64Array(c * c);
  for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) curvature[i * c + j] = 2 * pk * t[i] * t[j] - pk * u(i, j);
  return { value: pk, seed, curvature };
}

/**
 * Independent float64 reference of the SoftMax probability of class k and its input gradient at x, from the logits
 * and their input gradients only (`logit(k)` is the `{ output: k }` oracle; no SoftMax code involved):
 * `∇p_k = Σ_{j≠k} p_k p_j (∇z_k − ∇z_j)` with `p_k p_j = −seed_j` of {@link softmaxReference}, which keeps its
 * relative precision when `p_k` rounds to 1. Also returns the logits, their Jacobian (`c×d`, row j = ∇z_j) and the
 * reference curvature (`middle`, c×c).
 */
export function softmaxGradientReference(
  logit: (k: number) => SyncGradientOracle,
  c: number,
  x: ArrayLike<number>,
  k: number,
): { value: number; gradient: Float64Array; logits: Float64Array; jacobian: Float64Array; middle: Float64Array } {
  const d = x.length;
  const logits = new Float64Array(c);
  const jacobian = new Float64Array(c * d);
  for (let j = 0; j < c; j++) {
    const { values, gradients } = logit(j).evaluate(Float64Array.from(x), 1);
    logits[j] = values[0];
    jacobian.set(gradients, j * d);
  }
  const head = softmaxReference(logits, k);
  const gradient = new Float64Array(d);
  for (let j = 0; j < c; j++) {
    if (j === k) continue;
    for (let i = 0; i < d; i++) gradient[i] -= head.seed[j] * (jacobian[k * d + i] - jacobian[j * d + i]);
  }
  return { value: head.value, gradient, logits, jacobian, middle: head.curvature };
}
