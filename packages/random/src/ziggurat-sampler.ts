import { checkInteger } from "@smoothhess/errors";
import { XoroshiroGaussianSampler, checkFillRange, type GaussianSampler } from "./gaussian-sampler.js";
import { ZIGGURAT_EDGES } from "./ziggurat-table.js";

const TWO_POW_18 = 262144;
/** 2⁻⁴⁴: u = 2·(45-bit integer)/2⁴⁵ − 1 with a multiplication (exact: a power of two) instead of a division. */
const TWO_POW_M44 = 2 ** -44;
const LAYERS = 256;
/** Where the tail starts: the base strip's normal part ends here. */
const TAIL_START = ZIGGURAT_EDGES[1];
/** x[i+1] / x[i]: a draw u·x[i] with |u| below it lies inside the layer's core rectangle, under the curve. */
const CORE_RATIOS = Float64Array.from({ length: LAYERS }, (_, i) => ZIGGURAT_EDGES[i + 1] / ZIGGURAT_EDGES[i]);

/**
 * A {@link GaussianSampler} whose normal draws use the ziggurat (Marsaglia & Tsang 2000, in Doornik's form with a
 * full-precision uniform: "An Improved Ziggurat Method to Generate Normal Random Samples", 2005) instead of
 * Box–Muller: per attempt, a 45-bit uniform u ∈ [−1, 1) and an independent 8-bit layer i from two generator steps;
 * u·x[i] is returned at once when |u| < x[i+1]/x[i] (98.8 % of draws), otherwise the wedge under the curve or the
 * tail beyond r decides by rejection. The draws are exactly standard normal in distribution, like Box–Muller's, but
 * they are other numbers for the same seed, and cheaper: no logarithm or trigonometry on the common path (rates in
 * the README's benchmarks). `uniform`, `int`, `between`, `shuffle` and `fillUniform` are those of {@link gaussianSampler}.
 */
class XoroshiroZigguratSampler extends XoroshiroGaussianSampler {
  private readonly single = new Float64Array(1);

  override normal(): number {
    // One code path for scalar and bulk draws: a scalar draw is a fill of one entry.
    return this.fillNormal(this.single)[0];
  }

  override fillNormal<T extends Float64Array | Float32Array>(out: T, start?: number, end?: number): T {
    const [from, to] = checkFillRange(out, start, end);
    const state = this.generator.state;
    // The xoroshiro128+ step of Xoroshiro128Plus.unsafeNext, inlined with the state in locals (see fillNormal of
    // gaussianSampler). Two steps per attempt, their weak low bits dropped as in uniform() (27 + 26 bits): the
    // first step's 27 and the second's low 18 make u's 45 bits, the second's top 8 bits the layer.
    let s01 = state[0], s00 = state[1], s11 = state[2], s10 = state[3];
    let a0 = 0, a1 = 0, t = 0, hi = 0, lo = 0, layer = 0;
    for (let i = from; i < to; i++) {
      for (;;) {
        hi = ((s00 + s10) | 0) >>> 5;
        a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
        s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
        s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
        lo = ((s00 + s10) | 0) >>> 6;
        a0 = s10 ^ s00; a1 = s11 ^ s01; t = s00;
        s00 = (t << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16); s01 = (s01 << 24) ^ (t >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
        s10 = (a1 << 5) ^ (a0 >>> 27); s11 = (a0 << 5) ^ (a1 >>> 27);
        layer = lo >>> 18;
        const u = (hi * TWO_POW_18 + (lo & 0x3ffff)) * TWO_POW_M44 - 1;
        if (Math.abs(u) < CORE_RATIOS[layer]) {
          out[i] = u * ZIGGURAT_EDGES[layer];
          break;
        }
        // Outside the core (1.2 % of attempts): the rejection steps draw through the generator object.
        state[0] = s01; state[1] = s00; state[2] = s11; state[3] = s10;
        const x = this.outsideCore(u, layer);
        s01 = state[0]; s00 = state[1]; s11 = state[2]; s10 = state[3];
        if (x === x) {
          out[i] = x;
          break;
        }
      }
    }
    state[0] = s01; state[1] = s00; state[2] = s11; state[3] = s10;
    return out;
  }

  /** The draw of an attempt outside the core rectangle of `layer`, or NaN when it is rejected. */
  private outsideCore(u: number, layer: number): number {
    if (layer === 0) {
      // The base strip beyond r is the tail: Marsaglia's exponential rejection (Marsaglia & Tsang 2000, §2).
      let a = 0, b = 0;
      do {
        a = -Math.log(1 - this.uniform()) / TAIL_START;
        b = -Math.log(1 - this.uniform());
      } while (b + b < a * a);
      return u < 0 ? -(TAIL_START + a) : TAIL_START + a;
    }
    // The wedge between the core and the curve: accept x when a uniform height in the layer falls under f(x),
    // with heights divided by f(x) (Doornik 2005, §3).
    const x = u * ZIGGURAT_EDGES[layer];
    const outer = ZIGGURAT_EDGES[layer], inner = ZIGGURAT_EDGES[layer + 1];
    const low = Math.exp(-0.5 * (outer * outer - x * x));
    const high = Math.exp(-0.5 * (inner * inner - x * x));
    return high + this.uniform() * (low - high) < 1 ? x : Number.NaN;
  }
}

/**
 * Create a seeded {@link GaussianSampler} whose normal draws use the ziggurat method instead of Box–Muller: the
 * same uniform, integer and shuffle draws as {@link gaussianSampler} of the same seed, exactly normal draws too, but
 * other numbers, and cheaper to draw (see the README's benchmarks). Use it where normal draws are a
 * noticeable cost and the numbers of earlier Box–Muller runs need not be reproduced (`@smoothhess/stein`'s
 * `normals: "ziggurat"`).
 *
 * @param seed - a 32-bit integer (any integer in [-2³¹, 2³² - 1]); default 0.
 * @param argument - the name reported when `seed` is invalid (default `"seed"`).
 * @throws `InvalidArgumentError` when `seed` is not such an integer.
 *
 * @example
 * ```ts
 * const rng = zigguratSampler(42);
 * const z = rng.fillNormal(new Float64Array(784));
 * ```
 */
export function zigguratSampler(seed = 0, argument = "seed"): GaussianSampler {
  checkInteger(argument, seed, -(2 ** 31), 2 ** 32 - 1);
  return new XoroshiroZigguratSampler(seed | 0);
}
