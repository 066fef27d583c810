import { SmoothHessError } from "@smoothhess/errors";

/**
 * A model cannot be used the way it was asked: `engine: "fast"` for a model that is not a plain Dense/ReLU stack,
 * a model whose input or output shape cannot be read, or a hidden-layer target on a model whose layers this
 * package cannot see. `reason` says which layer or property is at fault.
 */
export class UnsupportedModelError extends SmoothHessError {
  /** What about the model stands in the way. */
  readonly reason: string;

  constructor(argument: string, reason: string, cause?: unknown) {
    super("unsupported-model", `${argument}: ${reason}`, { cause });
    this.reason = reason;
  }
}
