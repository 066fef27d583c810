import { firstOrderAttack, postHocAccuracy, secondOrderAttacks, type Classifier, type HessianInput } from "@smoothhess/metrics";
import { classesAndProbability, type Network, predictedClasses } from "@smoothhess/tfjs";
import type { AttackConfig } from "./config.js";
import type { AttackOutcome } from "./results.js";

/** The outcomes of attacking `x0` with one attacked point per radius. */
export async function outcomes(network: Network, x0: Float64Array, k: number, attacked: readonly Float64Array[]): Promise<AttackOutcome> {
  const classifier: Classifier = (points, n) => predictedClasses(network, points, n);
  const { unchanged } = await postHocAccuracy(classifier, attacked.map(() => x0), attacked);
  const d = x0.length;
  const flat = new Float64Array(attacked.length * d);
  attacked.forEach((p, i) => flat.set(p, i * d));
  const { probability } = classesAndProbability(network, flat, attacked.length, k);
  return { unchanged: Array.from(unchanged), probability: Array.from(probability) };
}

/** The first-order attacked point at every radius. */
export function firstOrderPoints(x0: Float64Array, gradient: ArrayLike<number>, config: AttackConfig): Float64Array[] {
  return config.radii.map((radius) => firstOrderAttack({ x0, gradient, radius }).point);
}

/**
 * The second-order attacked point at every radius (reduced to the energy threshold, or exact) and the ranks kept,
 * from the Hessian itself: `secondOrderAttacks` computes only the `k(T)` eigenpairs the reduced attack keeps, and
 * solves the exact attack in one Krylov subspace grown across the radii, instead of a full eigendecomposition.
 */
export function secondOrderPoints(
  x0: Float64Array,
  gradient: ArrayLike<number>,
  hessian: HessianInput,
  config: AttackConfig,
  method: "reduced" | "exact",
): { points: Float64Array[]; ranks: number[] } {
  const results = secondOrderAttacks(
    method === "reduced" ? { x0, gradient, hessian, radii: config.radii, method, energy: config.energy } : { x0, gradient, hessian, radii: config.radii, method },
  );
  return { points: results.map((r) => r.point), ranks: results.map((r) => r.rank) };
}
