import { describe, expect, it } from "vitest";
import { DimensionMismatchError } from "@smoothhess/errors";
import { bisectLog, firstCrossingLog } from "./threshold-crossing.js";

describe("firstCrossingLog", () => {
  it("interpolates a crossing linearly in log x: y = log10 x crosses −1.3 at x = 10^-1.3", () => {
    const xs = [-3, -2.5, -2, -1.5, -1, -0.5, 0].map((e) => 10 ** e);
    const ys = xs.map(Math.log10);
    expect(Math.log10(firstCrossingLog(xs, ys, -1.3)!)).toBeCloseTo(-1.3, 12);
    expect(firstCrossingLog(xs, ys, -1.3, { direction: "falling" })).toBeNull();
  });

  it("skips rising crossings when asked for falling ones, and starts at `from`", () => {
    const xs = [1e-4, 1e-3, 1e-2, 1e-1, 1];
    const ys = [-3, 1, 1, 0, 0]; // rises through 0.5 between 1e-4 and 1e-3, falls between 1e-2 and 1e-1
    expect(firstCrossingLog(xs, ys, 0.5)).toBeCloseTo(10 ** (-4 + 3.5 / 4), 12);
    expect(firstCrossingLog(xs, ys, 0.5, { direction: "falling" })).toBeCloseTo(10 ** -1.5, 12);
    expect(firstCrossingLog(xs, ys, 0.5, { from: 1e-3 })).toBeCloseTo(10 ** -1.5, 12);
    expect(firstCrossingLog(xs, ys, 5)).toBeNull();
  });

  it("refuses abscissae and values of different lengths, naming ys", () => {
    expect(() => firstCrossingLog([1, 2, 3], [1, 2], 0)).toThrow(DimensionMismatchError);
    expect(() => firstCrossingLog([1, 2, 3], [1, 2], 0)).toThrow(/ys/);
  });
});

describe("bisectLog", () => {
  it("finds where a monotone function crosses a level", () => {
    expect(bisectLog((x) => 1 / x, 40, 1e-3, 1)).toBeCloseTo(0.025, 12);
    expect(() => bisectLog((x) => x, 5, 1, 2)).toThrow(/changes sign/);
  });
});
