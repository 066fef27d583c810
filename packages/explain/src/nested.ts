/** A nested array of numbers (the result of reshaping a flat array). */
export type NestedArray = number | NestedArray[];

/** @internal Reshape a flat row-major array into nested arrays of `shape`. */
export function nest(values: ArrayLike<number>, shape: readonly number[], offset = 0): NestedArray[] {
  const [first, ...rest] = shape;
  const stride = rest.reduce((a, b) => a * b, 1);
  const out: NestedArray[] = new Array(first);
  for (let i = 0; i < first; i++) {
    out[i] = rest.length === 0 ? values[offset + i] : nest(values, rest, offset + i * stride);
  }
  return out;
}

/** @internal Row-major multi-index of a flat index. */
export function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    out[k] = index % shape[k];
    index = Math.floor(index / shape[k]);
  }
  return out;
}
