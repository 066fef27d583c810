import * as tf from "@tensorflow/tfjs-core";
import { denseNetwork, relu, type DenseNetwork } from "@smoothhess/oracle";
import type { Network } from "@smoothhess/tfjs";

/**
 * The float64 reference network (`@smoothhess/oracle`) with the weights of a trained tfjs MLP. The tfjs layer is
 * `x·W + b` with `W` stored `in × out`; the reference layer is `W x + b` with `W` row-major `out × in`, so every
 * kernel is transposed. Float32 weights convert to float64 exactly; only the arithmetic differs (float64 here).
 */
export function referenceFromTfjsMlp(network: Network): DenseNetwork {
  if (network.architecture !== "mlp") throw new Error(`expected an MLP, got ${network.architecture}`);
  const layers = [];
  for (let i = 0; network.weights.has(`dense${i}/kernel`); i++) {
    const kernel = network.weights.get(`dense${i}/kernel`)!;
    const bias = network.weights.get(`dense${i}/bias`)!;
    const [inputs, outputs] = kernel.shape;
    const w = kernel.dataSync();
    const weights = new Float64Array(inputs * outputs);
    for (let r = 0; r < inputs; r++) for (let c = 0; c < outputs; c++) weights[c * inputs + r] = w[r * outputs + c];
    layers.push({ weights, bias: Float64Array.from(bias.dataSync()) });
  }
  return denseNetwork(layers, relu);
}

/** Mean squared error of a tfjs regression network on (x, y), evaluated in batches inside `tf.tidy`. */
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
