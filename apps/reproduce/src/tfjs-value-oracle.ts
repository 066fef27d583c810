import * as tf from "@tensorflow/tfjs-core";
import type { PointBatch, ValueBatch, ValueOracle } from "@smoothhess/oracle";
import { resolveTfjsTarget, targetValues, type Network, type TfjsTarget } from "@smoothhess/tfjs";

/**
 * A value-only oracle (`ValueOracle` of `@smoothhess/oracle`) of a tfjs network's target: one forward pass per
 * batch inside `tf.tidy`, float32 on the backend, float64 copies out. P_MSE (paper Eq. 11) needs only values of
 * the ReLU network f, and a forward pass is half the cost of the gradient oracle's value-and-gradient pass.
 *
 * @param network - the tfjs network (ReLU, as trained).
 * @param target - a logit, a SoftMax probability or an internal neuron (`TfjsTarget`; "predicted" resolves once).
 * @param maxBatchSize - largest batch per forward pass (default 1024).
 */
export function tfjsValueOracle(network: Network, target: TfjsTarget, maxBatchSize = 1024): ValueOracle {
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
