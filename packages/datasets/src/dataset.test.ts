import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { describe, expect, it } from "vitest";
import { classCounts, createDataset, exampleAt, subsetDataset } from "./dataset.js";

const tiny = () =>
  createDataset({
    x: new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    y: new Int32Array([0, 1, 1, 2, 0, 1]),
    shape: [2],
    classes: ["a", "b", "c"],
  });

describe("createDataset", () => {
  it("derives n and d and keeps the arrays", () => {
    const x = new Float32Array(12);
    const ds = createDataset({ x, y: new Float32Array(2), shape: [3, 2, 1] });
    expect(ds.n).toBe(2);
    expect(ds.d).toBe(6);
    expect(ds.x).toBe(x);
    expect(ds.classes).toBeUndefined();
    expect(ds.index).toBeUndefined();
  });

  it("names the field at fault", () => {
    const bad = () => createDataset({ x: new Float32Array(5), y: new Float32Array(2), shape: [3] });
    expect(bad).toThrowError(DimensionMismatchError);
    expect(bad).toThrowError(
      "dataset.x: expected length n·d = 2·3 = 6 (n from dataset.y, d from dataset.shape), received length 5",
    );
    expect(() => createDataset({ x: new Float64Array(4) as never, y: new Float32Array(2), shape: [2] })).toThrowError(
      "dataset.x: expected a Float32Array, received Float64Array of length 4",
    );
    expect(() => createDataset({ x: new Float32Array(4), y: new Float32Array(2), shape: [2, 0] })).toThrowError(
      "dataset.shape[1]: expected an integer ≥ 1, received 0",
    );
    expect(() => createDataset({ x: new Float32Array([0, Number.NaN]), y: new Float32Array(1), shape: [2] })).toThrowError(
      "dataset.x: expected a finite number at every index, received NaN at index 1 (example 0, feature 1)",
    );
    expect(() =>
      createDataset({ x: new Float32Array(2), y: new Int32Array([0, 3]), shape: [1], classes: ["a", "b"] }),
    ).toThrowError("dataset.y: expected class indices in [0, 1], received 3 at index 1");
    expect(() =>
      createDataset({ x: new Float32Array(2), y: new Float32Array([0, 1]), shape: [1], classes: ["a", "b"] }),
    ).toThrowError(InvalidArgumentError);
    expect(() =>
      createDataset({ x: new Float32Array(2), y: new Float32Array(2), shape: [1], index: new Int32Array(3) }),
    ).toThrowError("dataset.index: expected length n = 2, received length 3");
  });
});

describe("subsetDataset", () => {
  it("copies the rows in order and records where they came from, through nested subsets", () => {
    const ds = tiny();
    const sub = subsetDataset(ds, [4, 1, 1]);
    expect(Array.from(sub.x)).toEqual([8, 9, 2, 3, 2, 3]);
    expect(Array.from(sub.y)).toEqual([0, 1, 1]);
    expect(sub.y).toBeInstanceOf(Int32Array);
    expect(Array.from(sub.index!)).toEqual([4, 1, 1]);
    const subsub = subsetDataset(sub, [2, 0]);
    expect(Array.from(subsub.index!)).toEqual([1, 4]);
    expect(Array.from(subsub.x)).toEqual([2, 3, 8, 9]);
    expect(subsub.classes).toEqual(["a", "b", "c"]);
  });

  it("rejects rows outside the dataset", () => {
    expect(() => subsetDataset(tiny(), [0, 6])).toThrowError("rows: expected row numbers in [0, 5], received 6 at index 1");
    expect(() => subsetDataset(tiny(), [0.5])).toThrowError(InvalidArgumentError);
  });
});

describe("classCounts and exampleAt", () => {
  it("counts labels per class", () => {
    expect(Array.from(classCounts(tiny()))).toEqual([2, 3, 1]);
    expect(() => classCounts(createDataset({ x: new Float32Array(1), y: new Float32Array(1), shape: [1] }))).toThrowError(
      "dataset.classes: expected class names (a classification dataset), received undefined",
    );
  });

  it("returns a view of one example", () => {
    const ds = tiny();
    const e = exampleAt(ds, 2);
    expect(Array.from(e)).toEqual([4, 5]);
    expect(e.buffer).toBe(ds.x.buffer);
    expect(() => exampleAt(ds, 6)).toThrowError("i: expected an integer in [0, 5], received 6");
  });
});
