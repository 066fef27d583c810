import { DimensionMismatchError, InvalidArgumentError, described, firstNonFinite, isNumericArray } from "@smoothhess/errors";
import { checkSymmetric } from "@smoothhess/linalg";
import type { SymmetricEigen } from "@smoothhess/linalg";
import type { FactoredHessian } from "@smoothhess/stein";

/**
 * A symmetric `d×d` matrix known by its action, e.g. the `FactoredHessian` that `smoothHessFactored` returns
 * (`H = scale·sym(AᵀB)`), or the `LowRankHessian` `W M Wᵀ` of the surrogates package (cross-entropy and SoftMax
 * Hessians of a ReLU network). Only `matVec` is required; `quadraticForm`, when present, is used for `vᵀHv`, and
 * `eigen()`, when present, gives the eigenpairs the second-order attack needs (see {@link hessianEigen}).
 */
export interface HessianOperator {
  /** Order `d` (checked against the gradient's length when present). */
  readonly dim?: number;
  /** `H v` (length `d`); may write into `out` when given. Must not keep `v`. */
  matVec(v: Float64Array, out?: Float64Array): ArrayLike<number>;
  /** `vᵀ H v`, when the operator can do better than `matVec` plus a dot product. */
  quadraticForm?(v: Float64Array): number;
  /**
   * All eigenpairs that can be non-zero, sorted by `|λ|` descending (the default of `@smoothhess/linalg`), with
   * `H` zero on the complement of their span — as `LowRankHessian.eigen()` of the surrogates package returns them.
   */
  eigen?(): SymmetricEigen;
}

/**
 * A Hessian as the metrics accept it: a row-major symmetric `d×d` matrix (`smoothHess(...).hessian`, any
 * `ArrayLike<number>`), or a {@link HessianOperator} such as a `FactoredHessian` (never expanded to `d×d`).
 */
export type HessianInput = ArrayLike<number> | HessianOperator;

/**
 * A checked Hessian with the operations the metrics need.
 * @internal
 */
export interface ResolvedHessian {
  readonly dim: number;
  /** The dense row-major matrix, when one was given. */
  readonly dense?: ArrayLike<number>;
  /** The factored form, when a `FactoredHessian` was given. */
  readonly factored?: FactoredHessian;
  /** The operator, when one was given. */
  readonly operator?: HessianOperator;
  /** `out = H v`. */
  matVec(v: Float64Array, out: Float64Array): Float64Array;
  /**
   * `out[p] = u_pᵀ H u_p` for the `n` rows of the row-major `n×d` block `u`.
   */
  quadraticForms(u: Float64Array, n: number, out: Float64Array): Float64Array;
}

/** Points per block in the dense batched quadratic form: the matrix is streamed once per block. */
const BLOCK = 16;

/**
 * Validate a {@link HessianInput} of order `d` and wrap it.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming `argument`: a dense matrix of the
 *   wrong length, with non-finite entries or asymmetric; an operator without `matVec` or of another `dim`.
 * @internal
 */
export function resolveHessian(argument: string, hessian: unknown, d: number): ResolvedHessian {
  if (isNumericArray(hessian)) {
    const a = checkSymmetric(argument, hessian, d);
    return denseHessian(a, d);
  }
  if (typeof hessian !== "object" || hessian === null || typeof (hessian as HessianOperator).matVec !== "function") {
    throw new InvalidArgumentError(
      argument,
      `a row-major ${d}×${d} symmetric matrix or an operator { matVec(v) } (e.g. a FactoredHessian)`,
      hessian,
    );
  }
  const op = hessian as HessianOperator;
  if (op.dim !== undefined && op.dim !== d) {
    throw new DimensionMismatchError(`${argument}.dim`, `${d} (the length of the gradient)`, op.dim);
  }
  return operatorHessian(argument, op, d);
}

function denseHessian(a: ArrayLike<number>, d: number): ResolvedHessian {
  return {
    dim: d,
    dense: a,
    matVec(v, out) {
      for (let i = 0; i < d; i++) {
        let s = 0;
        const row = i * d;
        for (let j = 0; j < d; j++) s += a[row + j] * v[j];
        out[i] = s;
      }
      return out;
    },
    quadraticForms(u, n, out) {
      // (U H) for a block of points at a time, so each row of H is read once per block, then row-wise dots.
      const hu = new Float64Array(BLOCK * d);
      for (let start = 0; start < n; start += BLOCK) {
        const b = Math.min(BLOCK, n - start);
        hu.fill(0, 0, b * d);
        for (let i = 0; i < d; i++) {
          const row = i * d;
          for (let p = 0; p < b; p++) {
            const ui = u[(start + p) * d + i];
            if (ui === 0) continue;
            const o = p * d;
            for (let j = 0; j < d; j++) hu[o + j] += ui * a[row + j];
          }
        }
        for (let p = 0; p < b; p++) {
          let s = 0;
          const o = p * d, base = (start + p) * d;
          for (let j = 0; j < d; j++) s += hu[o + j] * u[base + j];
          out[start + p] = s;
        }
      }
      return out;
    },
  };
}

function operatorHessian(argument: string, op: HessianOperator, d: number): ResolvedHessian {
  const apply = (v: Float64Array, out: Float64Array): Float64Array => {
    const r = op.matVec(v, out);
    if (!r || r.length !== d) {
      throw new DimensionMismatchError(`${argument}.matVec`, `a function returning ${d} numbers`, described(`a result of length ${r?.length}`));
    }
    const bad = firstNonFinite(r);
    if (bad >= 0) {
      throw new InvalidArgumentError(`${argument}.matVec`, "a function returning finite numbers", described(`${String(r[bad])} at index ${bad}`));
    }
    if (r !== out) for (let i = 0; i < d; i++) out[i] = r[i];
    return out;
  };
  const factored = isFactored(op, d) ? (op as unknown as FactoredHessian) : undefined;
  return {
    dim: d,
    factored,
    operator: op,
    matVec: apply,
    quadraticForms(u, n, out) {
      const v = new Float64Array(d);
      const hv = new Float64Array(d);
      for (let p = 0; p < n; p++) {
        for (let j = 0; j < d; j++) v[j] = u[p * d + j];
        let q: number;
        if (typeof op.quadraticForm === "function") {
          q = op.quadraticForm(v);
          if (!Number.isFinite(q)) {
            throw new InvalidArgumentError(`${argument}.quadraticForm`, "a function returning a finite number", q);
          }
        } else {
          apply(v, hv);
          q = 0;
          for (let j = 0; j < d; j++) q += v[j] * hv[j];
        }
        out[p] = q;
      }
      return out;
    },
  };
}

/** True for the `FactoredHessian` shape of `@smoothhess/stein` (two `m×d` factors and a scale). */
function isFactored(op: HessianOperator, d: number): boolean {
  const f = op as Partial<FactoredHessian>;
  return (
    f.dim === d &&
    typeof f.rank === "number" &&
    Number.isInteger(f.rank) &&
    f.rank >= 1 &&
    typeof f.scale === "number" &&
    f.left instanceof Float64Array &&
    f.right instanceof Float64Array &&
    f.left.length === f.rank * d &&
    f.right.length === f.rank * d
  );
}
