import * as tf from "@tensorflow/tfjs-core";
import { DisposedError } from "@smoothhess/errors";
import { type BoundQuadraticForms, type QuadraticFormKernel, checkBindArguments, checkHessianLength } from "../quadratic-form-kernel.js";

/**
 * A {@link QuadraticFormKernel} on the active tfjs backend: `U` is uploaded once as a float32 tensor, and each `H`
 * as a float32 tensor per call; `sum((U H) ⊙ U, rows)` runs as one transpose-free `matMul` (the fast path of the
 * wasm backend), and the forms come back as float64. The same arithmetic as `PerturbationBall`'s scoring.
 *
 * Choose the backend first (`useBackend("wasm")` of `@smoothhess/tfjs`); the kernel itself holds no tensors,
 * every binding holds one (`U`) until its `dispose()`.
 *
 * @example
 * ```ts
 * import { perturbationBalls } from "@smoothhess/metrics";
 * import { tfjsQuadraticFormKernel } from "@smoothhess/metrics/tfjs";
 * import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
 * import { useBackend } from "@smoothhess/tfjs";
 * await useBackend("wasm");
 * const oracle = networkOracle(randomDenseNetwork([4, 8, 2], { seed: 0 }), { output: 0 });
 * const balls = await perturbationBalls(oracle, [0, 0, 0, 0], { balls: [{ radius: 0.5, seed: 1 }], kernel: tfjsQuadraticFormKernel() });
 * const [ball] = await balls.score({ gradient: [1, 2, 3, 4], hessian: new Float64Array(16).fill(0.1) });
 * console.log(ball.mean);
 * await balls.dispose();
 * ```
 */
export function tfjsQuadraticFormKernel(): QuadraticFormKernel {
  return {
    /** `tfjs-<backend>-float32`, the backend active when read. */
    get name() {
      return `tfjs-${tf.getBackend()}-float32`;
    },
    bind(displacements: Float64Array, rows: number, dim: number): BoundQuadraticForms {
      checkBindArguments(displacements, rows, dim);
      let u: tf.Tensor2D | null = tf.tensor2d(Float32Array.from(displacements.subarray(0, rows * dim)), [rows, dim]);
      return {
        rows,
        dim,
        evaluate(hessian: ArrayLike<number>): Float64Array {
          if (u === null) throw new DisposedError("this bound tfjs quadratic-form kernel", "bind the rows again");
          checkHessianLength(hessian, dim);
          const rowsTensor = u;
          const forms = tf.tidy(() => {
            const h = tf.tensor2d(Float32Array.from(hessian), [dim, dim]);
            return tf.sum(tf.mul(tf.matMul(rowsTensor, h), rowsTensor), 1);
          });
          try {
            return Float64Array.from(forms.dataSync() as Float32Array);
          } finally {
            forms.dispose();
          }
        },
        dispose() {
          u?.dispose();
          u = null;
        },
      };
    },
  };
}
