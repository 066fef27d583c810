export { checkSquareMatrix, checkSymmetric } from "./matrix-checks.js";
export {
  cholesky,
  NotPositiveDefiniteError,
  solveLowerInPlace,
  solveLowerTransposeInPlace,
  lowerMatVec,
} from "./cholesky.js";
export { matVec } from "./mat-vec.js";
export { addTransposedProduct, symmetrizeInPlace } from "./transposed-product.js";
export { addRowDots, mirrorUpper, rowDots, subtractRowCombinations, transpose } from "./row-kernels.js";
export { ConvergenceError } from "./convergence-error.js";
export { checkEigen, spectrumEnergy } from "./eigenpairs.js";
export type { EigenOrder, SpectrumEnergy, SymmetricEigen } from "./eigenpairs.js";
export { symmetricEigen, symmetricEigenvalues } from "./symmetric-eigen.js";
export { kernelBackend, setKernelBackend } from "./kernels/kernel-backend.js";
export type { KernelBackend } from "./kernels/dense-kernels.js";
export type { SymmetricEigenOptions } from "./symmetric-eigen.js";
export { truncateByEnergy } from "./truncate-by-energy.js";
export { topEigen } from "./top-eigen.js";
export type { SymmetricOperator, TopEigenOptions, TopEigenResult } from "./top-eigen.js";
export { eigenFromFactors } from "./eigen-from-factors.js";
export type { EigenFromFactorsOptions } from "./eigen-from-factors.js";
export { KRYLOV_MIN_DIMENSION, trustRegionStep } from "./trust-region-step.js";
export { krylovTrustRegion } from "./krylov-trust-region.js";
export type {
  KrylovTrustRegionOptions,
  KrylovTrustRegionProblem,
  KrylovTrustRegionSolver,
  KrylovTrustRegionStep,
} from "./krylov-trust-region.js";
export type { TrustRegionProblem, TrustRegionStep } from "./trust-region-step.js";
export { reducedTrustRegionStep } from "./reduced-trust-region-step.js";
export type { ReducedTrustRegionProblem, ReducedTrustRegionStep } from "./reduced-trust-region-step.js";
