/**
 * The dense kernels behind {@link symmetricEigen}'s heavy products, behind one interface with two implementations:
 * a WebAssembly SIMD (f64x2) module embedded in the package (the default where the runtime validates it) and plain
 * JavaScript (the fallback, and a reference the tests compare against). Both compute the same operations in
 * float64; results agree to rounding, not bit for bit.
 */
export interface DenseKernels {
  /** `"wasm"` or `"js"`. */
  readonly name: KernelBackend;
  /**
   * Working arrays of the given lengths, zero-filled. They stay valid until the next `workspace` call (the wasm
   * kernels hand out views on their linear memory, which a later call may move), so an algorithm takes all it
   * needs in one call and copies its results out before returning.
   */
  workspace(lengths: readonly number[]): Float64Array[];
  /** Let go of the memory of the last workspace (the wasm kernels drop a large linear memory). */
  release(): void;
  /** `C[m×n] += alpha·A[m×k]·B[k×n]`, row-major with leading dimensions and offsets (elements). */
  gemm(
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    aOff: number,
    lda: number,
    b: Float64Array,
    bOff: number,
    ldb: number,
    c: Float64Array,
    cOff: number,
    ldc: number,
  ): void;
  /** `y[0..n) = A·x` for the symmetric `n×n` `A` whose lower triangle (`j ≤ i`) is stored row-major at `aOff`, `lda`. */
  symvLower(n: number, a: Float64Array, aOff: number, lda: number, x: Float64Array, xOff: number, y: Float64Array, yOff: number): void;
}

/** Which implementation of the dense kernels runs: `"wasm"` (SIMD WebAssembly) or `"js"` (plain JavaScript). */
export type KernelBackend = "wasm" | "js";
