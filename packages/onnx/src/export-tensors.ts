import { DimensionMismatchError, InvalidArgumentError, described } from "@smoothhess/errors";

/**
 * A weight as the exporters read it: its shape and its values in row-major order. A tfjs `Tensor` or `Variable`
 * fits (so do plain `{ shape, dataSync: () => values }` objects), which is how this package reads tfjs models
 * without depending on tfjs.
 */
export interface WeightTensor {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

/** @internal The values of `tensor`, checked against `shape` (and for finiteness), as float32. */
export function readWeight(argument: string, tensor: WeightTensor | undefined, shape: readonly number[]): Float32Array {
  if (tensor === undefined || tensor === null) throw new InvalidArgumentError(argument, `a weight of shape [${shape.join(", ")}]`, tensor);
  if (!Array.isArray(tensor.shape) && !ArrayBuffer.isView(tensor.shape)) {
    throw new InvalidArgumentError(argument, "a tensor with `shape` and `dataSync()`", tensor);
  }
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    throw new DimensionMismatchError(argument, `shape [${shape.join(", ")}]`, described(`shape [${[...tensor.shape].join(", ")}]`));
  }
  const values = Float32Array.from(tensor.dataSync());
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new DimensionMismatchError(argument, `${size} values`, described(`${values.length} values`));
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InvalidArgumentError(argument, "finite values", described(`${values[i]} at index ${i}`));
  }
  return values;
}

/**
 * @internal Reorder a row-major tensor by `perm` (`out.shape[k] = shape[perm[k]]`), e.g. a tfjs convolution kernel
 * [kh, kw, in, out] into ONNX's [out, in, kh, kw] with perm [3, 2, 0, 1].
 */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  inStrides[rank - 1] = 1;
  for (let k = rank - 2; k >= 0; k--) inStrides[k] = inStrides[k + 1] * shape[k + 1];
  const strides = perm.map((p) => inStrides[p]); // stride in the input of each output axis
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  let source = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = values[source];
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      source += strides[k];
      if (index[k] < outShape[k]) break;
      source -= strides[k] * outShape[k];
      index[k] = 0;
    }
  }
  return { values: out, shape: outShape };
}
