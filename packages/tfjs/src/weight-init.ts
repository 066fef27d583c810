import type { GaussianSampler } from "@smoothhess/random";

/**
 * `size` independent draws from U(−bound, bound) taken from `rng`, a seeded sampler of `@smoothhess/random`, so the
 * same seed gives the same weights on every backend (which tfjs's own random ops do not promise).
 */
export function symmetricUniform(rng: GaussianSampler, size: number, bound: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * rng.uniform() - 1) * bound;
  return out;
}

/**
 * He (Kaiming) uniform initialisation for weights feeding a ReLU: U(−√(6/fanIn), √(6/fanIn)).
 * @param size - number of weights; @param fanIn - inputs per output unit.
 */
export function heUniform(rng: GaussianSampler, size: number, fanIn: number): Float32Array {
  return symmetricUniform(rng, size, Math.sqrt(6 / fanIn));
}
