import { SmoothHessError } from "./smoothhess-error.js";

/**
 * An object that holds resources (tensors, worker threads, sessions) was used after its `dispose()`. Every package
 * throws this one class, code `"disposed"`, so `error instanceof DisposedError` covers oracles of every backend.
 *
 * The message names the object and what to do instead, e.g.
 * `this tfjs oracle was used after dispose(); create a new one with tfjsOracle()`.
 */
export class DisposedError extends SmoothHessError {
  /** What was used after `dispose()`, e.g. `"this tfjs oracle"`. */
  readonly resource: string;

  /**
   * @param resource - what was used, as the subject of the message (default `"this object"`).
   * @param remedy - what to do instead (default `"create a new one"`).
   */
  constructor(resource = "this object", remedy = "create a new one") {
    super("disposed", `${resource} was used after dispose(); ${remedy}`);
    this.resource = resource;
  }
}
