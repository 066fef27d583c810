import type { RandomGenerator } from "pure-rand";

/**
 * xoroshiro128+ with exactly `pure-rand`'s output (its `xoroshiro128plus`: the low 32 bits of each 64-bit output,
 * as a signed int32), on a 128-bit state kept as four int32 halves in an `Int32Array`.
 *
 * Written here rather than used from `pure-rand` because bulk draws need the state in local variables of a tight
 * loop: `pure-rand` keeps it in object fields, and an int32 outside V8's small-integer range (±2³⁰) stored in a
 * field is boxed, so every step allocated and `fillNormal` spent much of its time in the allocator and the garbage
 * collector. The state update is `pure-rand`'s line for line; a test checks both give the same sequence.
 *
 * Implements `pure-rand`'s `RandomGenerator`, so its distributions (`unsafeUniformIntDistribution`) draw from it.
 * Not exported from the package.
 */
export class Xoroshiro128Plus implements RandomGenerator {
  /**
   * The state in `pure-rand`'s `getState()` order: `[s01, s00, s11, s10]` (high and low halves of the two 64-bit
   * words s0 and s1). Bulk loops read it into locals and write it back with {@link Xoroshiro128Plus.state}'s order.
   */
  readonly state: Int32Array;

  /** @param state - four int32 halves in `pure-rand`'s `fromState` order `[s01, s00, s11, s10]`, not all zero. */
  constructor(state: ArrayLike<number>) {
    this.state = Int32Array.from(state);
  }

  /** The next output, a signed int32; advances the state. */
  unsafeNext(): number {
    const s = this.state;
    const s01 = s[0], s00 = s[1], s11 = s[2], s10 = s[3];
    const out = (s00 + s10) | 0;
    const a0 = s10 ^ s00, a1 = s11 ^ s01;
    s[1] = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
    s[0] = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    s[3] = (a1 << 5) ^ (a0 >>> 27);
    s[2] = (a0 << 5) ^ (a1 >>> 27);
    return out;
  }

  /** A copy with the same state. */
  clone(): Xoroshiro128Plus {
    return new Xoroshiro128Plus(this.state);
  }

  /** The next output and an advanced copy; this generator is unchanged (`pure-rand`'s pure interface). */
  next(): [number, Xoroshiro128Plus] {
    const copy = this.clone();
    return [copy.unsafeNext(), copy];
  }

  /** The state as `[s01, s00, s11, s10]`, the order `pure-rand`'s `xoroshiro128plus.fromState` takes. */
  getState(): readonly number[] {
    return Array.from(this.state);
  }
}
