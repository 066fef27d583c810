import { SmoothHessError } from "@smoothhess/errors";

/**
 * A network contains a layer (or an architecture) that the exact second-order machinery of this package does not
 * know how to differentiate twice. `layer` names it (e.g. `"pool1"`, `"layers[3]"`, `"fc2/kernel"`), `kind` says
 * what it is (e.g. `"maxPool"`), and the message lists what is supported.
 */
export class UnsupportedLayerError extends SmoothHessError {
  /** Name (or path) of the offending layer. */
  readonly layer: string;
  /** What kind of layer it is, as given (e.g. `"maxPool"`, `"an unconsumed weight"`). */
  readonly kind: string;

  /**
   * @param layer - name or path of the layer.
   * @param kind - what kind of layer it is.
   * @param supported - what would have been accepted, in words.
   */
  constructor(layer: string, kind: string, supported: string) {
    super("unsupported-layer", `layer ${JSON.stringify(layer)}: ${kind} is not supported (supported: ${supported})`);
    this.layer = layer;
    this.kind = kind;
  }
}
