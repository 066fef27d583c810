import { unsafeUniformIntDistribution } from "pure-rand";
import { InvalidArgumentError, checkInteger, checkNumberInRange } from "@smoothhess/errors";
import { Xoroshiro128Plus } from "./xoroshiro128-plus.js";

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const TWO_PI = 2 * Math.PI; // exact: doubling is exact, so `TWO_PI * u` equals `2 * Math.PI * u` bit for bit

/**
 * A seeded source of uniform, standard-normal and integer draws (xoroshiro128+ with the output of `pure-rand`'s,
 * Box–Muller for normals, pure-rand's unbiased integer distribution). Same seed, same sequence, on every platform
 * and for any batching of the draws.
 *
 * Create one with {@link gaussianSampler}.
 */
export interface GaussianSampler {
  /** The seed this sampler started from. */
  readonly seed: number;
  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** One standard normal draw. */
  normal(): number;
  /**
   * A uniform double in [lo, hi) (`lo` itself when `lo === hi`, so a degenerate range such as `[0, 0]` works).
   * @throws `InvalidArgumentError` unless `lo` and `hi` are finite numbers with `lo ≤ hi` and a finite `hi − lo`.
   */
  between(lo: number, hi: number): number;
  /**
   * A uniform integer in [min, max], both inclusive, without modulo bias.
   * @throws `InvalidArgumentError` unless `min` and `max` are safe integers with `min ≤ max`.
   */
  int(min: number, max: number): number;
  /**
   * Shuffle `values` in place (Fisher–Yates) and return it.
   * @throws `InvalidArgumentError` when `values` has no integer `length`.
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T;
  /**
   * Fill `out` (or its `[start, end)` range) with independent standard normal draws; returns `out`.
   * @throws `InvalidArgumentError` when `out` is not a Float64Array/Float32Array or the range is not inside it.
   */
  fillNormal<T extends Float64Array | Float32Array>(out: T, start?: number, end?: number): T;
  /**
   * Fill `out` (or its `[start, end)` range) with uniform doubles in [0, 1); returns `out`.
   * @throws `InvalidArgumentError` when `out` is not a Float64Array/Float32Array or the range is not inside it.
   */
  fillUniform<T extends Float64Array | Float32Array>(out: T, start?: number, end?: number): T;
}

/** The sampler behind {@link gaussianSampler}; exported inside the package for the ziggurat variant, which draws its normals differently. */
export class XoroshiroGaussianSampler implements GaussianSampler {
  readonly seed: number;
  protected readonly generator: Xoroshiro128Plus;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.seed = seed;
    // pure-rand seeds xoroshiro128+ as (-1, ~seed, seed, 0): nearby seeds then start with nearly equal
    // outputs (seeds 0..3 all open with a normal draw near 7). Scramble the seed into the full 128-bit state
    // with splitmix32 instead, so that every seed starts a well-mixed, independent-looking stream.
    const s0 = mix32(seed), s1 = mix32(s0 ^ 0x6a09e667), s2 = mix32(s1 ^ 0xbb67ae85), s3 = mix32(s2 ^ 0x3c6ef372);
    this.generator = new Xoroshiro128Plus([s0 | 0, s1 | 0, s2 | 0, (s3 | 0) || 1]);
  }

  uniform(): number {
    const g = this.generator;
    const hi = g.unsafeNext() >>> 5; // 27 bits
    const lo = g.unsafeNext() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // Box–Muller on (0, 1] × [0, 1): 1 - u avoids log(0).
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = TWO_PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  between(lo: number, hi: number): number {
    checkNumberInRange("lo", lo, -Number.MAX_VALUE, Number.MAX_VALUE);
    checkNumberInRange("hi", hi, -Number.MAX_VALUE, Number.MAX_VALUE);
    if (!(hi >= lo) || !Number.isFinite(hi - lo)) {
      throw new InvalidArgumentError("hi", `a number ≥ lo (${lo}) with a finite hi − lo`, hi);
    }
    return lo + (hi - lo) * this.uniform();
  }

  int(min: number, max: number): number {
    checkInteger("min", min, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    checkInteger("max", max, min, Number.MAX_SAFE_INTEGER);
    return unsafeUniformIntDistribution(min, max, this.generator);
  }

  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    if (typeof values !== "object" || values === null) throw new InvalidArgumentError("values", "an array or typed array", values);
    checkInteger("values.length", values.length, 0);
    for (let i = values.length - 1; i > 0; i--) {
      const j = unsafeUniformIntDistribution(0, i, this.generator);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }

  // The bulk fills give exactly the numbers of `normal()` / `uniform()` called once per entry (the same
  // generator steps and the same floating-point operations in the same order), with the state in locals: no call
  // and no field access per draw. The test suite checks the identity against a copy of the scalar path.

  fillNormal<T extends Float64Array | Float32Array>(out: T, start?: number, end?: number): T {
    let [i, to] = checkFillRange(out, start, end);
    if (i < to && this.hasSpare) {
      out[i++] = this.spare;
      this.hasSpare = false;
    }
    if (i >= to) return out;
    const state = this.generator.state;
    let s01 = state[0], s00 = state[1], s11 = state[2], s10 = state[3];
    let a0 = 0, a1 = 0, t = 0, hi = 0, lo = 0;
    for (;;) {
      // Two uniforms of two steps each (the xoroshiro128+ step as in Xoroshiro128Plus.unsafeNext, inlined).
      hi = ((s00 + s10) | 0) >>> 5;
      a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
      s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
      lo = ((s00 + s10) | 0) >>> 6;
      a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
      s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
      const u1 = (hi * TWO_POW_26 + lo) / TWO_POW_53;
      hi = ((s00 + s10) | 0) >>> 5;
      a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
      s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
      lo = ((s00 + s10) | 0) >>> 6;
      a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
      s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
      const u2 = (hi * TWO_POW_26 + lo) / TWO_POW_53;
      // Box–Muller exactly as in normal().
      const radius = Math.sqrt(-2 * Math.log(1 - u1));
      const angle = TWO_PI * u2;
      out[i++] = radius * Math.cos(angle);
      if (i === to) {
        this.spare = radius * Math.sin(angle);
        this.hasSpare = true;
        break;
      }
      out[i++] = radius * Math.sin(angle);
      if (i === to) break;
    }
    state[0] = s01; state[1] = s00; state[2] = s11; state[3] = s10;
    return out;
  }

  fillUniform<T extends Float64Array | Float32Array>(out: T, start?: number, end?: number): T {
    const [from, to] = checkFillRange(out, start, end);
    const state = this.generator.state;
    let s01 = state[0], s00 = state[1], s11 = state[2], s10 = state[3];
    let a0 = 0, a1 = 0, t = 0, hi = 0, lo = 0;
    for (let i = from; i < to; i++) {
      hi = ((s00 + s10) | 0) >>> 5;
      a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
      s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
      lo = ((s00 + s10) | 0) >>> 6;
      a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
      s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
      out[i] = (hi * TWO_POW_26 + lo) / TWO_POW_53;
    }
    state[0] = s01; state[1] = s00; state[2] = s11; state[3] = s10;
    return out;
  }
}

/** Check the target and range of `fillNormal`/`fillUniform`; returns `[start, end]` with defaults filled in. Internal to the package. */
export function checkFillRange(out: unknown, start: number | undefined, end: number | undefined): [number, number] {
  if (!(out instanceof Float64Array || out instanceof Float32Array)) throw new InvalidArgumentError("out", "a Float64Array or Float32Array", out);
  const from = start === undefined ? 0 : checkInteger("start", start, 0, out.length);
  const to = end === undefined ? out.length : checkInteger("end", end, from, out.length);
  return [from, to];
}

/**
 * Create a seeded {@link GaussianSampler}.
 *
 * @param seed - a 32-bit integer (any integer in [-2³¹, 2³² - 1]); default 0. Library functions that take a
 *   `seed` option pass it here, so the same seed always gives the same numbers.
 * @param argument - the name reported when `seed` is invalid (default `"seed"`).
 * @throws {@link InvalidArgumentError} when `seed` is not such an integer.
 *
 * @example
 * ```ts
 * const rng = gaussianSampler(42);
 * const z = rng.fillNormal(new Float64Array(784));
 * ```
 */
export function gaussianSampler(seed = 0, argument = "seed"): GaussianSampler {
  checkInteger(argument, seed, -(2 ** 31), 2 ** 32 - 1);
  return new XoroshiroGaussianSampler(seed | 0);
}

/**
 * Derive an independent 32-bit seed from a base seed and a list of integer keys (e.g. a point index), with the
 * splitmix32 finaliser. Use it to give every explained point its own stream, so that results do not depend on
 * the order in which points are processed or on where a resumed run restarted.
 *
 * @param seed - a 32-bit integer (any integer in [-2³¹, 2³² - 1]), as {@link gaussianSampler} accepts.
 * @param keys - integers in the same range (e.g. a point index).
 * @throws {@link InvalidArgumentError} naming `seed` or `keys[i]` for a value outside that range (NaN, 1.5, 2³²).
 */
export function deriveSeed(seed: number, ...keys: number[]): number {
  checkInteger("seed", seed, -(2 ** 31), 2 ** 32 - 1);
  for (let i = 0; i < keys.length; i++) checkInteger(`keys[${i}]`, keys[i], -(2 ** 31), 2 ** 32 - 1);
  let h = mix32(seed | 0);
  for (const key of keys) h = mix32((h ^ mix32(key | 0)) + 0x9e3779b9);
  return h | 0;
}

function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A uniformly random permutation of `0 … n−1` determined by `seed`: the same `(n, seed)` always gives the same
 * permutation.
 * @throws {@link InvalidArgumentError} naming `n` or `seed`.
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  checkInteger("n", n, 0);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return gaussianSampler(seed).shuffle(p);
}
