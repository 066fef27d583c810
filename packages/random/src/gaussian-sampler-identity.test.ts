import { describe, expect, it } from "vitest";
import { xoroshiro128plus } from "pure-rand";
import { gaussianSampler, type GaussianSampler } from "./index.js";
import { ReferenceSampler } from "./reference-sampler.js";
import { Xoroshiro128Plus } from "./xoroshiro128-plus.js";

/** Index of the first entry where `a` and `b` differ as numbers (`Object.is`, so −0 ≠ 0), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

type Step = (sampler: GaussianSampler | ReferenceSampler) => number[];

/**
 * A random program of calls (bulk fills of both array types with odd lengths and offsets, interleaved with
 * scalar draws, integers and shuffles), chosen by `script` so that the fast path and the reference run the same one.
 */
function program(script: GaussianSampler, lengths: readonly number[]): Step[] {
  const steps: Step[] = [];
  for (let k = 0; k < 12; k++) {
    const kind = script.int(0, 6);
    const length = lengths[script.int(0, lengths.length - 1)];
    const offset = script.int(0, 3);
    const float32 = script.int(0, 1) === 1;
    const make = () => (float32 ? new Float32Array(length + offset + 2) : new Float64Array(length + offset + 2));
    if (kind <= 2) steps.push((s) => Array.from(s.fillNormal(make(), offset, offset + length)));
    else if (kind === 3) steps.push((s) => Array.from(s.fillUniform(make(), offset, offset + length)));
    else if (kind === 4) steps.push((s) => [s.normal(), s.normal(), s.normal()]);
    else if (kind === 5) steps.push((s) => [s.uniform(), s.int(-5, 1_000_003), s.int(0, 2 ** 40)]);
    else steps.push((s) => Array.from(s.shuffle(Int32Array.from({ length: length % 50 }, (_, i) => i))));
  }
  return steps;
}

describe("gaussianSampler reproduces the pure-rand reference bit for bit", () => {
  it("xoroshiro128+ steps equal pure-rand's xoroshiro128plus from the same state", () => {
    const script = gaussianSampler(99);
    for (let trial = 0; trial < 200; trial++) {
      const state = [script.int(-(2 ** 31), 2 ** 31 - 1), script.int(-(2 ** 31), 2 ** 31 - 1), script.int(-(2 ** 31), 2 ** 31 - 1), script.int(-(2 ** 31), 2 ** 31 - 1)];
      const ours = new Xoroshiro128Plus(state);
      const theirs = xoroshiro128plus.fromState(state);
      for (let k = 0; k < 50; k++) expect(ours.unsafeNext()).toBe(theirs.unsafeNext());
      expect(ours.getState()).toEqual(theirs.getState());
      const [value, next] = ours.next();
      expect(value).toBe(theirs.unsafeNext());
      expect(next.getState()).toEqual(theirs.getState());
    }
  });

  it("fillNormal and fillUniform of one call equal one scalar draw per entry, over 300 seeds and many lengths", () => {
    const seeds = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 12345];
    const script = gaussianSampler(5);
    for (let k = 0; k < 293; k++) seeds.push(script.int(-(2 ** 31), 2 ** 32 - 1));
    const lengths = [0, 1, 2, 3, 7, 64, 783, 784, 1001];
    for (const seed of seeds) {
      const length = lengths[Math.abs(seed) % lengths.length];
      const fast = gaussianSampler(seed), reference = new ReferenceSampler(seed);
      const normals64 = [fast.fillNormal(new Float64Array(length)), reference.fillNormal(new Float64Array(length))];
      expect(firstDifference(normals64[0], normals64[1]), `seed ${seed}, fillNormal(Float64Array(${length}))`).toBe(-1);
      const normals32 = [fast.fillNormal(new Float32Array(length + 1)), reference.fillNormal(new Float32Array(length + 1))];
      expect(firstDifference(normals32[0], normals32[1]), `seed ${seed}, fillNormal(Float32Array(${length + 1}))`).toBe(-1);
      const uniforms = [fast.fillUniform(new Float64Array(length)), reference.fillUniform(new Float64Array(length))];
      expect(firstDifference(uniforms[0], uniforms[1]), `seed ${seed}, fillUniform(${length})`).toBe(-1);
      expect(fast.normal(), `seed ${seed}, normal() after the fills`).toBe(reference.normal());
    }
  });

  it("random programs of fills (odd lengths and offsets, both array types) mixed with scalar draws, ints and shuffles", () => {
    const script = gaussianSampler(2024);
    const lengths = [0, 1, 2, 5, 17, 100, 784, 1569];
    for (let trial = 0; trial < 60; trial++) {
      const seed = script.int(-(2 ** 31), 2 ** 32 - 1);
      const steps = program(script, lengths);
      const fast = gaussianSampler(seed), reference = new ReferenceSampler(seed);
      steps.forEach((step, k) => {
        const a = step(fast), b = step(reference);
        expect(firstDifference(a, b), `seed ${seed}, step ${k}`).toBe(-1);
      });
    }
  });

  it("a large bulk fill (10⁶ normals in blocks of 784) equals the reference", () => {
    const fast = gaussianSampler(7), reference = new ReferenceSampler(7);
    const a = new Float64Array(784), b = new Float64Array(784);
    for (let block = 0; block < 1276; block++) {
      fast.fillNormal(a);
      reference.fillNormal(b);
      const at = firstDifference(a, b);
      if (at !== -1) expect.fail(`block ${block}, entry ${at}: ${a[at]} ≠ ${b[at]}`);
    }
  });
});
