import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import type { Network } from "@smoothhess/tfjs";

/**
 * Labelled examples, row-major: `x` holds `n` rows of `d` features, `y` the class index of each row. The `Dataset`
 * of `@smoothhess/datasets` has this shape and can be passed as it is.
 */
export interface LabelledExamples {
  readonly x: Float32Array;
  readonly y: ArrayLike<number>;
  readonly n: number;
  readonly d: number;
}

/** The internal neuron a P_MSE experiment explains, and why it was chosen. */
export interface PenultimateNeuron {
  /** Hidden layer (1-based): the last one, the paper's "penultimate" layer. */
  readonly layer: number;
  /** Unit index within the layer. */
  readonly unit: number;
  /** The class whose examples activate it most on average. */
  readonly classIndex: number;
  /** Its mean ReLU activation over the training examples of that class. */
  readonly meanActivation: number;
  /** Training examples of the class that were averaged. */
  readonly examples: number;
}

/**
 * The unit of the last hidden layer **maximally activated on average over the training data of one class**, as the
 * paper picks its internal neuron (Table 1 caption, Sec. 5.1: class "three" for MNIST, "dress" for FMNIST, "cat" for
 * CIFAR-10). "Activated" is read as the ReLU output, max(0, z), averaged over the class's examples; the function the
 * experiments then explain is the neuron's pre-activation z, as in the authors' implementation.
 *
 * @param network - a trained tfjs network whose last hidden layer is the one searched (`network.layerSizes`).
 * @param data - the training examples; only the rows of `classIndex` are used.
 * @param classIndex - the class whose examples are averaged.
 * @param batch - rows per forward pass (default 2048; the result does not depend on it beyond float32 rounding).
 * @throws {@link InvalidArgumentError} when the class has no example in `data`.
 */
export function penultimateNeuron(network: Network, data: LabelledExamples, classIndex: number, batch = 2048): PenultimateNeuron {
  const layer = network.layerSizes.length;
  const units = network.layerSizes[layer - 1];
  const rows: number[] = [];
  for (let i = 0; i < data.n; i++) if (data.y[i] === classIndex) rows.push(i);
  if (rows.length === 0) throw new InvalidArgumentError("classIndex", "a class with at least one example in the data", classIndex);
  const sums = new Float64Array(units);
  const d = data.d;
  for (let start = 0; start < rows.length; start += batch) {
    const m = Math.min(batch, rows.length - start);
    const x = new Float32Array(m * d);
    for (let r = 0; r < m; r++) x.set(data.x.subarray(rows[start + r] * d, (rows[start + r] + 1) * d), r * d);
    const activation = tf.tidy(() => {
      const pre = network.forward(tf.tensor2d(x, [m, d]), { capture: true }).preActivations[layer - 1];
      return tf.sum(tf.relu(pre), 0);
    });
    const values = activation.dataSync();
    activation.dispose();
    for (let u = 0; u < units; u++) sums[u] += values[u];
  }
  let unit = 0;
  for (let u = 1; u < units; u++) if (sums[u] > sums[unit]) unit = u;
  return { layer, unit, classIndex, meanActivation: sums[unit] / rows.length, examples: rows.length };
}
