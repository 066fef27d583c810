import { InvalidArgumentError, described, throwIfAborted } from "@smoothhess/errors";

/** One point of a validation curve: a candidate and its mean score over the validation set. */
export interface ValidationPoint {
  /** The candidate value (σ, σ², β, …). */
  readonly value: number;
  /** Mean score over the validation points. */
  readonly mean: number;
  /** Standard error of `mean` (sample standard deviation over `√n`; NaN for one point). */
  readonly standardError: number;
  /** The score of every validation point, in order. */
  readonly scores: Float64Array;
}

/** Arguments of {@link selectHyperparameter}. */
export interface HyperparameterSearch<P> {
  /** The values to try, e.g. `threeSigmaRule(ε, d)` or `BETA_GRIDS.perturbationMSE.mnist`. */
  readonly candidates: readonly number[];
  /** The validation points (or anything the score needs per point: images, indices, precomputed oracles). */
  readonly validation: readonly P[];
  /**
   * The score of one candidate on one validation point, e.g. the P_MSE of its Taylor model at that point, or `1`
   * when the attack left the class unchanged and `0` otherwise (so the mean is the post-hoc accuracy).
   */
  readonly score: (candidate: number, point: P, index: number) => number | Promise<number>;
  /** `"minimize"` (default: P_MSE, post-hoc accuracy) or `"maximize"`. */
  readonly goal?: "minimize" | "maximize";
  /** Abort between evaluations (throws `AbortedError` with the number of evaluations done). */
  readonly signal?: AbortSignal;
}

/** What {@link selectHyperparameter} returns. */
export interface HyperparameterSelection {
  /** The chosen candidate: best mean score, the first one on ties. */
  readonly best: number;
  /** Its index in `candidates`. */
  readonly bestIndex: number;
  /** Its mean validation score. */
  readonly bestScore: number;
  /** The full validation curve, one point per candidate in the order given. */
  readonly curve: readonly ValidationPoint[];
}

/**
 * Choose a hyperparameter on a held-out validation set as the SmoothHess paper does (App. E.2): score every
 * candidate on every validation point, average, and keep the best mean (lowest by default). Returns the choice
 * **and** the whole validation curve with standard errors, so that a flat or noisy curve is visible.
 *
 * Candidates are evaluated in order, validation points in order within each candidate, one at a time (the score
 * function may be async and batch internally).
 *
 * @throws {@link InvalidArgumentError} for an empty or non-finite candidate list, an empty validation set, a bad
 *   `goal`, or a score that is not a finite number (naming the candidate and the point); `AbortedError` when
 *   `signal` fires.
 *
 * @example
 * ```ts
 * const { best, curve } = await selectHyperparameter({
 *   candidates: threeSigmaRule(0.5, 784),
 *   validation: validationImages,
 *   score: async (sigma, x0) => (await pmseOfSmoothHess(x0, sigma)).mean,
 * });
 * ```
 */
export async function selectHyperparameter<P>(search: HyperparameterSearch<P>): Promise<HyperparameterSelection> {
  if (typeof search !== "object" || search === null) {
    throw new InvalidArgumentError("search", "an object { candidates, validation, score }", search);
  }
  const { candidates, validation, score } = search;
  if (!Array.isArray(candidates) || candidates.length === 0) {
    throw new InvalidArgumentError("search.candidates", "a non-empty array of numbers", candidates);
  }
  candidates.forEach((c, i) => {
    if (typeof c !== "number" || !Number.isFinite(c)) throw new InvalidArgumentError(`search.candidates[${i}]`, "a finite number", c);
  });
  if (!Array.isArray(validation) || validation.length === 0) {
    throw new InvalidArgumentError("search.validation", "a non-empty array of validation points", validation);
  }
  if (typeof score !== "function") throw new InvalidArgumentError("search.score", "a function (candidate, point, index) => number", score);
  const goal = search.goal ?? "minimize";
  if (goal !== "minimize" && goal !== "maximize") throw new InvalidArgumentError("search.goal", '"minimize" or "maximize"', goal);

  const n = validation.length;
  const curve: ValidationPoint[] = [];
  let evaluations = 0;
  for (const value of candidates) {
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      throwIfAborted(search.signal, "selectHyperparameter", evaluations);
      const s = await score(value, validation[i], i);
      if (typeof s !== "number" || !Number.isFinite(s)) {
        throw new InvalidArgumentError("search.score", "a finite number for every candidate and point", described(`${String(s)} for candidate ${value} at validation point ${i}`));
      }
      scores[i] = s;
      evaluations++;
    }
    let mean = 0;
    for (let i = 0; i < n; i++) mean += scores[i];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (scores[i] - mean) ** 2;
    curve.push({ value, mean, standardError: n > 1 ? Math.sqrt(ss / (n - 1) / n) : Number.NaN, scores });
  }
  let bestIndex = 0;
  for (let c = 1; c < curve.length; c++) {
    const better = goal === "minimize" ? curve[c].mean < curve[bestIndex].mean : curve[c].mean > curve[bestIndex].mean;
    if (better) bestIndex = c;
  }
  return { best: curve[bestIndex].value, bestIndex, bestScore: curve[bestIndex].mean, curve };
}
