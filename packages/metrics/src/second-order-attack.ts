import { InvalidArgumentError, checkFiniteArray, checkNumberInRange, described } from "@smoothhess/errors";
import {
  KRYLOV_MIN_DIMENSION,
  type KrylovTrustRegionSolver,
  type SymmetricEigen,
  type TrustRegionStep,
  checkEigen,
  krylovTrustRegion,
  reducedTrustRegionStep,
  spectrumEnergy,
  symmetricEigen,
  trustRegionStep,
} from "@smoothhess/linalg";
import { type AttackResult, type AttackSpec, applyStep, checkAttackSpec } from "./attack-result.js";
import { eigenOfResolved } from "./hessian-eigen.js";
import { type HessianInput, type ResolvedHessian, resolveHessian } from "./hessian-input.js";
import { dot, projectIntoBall } from "./vector-math.js";

/**
 * How the second-order attack solves the trust-region problem (paper Eq. 12 / Eq. 64):
 * - `"exact"`: the exact global minimiser over the whole ball (Moré–Sorensen on the full eigendecomposition,
 *   hard case included) — what the paper's SDP (Eq. 65) computes without its dimension reduction;
 * - `"reduced"`: the paper's variant (App. D.1, Eq. 66–71): keep the fewest eigenpairs of largest `|λ|` carrying a
 *   fraction `T` of `Σ|λ|`, solve in their span exactly, lift back.
 */
export type SecondOrderAttackMethod = "exact" | "reduced";

/**
 * The energy thresholds `T` of the reduced attack used in the paper (App. E.1): 0.98 for MNIST and FMNIST, 0.8 for
 * CIFAR-10.
 */
export const ATTACK_ENERGY_THRESHOLDS: Readonly<{ mnist: number; fmnist: number; cifar10: number }> = Object.freeze({
  mnist: 0.98,
  fmnist: 0.98,
  cifar10: 0.8,
});

/** Arguments of {@link secondOrderAttack}. Give `hessian` or `eigen`, not both. */
export interface SecondOrderAttackSpec extends AttackSpec {
  /** `G̃`, the explainer's gradient of the predicted-class SoftMax probability at `x₀`, length `d`. */
  readonly gradient: ArrayLike<number>;
  /**
   * `H̃`: a dense row-major symmetric `d×d` matrix, a `FactoredHessian` or an operator with `eigen()`, decomposed by
   * {@link hessianEigen} — every pair for the exact attack; for the reduced attack on a `FactoredHessian` only the
   * `k(T)` pairs it keeps (`hessianEigen(h, d, { energy })`, same result, `k(T)·d` instead of `min(d, 2m)·d` floats).
   */
  readonly hessian?: HessianInput;
  /**
   * `H̃` by its eigenpairs, sorted by `|λ|` descending (from {@link hessianEigen} or `symmetricEigen`): reuse one
   * decomposition for every radius and method. With `k < d` pairs `H̃` is taken to be zero on their complement —
   * unless `eigen.totalMagnitude` says that pairs are missing (`hessianEigen` with `energy`, its default for a large
   * `FactoredHessian`): then the reduced attack measures `energy` against that total (paper Eq. 71, the same
   * pairs and step as from all of them; an `energy` the pairs cannot reach throws) and the exact attack refuses
   * them.
   */
  readonly eigen?: SymmetricEigen;
  /** `"exact"` (default) or `"reduced"`; `energy` alone implies `"reduced"`. */
  readonly method?: SecondOrderAttackMethod;
  /**
   * The energy threshold `T ∈ (0, 1]` of the reduced variant (default 0.98, the paper's MNIST/FMNIST value; see
   * {@link ATTACK_ENERGY_THRESHOLDS}). With `T = 1` and a non-singular `H̃` the reduced attack is the exact one.
   */
  readonly energy?: number;
}

/** What {@link secondOrderAttack} returns. */
export interface SecondOrderAttackResult extends AttackResult {
  /**
   * The second-order Taylor model's predicted change `G̃ᵀδ + ½ δᵀH̃δ` at the applied step (≤ 0 before clipping), with
   * `H̃` itself when given as `hessian`, else as the pairs of `eigen` represent it (a truncated `eigen` leaves out
   * the curvature of the missing pairs, which a reduced step only meets once clipping moves it out of their span).
   */
  readonly taylorChange: number;
  /** The method used. */
  readonly method: SecondOrderAttackMethod;
  /** Eigenpairs the solve used: all of them (`k`) for `"exact"`, `k(T)` of Eq. 71 for `"reduced"`. */
  readonly rank: number;
  /** The Lagrange multiplier `λ* ≥ 0` of the ball constraint. */
  readonly multiplier: number;
  /** Whether the step reaches the sphere `‖δ‖ = ε`. */
  readonly onBoundary: boolean;
  /** Whether the trust-region hard case occurred (gradient orthogonal to the lowest eigenspace). */
  readonly hardCase: boolean;
}

/**
 * The second-order Taylor attack of paper Sec. 5.1 / App. D.1: minimise the second-order model of the
 * predicted-class SoftMax probability over the ball,
 *
 * `δ* = argmin_{‖δ‖₂ ≤ ε} G̃ᵀδ + ½ δᵀH̃δ`   (Eq. 12, 64),
 *
 * solved **exactly** by the trust-region solver of `@smoothhess/linalg` (`trustRegionStep`) in the eigenbasis of
 * `H̃`, instead of the authors' generic SDP (Eq. 65, about 2 s per point). `method: "reduced"` is the paper's
 * dimension reduction (Eq. 66–71) with threshold `energy`. Since the first-order step `−εG̃/‖G̃‖` is feasible, the
 * exact attack never does worse on the Taylor model than {@link firstOrderAttack}.
 *
 * Cost: with a dense `hessian` of order ≥ `KRYLOV_MIN_DIMENSION`, the exact attack needs no eigendecomposition (a
 * Krylov subspace of typically tens to a hundred or so Hessian products, `krylovTrustRegion`), the reduced one the
 * `k(T)` pairs of Eq. 71 only; otherwise one eigendecomposition (`O(d³)` dense, `O(d·m²)` factored). Several radii:
 * {@link secondOrderAttacks} shares that work; or pass `eigen` for every radius, then each solve is `O(d·k)`. Memory of a `FactoredHessian`'s decomposition: `k·d` float64
 * for the pairs (all `min(d, 2m)` for `"exact"`, `k(T)` for `"reduced"`) besides the `2m×d` working copy.
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for mismatched or non-finite `gradient`,
 *   `x0`, `hessian` or `eigen`, neither or both of `hessian`/`eigen`, `radius ≤ 0`, an unknown `method`, `energy`
 *   outside `(0, 1]` (or given with `method: "exact"`, or above the share of `eigen.totalMagnitude` its pairs
 *   carry), unsorted `eigen` for the reduced method, a truncated `eigen` (with `totalMagnitude`) for the exact
 *   method, or a bad `clip`.
 *
 * @example
 * ```ts
 * const eigen = hessianEigen(smoothHessian, 784);                       // once per point
 * for (const radius of [0.25, 0.5, 0.75, 1.25, 1.75]) {
 *   const { point } = secondOrderAttack({ x0, gradient, eigen, radius, method: "reduced", energy: 0.98 });
 * }
 * ```
 */
export function secondOrderAttack(spec: SecondOrderAttackSpec): SecondOrderAttackResult {
  const { radius, ...rest } = spec ?? ({} as SecondOrderAttackSpec);
  return secondOrderAttacks({ ...rest, radii: [radius] }, "spec")[0];
}

/** Arguments of {@link secondOrderAttacks}: a {@link SecondOrderAttackSpec} with several radii. */
export interface SecondOrderAttackRadiiSpec extends Omit<SecondOrderAttackSpec, "radius"> {
  /** The radii `ε > 0` to attack with, each on its own. */
  readonly radii: readonly number[];
}

/**
 * {@link secondOrderAttack} at several radii, sharing the work across them: the decomposition of `hessian` is
 * computed once (`reduced`: only the `k(T)` pairs of Eq. 71, `symmetricEigen(h, d, { energy })`), and the exact
 * attack on a dense `hessian` of order ≥ `KRYLOV_MIN_DIMENSION` runs in **one** Krylov subspace grown across the
 * radii (`krylovTrustRegion` of `@smoothhess/linalg`, GLTR-style with the hard case handled) instead of a full
 * eigendecomposition. With `eigen` given, each radius is the `O(d·k)` secular-equation solve.
 *
 * @returns one {@link SecondOrderAttackResult} per radius, in the order given.
 * @throws everything {@link secondOrderAttack} throws (named `spec.…`), and {@link InvalidArgumentError} for empty
 *   or non-positive `radii`.
 *
 * @example
 * ```ts
 * const results = secondOrderAttacks({ x0, gradient, hessian: smoothHessian, radii: [0.25, 0.5, 0.75, 1.25, 1.75] });
 * ```
 */
export function secondOrderAttacks(spec: SecondOrderAttackRadiiSpec, argument = "spec"): SecondOrderAttackResult[] {
  const gradient = Float64Array.from(checkFiniteArray(`${argument}.gradient`, spec?.gradient));
  const radiiIn: unknown = spec.radii;
  if (!Array.isArray(radiiIn) || radiiIn.length === 0) {
    throw new InvalidArgumentError(`${argument}.radii`, "a non-empty array of radii > 0", radiiIn);
  }
  const checked = radiiIn.map((radius: unknown) => checkAttackSpec({ ...spec, radius } as AttackSpec, gradient.length));
  const { x0, clip } = checked[0];
  const d = x0.length;
  const method = resolveMethod(spec);
  const energy = method === "reduced" ? checkNumberInRange("spec.energy", spec.energy ?? 0.98, 0, 1, { min: true }) : 1;

  const hasHessian = spec.hessian !== undefined;
  const hasEigen = spec.eigen !== undefined;
  if (hasHessian === hasEigen) {
    throw new InvalidArgumentError(
      hasHessian ? "spec.eigen" : "spec.hessian",
      "exactly one of `hessian` (a matrix or FactoredHessian) and `eigen` (eigenpairs)",
      described(hasHessian ? "both" : "neither"),
    );
  }
  let eigen: SymmetricEigen | undefined;
  let resolved: ResolvedHessian | undefined;
  let krylov: KrylovTrustRegionSolver | undefined;
  if (hasHessian) {
    resolved = resolveHessian("spec.hessian", spec.hessian, d);
    if (resolved.dense && method === "exact" && d >= KRYLOV_MIN_DIMENSION) {
      krylov = krylovTrustRegion({ gradient, hessian: resolved.dense });
    } else if (resolved.dense && method === "reduced") {
      eigen = symmetricEigen(resolved.dense, d, { energy });
    } else {
      // what the solve needs: every pair for "exact"; for "reduced" on a FactoredHessian the k(T) pairs, which it
      // computes without the others (an operator's decomposition is complete anyway)
      eigen = eigenOfResolved(resolved, d, method === "reduced" && resolved.factored ? { energy } : { k: "all" }, "spec.hessian");
    }
  } else {
    eigen = checkEigen("spec.eigen", spec.eigen, d);
    checkEigenCovers(eigen, method, energy);
  }
  return checked.map(({ radius }) => {
    let solution: TrustRegionStep & { rank: number };
    if (krylov) {
      const s = krylov.solve(radius);
      // a subspace that ran out (not seen on attack Hessians) falls back to the exact eigen path
      solution = s.converged ? { ...s, rank: d } : { ...trustRegionStep({ gradient, hessian: resolved!.dense!, radius, method: "eigen" }), rank: d };
    } else {
      solution = method === "exact" ? { ...trustRegionStep({ gradient, eigen: eigen!, radius }), rank: eigen!.k } : reducedTrustRegionStep({ gradient, eigen: eigen!, radius, energy });
    }
    const step = projectIntoBall(solution.step, radius);
    const result = applyStep(x0, step, clip);
    return {
      ...result,
      // H̃ itself when given as a matrix or a truncated FactoredHessian decomposition; else the (complete) pairs
      taylorChange:
        resolved && (resolved.dense || (resolved.factored && method === "reduced"))
          ? taylorChangeOf(gradient, resolved, result.step)
          : taylorChange(gradient, eigen!, result.step),
      method,
      rank: solution.rank,
      multiplier: solution.multiplier,
      onBoundary: solution.onBoundary,
      hardCase: solution.hardCase,
    };
  });
}

function resolveMethod(spec: Pick<SecondOrderAttackSpec, "method" | "energy">): SecondOrderAttackMethod {
  const method = spec.method ?? (spec.energy !== undefined ? "reduced" : "exact");
  if (method !== "exact" && method !== "reduced") {
    throw new InvalidArgumentError("spec.method", '"exact" or "reduced"', method);
  }
  if (method === "exact" && spec.energy !== undefined) {
    throw new InvalidArgumentError("spec.energy", 'no energy threshold with method "exact" (use method "reduced")', spec.energy);
  }
  return method;
}

/**
 * Refuse eigenpairs that cannot serve the attack: a truncated decomposition (its `totalMagnitude` exceeds the `Σ|λ|`
 * of its pairs) for the exact attack, and an `energy` above the share of the spectrum its pairs carry for the
 * reduced one (the same test as `reducedTrustRegionStep`'s, named here).
 */
function checkEigenCovers(eigen: SymmetricEigen, method: SecondOrderAttackMethod, energy: number): void {
  const { held, total, complete } = spectrumEnergy(eigen);
  const carried = described(`${eigen.k} pairs carrying Σ|λ| = ${held} of spec.eigen.totalMagnitude = ${total} (${held / total} of it)`);
  if (method === "exact" && !complete) {
    throw new InvalidArgumentError(
      "spec.eigen",
      'every eigenpair of H̃ for the exact attack (hessianEigen(hessian, d, { k: "all" })), or method "reduced"',
      carried,
    );
  }
  if (method === "reduced" && held < energy * total) {
    throw new InvalidArgumentError("spec.energy", `at most ${held / total} with these pairs (or pass more eigenpairs)`, energy);
  }
}

/** `gᵀδ + ½ δᵀH̃δ` with `H̃` itself (its quadratic form). */
function taylorChangeOf(g: Float64Array, hessian: ResolvedHessian, step: Float64Array): number {
  const q = hessian.quadraticForms(step, 1, new Float64Array(1))[0];
  return dot(g, step) + 0.5 * q;
}

/** `gᵀδ + ½ Σⱼ λⱼ (qⱼᵀδ)²` for the matrix the eigenpairs represent. */
function taylorChange(g: Float64Array, eigen: SymmetricEigen, step: Float64Array): number {
  const { d, k, values, vectors } = eigen;
  let quad = 0;
  for (let j = 0; j < k; j++) {
    let c = 0;
    const row = j * d;
    for (let i = 0; i < d; i++) c += vectors[row + i] * step[i];
    quad += values[j] * c * c;
  }
  return dot(g, step) + 0.5 * quad;
}
