import { describe, expect, it } from "vitest";
import { configurationFingerprint } from "./configuration-fingerprint.js";
import { explainedRows } from "./explained-points.js";
import { configureAttack } from "./experiments/attack/config.js";
import { attackExperiment } from "./experiments/attack/experiment.js";
import { attackOverrides } from "./experiments/attack/report-comparison.js";
import { configurePmse } from "./experiments/pmse/config.js";
import { pmseExperiment } from "./experiments/pmse/experiment.js";
import { pmseOverrides } from "./experiments/pmse/report-comparison.js";
import { parseOptions } from "./parse-options.js";
import { explainedTestRows, testPointsText } from "./test-point-order.js";
import { UsageError } from "./usage-error.js";

describe("explainedTestRows", () => {
  it("first: the first rows of the test split in order, at most n", () => {
    expect(explainedTestRows("first", 10_000, 5, 42)).toEqual([0, 1, 2, 3, 4]);
    expect(explainedTestRows("first", 3, 5, 42)).toEqual([0, 1, 2]);
  });

  it("seeded: the seeded draw every earlier run explained", () => {
    expect(explainedTestRows("seeded", 10_000, 400, 7)).toEqual(explainedRows(10_000, 400, 7));
    expect(explainedTestRows("seeded", 10_000, 400, 7)).not.toEqual(explainedTestRows("first", 10_000, 400, 7));
  });

  it("the report says which points were explained and which the paper's notebooks take", () => {
    expect(testPointsText("first", 400)).toContain("the first 400 images of the official test set");
    expect(testPointsText("seeded", 200)).toContain("a seeded draw of 200");
  });
});

describe("--test-points in the pmse and attack configurations", () => {
  it.each([
    ["pmse", configurePmse],
    ["attack", configureAttack],
  ] as const)("%s: first is in the configuration (its own checkpoints); the default adds nothing", (_name, configure) => {
    expect(configure(parseOptions({ full: true, dataset: "mnist", testPoints: "first" }))).toMatchObject({ testPointOrder: "first" });
    expect(configure(parseOptions({ full: true, dataset: "mnist", testPoints: "seeded" }))).not.toHaveProperty("testPointOrder");
    expect(configure(parseOptions({ full: true }))).not.toHaveProperty("testPointOrder");
  });

  it.each([
    ["pmse", pmseExperiment, pmseOverrides],
    ["attack", attackExperiment, attackOverrides],
  ] as const)("%s: first shares exactly the validation items of the seeded configuration, and its fill commands say first", (name, experiment, overrides) => {
    const first = experiment.configure(parseOptions({ full: true, dataset: "mnist", testPoints: "first" }));
    const seeded = experiment.configure(parseOptions({ full: true, dataset: "mnist" }));
    const shared = experiment.sharedItems?.(first as never);
    expect(shared).toBeDefined();
    expect(configurationFingerprint(name, shared!.config)).toBe(configurationFingerprint(name, seeded));
    expect(["val-mnist-0-smoothhess", "val-mnist-logit-0-softplus"].every(shared!.shares)).toBe(true);
    expect(["test-mnist-0", "test-mnist-logit-0"].some(shared!.shares)).toBe(false);
    expect(experiment.sharedItems?.(seeded as never)).toBeUndefined();
    expect(overrides(first as never)).toContain("--test-points first");
    expect(overrides(seeded as never)).not.toContain("--test-points first");
  });

  it.each([
    ["pmse", configurePmse],
    ["attack", configureAttack],
  ] as const)("%s: first is refused where Fashion-MNIST's official test images are unknown (the embedded package)", (_name, configure) => {
    for (const flags of [{ testPoints: "first" }, { testPoints: "first", dataset: "fmnist" }]) {
      expect(() => configure(parseOptions(flags))).toThrow(UsageError);
      expect(() => configure(parseOptions(flags))).toThrowError(/give the official files with --data-dir, or run --dataset mnist/);
    }
  });
});
