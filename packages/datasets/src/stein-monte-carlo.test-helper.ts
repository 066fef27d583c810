import { gaussianSampler, type GaussianSampler } from "@smoothhess/random";

/**
 * Test helper: Monte-Carlo estimate of the Hessian at the origin of `f ∗ N(0, σ²I)` in 2-D by Stein's lemma,
 * `H = E[f(σz)(zzᵀ − I)]/σ²`, with the standard error of each entry estimated from the same samples.
 */
export function steinHessianAtOrigin(
  f: (x1: number, x2: number) => number,
  variance: number,
  samples: number,
  seed: number,
): { mean: number[]; se: number[] } {
  const sigma = Math.sqrt(variance);
  const random = gaussianSampler(seed);
  const sum = [0, 0, 0];
  const sum2 = [0, 0, 0];
  for (let s = 0; s < samples; s++) {
    const z1 = random.normal();
    const z2 = random.normal();
    const v = f(sigma * z1, sigma * z2) / variance;
    const terms = [v * (z1 * z1 - 1), v * z1 * z2, v * (z2 * z2 - 1)];
    for (let k = 0; k < 3; k++) {
      sum[k] += terms[k];
      sum2[k] += terms[k] * terms[k];
    }
  }
  const m = sum.map((t) => t / samples);
  const se = sum2.map((t, k) => Math.sqrt((t / samples - m[k] * m[k]) / samples));
  return { mean: [m[0], m[1], m[1], m[2]], se: [se[0], se[1], se[1], se[2]] };
}
