import * as tf from "@tensorflow/tfjs-core";
import { requireBackend } from "./backend.js";

/**
 * An `out += Aᵀ B` kernel for the dense estimators of `@smoothhess/stein` (it fits their `OuterProductKernel`
 * option structurally, so this package does not depend on stein): each block of m Monte-Carlo rows is multiplied
 * on the active tfjs backend in **float32** and the p×q product is added to the caller's **float64**
 * accumulator. Per block the rounding is that of a float32 sum of m products (relative ~1e-7·√m of the block's
 * scale); across blocks nothing accumulates in float32, so 10⁵ samples lose no more than one block does.
 *
 * The transpose is explicit (`tf.transpose`, then a transpose-free `matMul`) because the wasm backend uses its
 * fast (XNNPACK) matMul only for transpose-free products and runs any `transposeA` / `transposeB` flag in a scalar
 * loop.
 *
 * @example
 * ```ts
 * await useBackend("wasm");
 * await smoothHess(oracle, x0, { covariance: { sigma: 0.05 }, samples: 100_000, kernel: tfjsOuterProductKernel() });
 * ```
 */
export function tfjsOuterProductKernel(): {
  readonly name: string;
  addTransposedProduct(out: Float64Array, a: Float64Array, b: Float64Array, m: number, p: number, q: number): Promise<void>;
} {
  requireBackend("tfjsOuterProductKernel");
  return {
    name: `tfjs-${tf.getBackend()}-float32`,
    async addTransposedProduct(out, a, b, m, p, q) {
      if (m === 0) return;
      const product = tf.tidy(() => {
        const at = tf.transpose(tf.tensor2d(Float32Array.from(a.subarray(0, m * p)), [m, p]));
        const bt = tf.tensor2d(Float32Array.from(b.subarray(0, m * q)), [m, q]);
        return tf.matMul(at, bt);
      });
      try {
        const values = (await product.data()) as Float32Array;
        for (let k = 0; k < p * q; k++) out[k] += values[k];
      } finally {
        product.dispose();
      }
    },
  };
}
