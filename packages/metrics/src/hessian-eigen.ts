import { InvalidArgumentError, checkInteger, checkNumberInRange } from "@smoothhess/errors";
import { type SymmetricEigen, checkEigen, eigenFromFactors, spectrumEnergy, symmetricEigen, truncateByEnergy } from "@smoothhess/linalg";
import { type HessianInput, type ResolvedHessian, resolveHessian } from "./hessian-input.js";

/**
 * Largest `d` for which {@link hessianEigen} returns every eigenpair of a `FactoredHessian` by default: every dataset
 * of the paper (MNIST/FMNIST 784, CIFAR-10 3072); the basis is then at most `min(d, 2m)·d ≤ 4096²` float64 (128 MiB).
 */
export const FACTORED_ALL_PAIRS_MAX_DIM = 4096;

/**
 * Energy threshold of {@link hessianEigen}'s default for a `FactoredHessian` above {@link FACTORED_ALL_PAIRS_MAX_DIM}:
 * 0.98, the largest `T` of the paper's reduced attack (`ATTACK_ENERGY_THRESHOLDS`).
 */
export const FACTORED_DEFAULT_ENERGY = 0.98;

/** Options of {@link hessianEigen}: which eigenpairs to return (give `k` or `energy`, not both). */
export interface HessianEigenOptions {
  /**
   * `"all"`: every pair that can be non-zero (all `d` of a dense matrix, `min(d, 2m)` of a `FactoredHessian`, the
   * operator's own). A number: the first `k` pairs by `|λ|`, which the attacks then take for the whole of `H̃` (as
   * with `topEigen`'s pairs: the exact attack solves paper Eq. 67 with them, the reduced attack's `T` is a fraction
   * of their `Σ|λ|`).
   */
  readonly k?: number | "all";
  /**
   * `T ∈ (0, 1]`: the fewest leading pairs carrying `T` of `Σ|λ|` over the whole spectrum (paper Eq. 71). The result
   * carries that total as `totalMagnitude`, so {@link secondOrderAttack} with `method: "reduced"` and any
   * `energy ≤ T` picks the same pairs and step as from all of them; the exact attack refuses it. For a
   * `FactoredHessian` only these `k(T)` vectors are computed.
   */
  readonly energy?: number;
}

/**
 * Eigenpairs of a Hessian, sorted by `|λ|` descending (the order of paper App. D.1 and of the reduced attack): a dense
 * matrix by `symmetricEigen` (`O(d³)`: seconds at d = 784), a `FactoredHessian` `scale·sym(AᵀB)` by
 * `eigenFromFactors` (`O(d·m²)`, never forming `d×d`), an operator with an `eigen()` method (the surrogates
 * package's `LowRankHessian` `W M Wᵀ`, whose pairs come from the small `r×r` factor) by asking it.
 *
 * **Which pairs** (`options`): by default all of them — except for a `FactoredHessian` with
 * `d > 4096` ({@link FACTORED_ALL_PAIRS_MAX_DIM}), where all `min(d, 2m)` pairs would make a basis as large as the
 * two factors together (2.2 GiB at d = 150,528 with m = 1,000 samples, on top of the factors and the `2m×d` working
 * copy of the decomposition). There the default is `{ energy: 0.98 }` ({@link FACTORED_DEFAULT_ENERGY}): the pairs
 * the paper's reduced attack uses at any `T ≤ 0.98`, with the same results as from all pairs. Ask for
 * `{ k: "all" }` for the exact attack (which needs every pair and refuses a truncated `eigen`), or for a fixed
 * `k` to bound memory (`k·d` float64). A flat spectrum (few samples, much noise) can still need most pairs for
 * `T = 0.98`.
 *
 * Compute it once per explained point and pass it as `eigen` to {@link secondOrderAttack} for every attack radius
 * and method: the decomposition is the expensive part, the trust-region solve on top of it costs `O(d·k)`.
 *
 * @param hessian - a dense row-major symmetric `d×d` matrix, a `FactoredHessian`, or an operator with `eigen()`.
 * @param dim - its order `d`.
 * @param options - `k` (a count or `"all"`) or `energy`; see above for the default.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a malformed matrix, an operator that
 *   is not a `FactoredHessian` (a bare `matVec` does not give all eigenpairs cheaply: use `topEigen` from
 *   `@smoothhess/linalg` and pass the pairs), `options.k` not `"all"` or an integer in `[0, d]`, `options.energy`
 *   outside `(0, 1]`, or both.
 *
 * @example
 * ```ts
 * const eigen = hessianEigen(smoothHessian, 784);                              // all 784 pairs
 * const paper = hessianEigen(factoredSmoothHess, 150_528, { energy: 0.8 });    // CIFAR-style T, k(0.8) vectors
 * const every = hessianEigen(factoredSmoothHess, 150_528, { k: "all" });       // min(d, 2m) vectors, for "exact"
 * ```
 */
export function hessianEigen(hessian: HessianInput, dim: number, options: HessianEigenOptions = {}): SymmetricEigen {
  checkInteger("dim", dim, 1);
  const resolved = resolveHessian("hessian", hessian, dim);
  return eigenOfResolved(resolved, dim, checkOptions(options, dim));
}

/** Checked {@link HessianEigenOptions}: exactly one of `k` (`"all"` or a count) and `energy`, or neither (default). */
type Selection = { readonly k: number | "all" } | { readonly energy: number } | Record<string, never>;

function checkOptions(options: HessianEigenOptions, d: number): Selection {
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options", "an options object { k? | energy? }", options);
  const { k, energy } = options;
  if (k !== undefined && energy !== undefined) {
    throw new InvalidArgumentError("options.energy", "no energy threshold together with options.k (give one of them)", energy);
  }
  if (k !== undefined) return { k: k === "all" ? "all" : checkIntegerOrAll("options.k", k, d) };
  if (energy !== undefined) return { energy: checkNumberInRange("options.energy", energy, 0, 1, { min: true }) };
  return {};
}

function checkIntegerOrAll(argument: string, value: unknown, d: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > d) {
    throw new InvalidArgumentError(argument, `"all" or an integer in [0, ${d}]`, value);
  }
  return value;
}

/**
 * {@link hessianEigen} of a resolved Hessian with checked options.
 * @internal also used by {@link secondOrderAttack}.
 */
export function eigenOfResolved(resolved: ResolvedHessian, dim: number, selection: Selection, argument = "hessian"): SymmetricEigen {
  if (resolved.factored) {
    const f = resolved.factored;
    let choice = selection;
    if (!("k" in choice) && !("energy" in choice)) {
      choice = dim <= FACTORED_ALL_PAIRS_MAX_DIM ? { k: "all" } : { energy: FACTORED_DEFAULT_ENERGY };
    }
    if ("energy" in choice) return eigenFromFactors(f.left, f.right, f.rank, dim, { scale: f.scale, energy: choice.energy });
    if (choice.k === "all") return eigenFromFactors(f.left, f.right, f.rank, dim, { scale: f.scale });
    // an explicit count: the pairs stand for the whole matrix (no totalMagnitude), as documented
    const { d, k, values, vectors } = eigenFromFactors(f.left, f.right, f.rank, dim, { scale: f.scale, k: choice.k });
    return { d, k, values, vectors };
  }
  let all: SymmetricEigen;
  if (resolved.dense) {
    all = symmetricEigen(resolved.dense, dim);
  } else {
    const op = resolved.operator;
    if (!op || typeof op.eigen !== "function") {
      throw new InvalidArgumentError(
        argument,
        "a dense matrix, a FactoredHessian or an operator with eigen() (otherwise compute its eigenpairs with topEigen and pass them as eigen)",
        op,
      );
    }
    // the operator's pairs: shape and finiteness, as linalg checks user-supplied eigenpairs
    all = checkEigen(`${argument}.eigen()`, op.eigen(), dim);
  }
  return select(all, selection);
}

/** The leading pairs of a decomposition the selection asks for (all of them by default). */
function select(all: SymmetricEigen, selection: Selection): SymmetricEigen {
  if ("energy" in selection) {
    const { total } = spectrumEnergy(all);
    return prefix(all, truncateByEnergy(all.values, selection.energy, total), total);
  }
  if ("k" in selection && selection.k !== "all") return prefix(all, Math.min(selection.k, all.k));
  return all;
}

/** The first `k` pairs as their own arrays (so the rest can be freed), with the spectrum's total when given. */
function prefix(all: SymmetricEigen, k: number, totalMagnitude?: number): SymmetricEigen {
  const { d } = all;
  const values = all.values.slice(0, k);
  const vectors = all.vectors.slice(0, k * d);
  return totalMagnitude === undefined ? { d, k, values, vectors } : { d, k, values, vectors, totalMagnitude };
}
