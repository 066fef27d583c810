import * as tf from "@tensorflow/tfjs-core";
import type { PointBatch, ValueBatch, ValueOracle } from "@smoothhess/oracle";
import { checkInteger } from "@smoothhess/errors";
import type { Network } from "./network.js";
import { resolveTfjsTarget, targetValues, type TfjsTarget } from "./target.js";
import { requireBackend } from "./backend.js";

/**
 * A value-only oracle (`ValueOracle` of `@smoothhess/oracle`) of a tfjs network's target: one forward pass per
 * batch inside `tf.tidy`, float32 on the backend, float64 copies out. P_MSE (paper Eq. 11) needs only values of
 * the ReLU network f, and a forward pass is half the cost of the gradient oracle's value-and-gradient pass.
 *
 * @param network - the tfjs network (ReLU, as trained).
 * @param target - a logit, a SoftMax probability or an internal neuron (`TfjsTarget`; "predicted" resolves once).
 * @param maxBatchSize - largest batch per forward pass (default 1024).
 * @throws {@link InvalidArgumentError} for a target the network does not have or a `maxBatchSize` below 1.
 *
 * @example
 * ```ts
 * const f = tfjsValueOracle(net, { output: 3 });
 * const { values } = await f.evaluate(points, n);   // f at n points, float64 copies of float32 values
 * ```
 */
export function tfjsValueOracle(network: Network, target: TfjsTarget, maxBatchSize = 1024): ValueOracle {
  requireBackend("tfjsValueOracle");
  checkInteger("maxBatchSize", maxBatchSize, 1);
  const resolved = resolveTfjsTarget(network, target);
  const d = network.inputSize;
  return {
    dim: d,
    maxBatchSize,
    evaluate(points: PointBatch, n: number): ValueBatch {
      const values = new Float64Array(n);
      for (let start = 0; start < n; start += maxBatchSize) {
        const rows = Math.min(maxBatchSize, n - start);
        const chunk = Float32Array.from(points.subarray(start * d, (start + rows) * d));
        const v = tf.tidy(() => targetValues(network, resolved, tf.tensor2d(chunk, [rows, d])));
        try {
          values.set(v.dataSync(), start);
        } finally {
          v.dispose();
        }
      }
      return { values };
    },
  };
}
