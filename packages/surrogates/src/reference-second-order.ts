import type { Activation, DenseNetwork, DenseLayer } from "@smoothhess/oracle";
import { headDerivatives } from "./output-head.js";
import { mirrorUpper, rowDots, transpose } from "@smoothhess/linalg";
import type { ResolvedSurrogateTarget } from "./surrogate-target.js";

/**
 * Exact second-order passes through a float64 `DenseNetwork` (internal; the public face is `referenceSurrogates`).
 *
 * Notation (paper Eq. 1): `z_l = W_l a_{l−1} + b_l`, `a_l = φ(z_l)`, `a_{−1} = x`; the target f reads the
 * pre-activation vector of layer `t` (the logits, `t = L`, or a hidden layer) through a head h: f = h(z_t).
 * Backpropagation carries `δ_l = ∂f/∂z_l` and `u_{l−1} = W_lᵀ δ_l = ∂f/∂a_{l−1}`, so `δ_{l−1} = φ′(z_{l−1}) ⊙ u_{l−1}`.
 *
 * **Hessian backpropagation.** Let `Q_l = ∂²f/∂z_l²`. Differentiating `δ_{l−1} = φ′(z_{l−1}) ⊙ W_lᵀ δ_l` once more
 * with respect to `z_{l−1}` (the chain rule through `z_l = W_l φ(z_{l−1}) + b_l`) gives
 *
 *     Q_{l−1} = D_{l−1} W_lᵀ Q_l W_l D_{l−1} + diag(φ″(z_{l−1}) ⊙ u_{l−1}),   D = diag(φ′(z_{l−1})),
 *
 * starting from `Q_t = ∇²h` (0 for a logit or a neuron, the SoftMax / cross-entropy curvature otherwise) and
 * ending with `∇²f(x) = W_0ᵀ Q_0 W_0`. Unrolled, this is `Σ_l J_lᵀ diag(φ″(z_l) ⊙ u_l) J_l + J_tᵀ ∇²h J_t` with
 * `J_l = ∂z_l/∂x`: every elementwise nonlinearity contributes its curvature weighted by its adjoint. Each step is
 * two dense products of the size of layer l, so the d×d Hessian of the MNIST MLP costs about half a billion
 * multiply-adds, less than the `Σ_l m_l d²` of forming the Jacobians.
 *
 * **Hessian-vector products** (Pearlmutter's R-operator, batched over k directions V): the forward tangents
 * `Ż_0 = V W_0ᵀ`, `Ż_l = (φ′(z_{l−1}) ⊙ Ż_{l−1}) W_lᵀ`, then `Δ̇_t = Ż_t ∇²h` and backwards
 * `Δ̇_{l−1} = φ′(z_{l−1}) ⊙ (Δ̇_l W_l) + (φ″(z_{l−1}) ⊙ u_{l−1}) ⊙ Ż_{l−1}`; finally `H Vᵀ = (Δ̇_0 W_0)ᵀ`.
 *
 * The weights are read from the network as they are; their transposes are computed once per weight set and shared
 * by every `withActivation` copy (a β sweep reuses them).
 * @internal
 */

/** Float64 weights and their transposes, shared by all activations of one network. @internal */
export interface ReferenceWeights {
  /** `W_l`, row-major `m_l × m_{l−1}`. */
  readonly w: readonly Float64Array[];
  /** `W_lᵀ`, row-major `m_{l−1} × m_l`. */
  readonly wt: readonly Float64Array[];
  /** `m_l` (outputs of layer l). */
  readonly outputs: readonly number[];
  /** `m_{l−1}` (inputs of layer l). */
  readonly inputs: readonly number[];
}

const cache = new WeakMap<readonly DenseLayer[], ReferenceWeights>();

/** The shared float64 weights of a network (computed on first use). @internal */
export function referenceWeights(network: DenseNetwork): ReferenceWeights {
  let found = cache.get(network.layers);
  if (!found) {
    const w = network.layers.map((l) => (l.weights instanceof Float64Array ? l.weights : Float64Array.from(l.weights)));
    found = {
      w,
      wt: network.layers.map((l, i) => transpose(w[i], l.outputs, l.inputs)),
      outputs: network.layers.map((l) => l.outputs),
      inputs: network.layers.map((l) => l.inputs),
    };
    cache.set(network.layers, found);
  }
  return found;
}

/** Everything one forward and one backward pass produce at a point. @internal */
export interface FirstOrderPass {
  /** Pre-activations `z_l`, every layer. */
  readonly pre: Float64Array[];
  /** Index t of the layer the target reads. */
  readonly top: number;
  readonly value: number;
  /** `∇²h` at the top (`m_t × m_t`), or null when zero. */
  readonly curvature: Float64Array | null;
  /** `u_l = ∂f/∂a_l` for `l = 0..t−1`. */
  readonly adjoints: Float64Array[];
  /** `φ′(z_l)` for `l = 0..t−1`. */
  readonly slopes: Float64Array[];
  /** `φ″(z_l) ⊙ u_l` for `l = 0..t−1`. */
  readonly bends: Float64Array[];
  readonly gradient: Float64Array;
}

/** Forward pass, head, and backward pass with the adjoints every second-order pass needs. @internal */
export function firstOrderPass(
  network: DenseNetwork,
  weights: ReferenceWeights,
  target: ResolvedSurrogateTarget,
  x: ArrayLike<number>,
): FirstOrderPass {
  const pre = network.forward(x);
  const act = network.activation;
  let top: number;
  let value: number;
  let delta: Float64Array;
  let curvature: Float64Array | null = null;
  if (target.kind === "neuron") {
    top = target.layer;
    value = pre[top][target.unit];
    delta = new Float64Array(pre[top].length);
    delta[target.unit] = 1;
  } else {
    top = pre.length - 1;
    const head = headDerivatives(target.kind, target.unit, pre[top]);
    value = head.value;
    delta = head.seed;
    curvature = head.curvature;
  }
  const adjoints: Float64Array[] = new Array(top);
  const slopes: Float64Array[] = new Array(top);
  const bends: Float64Array[] = new Array(top);
  for (let l = top; l >= 1; l--) {
    const u = transposedTimes(weights, l, delta);
    const z = pre[l - 1];
    const slope = new Float64Array(z.length);
    const bend = new Float64Array(z.length);
    const next = new Float64Array(z.length);
    for (let i = 0; i < z.length; i++) {
      slope[i] = act.derivative(z[i]);
      bend[i] = act.secondDerivative(z[i]) * u[i];
      next[i] = slope[i] * u[i];
    }
    adjoints[l - 1] = u;
    slopes[l - 1] = slope;
    bends[l - 1] = bend;
    delta = next;
  }
  return { pre, top, value, curvature, adjoints, slopes, bends, gradient: transposedTimes(weights, 0, delta) };
}

/** `W_lᵀ δ`. */
function transposedTimes(weights: ReferenceWeights, l: number, delta: Float64Array): Float64Array {
  const k = weights.inputs[l];
  const m = weights.outputs[l];
  const wt = weights.wt[l];
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    const row = i * m;
    for (let o = 0; o < m; o++) s += wt[row + o] * delta[o];
    out[i] = s;
  }
  return out;
}

/** A curvature `∂²f/∂z_l²`: zero, diagonal, or dense symmetric. */
type Curvature = null | { readonly diagonal: Float64Array } | { readonly dense: Float64Array };

/** `W_lᵀ Q W_l` (`k×k`, exactly symmetric), or null when Q is zero. */
function congruence(weights: ReferenceWeights, l: number, q: Curvature, out?: Float64Array): Float64Array | null {
  if (q === null) return null;
  const k = weights.inputs[l];
  const m = weights.outputs[l];
  const wt = weights.wt[l];
  const g = out ?? new Float64Array(k * k);
  if ("diagonal" in q) {
    const scaled = new Float64Array(k * m);
    for (let i = 0; i < k; i++) {
      const row = i * m;
      for (let o = 0; o < m; o++) scaled[row + o] = wt[row + o] * q.diagonal[o];
    }
    rowDots(g, k, scaled, k, wt, k, m, true);
  } else {
    const pt = rowDots(new Float64Array(k * m), m, wt, k, q.dense, m, m); // (Wᵀ Q)
    rowDots(g, k, wt, k, pt, k, m, true);
  }
  return mirrorUpper(g, k);
}

/**
 * The exact Hessian at one point by Hessian backpropagation, written into `hessian` (`d×d`, exactly symmetric).
 * @internal
 */
export function hessianFromPass(weights: ReferenceWeights, pass: FirstOrderPass, hessian: Float64Array, relu: boolean): void {
  let q: Curvature = pass.curvature ? { dense: pass.curvature } : null;
  if (relu) {
    // φ″ ≡ 0 and φ′ ∈ {0, 1}: the Hessian is J_tᵀ ∇²h J_t with the Jacobian J_t of the top layer (c rows).
    if (q === null) {
      hessian.fill(0);
      return;
    }
    const m = weights.outputs[pass.top];
    const d = weights.inputs[0];
    const jt = transpose(topJacobian(weights, pass, m), m, d); // d×m
    const pt = rowDots(new Float64Array(d * m), m, jt, d, pass.curvature as Float64Array, m, m); // (Jᵀ∇²h), d×m
    rowDots(hessian, d, jt, d, pt, d, m, true);
    mirrorUpper(hessian, d);
    return;
  }
  for (let l = pass.top; l >= 1; l--) {
    const g = congruence(weights, l, q);
    const slope = pass.slopes[l - 1];
    const bend = pass.bends[l - 1];
    const k = slope.length;
    if (g === null) {
      q = bend.some((b) => b !== 0) ? { diagonal: Float64Array.from(bend) } : null;
      continue;
    }
    for (let i = 0; i < k; i++) {
      const row = i * k;
      const si = slope[i];
      for (let j = 0; j < k; j++) g[row + j] *= si * slope[j];
      g[row + i] += bend[i];
    }
    q = { dense: g };
  }
  if (q === null) hessian.fill(0);
  else congruence(weights, 0, q, hessian);
}

/** Rows `∇ₓ z_t[i]` of the top layer's Jacobian (`m_t × d`), by `m_t` simultaneous backward passes. */
export function topJacobian(weights: ReferenceWeights, pass: Pick<FirstOrderPass, "top" | "slopes">, m: number): Float64Array {
  let delta: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) delta[i * m + i] = 1;
  for (let l = pass.top; l >= 1; l--) {
    const k = weights.inputs[l];
    const u = rowDots(new Float64Array(m * k), k, delta, m, weights.wt[l], k, weights.outputs[l]);
    const slope = pass.slopes[l - 1];
    for (let r = 0; r < m; r++) for (let i = 0; i < k; i++) u[r * k + i] *= slope[i];
    delta = u;
  }
  const d = weights.inputs[0];
  return rowDots(new Float64Array(m * d), d, delta, m, weights.wt[0], d, weights.outputs[0]);
}

/** Slopes `φ′(z_l)` of every hidden layer below `top` (for a Jacobian without a backward pass). @internal */
export function slopesOf(act: Activation, pre: Float64Array[], top: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let l = 0; l < top; l++) out.push(pre[l].map((z) => act.derivative(z)));
  return out;
}

/**
 * `H V ᵀ` for `k` directions (rows of `v`, `k×d`), written as rows into `products` (`k×d`), by the batched
 * R-operator. @internal
 */
export function hessianVectorProductsFromPass(
  weights: ReferenceWeights,
  pass: FirstOrderPass,
  v: ArrayLike<number>,
  k: number,
  products: Float64Array,
): void {
  const t = pass.top;
  const d = weights.inputs[0];
  // forward tangents Ż_l (k × m_l), l = 0..t
  const tangents: Float64Array[] = [];
  let zdot = rowDots(new Float64Array(k * weights.outputs[0]), weights.outputs[0], v, k, weights.w[0], weights.outputs[0], d);
  tangents.push(zdot);
  for (let l = 1; l <= t; l++) {
    const m = weights.outputs[l];
    const kIn = weights.inputs[l];
    const slope = pass.slopes[l - 1];
    const adot = new Float64Array(k * kIn);
    for (let r = 0; r < k; r++) for (let i = 0; i < kIn; i++) adot[r * kIn + i] = slope[i] * zdot[r * kIn + i];
    zdot = rowDots(new Float64Array(k * m), m, adot, k, weights.w[l], m, kIn);
    tangents.push(zdot);
  }
  // backward: Δ̇_t = Ż_t ∇²h
  const mt = weights.outputs[t];
  let ddot = pass.curvature
    ? rowDots(new Float64Array(k * mt), mt, tangents[t], k, pass.curvature, mt, mt)
    : new Float64Array(k * mt);
  for (let l = t; l >= 1; l--) {
    const kIn = weights.inputs[l];
    const udot = rowDots(new Float64Array(k * kIn), kIn, ddot, k, weights.wt[l], kIn, weights.outputs[l]);
    const slope = pass.slopes[l - 1];
    const bend = pass.bends[l - 1];
    const below = tangents[l - 1];
    for (let r = 0; r < k; r++) {
      const row = r * kIn;
      for (let i = 0; i < kIn; i++) udot[row + i] = slope[i] * udot[row + i] + bend[i] * below[row + i];
    }
    ddot = udot;
  }
  rowDots(products, d, ddot, k, weights.wt[0], d, weights.outputs[0]);
}
