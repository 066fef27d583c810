import * as tf from "@tensorflow/tfjs-core";
import { headDerivatives } from "../output-head.js";
import type { ModelActivation } from "../surrogate-activation.js";
import type { ResolvedSurrogateTarget } from "../surrogate-target.js";
import { activationOps, siteWithExactGradient } from "./activation-ops.js";
import type { CompiledProgram } from "./layer-program.js";

/**
 * Exact second-order passes through a {@link CompiledProgram} in tfjs (internal; the public face is
 * `tfjsSurrogates`).
 *
 * The only nonlinearities of the program are its activation sites (batch norm runs on fixed statistics), so for a
 * target f = h(o) of the output o — or a site pre-activation —
 *
 *     ∇²f(x) = Σ_s J_sᵀ diag(φ″(z_s) ⊙ u_s) J_s + J_oᵀ ∇²h J_o,
 *
 * with `z_s` the pre-activation of site s, `J_s = ∂z_s/∂x`, `u_s = ∂f/∂φ(z_s)` its adjoint and `J_o` the output
 * Jacobian (the same sum that Hessian backpropagation unrolls in the float64 path). For k directions T (rows), the
 * quadratic form `q(T) = ½ Σ_rows [Σ_s ⟨φ″(z_s) ⊙ u_s, (J_s t)²⟩ + (J_o t)ᵀ ∇²h (J_o t)]` has gradient `T H`, and
 * `J_s t`, `J_o t` come from running the program's *linearisation* (biases dropped, each site multiplying by
 * φ′(z_s)) on T. So a Hessian-vector product costs one first-order pass (values, `z_s`, `u_s`) plus one linear pass
 * with its gradient — and tfjs autodiff is only ever asked for **first** derivatives: of linear ops (matMul,
 * convolutions, mean, reshape, products with constant tensors, square) and of the sites, whose gradient is defined
 * from their input via `tf.customGrad`. φ′ and φ″ are written out from the input z. No second derivative of
 * sigmoid, exp, tanh or softplus is taken from tfjs, which is why the result is exact where tfjs's own grad-of-grad
 * is wrong (swish, log(1+eˣ)) or throws.
 * @internal
 */

/** What one first-order pass returns for n points (host copies plus kept tensors for later passes). */
export interface FirstOrderResult {
  readonly values: Float64Array;
  readonly gradients: Float32Array;
  readonly logits: Float32Array;
  /** Pre-activation of every site, `[n, ...site shape]`; disposed by {@link disposeFirstOrder}. */
  readonly pre: tf.Tensor[];
  /** Adjoint `u_s = ∂f/∂φ(z_s)` of every site, same shapes; disposed by {@link disposeFirstOrder}. */
  readonly adjoints: tf.Tensor[];
}

/** Free the tensors a first-order pass kept. */
export function disposeFirstOrder(result: FirstOrderResult): void {
  for (const t of result.pre) t.dispose();
  for (const t of result.adjoints) t.dispose();
}

/** Per-example shapes of the sites and the output size, found by running the program once. */
export interface ProgramShape {
  readonly siteShapes: readonly (readonly number[])[];
  readonly siteSizes: readonly number[];
  readonly outputDim: number;
}

/** Run the program once on zeros to learn the shapes of its sites and output. */
export function programShape(program: CompiledProgram): ProgramShape {
  const shapes: number[][] = [];
  const out = tf.tidy(() =>
    program.run(tf.zeros([1, program.inputSize]), {
      linear: false,
      site: (z, i) => {
        shapes[i] = z.shape.slice(1);
        return tf.relu(z);
      },
    }),
  );
  const outputDim = out.shape[1];
  out.dispose();
  return { siteShapes: shapes, siteSizes: shapes.map((s) => s.reduce((a, b) => a * b, 1)), outputDim };
}

/** Values, gradients, logits, site pre-activations and adjoints of `target` at `n` points. */
export async function firstOrderPass(
  program: CompiledProgram,
  shape: ProgramShape,
  activation: ModelActivation,
  target: ResolvedSurrogateTarget,
  points: Float32Array,
  n: number,
  withAdjoints: boolean,
): Promise<FirstOrderResult> {
  const d = program.inputSize;
  const pre: tf.Tensor[] = [];
  let kept: tf.Tensor[] = [];
  try {
    const [gradients, logits, adjoints] = tf.tidy(() => {
      const beta = tf.scalar("beta" in activation ? activation.beta : 1);
      const ops = activationOps(activation, beta);
      const site = siteWithExactGradient(ops);
      const x = tf.tensor2d(points, [n, d]);
      const probes = withAdjoints ? shape.siteShapes.map((s) => tf.zeros([n, ...s])) : [];
      let logitsOut: tf.Tensor2D | undefined;
      const f = (...args: tf.Tensor[]): tf.Scalar => {
        const out = program.run(args[0] as tf.Tensor2D, {
          linear: false,
          site: (z, i) => {
            pre[i] = tf.keep(z);
            kept.push(pre[i]);
            return withAdjoints ? tf.add(site(z), args[1 + i]) : site(z);
          },
        });
        logitsOut = tf.keep(out);
        kept.push(logitsOut);
        let y = targetSum(out, pre, target, n);
        // keep every probe connected to y (tf.grads refuses unconnected inputs); adds exactly 0
        if (withAdjoints) for (let i = 1; i < args.length; i++) y = tf.add(y, tf.mul(tf.sum(args[i]), 0));
        return y as tf.Scalar;
      };
      const grads = tf.grads(f)(withAdjoints ? [x, ...probes] : [x]);
      return [grads[0], logitsOut as tf.Tensor2D, grads.slice(1)] as const;
    });
    const adjointList = adjoints as tf.Tensor[];
    kept.push(gradients, ...adjointList);
    const logitValues = (await logits.data()) as Float32Array;
    const gradientValues = (await gradients.data()) as Float32Array;
    const values = new Float64Array(n);
    if (target.kind === "neuron") {
      const z = (await pre[target.layer].data()) as Float32Array;
      const size = shape.siteSizes[target.layer];
      for (let p = 0; p < n; p++) values[p] = z[p * size + target.unit];
    } else {
      const c = shape.outputDim;
      for (let p = 0; p < n; p++) values[p] = headDerivatives(target.kind, target.unit, logitValues.subarray(p * c, (p + 1) * c)).value;
    }
    gradients.dispose();
    logits.dispose();
    const result = { values, gradients: gradientValues, logits: logitValues, pre: [...pre], adjoints: adjointList };
    kept = [];
    return result;
  } finally {
    for (const t of kept) t.dispose();
  }
}

/** The sum over the batch of the target, as a differentiable tfjs expression (first order only). */
function targetSum(out: tf.Tensor2D, pre: tf.Tensor[], target: ResolvedSurrogateTarget, n: number): tf.Scalar {
  const column = (m: tf.Tensor2D, j: number) => tf.slice(m, [0, j], [n, 1]);
  switch (target.kind) {
    case "logit":
      return tf.sum(column(out, target.unit)) as tf.Scalar;
    case "softmax":
      return tf.sum(softmaxRows(out, target.unit)) as tf.Scalar;
    case "crossEntropy":
      return tf.sum(crossEntropyRows(out, target.unit)) as tf.Scalar;
    case "neuron":
      return tf.sum(column(tf.reshape(pre[target.layer], [n, -1]) as tf.Tensor2D, target.unit)) as tf.Scalar;
  }
}

/**
 * The SoftMax probability `p_k = softmax(z)_k` of every row of the logits `z` (`n × c`), shape `[n]`, with its
 * gradient written out stably (as `headDerivatives` does in float64). From the class-shifted logits `s = z − z_k`
 * (`M = max_j s_j ≥ 0`, `V = Σ_{j≠k} e^{s_j − M}`, `D = e^{−M} + V`): `p_k = e^{−M}/D`, `p_j = e^{s_j − M}/D`, and
 * `∂p_k/∂z_j = −p_k p_j` (j ≠ k), `∂p_k/∂z_k = p_k V/D = p_k Σ_{j≠k} p_j`. Autodiff of `tf.softmax` gives
 * `p_k(1 − p_k)` there, which is 0 in float32 once the margin exceeds ~17, dropping the `∇z_k` term of the gradient
 * and of every adjoint (so the curvature of a smooth surrogate's probability too). The gradient is a `tf.customGrad`
 * computed from the saved *input* (never from the saved output, whose second derivatives tfjs gets wrong), used for
 * first derivatives only; the value (which the passes do not read: values come from `headDerivatives` in float64) is
 * `e^{−M}/D`.
 */
function softmaxRows(out: tf.Tensor2D, k: number): tf.Tensor1D {
  const [n, c] = out.shape;
  const classRow = new Float32Array(c);
  classRow[k] = 1;
  const shifted = (z: tf.Tensor) => {
    const unit = tf.tensor2d(classRow, [1, c]);
    const s = tf.sub(z, tf.slice(z, [0, k], [n, 1]));
    const m = tf.max(s, 1, true);
    const e = tf.mul(tf.exp(tf.sub(s, m)), tf.sub(1, unit)); // e^{s_j − M}, 0 at j = k
    const v = tf.sum(e, 1, true);
    const top = tf.exp(tf.neg(m));
    return { unit, e, v, top, denominator: tf.add(top, v) };
  };
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const z = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([z]);
    const { top, denominator } = shifted(z);
    return {
      value: tf.reshape(tf.div(top, denominator), [n]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const { unit, e, v, top: t, denominator: den } = shifted(saved[0]);
        // p_k (V e_k − e) / D: p_k Σ_{j≠k} p_j at k, −p_k p_j elsewhere
        const pk = tf.div(t, den);
        const seed = tf.div(tf.mul(pk, tf.sub(tf.mul(unit, v), e)), den);
        return tf.mul(tf.reshape(dy, [n, 1]), seed);
      },
    };
  })(out) as tf.Tensor1D;
}

/**
 * The cross-entropy loss `ℓ = −log softmax(z)_y` of every row of the logits `z` (`n × c`), shape `[n]`, with its
 * gradient written out stably (as `tfjsOracle` of `@smoothhess/tfjs` and `headDerivatives` do). From the
 * label-shifted logits `s = z − z_y` (`M = max_j s_j ≥ 0`, `V = Σ_{j≠y} e^{s_j − M}`, `D = e^{−M} + V`):
 * `∂ℓ/∂z_j = e^{s_j − M}/D = p_j` (j ≠ y) and `∂ℓ/∂z_y = −V/D = −Σ_{j≠y} p_j`. Autodiff of `tf.logSoftmax` gives
 * `p_y − 1` there, which is 0 in float32 once the margin exceeds ~17, dropping the `−∇z_y` term of the gradient and
 * of every adjoint (so the curvature of a smooth surrogate's loss too). The gradient is a `tf.customGrad` from the
 * input, used for first derivatives only. The value (which the passes do not read: values come from
 * `headDerivatives` in float64) is `M + log1p(expm1(−M) + V)`, log1p by Goldberg's `u·log(w)/(w − 1)`, `w = 1 + u`,
 * since wasm's `Log1p` kernel computes `log(1 + u)`, 0 for `u < 6e-8`.
 */
function crossEntropyRows(out: tf.Tensor2D, y: number): tf.Tensor1D {
  const [n, c] = out.shape;
  const labelRow = new Float32Array(c);
  labelRow[y] = 1;
  const shifted = (z: tf.Tensor) => {
    const label = tf.tensor2d(labelRow, [1, c]);
    const s = tf.sub(z, tf.slice(z, [0, y], [n, 1]));
    const m = tf.max(s, 1, true);
    const e = tf.mul(tf.exp(tf.sub(s, m)), tf.sub(1, label)); // e^{s_j − M}, 0 at j = y
    return { label, m, e, v: tf.sum(e, 1, true) };
  };
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const z = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([z]);
    const { m, v } = shifted(z);
    const u = tf.add(tf.expm1(tf.neg(m)), v);
    const w = tf.add(u, 1);
    const exact = tf.equal(w, 1);
    const log1p = tf.where(exact, u, tf.div(tf.mul(u, tf.log(w)), tf.where(exact, tf.onesLike(w), tf.sub(w, 1))));
    return {
      value: tf.reshape(tf.add(m, log1p), [n]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const { label, m: ms, e, v: vs } = shifted(saved[0]);
        const seed = tf.div(tf.sub(e, tf.mul(label, vs)), tf.add(tf.exp(tf.neg(ms)), vs));
        return tf.mul(tf.reshape(dy, [n, 1]), seed);
      },
    };
  })(out) as tf.Tensor1D;
}

/**
 * `T H(x_p)` for the directions T (`k×d`, rows), at point `p` of a first-order pass, by the gradient of the
 * quadratic form above. Returns a `k×d` Float32Array.
 */
export async function hessianTimes(
  program: CompiledProgram,
  activation: ModelActivation,
  target: ResolvedSurrogateTarget,
  first: FirstOrderResult,
  p: number,
  directions: Float32Array,
  k: number,
): Promise<Float32Array> {
  const d = program.inputSize;
  const c = first.logits.length / (first.values.length || 1);
  const curvature =
    target.kind === "neuron" || target.kind === "logit"
      ? null
      : headDerivatives(target.kind, target.unit, first.logits.subarray(p * c, (p + 1) * c)).curvature;
  const smooth = activation.name !== "relu";
  if (!smooth && curvature === null) return new Float32Array(k * d); // ReLU logit / neuron: H = 0
  const product = tf.tidy(() => {
    const beta = tf.scalar("beta" in activation ? activation.beta : 1);
    const ops = activationOps(activation, beta);
    const slopes = first.pre.map((z) => ops.slope(tf.slice(z, p, 1)));
    const bends = smooth ? first.pre.map((z, s) => tf.mul(ops.curvature(tf.slice(z, p, 1)), tf.slice(first.adjoints[s], p, 1))) : [];
    const m = curvature ? tf.tensor2d(Float32Array.from(curvature), [c, c]) : null;
    const q = (t: tf.Tensor): tf.Scalar => {
      const tangents: tf.Tensor[] = [];
      const out = program.run(t as tf.Tensor2D, {
        linear: true,
        site: (zdot, i) => {
          tangents[i] = zdot;
          return tf.mul(slopes[i], zdot);
        },
      });
      let sum: tf.Tensor = tf.scalar(0);
      for (let s = 0; s < bends.length; s++) sum = tf.add(sum, tf.sum(tf.mul(bends[s], tf.square(tangents[s]))));
      if (m) sum = tf.add(sum, tf.sum(tf.mul(tf.matMul(out, m), out)));
      return tf.mul(sum, 0.5) as tf.Scalar;
    };
    return tf.grad(q)(tf.tensor2d(directions, [k, d]));
  });
  try {
    return (await product.data()) as Float32Array;
  } finally {
    product.dispose();
  }
}

/** Logits and their Jacobian (`c×d`) at one point: the gradient of the linearised program's output rows. */
export async function logitJacobianAt(
  program: CompiledProgram,
  shape: ProgramShape,
  activation: ModelActivation,
  x0: Float32Array,
): Promise<{ logits: Float32Array; jacobian: Float32Array }> {
  const d = program.inputSize;
  const c = shape.outputDim;
  const [logits, jacobian] = tf.tidy(() => {
    const beta = tf.scalar("beta" in activation ? activation.beta : 1);
    const ops = activationOps(activation, beta);
    const slopes: tf.Tensor[] = [];
    const out = program.run(tf.tensor2d(x0, [1, d]), {
      linear: false,
      site: (z, i) => {
        slopes[i] = ops.slope(z);
        return ops.value(z);
      },
    });
    const eye = tf.eye(c);
    const f = (t: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(program.run(t as tf.Tensor2D, { linear: true, site: (zdot, i) => tf.mul(slopes[i], zdot) }), eye));
    return [out, tf.grad(f)(tf.zeros([c, d]))];
  });
  try {
    return { logits: (await logits.data()) as Float32Array, jacobian: (await jacobian.data()) as Float32Array };
  } finally {
    logits.dispose();
    jacobian.dispose();
  }
}
