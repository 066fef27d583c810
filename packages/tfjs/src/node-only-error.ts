import { SmoothHessError } from "@smoothhess/errors";

/**
 * A function that needs Node.js (a file system, worker threads) was called in a browser build. Thrown by the browser
 * entry of `@smoothhess/tfjs` in place of Node's built-in modules, so that the package bundles without them.
 */
export class NodeOnlyError extends SmoothHessError {
  /** The Node built-in module that is not available, e.g. `node:fs/promises`. */
  readonly module: string;

  constructor(module: string) {
    super("node-only", `this function needs Node.js (${module} is not available in a browser); in a browser use tf.io handlers or a File input instead`);
    this.module = module;
  }
}
