import { DimensionMismatchError, InvalidArgumentError, checkInteger, described, isNumericArray } from "@smoothhess/errors";

/**
 * `O(1)` argument checks of the exported kernels: shapes and lengths, not every entry (that would cost as much as
 * the kernel). A short array would otherwise read `undefined` and return NaN.
 * @internal
 */
export function checkArrayLength(argument: string, value: unknown, atLeast: number, what: string): ArrayLike<number> {
  if (!isNumericArray(value)) throw new InvalidArgumentError(argument, "an array or typed array of numbers", value);
  if (value.length < atLeast) {
    throw new DimensionMismatchError(argument, `${what} (length ≥ ${atLeast})`, described(`length ${value.length}`));
  }
  return value;
}

/**
 * `rows` rows of `len` entries at `offset` with leading dimension `ld` must fit in the `Float64Array` `value`.
 * @internal
 */
export function checkRowBlock(argument: string, value: unknown, offset: number, ld: number, rows: number, len: number): Float64Array {
  if (!(value instanceof Float64Array)) throw new InvalidArgumentError(argument, "a Float64Array", value);
  checkInteger(`${argument} offset`, offset, 0);
  checkInteger(`${argument} leading dimension`, ld, 0);
  if (rows > 0 && len > 0) {
    const end = offset + (rows - 1) * ld + len;
    if (end > value.length) {
      throw new DimensionMismatchError(
        argument,
        `${rows} rows of ${len} at offset ${offset}, stride ${ld} (length ≥ ${end})`,
        described(`length ${value.length}`),
      );
    }
  }
  return value;
}

/** `out` must not be the same array as `x`. @internal */
export function checkNotAliased(argument: string, out: unknown, other: unknown, otherName: string): void {
  if (out === other) throw new InvalidArgumentError(argument, `an array other than ${otherName}`, described(`${otherName} itself`));
}
