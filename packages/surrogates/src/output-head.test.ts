import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headDerivatives } from "./output-head.js";
import {
  centralDifferenceGradient,
  centralDifferenceHessian,
  crossEntropyReference,
  entrywiseRelativeError,
  softmaxReference,
} from "./test-support.js";

const logitsArb = fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 2, maxLength: 7 });

describe("head derivatives", () => {
  for (const kind of ["logit", "softmax", "crossEntropy"] as const) {
    it(`${kind}: seed and curvature equal finite differences of the value`, () => {
      fc.assert(
        fc.property(logitsArb, fc.nat(), (logits, pick) => {
          const unit = pick % logits.length;
          const head = headDerivatives(kind, unit, logits);
          const value = (o: Float64Array) => headDerivatives(kind, unit, o).value;
          const seed = (o: Float64Array) => headDerivatives(kind, unit, o).seed;
          // Central differences with h = 1e-6 carry an absolute round-off error of order eps·|f|/h ≈ 1e-10, which
          // dominates a relative check when the seed itself is tiny (cross-entropy at a confident logit vector,
          // e.g. [6, 0, 0]); so the error is measured against max(‖seed‖∞, 0.1).
          const fdSeed = centralDifferenceGradient(value, logits, 1e-6);
          let seedScale = 0.1, seedError = 0;
          for (let i = 0; i < logits.length; i++) {
            seedScale = Math.max(seedScale, Math.abs(head.seed[i]));
            seedError = Math.max(seedError, Math.abs(head.seed[i] - fdSeed[i]));
          }
          expect(seedError).toBeLessThan(1e-7 * seedScale);
          const fd = centralDifferenceHessian(seed, logits, 1e-6);
          const c = logits.length;
          if (kind === "logit") {
            expect(head.curvature).toBeNull();
          } else {
            const curvature = head.curvature as Float64Array;
            let scale = 0;
            for (const v of fd) scale = Math.max(scale, Math.abs(v));
            for (let i = 0; i < c * c; i++) expect(Math.abs(curvature[i] - fd[i])).toBeLessThan(1e-7 * Math.max(scale, 1e-3));
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it("cross-entropy is stable for large logits and its curvature rows sum to zero", () => {
    const head = headDerivatives("crossEntropy", 0, [1000, 0, -1000]);
    expect(head.value).toBe(0);
    expect(Number.isFinite(headDerivatives("crossEntropy", 2, [1000, 0, -1000]).value)).toBe(true);
    expect(headDerivatives("crossEntropy", 2, [1000, 0, -1000]).value).toBeCloseTo(2000, 9);
    const h = headDerivatives("crossEntropy", 1, [0.3, -1.2, 2, 0.1]).curvature as Float64Array;
    for (let i = 0; i < 4; i++) expect(Math.abs(h[i * 4] + h[i * 4 + 1] + h[i * 4 + 2] + h[i * 4 + 3])).toBeLessThan(1e-16);
  });
});

describe("cross-entropy head: confident predictions keep full relative precision", () => {
  // y = 1 leads the nearest other class by `margin`; logits around 7.3 so that their own rounding (~1e-15) is
  // far above a loss of e^-40 — the textbook logsumexp(o) − o_y cannot resolve it.
  const logitsAt = (margin: number) => [7.3 - margin, 7.3, 7.3 - margin - 1.25, 7.3 - margin - 0.5];
  const y = 1;

  for (const margin of [0, 5, 40]) {
    it(`margin ${margin}: value, seed and every curvature entry equal the explicit-sum reference to 1e-13 (relative, entrywise)`, () => {
      const logits = logitsAt(margin);
      const head = headDerivatives("crossEntropy", y, logits);
      const ref = crossEntropyReference(logits, y);
      expect(ref.value).toBeGreaterThan(0);
      expect(Math.abs(head.value - ref.value) / ref.value).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.seed, ref.seed)).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.curvature as Float64Array, ref.curvature)).toBeLessThan(1e-13);
      // every entry is non-zero (nothing rounded away) and the label's seed is −Σ_{j≠y} seed_j
      for (const v of [...head.seed, ...(head.curvature as Float64Array)]) expect(v).not.toBe(0);
      const others = head.seed.reduce((a, b, j) => (j === y ? a : a + b), 0);
      expect(Math.abs(head.seed[y] + others)).toBeLessThanOrEqual(1e-15 * others);
    });
  }

  it("two classes: equals the logistic closed forms ℓ = log1p(e^{−t}), seed ±σ(−t), curvature σ(t)σ(−t)[[1, −1], [−1, 1]] (t = margin)", () => {
    for (const t of [0, 5, 20, 40, 400]) {
      const s = 1 / (1 + Math.exp(t)); // σ(−t), accurate for every t ≥ 0
      const st = 1 / (1 + Math.exp(-t)); // σ(t)
      const head = headDerivatives("crossEntropy", 0, [3 + t, 3]);
      const label = `t = ${t}`;
      expect(Math.abs(head.value - Math.log1p(Math.exp(-t))) / Math.log1p(Math.exp(-t)), label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.seed, [-s, s]), label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.curvature as Float64Array, [st * s, -st * s, -st * s, st * s]), label).toBeLessThan(1e-13);
      // the hopeless label: ℓ = t + log1p(e^{−t}), seed ∓σ(t)
      const other = headDerivatives("crossEntropy", 1, [3 + t, 3]);
      expect(Math.abs(other.value - (t + Math.log1p(Math.exp(-t)))) / (t + Math.log1p(Math.exp(-t))), label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(other.seed, [st, -st]), label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(other.curvature as Float64Array, [st * s, -st * s, -st * s, st * s]), label).toBeLessThan(1e-13);
    }
  });

  it("margin 400: nothing overflows, for the confident and for the hopeless label", () => {
    const logits = [-400, 0, -401.25, -400.5].map((o) => o + 1000);
    for (let label = 0; label < 4; label++) {
      const head = headDerivatives("crossEntropy", label, logits);
      const ref = crossEntropyReference(logits, label);
      for (const v of [head.value, ...head.seed, ...(head.curvature as Float64Array)]) expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(head.value - ref.value) / ref.value).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.seed, ref.seed)).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.curvature as Float64Array, ref.curvature)).toBeLessThan(1e-13);
    }
    expect(headDerivatives("crossEntropy", 1, logits).value).toBeGreaterThan(0); // ≈ e^{-400}, representable
  });

  it("ordinary logits: the same numbers as the textbook formulas up to rounding (1e-14, absolute on entries ≤ 1)", () => {
    fc.assert(
      fc.property(logitsArb, fc.nat(), (logits, pick) => {
        const y = pick % logits.length;
        const c = logits.length;
        const head = headDerivatives("crossEntropy", y, logits);
        const max = Math.max(...logits);
        const e = logits.map((o) => Math.exp(o - max));
        const sum = e.reduce((a, b) => a + b, 0);
        const p = e.map((v) => v / sum);
        const textbook = max + Math.log(sum) - logits[y];
        expect(Math.abs(head.value - textbook)).toBeLessThan(1e-14 * Math.max(1, textbook));
        for (let j = 0; j < c; j++) expect(Math.abs(head.seed[j] - (p[j] - (j === y ? 1 : 0)))).toBeLessThan(1e-14);
        const h = head.curvature as Float64Array;
        for (let i = 0; i < c; i++) {
          for (let j = 0; j < c; j++) expect(Math.abs(h[i * c + j] - ((i === j ? p[i] : 0) - p[i] * p[j]))).toBeLessThan(1e-14);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a single class: loss 0, seed 0, curvature 0", () => {
    const head = headDerivatives("crossEntropy", 0, [4.2]);
    expect(head.value).toBe(0);
    expect([...head.seed]).toEqual([0]);
    expect([...(head.curvature as Float64Array)]).toEqual([0]);
  });
});

describe("SoftMax head: confident predictions keep full relative precision", () => {
  // k = 1 leads the nearest other class by `margin`, logits around 7.3. Ground truth: softmaxReference, the chain rule
  // through the explicit sum S = Σ_{j≠k} e^{o_j − o_k}. The textbook p_k(1 − p_k) and (1 − p_k)² − p_k + p_k² round to
  // 0 once p_k rounds to 1 (margin ≳ 37): the k-th seed entry and the k-th row and column of the curvature vanish.
  const logitsAt = (margin: number) => [7.3 - margin, 7.3, 7.3 - margin - 1.25, 7.3 - margin - 0.5];
  const k = 1;

  for (const margin of [0, 5, 20, 40]) {
    it(`margin ${margin}: value, seed and every curvature entry equal the explicit-sum reference to 1e-13 (relative, entrywise)`, () => {
      const logits = logitsAt(margin);
      const head = headDerivatives("softmax", k, logits);
      const ref = softmaxReference(logits, k);
      expect(Math.abs(head.value - ref.value) / ref.value).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.seed, ref.seed)).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.curvature as Float64Array, ref.curvature)).toBeLessThan(1e-13);
      // nothing rounded away, and the k-th seed entry is Σ_{j≠k} p_k p_j = −Σ_{j≠k} seed_j
      for (const v of [...head.seed, ...(head.curvature as Float64Array)]) expect(v).not.toBe(0);
      const others = head.seed.reduce((a, b, j) => (j === k ? a : a - b), 0);
      expect(Math.abs(head.seed[k] - others)).toBeLessThanOrEqual(1e-15 * others);
      // exact symmetry
      const h = head.curvature as Float64Array;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(h[i * 4 + j]).toBe(h[j * 4 + i]);
    });
  }

  it("two classes: equals the logistic closed forms p = σ(t), p′ = σ(t)σ(−t), p″ = σ(t)σ(−t)(σ(−t) − σ(t)) (1e-13 relative, entrywise)", () => {
    for (const t of [0, 5, 20, 40]) {
      const s = 1 / (1 + Math.exp(t)); // σ(−t), accurate for every t ≥ 0
      const st = 1 / (1 + Math.exp(-t)); // σ(t)
      const d1 = st * s;
      const d2 = st * s * (s - st);
      const label = `t = ${t}`;
      // class 0 leads by t: ∂p/∂o = p′·[1, −1], ∂²p/∂o² = p″·[[1, −1], [−1, 1]]
      const head = headDerivatives("softmax", 0, [3 + t, 3]);
      expect(Math.abs(head.value - st) / st, label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.seed, [d1, -d1]), label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.curvature as Float64Array, [d2, -d2, -d2, d2]), label).toBeLessThan(1e-13);
      if (t > 0) expect(head.seed[0], label).toBeGreaterThan(0);
      // the trailing class: p = σ(−t), p′ = σ(t)σ(−t), p″ = σ(t)σ(−t)(σ(t) − σ(−t)) in its own logit
      const other = headDerivatives("softmax", 1, [3 + t, 3]);
      expect(Math.abs(other.value - s) / s, label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(other.seed, [-d1, d1]), label).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(other.curvature as Float64Array, [-d2, d2, d2, -d2]), label).toBeLessThan(1e-13);
    }
  });

  it("margin 400: nothing overflows, for the confident and for every trailing class", () => {
    const logits = [-400, 0, -401.25, -400.5].map((o) => o + 1000);
    for (let unit = 0; unit < 4; unit++) {
      const head = headDerivatives("softmax", unit, logits);
      const ref = softmaxReference(logits, unit);
      for (const v of [head.value, ...head.seed, ...(head.curvature as Float64Array)]) expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(head.value - ref.value) / ref.value).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.seed, ref.seed)).toBeLessThan(1e-13);
      expect(entrywiseRelativeError(head.curvature as Float64Array, ref.curvature)).toBeLessThan(1e-13);
    }
    expect(headDerivatives("softmax", 1, logits).seed[1]).toBeGreaterThan(0); // ≈ 3e-174, representable
  });

  it("ordinary logits: the same numbers as the textbook formulas up to rounding (1e-15, absolute on entries ≤ 1)", () => {
    fc.assert(
      fc.property(logitsArb, fc.nat(), (logits, pick) => {
        const k = pick % logits.length;
        const c = logits.length;
        const head = headDerivatives("softmax", k, logits);
        const max = Math.max(...logits);
        const e = logits.map((o) => Math.exp(o - max));
        const sum = e.reduce((a, b) => a + b, 0);
        const p = e.map((v) => v / sum);
        const delta = (i: number, j: number) => (i === j ? 1 : 0);
        expect(Math.abs(head.value - p[k])).toBeLessThan(1e-15);
        for (let j = 0; j < c; j++) expect(Math.abs(head.seed[j] - p[k] * (delta(j, k) - p[j]))).toBeLessThan(1e-15);
        const h = head.curvature as Float64Array;
        for (let i = 0; i < c; i++) {
          for (let j = 0; j < c; j++) {
            const textbook = p[k] * ((delta(i, k) - p[i]) * (delta(j, k) - p[j]) - delta(i, j) * p[i] + p[i] * p[j]);
            expect(Math.abs(h[i * c + j] - textbook)).toBeLessThan(1e-15);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a single class: value 1, seed 0, curvature 0", () => {
    const head = headDerivatives("softmax", 0, [4.2]);
    expect(head.value).toBe(1);
    expect([...head.seed]).toEqual([0]);
    expect([...(head.curvature as Float64Array)]).toEqual([0]);
  });
});
