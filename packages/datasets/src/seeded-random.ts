import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";
import { checkInteger } from "@smoothhess/errors";

/** Largest seed accepted by the seeded functions of this package (seeds are integers in `[0, 2³² − 1]`). */
export const MAX_SEED = 0xffffffff;

/**
 * A seeded stream of random numbers: `pure-rand`'s xoroshiro128+ generator, with uniform doubles built
 * from 53 random bits and standard normals by the Box–Muller transform. Same seed, same numbers, on every
 * platform. (pure-rand provides the generator and unbiased integers; the two float helpers are the
 * textbook constructions and live here because pure-rand has none.)
 */
export class SeededRandom {
  private readonly rng: RandomGenerator;
  private spare = Number.NaN;

  /**
   * @param seed - an integer in `[0, 2³² − 1]`.
   * @param argument - the argument name to report when `seed` is invalid.
   */
  constructor(seed: number, argument = "seed") {
    checkInteger(argument, seed, 0, MAX_SEED);
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** A uniform integer in `[min, max]` (both inclusive), without modulo bias. */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.rng);
  }

  /** A uniform double in `[0, 1)` with 53 random bits. */
  uniform(): number {
    const hi = this.rng.unsafeNext() >>> 5; // 27 bits
    const lo = this.rng.unsafeNext() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in `[lo, hi)`. */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** A standard normal variate (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffle `values` in place (Fisher–Yates) and return it. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }
}

/**
 * A uniformly random permutation of `0 … n−1` determined by `seed` (Fisher–Yates on pure-rand's
 * xoroshiro128+): the same `(n, seed)` always gives the same permutation.
 *
 * @param n - length, an integer ≥ 0.
 * @param seed - an integer in `[0, 2³² − 1]`.
 * @throws {@link InvalidArgumentError} naming `n` or `seed`.
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  checkInteger("n", n, 0);
  const random = new SeededRandom(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return random.shuffle(p);
}
