import { describe, expect, it } from "vitest";
import { SmoothHessError } from "@smoothhess/errors";
import { parseOptions, positiveNumber } from "./parse-options.js";
import { UsageError } from "./usage-error.js";

describe("parseOptions", () => {
  it("fills defaults: quick preset, seed 0, reference backend, ./results", () => {
    expect(parseOptions({})).toEqual({
      preset: "quick",
      points: undefined,
      samples: undefined,
      seed: 0,
      backend: "wasm",
      engine: "onnx",
      model: "ours",
      out: "results",
      fresh: false,
      dataDir: undefined,
      quiet: false,
    });
    expect(parseOptions({ full: true, points: "12", samples: "1000", seed: "3" })).toMatchObject({ preset: "full", points: 12, samples: 1000, seed: 3 });
  });

  it("turns bad flags into one-line usage errors", () => {
    expect(() => parseOptions({ quick: true, full: true })).toThrow(UsageError);
    expect(() => parseOptions({ points: "0" })).toThrowError("--points must be an integer ≥ 1, got \"0\"");
    expect(() => parseOptions({ samples: "1e3x" })).toThrow(UsageError);
    expect(() => positiveNumber("--epsilon", "-0.5")).toThrowError("--epsilon must be a number > 0, got \"-0.5\"");
  });

  it.each([
    [{ engine: "torch" }, /^--engine must be one of onnx, tfjs, got "torch"$/],
    [{ model: "theirs" }, /^--model must be one of ours, authors, got "theirs"$/],
    [{ dataset: "mnist,cifar10" }, /^--dataset must list some of mnist, fmnist \(comma-separated\), got "mnist,cifar10"$/],
    [{ backend: "bogus" }, /^--backend must be one of wasm, cpu, tensorflow, got "bogus"$/],
    [{ backend: "" }, /^--backend must be one of/],
    [{ samples: "3" }, /^--samples must be even \(SmoothHess uses antithetic pairs\), got 3$/],
    [{ seed: "" }, /^--seed must be an integer ≥ 0, got ""$/],
    [{ points: " " }, /^--points must be an integer ≥ 1, got " "$/],
    [{ out: "" }, /^--out must not be empty$/],
    [{ dataDir: "" }, /^--data-dir must not be empty$/],
    [{ testPoints: "last" }, /^--test-points must be one of seeded, first, got "last"$/],
  ])("%j → UsageError", (flags, message) => {
    expect(() => parseOptions(flags)).toThrow(UsageError);
    expect(() => parseOptions(flags)).toThrowError(message);
  });

  it("positiveNumber refuses an empty string (Number(\"\") is 0)", () => {
    expect(() => positiveNumber("--epsilon", "")).toThrow(UsageError);
  });

  it("usage errors are SmoothHessErrors with code \"usage\" and their own name", () => {
    const error = (() => {
      try {
        parseOptions({ quick: true, full: true });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SmoothHessError);
    expect((error as SmoothHessError).code).toBe("usage");
    expect((error as Error).name).toBe("UsageError");
  });
});
