import { DisposedError, checkInteger } from "@smoothhess/errors";
import { type BoundQuadraticForms, type QuadraticFormKernel, checkBindArguments, checkHessianLength } from "./quadratic-form-kernel.js";

/** Options of {@link linalgQuadraticFormKernel}. */
export interface LinalgQuadraticFormKernelOptions {
  /**
   * Rows of `U` processed per block (default 64): a block (`64×d` float64, 400 KB at d = 784) stays in the
   * second-level cache while the triangle of `H` streams past it once.
   */
  readonly blockRows?: number;
}

const DEFAULT_BLOCK_ROWS = 64;

/**
 * The dependency-free {@link QuadraticFormKernel}: `uᵀHu` for every row in **float64**, plain JavaScript. The
 * default of {@link perturbationBalls}. Exact to float64 rounding, so it is also the reference the float32 kernels
 * are tested against; the native kernels (ONNX Runtime's, tfjs's) are several times faster at d = 784 (see the
 * README's benchmark section).
 *
 * It uses the symmetry of the form: `uᵀHu = Σᵢ uᵢ Σ_{j≥i} Wᵢⱼ uⱼ` with `W = H + Hᵀ` above the diagonal and
 * `Wᵢᵢ = Hᵢᵢ`, so it reads one triangle and does half the multiplications of `(U H) ⊙ U` (any `H`, symmetric or not).
 * `bind` keeps a reference to `U` (no copy); each `evaluate` allocates `W` (`d×d`); `dispose()` drops the reference.
 *
 * @throws {@link InvalidArgumentError} for a `blockRows` that is not an integer ≥ 1.
 * @example
 * ```ts
 * import { linalgQuadraticFormKernel } from "@smoothhess/metrics";
 * const kernel = linalgQuadraticFormKernel();
 * const forms = await kernel.bind(Float64Array.of(1, 0, 1, 1), 2, 2); // rows (1, 0) and (1, 1)
 * console.log(await forms.evaluate([2, 1, 1, 3])); // Float64Array [2, 7]
 * ```
 */
export function linalgQuadraticFormKernel(options: LinalgQuadraticFormKernelOptions = {}): QuadraticFormKernel {
  const blockRows = checkInteger("options.blockRows", options.blockRows ?? DEFAULT_BLOCK_ROWS, 1);
  return {
    name: "linalg-float64",
    bind(displacements: Float64Array, rows: number, dim: number): BoundQuadraticForms {
      checkBindArguments(displacements, rows, dim);
      let u: Float64Array | null = displacements instanceof Float64Array ? displacements : Float64Array.from(displacements);
      return {
        rows,
        dim,
        evaluate(hessian: ArrayLike<number>): Float64Array {
          if (u === null) throw new DisposedError("this bound quadratic-form kernel", "bind the rows again");
          checkHessianLength(hessian, dim);
          const w = new Float64Array(dim * dim);
          for (let i = 0; i < dim; i++) {
            w[i * dim + i] = hessian[i * dim + i];
            for (let j = i + 1; j < dim; j++) w[i * dim + j] = hessian[i * dim + j] + hessian[j * dim + i];
          }
          const out = new Float64Array(rows);
          for (let p0 = 0; p0 < rows; p0 += blockRows) triangleForms(u, dim, w, p0, Math.min(rows, p0 + blockRows), out);
          return out;
        },
        dispose() {
          u = null;
        },
      };
    },
  };
}

/**
 * `out[p] += Σᵢ u_pi Σ_{j≥i} W_ij u_pj` for the rows `p0 ≤ p < p1` of `u` (row-major, `d` columns), `W` upper
 * triangular row-major `d×d`. Hand-written because `@smoothhess/linalg` has no triangular kernel: 4 rows of `W` ×
 * 4 points per register tile (8 loads for 16 multiply-adds), the same tiling as linalg's `rowDots`.
 */
function triangleForms(u: Float64Array, d: number, w: Float64Array, p0: number, p1: number, out: Float64Array): void {
  let i = 0;
  for (; i + 4 <= d; i += 4) {
    const w0 = i * d, w1 = w0 + d, w2 = w1 + d, w3 = w2 + d;
    let p = p0;
    for (; p + 4 <= p1; p += 4) {
      const a = p * d, b = a + d, c = b + d, e = c + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = i + 4; j < d; j++) {
        const q0 = w[w0 + j], q1 = w[w1 + j], q2 = w[w2 + j], q3 = w[w3 + j];
        const x0 = u[a + j], x1 = u[b + j], x2 = u[c + j], x3 = u[e + j];
        s00 += q0 * x0; s01 += q1 * x0; s02 += q2 * x0; s03 += q3 * x0;
        s10 += q0 * x1; s11 += q1 * x1; s12 += q2 * x1; s13 += q3 * x1;
        s20 += q0 * x2; s21 += q1 * x2; s22 += q2 * x2; s23 += q3 * x2;
        s30 += q0 * x3; s31 += q1 * x3; s32 += q2 * x3; s33 += q3 * x3;
      }
      out[p] += cornerForm(u, a, i, w, d, s00, s01, s02, s03);
      out[p + 1] += cornerForm(u, b, i, w, d, s10, s11, s12, s13);
      out[p + 2] += cornerForm(u, c, i, w, d, s20, s21, s22, s23);
      out[p + 3] += cornerForm(u, e, i, w, d, s30, s31, s32, s33);
    }
    for (; p < p1; p++) out[p] += rowsForm(u, p * d, w, d, i, i + 4);
  }
  if (i < d) for (let p = p0; p < p1; p++) out[p] += rowsForm(u, p * d, w, d, i, d);
}

/** Finish one point of a 4-row tile: add the 4×4 triangle on the diagonal (`i ≤ r ≤ j < i+4`) to the row sums. */
function cornerForm(u: Float64Array, a: number, i: number, w: Float64Array, d: number, s0: number, s1: number, s2: number, s3: number): number {
  const x0 = u[a + i], x1 = u[a + i + 1], x2 = u[a + i + 2], x3 = u[a + i + 3];
  const r0 = i * d + i, r1 = r0 + d + 1, r2 = r1 + d + 1, r3 = r2 + d + 1;
  s0 += w[r0] * x0 + w[r0 + 1] * x1 + w[r0 + 2] * x2 + w[r0 + 3] * x3;
  s1 += w[r1] * x1 + w[r1 + 1] * x2 + w[r1 + 2] * x3;
  s2 += w[r2] * x2 + w[r2 + 1] * x3;
  s3 += w[r3] * x3;
  return x0 * s0 + x1 * s1 + x2 * s2 + x3 * s3;
}

/** `Σ_{r∈[from, to)} u_r Σ_{j≥r} W_rj u_j` for one point at offset `a` (the remainder rows and points). */
function rowsForm(u: Float64Array, a: number, w: Float64Array, d: number, from: number, to: number): number {
  let total = 0;
  for (let r = from; r < to; r++) {
    let s = 0;
    const row = r * d;
    for (let j = r; j < d; j++) s += w[row + j] * u[a + j];
    total += u[a + r] * s;
  }
  return total;
}
