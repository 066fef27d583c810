import { gaussianSampler } from "@smoothhess/random";

/**
 * Uniform doubles in `[0, 1)` from the project's seeded generator (`@smoothhess/random`), used for the start
 * vectors of iterative methods. Same seed, same numbers, on every platform.
 *
 * @param seed - any integer (its low 32 bits are used).
 * @internal
 */
export function uniformGenerator(seed: number): () => number {
  const rng = gaussianSampler(seed >>> 0);
  return () => rng.uniform();
}
