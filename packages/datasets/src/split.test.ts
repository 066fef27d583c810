import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Dataset, classCounts, createDataset } from "./dataset.js";
import { splitDataset } from "./split.js";

/** A classification dataset whose feature is the row number, so rows can be traced. */
function labelled(counts: number[]): Dataset {
  const labels: number[] = [];
  counts.forEach((c, k) => {
    for (let i = 0; i < c; i++) labels.push(k);
  });
  // interleave classes so that row order is not class order
  const order = labels.map((_, i) => i).sort((a, b) => ((a * 7919) % labels.length) - ((b * 7919) % labels.length));
  const y = Int32Array.from(order, (i) => labels[i]);
  const x = Float32Array.from(y, (_, i) => i);
  return createDataset({ x, y, shape: [1], classes: counts.map((_, k) => `c${k}`) });
}

function rowsOf(ds: Dataset): number[] {
  return Array.from(ds.x);
}

describe("splitDataset", () => {
  it("gives disjoint parts of the requested sizes whose index points at the right rows", () => {
    const ds = labelled([30, 50, 20]);
    const { train, validation, test } = splitDataset(ds, { train: 60, validation: 25, test: 15 }, { seed: 4 });
    expect([train.n, validation.n, test.n]).toEqual([60, 25, 15]);
    const all = [...rowsOf(train), ...rowsOf(validation), ...rowsOf(test)];
    expect(new Set(all).size).toBe(100);
    for (const part of [train, validation, test]) {
      for (let i = 0; i < part.n; i++) {
        expect(part.x[i]).toBe(part.index![i]);
        expect(part.y[i]).toBe(ds.y[part.index![i]]);
      }
    }
  });

  it("is deterministic in the seed, and the seed matters", () => {
    const ds = labelled([40, 40, 40]);
    const a = splitDataset(ds, { train: 80, validation: 20, test: 20 }, { seed: 9 });
    const b = splitDataset(ds, { train: 80, validation: 20, test: 20 }, { seed: 9 });
    const c = splitDataset(ds, { train: 80, validation: 20, test: 20 }, { seed: 10 });
    expect(b.train.index).toEqual(a.train.index);
    expect(b.test.index).toEqual(a.test.index);
    expect(c.train.index).not.toEqual(a.train.index);
    const u1 = splitDataset(ds, { train: 80, test: 40 }, { seed: 9, stratify: false });
    const u2 = splitDataset(ds, { train: 80, test: 40 }, { seed: 9, stratify: false });
    expect(u2.test.index).toEqual(u1.test.index);
  });

  it("balances classes exactly when they divide evenly", () => {
    const ds = labelled([70, 70, 70, 70, 70]);
    const s = splitDataset(ds, { train: 250, validation: 50, test: 50 }, { seed: 1 });
    expect(Array.from(classCounts(s.train))).toEqual([50, 50, 50, 50, 50]);
    expect(Array.from(classCounts(s.validation))).toEqual([10, 10, 10, 10, 10]);
    expect(Array.from(classCounts(s.test))).toEqual([10, 10, 10, 10, 10]);
  });

  it("keeps every class within its proportional share: within 1 for train, within 2 for the later parts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 7 }).filter((c) => c.some((v) => v > 0)),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.integer({ min: 0, max: 1000 }),
        (counts, [a, b, c], seed) => {
          const ds = labelled(counts);
          const n = ds.n;
          const total = Math.max(a + b + c, 1);
          const train = Math.floor((a / total) * n);
          const validation = Math.floor((b / total) * (n - train));
          const test = Math.floor(c * (n - train - validation));
          const parts = splitDataset(ds, { train, validation, test }, { seed });
          const bound = [1, 2, 2];
          [parts.train, parts.validation, parts.test].forEach((part, p) => {
            const got = classCounts(part);
            counts.forEach((nc, k) => {
              const share = (part.n * nc) / n;
              expect(Math.abs(got[k] - share)).toBeLessThan(bound[p]);
            });
          });
          const all = [...parts.train.index!, ...parts.validation.index!, ...parts.test.index!];
          expect(new Set(all).size).toBe(train + validation + test);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("splits regression datasets without stratification", () => {
    const ds = createDataset({ x: Float32Array.from({ length: 10 }, (_, i) => i), y: new Float32Array(10), shape: [1] });
    const s = splitDataset(ds, { train: 7, test: 3 }, { seed: 2 });
    expect(s.validation.n).toBe(0);
    expect([...rowsOf(s.train), ...rowsOf(s.test)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => splitDataset(ds, { train: 5 }, { stratify: true })).toThrowError(
      "options.stratify: expected false for a dataset without classes (regression), received true",
    );
  });

  it("names the size at fault", () => {
    const ds = labelled([5, 5]);
    expect(() => splitDataset(ds, { train: 8, test: 3 })).toThrowError(
      "sizes: expected train + validation + test ≤ n = 10, received 8 + 0 + 3 = 11",
    );
    expect(() => splitDataset(ds, { train: -1 })).toThrowError("sizes.train: expected an integer ≥ 0, received -1");
    expect(() => splitDataset(ds, { train: 1, validation: 0.5 })).toThrowError("sizes.validation");
    expect(() => splitDataset(ds, { train: 1 }, { seed: 2 ** 33 })).toThrowError("options.seed: expected an integer in [-2147483648, 4294967295]");
  });
});
