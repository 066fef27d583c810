import { describe, expect, it } from "vitest";
import {
  AbortedError,
  DimensionMismatchError,
  DisposedError,
  InvalidArgumentError,
  SmoothHessError,
  checkFiniteArray,
  checkInteger,
  checkNumberInRange,
  checkPositive,
  throwIfAborted,
} from "./index.js";

describe("checks", () => {
  it("accepts valid values and returns them", () => {
    expect(checkInteger("n", 3, 1)).toBe(3);
    expect(checkPositive("eps", 0.5)).toBe(0.5);
    expect(checkNumberInRange("T", 1, 0, 1, { min: true })).toBe(1);
    const a = new Float64Array([1, 2]);
    expect(checkFiniteArray("x", a, 2)).toBe(a);
  });

  it("names the argument, the expectation and what was received", () => {
    expect(() => checkInteger("options.samples", 0, 1)).toThrowError(
      "options.samples: expected an integer ≥ 1, received 0",
    );
    expect(() => checkPositive("epsilon", -1)).toThrowError("epsilon: expected a finite number > 0, received -1");
    expect(() => checkNumberInRange("T", 0, 0, 1, { min: true })).toThrowError("T: expected a finite number in (0, 1]");
    expect(() => checkFiniteArray("x0", [1, Number.NaN, 3])).toThrowError(
      "x0: expected a finite number at every index, received NaN at index 1",
    );
    expect(() => checkFiniteArray("x0", new Float32Array(3), 4)).toThrowError(
      "x0: expected length 4, received length 3",
    );
    expect(() => checkFiniteArray("x0", "abc")).toThrowError('x0: expected an array or typed array of numbers, received "abc"');
  });

  it("throws typed errors with stable codes", () => {
    const err = (() => {
      try {
        checkFiniteArray("x0", [1], 2);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DimensionMismatchError);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toBeInstanceOf(SmoothHessError);
    expect((err as DimensionMismatchError).code).toBe("dimension-mismatch");
    expect((err as DimensionMismatchError).argument).toBe("x0");
    expect((err as DimensionMismatchError).name).toBe("DimensionMismatchError");
  });

  it("reports aborts with the amount of work done", () => {
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal, "smoothHess", 0)).not.toThrow();
    controller.abort("user");
    try {
      throwIfAborted(controller.signal, "smoothHess", 128);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AbortedError);
      expect((e as AbortedError).completed).toBe(128);
      expect((e as AbortedError).reason).toBe("user");
    }
  });

  it("names what was used after dispose() and what to do, with the one code every backend uses", () => {
    const e = new DisposedError("this tfjs oracle", "create a new one with tfjsOracle()");
    expect(e).toBeInstanceOf(SmoothHessError);
    expect(e.name).toBe("DisposedError");
    expect(e.code).toBe("disposed");
    expect(e.resource).toBe("this tfjs oracle");
    expect(e.message).toBe("this tfjs oracle was used after dispose(); create a new one with tfjsOracle()");
    expect(new DisposedError().message).toBe("this object was used after dispose(); create a new one");
  });
});
