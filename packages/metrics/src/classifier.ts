import { InvalidArgumentError } from "@smoothhess/errors";
import type { DenseNetwork } from "@smoothhess/oracle";

/**
 * A classifier as {@link postHocAccuracy} needs it: a function from a row-major `n×d` batch of points to the
 * `n` predicted class indices (the arg-max of the model's outputs). Any backend plugs in: a tfjs model, a worker
 * pool, a remote service. May answer synchronously or with a Promise.
 */
export type Classifier = (points: Float64Array, n: number) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * The {@link Classifier} of a float64 reference network from `@smoothhess/oracle`: the arg-max of its logits
 * (the first maximum on ties).
 *
 * @throws {@link InvalidArgumentError} when `network` is not a `DenseNetwork`.
 */
export function networkClassifier(network: DenseNetwork): Classifier {
  if (typeof network !== "object" || network === null || typeof network.forward !== "function") {
    throw new InvalidArgumentError("network", "a DenseNetwork (e.g. from denseNetwork or randomDenseNetwork)", network);
  }
  const d = network.inputDim;
  return (points: Float64Array, n: number) => {
    const classes = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      const pre = network.forward(points.subarray(p * d, (p + 1) * d));
      classes[p] = argMax(pre[pre.length - 1]);
    }
    return classes;
  };
}

/** Index of the first largest entry. @internal */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
