import { SmoothHessError } from "@smoothhess/errors";

/**
 * A `tf.LayersModel` holds a layer (or a layer configuration, such as an activation) that
 * {@link layersModelToOnnx} cannot convert. `layer` names it, `kind` says what it is (e.g. `"LSTM"`,
 * `"Dense with activation relu6"`) and `supported` lists what would have been accepted.
 */
export class UnsupportedLayerError extends SmoothHessError {
  /** The layer's name in the model. */
  readonly layer: string;
  /** What it is: the class name, with the configuration at fault. */
  readonly kind: string;
  /** What is supported, in the same terms. */
  readonly supported: readonly string[];

  constructor(layer: string, kind: string, supported: readonly string[]) {
    super("unsupported-layer", `layer ${JSON.stringify(layer)}: ${kind} is not supported (supported: ${supported.join(", ")})`);
    this.layer = layer;
    this.kind = kind;
    this.supported = supported;
  }
}
