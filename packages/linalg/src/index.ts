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
