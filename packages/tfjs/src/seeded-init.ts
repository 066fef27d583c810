import { xoroshiro128plus } from "pure-rand";

const TWO_POW_32 = 4294967296;

/**
 * A tiny seeded uniform generator (xoroshiro128+ from `pure-rand`): same seed, same numbers on every backend,
 * which tfjs's own random ops do not promise. Used for weight initialisation, data order and dropout seeds.
 */
export class SeededUniform {
  private readonly generator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** A uniform double in [0, 1) (32 random bits). */
  next(): number {
    return (this.generator.unsafeNext() >>> 0) / TWO_POW_32;
  }

  /** A 32-bit signed integer, for deriving further seeds. */
  nextInt(): number {
    return this.generator.unsafeNext() | 0;
  }

  /** Fill `out` with uniform numbers in [-bound, bound). */
  fillSymmetric(out: Float32Array, bound: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = (2 * this.next() - 1) * bound;
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/**
 * He (Kaiming) uniform initialisation for weights feeding a ReLU: U(−√(6/fanIn), √(6/fanIn)).
 * @param size - number of weights; @param fanIn - inputs per output unit.
 */
export function heUniform(rng: SeededUniform, size: number, fanIn: number): Float32Array {
  return rng.fillSymmetric(new Float32Array(size), Math.sqrt(6 / fanIn));
}

/** Mix a seed with further integers into a new 32-bit seed (SplitMix-style), e.g. `(seed, epoch)`. */
export function mixSeed(seed: number, ...keys: number[]): number {
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
