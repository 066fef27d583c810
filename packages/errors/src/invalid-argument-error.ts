import { SmoothHessError } from "./smoothhess-error.js";
import { Description, describeValue } from "./describe-value.js";

/**
 * An argument (or an option field) has the wrong type, shape or range.
 *
 * The message always names the argument, what was expected and what was received, e.g.
 * `x0: expected a finite number at every index, received NaN at index 3`.
 */
export class InvalidArgumentError extends SmoothHessError {
  /** The argument or option path at fault, e.g. `"options.samples"`. */
  readonly argument: string;
  /** What a valid value looks like, in words. */
  readonly expected: string;
  /** A short description of what was passed instead. */
  readonly received: string;

  /**
   * @param argument - name (or dotted path) of the argument at fault.
   * @param expected - what a valid value looks like, e.g. `"an integer ≥ 1"`.
   * @param received - the offending value (described, never stored), or a {@link described} text.
   * @param code - override of the error code, for subclasses.
   */
  constructor(argument: string, expected: string, received: unknown, code = "invalid-argument") {
    const text = describeValue(received);
    super(code, `${argument}: expected ${expected}, received ${text}`);
    this.argument = argument;
    this.expected = expected;
    this.received = text;
  }
}

/**
 * Mark a string as an already-written description, so that {@link InvalidArgumentError} prints it as is
 * instead of quoting it as a string value: `new InvalidArgumentError("x", "length 3", described("length 4"))`.
 */
export function described(text: string): Description {
  return new Description(text);
}

/** Two arguments that must agree in size do not, e.g. `x0` of length 3 for an oracle of dimension 4. */
export class DimensionMismatchError extends InvalidArgumentError {
  constructor(argument: string, expected: string, received: unknown) {
    super(argument, expected, received, "dimension-mismatch");
  }
}
