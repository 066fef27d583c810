import { SmoothHessError } from "@smoothhess/errors";

/**
 * A smooth surrogate was requested for a network that has no ReLU to replace: no hidden layer at all, or a hidden
 * activation that is already something else (a surrogate of a SoftPlus network would silently be a different
 * network from the one being explained).
 */
export class NoReluError extends SmoothHessError {
  /** The argument that holds the network, e.g. `"network"`. */
  readonly argument: string;

  /**
   * @param argument - the argument that holds the network.
   * @param received - what the network has instead, in words (e.g. `"no hidden layer"`).
   */
  constructor(argument: string, received: string) {
    super("no-relu", `${argument}: expected a network with at least one hidden ReLU to replace, received ${received}`);
    this.argument = argument;
  }
}
