import { gaussianSampler, zigguratSampler } from "@smoothhess/random";
import type { ResolvedSteinOptions } from "./stein-options.js";

/** One block of Monte-Carlo units: perturbations, their whitened form and the points to evaluate. */
export interface PerturbationBlock {
  /** Units in this block (pairs when antithetic, single samples otherwise). */
  readonly units: number;
  /** Row u is Σ⁻¹δᵤ (units×d). */
  readonly white: Float64Array;
  /**
   * Points to evaluate, row-major. Antithetic: rows `2u` and `2u+1` are x₀+δᵤ and x₀−δᵤ; otherwise row u is x₀+δᵤ.
   * Float64, or float32 when asked for (each coordinate computed in float64 and rounded once).
   */
  readonly points: Float64Array | Float32Array;
  /** Number of rows in `points`. */
  readonly pointCount: number;
}

/**
 * Generate the perturbations of a Stein estimator block by block (at most `batchSize` points per block).
 *
 * The buffers rotate through `slots` sets: a yielded block stays intact until `slots` more blocks have been
 * requested, so a caller may evaluate block k+1 while it still reads block k (with `slots` = 2). The draws depend
 * only on the seed and the unit index, never on the batch size or the number of slots. Abort checks and progress
 * reports are the caller's: it knows when a block's answers have arrived. With `float32Points` the points are a
 * `Float32Array` (for an oracle that rounds them so itself); the whitened rows are float64 either way.
 */
export async function* perturbationBlocks(options: ResolvedSteinOptions, slots = 1, float32Points = false): AsyncGenerator<PerturbationBlock> {
  const { sigma, x0, units, pointsPerUnit, batchSize } = options;
  const d = x0.length;
  const unitsPerBlock = Math.max(1, Math.floor(batchSize / pointsPerUnit));
  const rng = options.normals === "ziggurat" ? zigguratSampler(options.seed) : gaussianSampler(options.seed);
  const z = new Float64Array(d);
  const delta = new Float64Array(d);
  const white = new Float64Array(d);
  const capacity = Math.min(unitsPerBlock, units);
  const buffers: { white: Float64Array; points: Float64Array | Float32Array }[] = [];
  for (let start = 0, block = 0; start < units; start += unitsPerBlock, block++) {
    const slot = block % slots;
    const pointEntries = capacity * pointsPerUnit * d;
    buffers[slot] ??= { white: new Float64Array(capacity * d), points: float32Points ? new Float32Array(pointEntries) : new Float64Array(pointEntries) };
    const { white: whiteBuffer, points: pointBuffer } = buffers[slot];
    const m = Math.min(unitsPerBlock, units - start);
    for (let u = 0; u < m; u++) {
      rng.fillNormal(z);
      sigma.perturbation(z, delta, white);
      // One pass writes the unit's whitened row and its point(s), from scratch vectors rather than a fresh
      // subarray view per unit (an allocation per unit, and a second pass for the antithetic point).
      const w = u * d, row = u * pointsPerUnit * d;
      if (pointsPerUnit === 2) {
        for (let i = 0; i < d; i++) {
          const x = x0[i], step = delta[i];
          whiteBuffer[w + i] = white[i];
          pointBuffer[row + i] = x + step;
          pointBuffer[row + d + i] = x - step;
        }
      } else {
        for (let i = 0; i < d; i++) {
          whiteBuffer[w + i] = white[i];
          pointBuffer[row + i] = x0[i] + delta[i];
        }
      }
    }
    yield {
      units: m,
      white: whiteBuffer.subarray(0, m * d),
      points: pointBuffer.subarray(0, m * pointsPerUnit * d),
      pointCount: m * pointsPerUnit,
    };
  }
}
