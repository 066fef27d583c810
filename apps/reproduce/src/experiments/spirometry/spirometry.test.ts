import { describe, expect, it } from "vitest";
import type { RunOptions } from "../../experiment.js";
import { WASM_CONV_TRAINING_BACKEND } from "@smoothhess/tfjs";
import { UsageError } from "../../usage-error.js";
import { SimulatedInterrupt, uninterruptedAndResumed } from "../resume-harness.test-helper.js";
import type { SpirometryConfig } from "./config.js";
import { spirometryExperiment } from "./experiment.js";
import type { ExplainedPoint } from "./results.js";
import { summariseModel } from "./summary.js";

const options: RunOptions = { preset: "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true };

/** 400 curves, two 2-block CNNs with 4 channels trained one epoch on 64 curves, two explained curves, 32 samples each. */
const tiny: SpirometryConfig = {
  ...(spirometryExperiment.configure(options)),
  seed: 2,
  curves: 400,
  trainCurves: 300,
  testCurves: 100,
  trainExamples: 64,
  blocks: 2,
  channels: 4,
  models: [
    { name: "narrow", kernel: 3 },
    { name: "wide", kernel: 5 },
  ],
  training: { epochs: 1, batchSize: 32, learningRate: 1e-3, milestoneFractions: [0.5], factor: 0.1 },
  earlyCoughCurves: 1,
  lateCoughCurves: 0,
  cleanCurves: 1,
  samples: 32,
};

describe("spirometry", () => {
  it("resumes after an interrupt with results identical to an uninterrupted run; far interval pairs are noise", async () => {
    const { uninterrupted, resumed, interruptedError, itemsBeforeInterrupt } = await uninterruptedAndResumed(spirometryExperiment, tiny, 5);
    expect(interruptedError).toBeInstanceOf(SimulatedInterrupt);
    expect(itemsBeforeInterrupt).toBe(5); // the narrow CNN's MSE and four SmoothHess batches of its first curve
    expect(resumed).toBe(uninterrupted);
    const results = JSON.parse(uninterrupted);
    expect(results.models.map((m: { name: string }) => m.name)).toEqual(["narrow", "wide"]);
    for (const model of results.models) {
      expect(model.points.map((p: ExplainedPoint) => p.kind)).toEqual(["early cough", "no cough"]);
      const [early] = model.points as ExplainedPoint[];
      expect(early.coughs[0].start).toBeGreaterThanOrEqual(0.5);
      expect(early.coughs[0].start).toBeLessThan(1);
      expect(early.interactions).toHaveLength(900);
      expect(early.smoothGrad).toHaveLength(30);
      // symmetric block sums of a symmetric estimate
      for (let i = 0; i < 30; i++) for (let j = 0; j < i; j++) expect(early.interactions[i * 30 + j]).toBeCloseTo(early.interactions[j * 30 + i], 12);
      // Both tiny CNNs see at most 9 neighbouring samples, so interval pairs two or more apart have exactly zero
      // interaction: their estimates are pure Monte-Carlo noise, whose mean z² is ≈ 7/5 (t with 7 dof; blocks that
      // are exactly 0 in every batch are left out, see explainPoints). A mis-scaled standard error or a biased
      // estimator would move it far outside [0.8, 2.6].
      for (const p of model.points as ExplainedPoint[]) {
        expect(p.outOfBandMeanZ2).toBeGreaterThan(0.8);
        expect(p.outOfBandMeanZ2).toBeLessThan(2.6);
      }
    }
  }, 90_000);

  it("follows the paper's model with --full, trains convnets off plain wasm, and lets --points and --samples override", () => {
    const full = spirometryExperiment.configure({ ...options, preset: "full" });
    expect(full.models).toEqual([
      { name: "narrow", kernel: 5 },
      { name: "wide", kernel: 200 },
    ]);
    expect([full.curves, full.trainCurves, full.testCurves, full.trainExamples]).toEqual([8721, 6977, 1744, 6977]);
    expect([full.blocks, full.channels, full.intervalSamples]).toEqual([10, 20, 10]);
    expect(full.trainingBackend).toBe(WASM_CONV_TRAINING_BACKEND);
    const cpu = spirometryExperiment.configure({ ...options, backend: "cpu", points: 5, samples: 160 });
    expect([cpu.trainingBackend, cpu.earlyCoughCurves, cpu.lateCoughCurves, cpu.samples]).toEqual(["cpu", 3, 2, 160]);
  });

  it("rejects --samples that do not split into 8 batches of antithetic pairs", () => {
    const attempt = () => spirometryExperiment.configure({ ...options, samples: 100 });
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/--samples must be a positive multiple of 16/);
  });
});

describe("summariseModel", () => {
  const point = (kind: ExplainedPoint["kind"], strongest: number, coughIntervals: number[], rank: number): ExplainedPoint => ({
    testRow: 0,
    datasetRow: 0,
    kind,
    hasCough: coughIntervals.length > 0,
    coughs: coughIntervals.length ? [{ start: 0.6, duration: 0.3, intervals: coughIntervals }] : [],
    fev1: 3,
    predicted: 3,
    smoothGrad: [],
    smoothGradStandardError: [],
    interactions: [],
    interactionsStandardError: [],
    strongest: {
      interval: strongest,
      value: 1,
      z: 5,
      atCough: coughIntervals.includes(strongest),
      nextToCough: coughIntervals.some((c) => Math.abs(c - strongest) <= 1),
    },
    firstIntervalSmoothGradRank: rank,
    outOfBandShare: 0.1,
    outOfBandMeanZ2: 1.5,
  });

  it("counts hits per kind of curve against the chance of a uniformly drawn interval", () => {
    const s = summariseModel({ intervalSamples: 10 }, [
      point("early cough", 1, [1, 2], 20),
      point("early cough", 5, [1], 10),
      point("late cough", 7, [6], 30),
      point("no cough", 1, [], 2),
    ]);
    expect(s.earlyCough).toEqual({ curves: 2, strongestAtCough: 1, strongestNextToCough: 1, chanceAtCough: 3 / 29 });
    expect(s.lateCough).toEqual({ curves: 1, strongestAtCough: 0, strongestNextToCough: 1, chanceAtCough: 1 / 29 });
    expect(s.firstIntervalRank).toEqual({ "early cough": 15, "late cough": 30, "no cough": 2 });
    expect(s.outOfBandMeanZ2).toBeCloseTo(1.5, 12);
  });

  it("compares |z| on the cough intervals with the same intervals of cough-free curves, and the plateau's SmoothGrad share", () => {
    const withArrays = (p: ExplainedPoint, z: Record<number, number>, grad: number[]): ExplainedPoint => ({
      ...p,
      interactions: Array.from({ length: 900 }, (_, k) => (k < 30 ? (z[k] ?? 0) * 0.5 : 0)),
      interactionsStandardError: Array.from({ length: 900 }, () => 0.5),
      smoothGrad: grad,
    });
    const flat = Array.from({ length: 30 }, () => 1); // 22 of 30 on the plateau (from 4 s)
    const early = point("early cough", 1, [1, 2], 20);
    const s = summariseModel({ intervalSamples: 10 }, [
      withArrays(early, { 1: -6, 2: 2 }, flat),
      withArrays(point("no cough", 1, [], 2), { 1: 1, 2: -3 }, flat),
      withArrays(point("no cough", 1, [], 2), { 1: 0.5 }, flat),
    ]);
    expect(s.coughIntervalZ["early cough"]).toEqual({ cough: 6, cleanSameIntervals: (3 + 0.5) / 2 });
    expect(s.coughIntervalZ["late cough"]).toEqual({ cough: null, cleanSameIntervals: null });
    expect(s.plateauSmoothGradShare).toBeCloseTo(22 / 30, 12);
  });
});
