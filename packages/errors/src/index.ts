export { SmoothHessError } from "./smoothhess-error.js";
export { InvalidArgumentError, DimensionMismatchError, described } from "./invalid-argument-error.js";
export { AbortedError, throwIfAborted } from "./aborted-error.js";
export { DisposedError } from "./disposed-error.js";
export { describeValue, Description } from "./describe-value.js";
export {
  checkInteger,
  checkPositive,
  checkNumberInRange,
  checkFiniteArray,
  isNumericArray,
  firstNonFinite,
} from "./check.js";
export type { NumericArray } from "./check.js";
