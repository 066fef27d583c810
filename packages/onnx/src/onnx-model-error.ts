import { SmoothHessError } from "@smoothhess/errors";

/**
 * A model that cannot be used as it is: bytes that are not an ONNX model, a graph whose input cannot be chosen
 * (more than one input and none named), a name that is not a tensor of the graph, an opset outside the supported
 * range, or a graph whose shapes cannot be inferred. `code` is `"onnx-model"`.
 */
export class OnnxModelError extends SmoothHessError {
  /** Where the problem is: the file path, `"model"`, or the argument that names a tensor. */
  readonly source: string;

  /**
   * @param source - the file path, argument or part of the model at fault.
   * @param detail - what is wrong and what was expected.
   * @param cause - an underlying error (a protobuf or ONNX Runtime error), if any.
   */
  constructor(source: string, detail: string, cause?: unknown) {
    super("onnx-model", `${source}: ${detail}`, cause === undefined ? undefined : { cause });
    this.source = source;
  }
}
