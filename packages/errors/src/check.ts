import { DimensionMismatchError, InvalidArgumentError, described } from "./invalid-argument-error.js";

/** Any array of numbers the library accepts as input. */
export type NumericArray = ArrayLike<number>;

/**
 * Check that `value` is an integer in `[min, max]`; return it.
 * @throws {@link InvalidArgumentError} naming `argument` otherwise.
 */
export function checkInteger(argument: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, describeIntegerRange(min, max), value);
  }
  return value;
}

/**
 * Check that `value` is a finite number strictly greater than zero; return it.
 * @throws {@link InvalidArgumentError} naming `argument` otherwise.
 */
export function checkPositive(argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(argument, "a finite number > 0", value);
  }
  return value;
}

/**
 * Check that `value` is a finite number in `[min, max]` (bounds inclusive unless `open` says otherwise).
 * @throws {@link InvalidArgumentError} naming `argument` otherwise.
 */
export function checkNumberInRange(
  argument: string,
  value: unknown,
  min: number,
  max: number,
  open: { min?: boolean; max?: boolean } = {},
): number {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (open.min ? value > min : value >= min) &&
    (open.max ? value < max : value <= max);
  if (!ok) {
    const range = `${open.min ? "(" : "["}${min}, ${max}${open.max ? ")" : "]"}`;
    throw new InvalidArgumentError(argument, `a finite number in ${range}`, value);
  }
  return value as number;
}

/**
 * Check that `value` is an array or typed array of finite numbers, of length `length` when given; return it.
 * @throws {@link InvalidArgumentError} for a non-array or a non-finite entry (named by index),
 *   {@link DimensionMismatchError} for a wrong length.
 */
export function checkFiniteArray(argument: string, value: unknown, length?: number): NumericArray {
  if (!isNumericArray(value)) throw new InvalidArgumentError(argument, "an array or typed array of numbers", value);
  if (length !== undefined && value.length !== length) {
    throw new DimensionMismatchError(argument, `length ${length}`, described(`length ${value.length}`));
  }
  const bad = firstNonFinite(value);
  if (bad >= 0) {
    throw new InvalidArgumentError(
      argument,
      "a finite number at every index",
      described(`${String(value[bad])} at index ${bad}`),
    );
  }
  return value;
}

/** True for plain arrays and numeric typed arrays (not DataView). */
export function isNumericArray(value: unknown): value is NumericArray {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Index of the first entry that is not a finite number, or -1 when all are finite. */
export function firstNonFinite(values: NumericArray, start = 0, end = values.length): number {
  for (let i = start; i < end; i++) {
    if (!Number.isFinite(values[i])) return i;
  }
  return -1;
}

function describeIntegerRange(min: number, max: number): string {
  if (min === -Infinity && max === Infinity) return "an integer";
  if (max === Infinity) return `an integer ≥ ${min}`;
  if (min === -Infinity) return `an integer ≤ ${max}`;
  return `an integer in [${min}, ${max}]`;
}
