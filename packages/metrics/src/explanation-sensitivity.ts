import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, checkInteger, checkPositive, described } from "@smoothhess/errors";
import { deriveSeed, gaussianSampler } from "@smoothhess/random";
import { ballSampler, checkSampling, type BallSampling } from "./ball-sampler.js";
import {
  matrixExplanationDistance,
  vectorExplanationDistance,
  type MatrixExplanationDistance,
  type VectorExplanationDistance,
} from "./explanation-distance.js";

/**
 * An explanation method at one point: a vector of `d` attributions (saliency, SmoothGrad, C-LIME) or a row-major
 * symmetric `d×d` matrix of interactions (SmoothHess). `seed` seeds the method's own Monte-Carlo sampling (ignore it
 * for deterministic methods such as the plain gradient).
 */
export type Explainer = (point: Float64Array, seed: number) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * Where the neighbours `x'` of `x` are drawn:
 * - `{ kind: "gaussian", scale: s }`: `x' ~ N(x, s²I)`, as Agarwal et al. §6.3 (`s² = 0.01`);
 * - `{ kind: "ball", radius: ε }`: uniform in the closed L2 ball `‖x' − x‖ ≤ ε` (or radius-uniform, `sampling`);
 * - `{ kind: "sphere", radius: ε }`: uniform on the sphere `‖x' − x‖ = ε` (every neighbour at the same distance,
 *   what a local Lipschitz estimate wants).
 */
export type Neighbourhood =
  | { readonly kind: "gaussian"; readonly scale: number }
  | { readonly kind: "ball"; readonly radius: number; readonly sampling?: BallSampling }
  | { readonly kind: "sphere"; readonly radius: number };

/** Options of {@link explanationSensitivity}. */
export interface ExplanationSensitivityOptions {
  /** How neighbours are drawn; see {@link Neighbourhood}. Required. */
  readonly neighbourhood: Neighbourhood;
  /** Number of neighbours (default 10, as Agarwal et al. §6.3). */
  readonly neighbours?: number;
  /**
   * `"vector"` (length `d`) or `"matrix"` (row-major `d×d`). Default: inferred from the length of the explanation
   * at `x` (`d` → vector, `d²` → matrix).
   */
  readonly shape?: "vector" | "matrix";
  /** Also compare the top-`k` features (vectors, `k ≤ d`) or interacting pairs (matrices, `k ≤ d(d−1)/2`). */
  readonly topK?: number;
  /** Seed of the neighbours (default 0); also of the explainer seeds unless `explainerSeed` is given. */
  readonly seed?: number;
  /**
   * Base of the seeds handed to the explainer (default: `seed`). Give two methods the same `seed` and different
   * `explainerSeed`s to compare them on the same neighbours with independent Monte-Carlo draws (a paired design).
   */
  readonly explainerSeed?: number;
  /**
   * Seeds handed to the explainer:
   * - `"independent"` (default): a different seed at every point, as a user who explains each input afresh (and as
   *   Agarwal et al.'s Fig. 3), so a distance holds the estimator's noise *and* the change of the explanation map;
   * - `"common"`: the same seed at every point (common random numbers), which isolates the change of the map.
   */
  readonly explainerSeeds?: "independent" | "common";
  /**
   * Also explain `x` a second time with another seed and report that distance as `estimatorNoise` (default true):
   * the Monte-Carlo noise of the explainer itself, so instability is not confused with estimator noise.
   */
  readonly estimatorNoise?: boolean;
}

interface SensitivityCommon {
  /** Input dimension `d`. */
  readonly dim: number;
  /** Number of neighbours. */
  readonly neighbours: number;
  /** The neighbours, row-major `neighbours×d`. */
  readonly points: Float64Array;
  /** `‖x' − x‖₂` per neighbour. */
  readonly displacements: Float64Array;
  /** The explanation at `x` (the one every neighbour is compared with). */
  readonly explanation: Float64Array;
  /**
   * Per neighbour, the L2 (vector) or spectral (matrix) distance divided by `‖x' − x‖₂`: the finite-difference
   * Lipschitz ratio that the bounds of `lipschitz-bounds` cap. `max` over neighbours, and `mean`.
   */
  readonly lipschitzRatio: { readonly max: number; readonly mean: number; readonly values: Float64Array };
}

/** What {@link explanationSensitivity} returns for vector explanations. */
export interface VectorSensitivity extends SensitivityCommon {
  readonly shape: "vector";
  /** Distances from the explanation at `x`, one per neighbour. */
  readonly distances: readonly VectorExplanationDistance[];
  /** Largest distance over the neighbours, per metric (Agarwal et al.'s "maximum L1 distance" is `max.l1`). */
  readonly max: VectorExplanationDistance;
  /** Mean distance over the neighbours, per metric. */
  readonly mean: VectorExplanationDistance;
  /** Distance between two explanations of `x` itself with different seeds (absent when switched off). */
  readonly estimatorNoise?: VectorExplanationDistance;
}

/** What {@link explanationSensitivity} returns for matrix explanations. */
export interface MatrixSensitivity extends SensitivityCommon {
  readonly shape: "matrix";
  readonly distances: readonly MatrixExplanationDistance[];
  readonly max: MatrixExplanationDistance;
  readonly mean: MatrixExplanationDistance;
  readonly estimatorNoise?: MatrixExplanationDistance;
}

/** What {@link explanationSensitivity} returns. */
export type ExplanationSensitivity = VectorSensitivity | MatrixSensitivity;

/**
 * How much an explanation changes between a point `x` and its neighbours `x'`: max and mean distance between the
 * explanation at `x` and at each `x'` (L1, L2 and top-k for vectors; Frobenius, spectral and top-k interacting
 * pairs for matrices), the Lipschitz ratios `dist/‖x' − x‖`, and — separately — the explainer's own Monte-Carlo
 * noise at `x` (same point, two seeds).
 *
 * This is the robustness measurement of Agarwal et al. §6.3 (10 neighbours `x' ~ N(x, 0.01 I)`, max L1 distance)
 * generalised to balls, spheres and matrix explanations.
 *
 * @param explain - the explanation method, see {@link Explainer}.
 * @param x - the point, length `d`.
 * @param options - see {@link ExplanationSensitivityOptions}; `neighbourhood` is required.
 * @throws {@link InvalidArgumentError} for a scale or radius ≤ 0, a bad neighbour count, `topK` larger than the
 *   number of features (or pairs), an unknown shape; {@link DimensionMismatchError} when an explanation has the
 *   wrong length or the explanations of `x` and `x'` differ in shape.
 *
 * @example
 * ```ts
 * import { explanationSensitivity } from "@smoothhess/metrics";
 * // the gradient of f(x) = x₁² + 3x₁x₂ as explanation: it moves by H(x' − x)
 * const gradient = (p: Float64Array) => [2 * p[0] + 3 * p[1], 3 * p[0]];
 * const s = await explanationSensitivity(gradient, [1, 2], { neighbourhood: { kind: "gaussian", scale: 0.1 }, shape: "vector" });
 * console.log(s.max.l1, s.mean.l2, s.lipschitzRatio.max); // ratio ≤ ‖H‖₂ = 1 + √10 ≈ 4.16
 * ```
 */
export function explanationSensitivity(
  explain: Explainer,
  x: ArrayLike<number>,
  options: ExplanationSensitivityOptions & { readonly shape: "vector" },
): Promise<VectorSensitivity>;
export function explanationSensitivity(
  explain: Explainer,
  x: ArrayLike<number>,
  options: ExplanationSensitivityOptions & { readonly shape: "matrix" },
): Promise<MatrixSensitivity>;
export function explanationSensitivity(explain: Explainer, x: ArrayLike<number>, options: ExplanationSensitivityOptions): Promise<ExplanationSensitivity>;
export async function explanationSensitivity(
  explain: Explainer,
  x: ArrayLike<number>,
  options: ExplanationSensitivityOptions,
): Promise<ExplanationSensitivity> {
  if (typeof explain !== "function") throw new InvalidArgumentError("explain", "a function (point, seed) => explanation", explain);
  if (!x || typeof x.length !== "number" || x.length < 1) throw new InvalidArgumentError("x", "a non-empty array of numbers", x);
  const d = x.length;
  const point = Float64Array.from(checkFiniteArray("x", x, d));
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an options object with at least { neighbourhood }", options);
  }
  const neighbourhood = checkNeighbourhood(options.neighbourhood);
  const count = checkInteger("options.neighbours", options.neighbours ?? 10, 1);
  const seed = checkInteger("options.seed", options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
  const explainerBase = checkInteger("options.explainerSeed", options.explainerSeed ?? seed, -(2 ** 31), 2 ** 32 - 1);
  const seeds = options.explainerSeeds ?? "independent";
  if (seeds !== "independent" && seeds !== "common") {
    throw new InvalidArgumentError("options.explainerSeeds", '"independent" or "common"', seeds);
  }
  if (options.shape !== undefined && options.shape !== "vector" && options.shape !== "matrix") {
    throw new InvalidArgumentError("options.shape", '"vector" or "matrix"', options.shape);
  }
  const wantNoise = options.estimatorNoise ?? true;
  if (typeof wantNoise !== "boolean") throw new InvalidArgumentError("options.estimatorNoise", "true or false", wantNoise);
  const topK = options.topK;
  if (topK !== undefined) {
    const limit = (options.shape ?? "vector") === "matrix" ? (d * (d - 1)) / 2 : d;
    if (typeof topK !== "number" || !Number.isInteger(topK) || topK < 1 || (options.shape !== undefined && topK > limit)) {
      throw new InvalidArgumentError("options.topK", `an integer k in [1, ${limit}]`, topK);
    }
  }

  const points = neighbourPoints(point, count, neighbourhood, seed);
  const explainerSeed = (index: number): number => (seeds === "common" ? deriveSeed(explainerBase, 0) : deriveSeed(explainerBase, index));

  const base = await evaluate(explain, point, explainerSeed(0), "explain(x)");
  const shape = options.shape ?? inferShape(base.length, d);
  const expected = shape === "vector" ? d : d * d;
  if (base.length !== expected) {
    throw new DimensionMismatchError("explain(x)", `an explanation of length ${expected} (${shape === "vector" ? "d" : "d×d"})`, described(`length ${base.length}`));
  }
  if (topK !== undefined && shape === "matrix" && topK > (d * (d - 1)) / 2) {
    throw new InvalidArgumentError("options.topK", `an integer k in [1, ${(d * (d - 1)) / 2}] (feature pairs of d = ${d})`, topK);
  }
  const distance = (a: Float64Array, b: Float64Array): VectorExplanationDistance | MatrixExplanationDistance =>
    shape === "vector" ? vectorExplanationDistance(a, b, { topK }) : matrixExplanationDistance(a, b, d, { topK });

  const distances: (VectorExplanationDistance | MatrixExplanationDistance)[] = [];
  const displacements = new Float64Array(count);
  const ratios = new Float64Array(count);
  const neighbour = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    neighbour.set(points.subarray(i * d, (i + 1) * d));
    let r = 0;
    for (let j = 0; j < d; j++) r += (neighbour[j] - point[j]) ** 2;
    displacements[i] = Math.sqrt(r);
    const other = await evaluate(explain, Float64Array.from(neighbour), explainerSeed(i + 1), `explain(x'[${i}])`);
    if (other.length !== base.length) {
      throw new DimensionMismatchError(`explain(x'[${i}])`, `an explanation of the same length as explain(x) (${base.length})`, described(`length ${other.length}`));
    }
    const dist = distance(base, other);
    distances.push(dist);
    const size = shape === "vector" ? (dist as VectorExplanationDistance).l2 : (dist as MatrixExplanationDistance).spectral;
    ratios[i] = displacements[i] > 0 ? size / displacements[i] : 0;
  }

  let noise: VectorExplanationDistance | MatrixExplanationDistance | undefined;
  if (wantNoise) {
    const again = await evaluate(explain, point, deriveSeed(explainerBase, seeds === "common" ? 1 : count + 1), "explain(x) with a second seed");
    if (again.length !== base.length) {
      throw new DimensionMismatchError("explain(x) with a second seed", `length ${base.length}`, described(`length ${again.length}`));
    }
    noise = distance(base, again);
  }

  let maxRatio = 0, sumRatio = 0;
  for (const r of ratios) {
    maxRatio = Math.max(maxRatio, r);
    sumRatio += r;
  }
  const common = {
    dim: d,
    neighbours: count,
    points,
    displacements,
    explanation: base,
    lipschitzRatio: { max: maxRatio, mean: sumRatio / count, values: ratios },
  };
  const max = summarise(distances, Math.max);
  const mean = summarise(distances, (a, b) => a + b, count);
  return {
    shape,
    ...common,
    distances,
    max,
    mean,
    ...(noise ? { estimatorNoise: noise } : {}),
  } as ExplanationSensitivity;
}

/** Validate a {@link Neighbourhood}. @internal */
export function checkNeighbourhood(value: unknown): Neighbourhood {
  const n = value as Neighbourhood | undefined;
  if (typeof n !== "object" || n === null) {
    throw new InvalidArgumentError("options.neighbourhood", '{ kind: "gaussian", scale } or { kind: "ball" | "sphere", radius }', value);
  }
  if (n.kind === "gaussian") {
    checkPositive("options.neighbourhood.scale", n.scale);
    return { kind: "gaussian", scale: n.scale };
  }
  if (n.kind === "ball") {
    checkPositive("options.neighbourhood.radius", n.radius);
    return { kind: "ball", radius: n.radius, sampling: checkSampling("options.neighbourhood.sampling", n.sampling) };
  }
  if (n.kind === "sphere") {
    checkPositive("options.neighbourhood.radius", n.radius);
    return { kind: "sphere", radius: n.radius };
  }
  throw new InvalidArgumentError("options.neighbourhood.kind", '"gaussian", "ball" or "sphere"', (n as { kind?: unknown }).kind);
}

/** Neighbours of `x`, row-major `count×d`. @internal */
export function neighbourPoints(x: Float64Array, count: number, neighbourhood: Neighbourhood, seed: number): Float64Array {
  const d = x.length;
  const out = new Float64Array(count * d);
  if (neighbourhood.kind === "ball") {
    ballSampler(d, neighbourhood.radius, { seed, sampling: neighbourhood.sampling }).fill(out, count);
  } else {
    const rng = gaussianSampler(seed);
    rng.fillNormal(out);
    for (let i = 0; i < count; i++) {
      const row = out.subarray(i * d, (i + 1) * d);
      let factor = neighbourhood.kind === "gaussian" ? neighbourhood.scale : 0;
      if (neighbourhood.kind === "sphere") {
        let s = 0;
        for (const v of row) s += v * v;
        // a zero draw has probability 0; redraw rather than divide by zero
        while (s === 0) {
          rng.fillNormal(row);
          for (const v of row) s += v * v;
        }
        factor = neighbourhood.radius / Math.sqrt(s);
      }
      for (let j = 0; j < d; j++) row[j] *= factor;
    }
  }
  for (let i = 0; i < count; i++) for (let j = 0; j < d; j++) out[i * d + j] += x[j];
  return out;
}

async function evaluate(explain: Explainer, point: Float64Array, seed: number, what: string): Promise<Float64Array> {
  const value = await explain(point, seed);
  if (!value || typeof (value as ArrayLike<number>).length !== "number") {
    throw new InvalidArgumentError(what, "an array of numbers (the explanation)", value);
  }
  return Float64Array.from(checkFiniteArray(what, value, value.length));
}

function inferShape(length: number, d: number): "vector" | "matrix" {
  if (length === d) return "vector";
  if (length === d * d) return "matrix";
  throw new DimensionMismatchError("explain(x)", `an explanation of length d = ${d} (vector) or d² = ${d * d} (matrix)`, described(`length ${length}`));
}

function summarise<T extends object>(rows: readonly T[], combine: (a: number, b: number) => number, divide = 1): T {
  const out: Record<string, number> = {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (typeof value !== "number") continue;
      out[key] = key in out ? combine(out[key], value) : value;
    }
  }
  for (const key of Object.keys(out)) out[key] /= divide;
  return out as T;
}
