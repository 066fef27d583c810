import { DisposedError, checkInteger } from "@smoothhess/errors";
import { rowDots } from "@smoothhess/linalg";
import { type BoundQuadraticForms, type QuadraticFormKernel, checkBindArguments, checkHessianLength } from "./quadratic-form-kernel.js";

/** Options of {@link linalgQuadraticFormKernel}. */
export interface LinalgQuadraticFormKernelOptions {
  /**
   * Rows of `U` multiplied per block (default 256): the block's `U H` (`blockRows×d` float64) is the only working
   * array, so memory stays small for any number of rows.
   */
  readonly blockRows?: number;
}

const DEFAULT_BLOCK_ROWS = 256;

/**
 * The dependency-free {@link QuadraticFormKernel}: `uᵀHu` for every row in **float64**, with `U H` computed by
 * `rowDots` of `@smoothhess/linalg` (register-tiled plain JavaScript; `(U H)[i, j] = uᵢ · H[j, :]`, i.e.
 * `U Hᵀ`, which gives the same quadratic forms). The default of {@link perturbationBalls}. Exact to float64
 * rounding, so it is also the reference the float32 kernels are tested against; the native kernels (ONNX
 * Runtime's, tfjs's) are many times faster at d = 784 (see the README's benchmark section).
 *
 * `bind` keeps a reference to `U` (no copy) and allocates nothing else; `dispose()` drops the reference.
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
      let u: Float64Array | null = displacements;
      const block = new Float64Array(Math.min(rows, blockRows) * dim);
      return {
        rows,
        dim,
        evaluate(hessian: ArrayLike<number>): Float64Array {
          if (u === null) throw new DisposedError("this bound quadratic-form kernel", "bind the rows again");
          checkHessianLength(hessian, dim);
          const h = hessian instanceof Float64Array ? hessian : Float64Array.from(hessian);
          const out = new Float64Array(rows);
          for (let start = 0; start < rows; start += blockRows) {
            const count = Math.min(blockRows, rows - start);
            const rowsHere = u.subarray(start * dim, (start + count) * dim);
            rowDots(block, dim, rowsHere, count, h, dim, dim);
            for (let p = 0; p < count; p++) {
              let s = 0;
              const base = p * dim;
              for (let j = 0; j < dim; j++) s += block[base + j] * rowsHere[base + j];
              out[start + p] = s;
            }
          }
          return out;
        },
        dispose() {
          u = null;
        },
      };
    },
  };
}
