import { DimensionMismatchError, InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";

/** How a flat input is laid out as an image: `height × width` pixels of `channels` values each (row-major H×W×C). */
export interface ImageGrid {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/**
 * The image layout of an input: `imageShape` when given (`[H, W]` or `[H, W, C]`), else the input shape
 * when it has rank 2 or 3 (`[H, W]`, `[H, W, C]`), else a square `√d × √d` grayscale image.
 * @throws {@link InvalidArgumentError} when none fits (pass `imageShape`); {@link DimensionMismatchError} when
 *   `imageShape` does not hold `dim` values.
 */
export function imageGrid(dim: number, inputShape: readonly number[] | undefined, imageShape?: readonly number[]): ImageGrid {
  const shape = imageShape ?? (inputShape && inputShape.length >= 2 ? inputShape : undefined);
  if (shape) {
    if (!Array.isArray(shape) || shape.length < 2 || shape.length > 3) {
      throw new InvalidArgumentError("imageShape", "[height, width] or [height, width, channels]", shape);
    }
    const [height, width, channels = 1] = shape.map((s, i) => checkInteger(`imageShape[${i}]`, s, 1));
    if (height * width * channels !== dim) {
      throw new DimensionMismatchError("imageShape", `${dim} values in all (the input's size)`, described(`[${shape}] = ${height * width * channels}`));
    }
    return { height, width, channels };
  }
  const side = Math.round(Math.sqrt(dim));
  if (side * side !== dim) {
    throw new InvalidArgumentError("imageShape", `an image shape for this ${dim}-value input (it is not a square)`, undefined);
  }
  return { height: side, width: side, channels: 1 };
}

/**
 * Pixel-level interactions: entry (p, q) sums the Hessian entries of every channel of pixel p with every
 * channel of pixel q (the identity for one channel).
 */
export function pixelInteractions(hessian: Float64Array, grid: ImageGrid): Float64Array {
  const { height, width, channels: c } = grid;
  const pixels = height * width;
  if (c === 1) return hessian;
  const d = pixels * c;
  const out = new Float64Array(pixels * pixels);
  for (let p = 0; p < pixels; p++) {
    for (let a = 0; a < c; a++) {
      const row = (p * c + a) * d;
      for (let q = 0; q < pixels; q++) {
        let s = 0;
        for (let b = 0; b < c; b++) s += hessian[row + q * c + b];
        out[p * pixels + q] += s;
      }
    }
  }
  return out;
}

/** @internal Grey level per pixel (channel mean), rescaled to [0, 1] over the image. */
export function greyLevels(x: ArrayLike<number>, grid: ImageGrid): Float64Array {
  const pixels = grid.height * grid.width;
  const out = new Float64Array(pixels);
  for (let p = 0; p < pixels; p++) {
    let s = 0;
    for (let b = 0; b < grid.channels; b++) s += x[p * grid.channels + b];
    out[p] = s / grid.channels;
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of out) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let p = 0; p < pixels; p++) out[p] = hi > lo ? (out[p] - lo) / (hi - lo) : 0;
  return out;
}
