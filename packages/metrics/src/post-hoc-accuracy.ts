import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkFiniteArray,
  checkInteger,
  described,
} from "@smoothhess/errors";
import type { Classifier } from "./classifier.js";

/** Options of {@link postHocAccuracy}. */
export interface PostHocAccuracyOptions {
  /** Points per classifier call (default 256). */
  readonly batchSize?: number;
}

/** What {@link postHocAccuracy} returns. */
export interface PostHocAccuracyResult {
  /** Fraction of points whose predicted class is unchanged by the attack (lower means a stronger attack). */
  readonly accuracy: number;
  /** Binomial standard error `√(a(1 − a)/n)` of `accuracy`. */
  readonly standardError: number;
  /** `1` where the class is unchanged, `0` where the attack flipped it, per point. */
  readonly unchanged: Uint8Array;
  /** Predicted class of every original point. */
  readonly originalClasses: Int32Array;
  /** Predicted class of every attacked point. */
  readonly attackedClasses: Int32Array;
  /** Number of points `n`. */
  readonly count: number;
}

/**
 * The **post-hoc accuracy** of paper Sec. 5.1: `(1/n) Σᵢ 𝕀[argmax F(xᵢ) = argmax F(Δᵢ*)]`, the fraction of points
 * whose predicted class survives the attack (Table 2; lower is better for the attacker).
 *
 * @param model - the classifier `F` (see {@link Classifier}, or {@link networkClassifier}).
 * @param points - the original points `xᵢ`, each of length `d`.
 * @param attacked - the attacked points `Δᵢ*`, in the same order.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for empty or mismatched lists, points of
 *   different lengths or with non-finite entries, a bad `batchSize`, or a classifier that does not answer with
 *   `n` non-negative integers.
 *
 * @example
 * ```ts
 * const { accuracy } = await postHocAccuracy(networkClassifier(net), points, attackedPoints);
 * ```
 */
export async function postHocAccuracy(
  model: Classifier,
  points: readonly ArrayLike<number>[],
  attacked: readonly ArrayLike<number>[],
  options: PostHocAccuracyOptions = {},
): Promise<PostHocAccuracyResult> {
  if (typeof model !== "function") throw new InvalidArgumentError("model", "a classifier (points, n) => classes", model);
  if (!Array.isArray(points) || points.length === 0) throw new InvalidArgumentError("points", "a non-empty array of points", points);
  if (!Array.isArray(attacked)) throw new InvalidArgumentError("attacked", "an array of points", attacked);
  const n = points.length;
  if (attacked.length !== n) {
    throw new DimensionMismatchError("attacked", `${n} points (one per original point)`, described(`${attacked.length} points`));
  }
  const d = checkFiniteArray("points[0]", points[0]).length;
  if (d === 0) throw new InvalidArgumentError("points[0]", "a non-empty point", described("length 0"));
  const batchSize = checkInteger("options.batchSize", options.batchSize ?? 256, 1);
  const flatten = (list: readonly ArrayLike<number>[], name: string): Float64Array => {
    const flat = new Float64Array(n * d);
    list.forEach((x, i) => {
      if (x && typeof x.length === "number" && x.length !== d) {
        throw new DimensionMismatchError(`${name}[${i}]`, `length ${d} (the length of points[0])`, described(`length ${x.length}`));
      }
      flat.set(checkFiniteArray(`${name}[${i}]`, x, d), i * d);
    });
    return flat;
  };
  const original = flatten(points, "points");
  const moved = flatten(attacked, "attacked");
  const originalClasses = await classify(model, original, n, d, batchSize);
  const attackedClasses = await classify(model, moved, n, d, batchSize);
  const unchanged = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    unchanged[i] = originalClasses[i] === attackedClasses[i] ? 1 : 0;
    kept += unchanged[i];
  }
  const accuracy = kept / n;
  return {
    accuracy,
    standardError: Math.sqrt((accuracy * (1 - accuracy)) / n),
    unchanged,
    originalClasses,
    attackedClasses,
    count: n,
  };
}

async function classify(model: Classifier, flat: Float64Array, n: number, d: number, batchSize: number): Promise<Int32Array> {
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const classes = await model(flat.slice(start * d, (start + m) * d), m);
    if (!classes || typeof classes.length !== "number" || classes.length !== m) {
      throw new InvalidArgumentError("model", `a classifier returning ${m} class indices for ${m} points`, described(`a result of length ${classes?.length}`));
    }
    for (let i = 0; i < m; i++) {
      const c = classes[i];
      if (!Number.isInteger(c) || c < 0) {
        throw new InvalidArgumentError("model", "a classifier returning non-negative integer class indices", described(`${String(c)} for point ${start + i}`));
      }
      out[start + i] = c;
    }
  }
  return out;
}
