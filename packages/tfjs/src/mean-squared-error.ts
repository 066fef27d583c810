import * as tf from "@tensorflow/tfjs-core";
import type { Network } from "./network.js";

/**
 * Mean squared error of a tfjs regression network (one output) on `n` examples, evaluated in batches of `batch`
 * rows inside `tf.tidy` (float32 per batch, summed in float64). The network runs in inference mode.
 *
 * @param x - `n × network.inputSize` inputs, row-major.
 * @param y - `n` targets.
 */
export function meanSquaredError(network: Network, x: Float32Array, y: Float32Array, n: number, batch = 8192): number {
  let sum = 0;
  const d = network.inputSize;
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    sum += tf.tidy(() => {
      const input = tf.tensor2d(x.subarray(start * d, (start + m) * d), [m, d]);
      const target = tf.tensor2d(y.subarray(start, start + m), [m, 1]);
      const { output } = network.forward(input);
      return tf.sum(tf.square(tf.sub(output, target))).dataSync()[0];
    });
  }
  return sum / n;
}
