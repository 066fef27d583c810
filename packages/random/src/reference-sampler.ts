import { unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";
import type { RandomGenerator } from "pure-rand";

/**
 * The sampler as it was before its bulk fills were inlined: `pure-rand`'s own xoroshiro128+ object and one
 * `normal()` / `uniform()` call per entry. Kept verbatim as the reference the fast paths must reproduce bit for bit
 * (every seed's numbers are part of the library's contract: same seed, same results). A test and bench helper,
 * not exported from the package.
 */
export class ReferenceSampler {
  private readonly generator: RandomGenerator;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    seed |= 0;
    const s0 = mix32(seed), s1 = mix32(s0 ^ 0x6a09e667), s2 = mix32(s1 ^ 0xbb67ae85), s3 = mix32(s2 ^ 0x3c6ef372);
    this.generator = xoroshiro128plus.fromState([s0 | 0, s1 | 0, s2 | 0, (s3 | 0) || 1]);
  }

  uniform(): number {
    const g = this.generator;
    const hi = g.unsafeNext() >>> 5;
    const lo = g.unsafeNext() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.generator);
  }

  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = unsafeUniformIntDistribution(0, i, this.generator);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }

  fillNormal<T extends Float64Array | Float32Array>(out: T, start = 0, end = out.length): T {
    for (let i = start; i < end; i++) out[i] = this.normal();
    return out;
  }

  fillUniform<T extends Float64Array | Float32Array>(out: T, start = 0, end = out.length): T {
    for (let i = start; i < end; i++) out[i] = this.uniform();
    return out;
  }
}

function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
