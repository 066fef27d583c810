import { SPIROMETRY_PAPER } from "../../paper-numbers/figures-3-4.js";
import { type SpirometryConfig } from "./config.js";
import type { CoughHits, CurveKind, ExplainedPoint, ModelSummary } from "./results.js";

/** The mean, or null for no values. */
export function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Aggregate the explained curves of one model (exported for tests). */
export function summariseModel(config: Pick<SpirometryConfig, "intervalSamples">, points: readonly ExplainedPoint[]): ModelSummary {
  const intervals = SPIROMETRY_PAPER.features / config.intervalSamples;
  const hits = (kind: CurveKind): CoughHits => {
    const curves = points.filter((p) => p.kind === kind);
    return {
      curves: curves.length,
      strongestAtCough: curves.filter((p) => p.strongest.atCough).length,
      strongestNextToCough: curves.filter((p) => p.strongest.nextToCough).length,
      chanceAtCough: curves.reduce((s, p) => s + new Set(p.coughs.flatMap((c) => c.intervals).filter((i) => i >= 1)).size / (intervals - 1), 0),
    };
  };
  const rank = (kind: CurveKind) => mean(points.filter((p) => p.kind === kind).map((p) => p.firstIntervalSmoothGradRank));
  const absZ = (p: ExplainedPoint, j: number) => (p.interactionsStandardError[j] > 0 ? Math.abs(p.interactions[j] / p.interactionsStandardError[j]) : 0);
  const clean = points.filter((p) => p.kind === "no cough");
  const coughZ = (kind: "early cough" | "late cough") => {
    const curves = points.filter((p) => p.kind === kind);
    const atCough = curves.map((p) => {
      const js = [...new Set(p.coughs.flatMap((c) => c.intervals))].filter((j) => j >= 1);
      return { p, js, z: Math.max(0, ...js.map((j) => absZ(p, j))) };
    });
    return {
      cough: mean(atCough.map((c) => c.z)),
      cleanSameIntervals: mean(atCough.flatMap((c) => clean.map((q) => Math.max(0, ...c.js.map((j) => absZ(q, j)))))),
    };
  };
  const plateauFrom = Math.round(SPIROMETRY_PAPER.coughWindowSeconds / (config.intervalSamples * SPIROMETRY_PAPER.sampleInterval));
  return {
    earlyCough: hits("early cough"),
    lateCough: hits("late cough"),
    coughIntervalZ: { "early cough": coughZ("early cough"), "late cough": coughZ("late cough") },
    plateauSmoothGradShare:
      mean(
        points.map((p) => {
          const total = p.smoothGrad.reduce((a, b) => a + b, 0);
          return total === 0 ? 0 : p.smoothGrad.slice(plateauFrom).reduce((a, b) => a + b, 0) / total;
        }),
      ) ?? 0,
    firstIntervalRank: { "early cough": rank("early cough"), "late cough": rank("late cough"), "no cough": rank("no cough") },
    outOfBandShare: mean(points.map((p) => p.outOfBandShare)) ?? 0,
    outOfBandMeanZ2: mean(points.map((p) => p.outOfBandMeanZ2)) ?? 0,
  };
}
