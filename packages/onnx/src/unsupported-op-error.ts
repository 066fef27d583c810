import { SmoothHessError } from "@smoothhess/errors";

/**
 * A node on the path from the model's input to the target uses an operator the package cannot differentiate
 * (or an attribute value it does not support). Thrown at load time / when a target is first differentiated,
 * never in the middle of a run. `code` is `"unsupported-op"`.
 */
export class UnsupportedOpError extends SmoothHessError {
  /** The node's name. */
  readonly node: string;
  /** The node's operator type, e.g. `"LSTM"`. */
  readonly opType: string;
  /** The operator types the package differentiates. */
  readonly supported: readonly string[];

  /**
   * @param node - the node's name.
   * @param opType - its operator type.
   * @param supported - the supported operator types.
   * @param detail - why, when the operator is supported but this use of it is not (e.g. `"auto_pad=SAME_UPPER"`).
   */
  constructor(node: string, opType: string, supported: readonly string[], detail?: string) {
    super(
      "unsupported-op",
      `node "${node}" (${opType}): ${detail ?? "operator not supported"}; supported operators: ${supported.join(", ")}`,
    );
    this.node = node;
    this.opType = opType;
    this.supported = supported;
  }
}
