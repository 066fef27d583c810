import { addTransposedProduct } from "@smoothhess/linalg";

/**
 * The hot loop of the dense Hessian estimators: `out += Aᵀ B` for a block of m Monte-Carlo rows
 * (A: m×p, B: m×q, row-major; out: p×q float64). Swap it for a faster one (e.g. a SIMD or GPU matmul that
 * multiplies a block in float32 and adds it to the float64 accumulator) through `SmoothHessOptions.kernel`.
 */
export interface OuterProductKernel {
  /** A short name for logs and benchmark tables. */
  readonly name: string;
  /**
   * `out += Aᵀ B`; may be asynchronous (GPU, a worker thread). Must not keep references to `a` or `b` after it
   * returns (after its promise resolves, for an asynchronous kernel).
   */
  addTransposedProduct(out: Float64Array, a: Float64Array, b: Float64Array, m: number, p: number, q: number): void | Promise<void>;
  /**
   * `true` declares that an asynchronous `addTransposedProduct` has read (copied) `a` and `b` by the time it
   * returns its promise, though the product is added to `out` only when the promise resolves. `smoothHess` then
   * goes on drawing and folding the next batch while the product is computed, and awaits it before its next
   * product and before it reads the accumulator (so products are added in the same order; same numbers). Default:
   * each product is awaited at once.
   */
  readonly copiesOperandsOnCall?: boolean;
}

/** The default kernel: float64 products and accumulation in plain JavaScript (`@smoothhess/linalg`). */
export const float64Kernel: OuterProductKernel = {
  name: "float64-js",
  addTransposedProduct: (out, a, b, m, p, q) => {
    addTransposedProduct(out, a, b, m, p, q);
  },
};
