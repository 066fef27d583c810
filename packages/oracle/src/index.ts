export type { PointBatch, ValueBatch, GradientBatch, ValueOracle, GradientOracle } from "./gradient-oracle.js";
export { isOracle } from "./gradient-oracle.js";
