import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";
import type { Network } from "./network.js";
import { requireBackend } from "./backend.js";

function checkPoints(network: Network, points: ArrayLike<number>, n: number): number {
  checkInteger("n", n, 1);
  const d = network.inputSize;
  if (points.length < n * d) throw new DimensionMismatchError("points", `at least n × inputSize = ${n * d} entries`, described(`length ${points.length}`));
  return d;
}

/**
 * Arg-max class of a classifier at `n` points (row-major `n × inputSize`), one tfjs forward pass per batch of
 * `batch` rows (inference mode). Float32 inputs are used in place; others are converted per batch.
 * @throws {@link InvalidArgumentError} for `n` below 1; {@link DimensionMismatchError} for too few `points`.
 */
export function predictedClasses(network: Network, points: ArrayLike<number>, n: number, batch = 2048): Int32Array {
  requireBackend("predictedClasses");
  const d = checkPoints(network, points, n);
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    const chunk =
      points instanceof Float32Array
        ? points.subarray(start * d, (start + m) * d)
        : Float32Array.from(Array.prototype.slice.call(points, start * d, (start + m) * d) as number[]);
    const classes = tf.tidy(() => tf.argMax(network.forward(tf.tensor2d(chunk, [m, d])).output, 1));
    out.set(classes.dataSync(), start);
    classes.dispose();
  }
  return out;
}

/**
 * Fraction of labelled examples (`x` row-major `n × inputSize`, `y` class indices) that the classifier's arg-max
 * gets right, evaluated with {@link predictedClasses}.
 */
export function classifierAccuracy(network: Network, data: { readonly x: Float32Array; readonly y: ArrayLike<number>; readonly n: number }, batch = 2048): number {
  requireBackend("classifierAccuracy");
  const predicted = predictedClasses(network, data.x, data.n, batch);
  let correct = 0;
  for (let i = 0; i < data.n; i++) if (predicted[i] === data.y[i]) correct++;
  return correct / data.n;
}

/**
 * Arg-max class and the SoftMax probability of class `classIndex` at `n` points, in one forward pass (e.g. after an
 * attack on that class's probability: has the class changed, and how far did its probability fall?).
 * @throws {@link InvalidArgumentError} for a class the network does not have; see {@link predictedClasses}.
 */
export function classesAndProbability(network: Network, points: ArrayLike<number>, n: number, classIndex: number): { classes: Int32Array; probability: Float64Array } {
  requireBackend("classesAndProbability");
  const d = checkPoints(network, points, n);
  const outputs = network.outputSize;
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= outputs) {
    throw new InvalidArgumentError("classIndex", `an integer class index in [0, ${outputs})`, classIndex);
  }
  const [classes, probs] = tf.tidy(() => {
    const flat = ArrayBuffer.isView(points)
      ? Float32Array.from((points as Float64Array).subarray(0, n * d))
      : Float32Array.from(Array.prototype.slice.call(points, 0, n * d) as number[]);
    const logits = network.forward(tf.tensor2d(flat, [n, d])).output;
    return [tf.argMax(logits, 1), tf.reshape(tf.slice(tf.softmax(logits), [0, classIndex], [n, 1]), [n])];
  });
  const out = { classes: Int32Array.from(classes.dataSync()), probability: Float64Array.from(probs.dataSync()) };
  classes.dispose();
  probs.dispose();
  return out;
}
