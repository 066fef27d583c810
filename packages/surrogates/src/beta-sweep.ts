import { InvalidArgumentError, checkFiniteArray, checkPositive, throwIfAborted } from "@smoothhess/errors";
import type { SecondOrderModel, SurrogateNetwork } from "./second-order-model.js";
import type { SurrogateTarget } from "./surrogate-target.js";

/** Options of {@link betaSweep}. */
export interface BetaSweepOptions {
  /** Which surrogate family: SoftPlus_β (default) or Swish_β. */
  readonly activation?: "softplus" | "swish";
  /**
   * The values of β, each a finite number > 0, e.g. the paper's grids `BETA_GRIDS.perturbationMSE.mnist` of
   * `@smoothhess/metrics` (App. E.2).
   */
  readonly betas: readonly number[];
  /** Stop between two values of β. */
  readonly signal?: AbortSignal;
}

/** One step of a β sweep: the surrogate f_β and its value, gradient and exact Hessian at x₀. */
export interface BetaSweepStep<M extends SecondOrderModel = SecondOrderModel> {
  readonly beta: number;
  /** The surrogate model (for further questions at this β). */
  readonly model: M;
  readonly value: number;
  /** `∇f_β(x₀)`, length d. */
  readonly gradient: Float64Array;
  /** `∇²f_β(x₀)`, row-major d×d, exactly symmetric. */
  readonly hessian: Float64Array;
}

/**
 * Value, gradient and exact Hessian of the surrogate f_β at one point for every β of a sweep (the paper selects β
 * from 100+ values). Each step asks the network for `surrogate({ name, beta })`, which shares the weights and all
 * that is precomputed from them, so a step costs one Hessian and nothing else. Steps are produced lazily; keep only
 * what you need (100 Hessians of d = 784 would take 490 MB).
 *
 * @param network - the {@link SurrogateNetwork} of a ReLU network.
 * @param x0 - the point, length d.
 * @param target - which scalar (logit, SoftMax probability, cross-entropy, neuron).
 * @param options - `betas` (required), `activation`, `signal`.
 * @throws {@link InvalidArgumentError} for an empty `betas`, a β ≤ 0 (named `options.betas[i]`, before any work),
 *   a bad `x0` or target; `AbortedError` when `signal` fires.
 * @example
 * ```ts
 * // the paper's grid for P_MSE on MNIST (App. E.2.1), from @smoothhess/metrics
 * const betas = BETA_GRIDS.perturbationMSE.mnist;
 * for await (const { beta, value, gradient, hessian } of betaSweep(net, x0, { output: 3 }, { betas })) {
 *   scores.push([beta, perturbationMse(value, gradient, hessian)]);
 * }
 * ```
 */
export async function* betaSweep<M extends SecondOrderModel>(
  network: SurrogateNetwork<M>,
  x0: ArrayLike<number>,
  target: SurrogateTarget,
  options: BetaSweepOptions,
): AsyncGenerator<BetaSweepStep<M>, void, undefined> {
  const betas = options?.betas;
  if (!Array.isArray(betas) || betas.length === 0) {
    throw new InvalidArgumentError("options.betas", "a non-empty array of β values", betas);
  }
  betas.forEach((b, i) => checkPositive(`options.betas[${i}]`, b));
  const name = options.activation ?? "softplus";
  if (name !== "softplus" && name !== "swish") {
    throw new InvalidArgumentError("options.activation", '"softplus" or "swish"', name);
  }
  const point = Float64Array.from(checkFiniteArray("x0", x0, network.dim));
  for (let i = 0; i < betas.length; i++) {
    throwIfAborted(options.signal, "betaSweep", i);
    const beta: number = betas[i];
    const model = network.surrogate({ name, beta });
    const batch = await model.hessians(point, 1, target);
    yield { beta, model, value: batch.values[0], gradient: batch.gradients, hessian: batch.hessians };
  }
}
