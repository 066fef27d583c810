/**
 * The report of `item-costs.ts`: the peak, each engine's operations (FLOP, CPU seconds, GFLOP per CPU-second and
 * the fraction of the peak), the formulas with their sources, the engines' ratio, and per engine the items, the
 * full runs per stage and the shard projection, as Markdown tables.
 */
import os from "node:os";
import { printTable } from "../../../tools/bench-tools/src/index.js";
import { OPERATION_NAMES, STAGES, fullRunTallies, itemTallies, shardedWall, tallyTotal, type Cost, type FullRunCounts, type OperationName, type Operations } from "./full-run-stages.js";
import type { GemmPeak } from "./gemm-peak.js";
import { layerMacs, type FlopCount, type MlpShape } from "./operation-flops.js";

/** What one engine measured: each operation's CPU seconds and FLOP, and the formulas. */
export interface EngineMeasurement {
  readonly operations: Operations;
  readonly formulas: Readonly<Record<OperationName, FlopCount>>;
}

/** Everything the report prints. */
export interface ItemCostReport {
  /** Per engine, in the order measured. */
  readonly measured: ReadonlyMap<string, EngineMeasurement>;
  /** The peak used (the best of `peaks`) and every measurement of it. */
  readonly peak: GemmPeak;
  readonly peaks: readonly GemmPeak[];
  readonly counts: FullRunCounts;
  readonly samples: number;
  readonly ballPoints: number;
  readonly shape: MlpShape;
  /** Which of the authors' checkpoints was timed. */
  readonly model: string;
  readonly shardCounts: readonly number[];
}

function labels(samples: number, ballPoints: number): Record<OperationName, string> {
  const n = samples.toLocaleString("en");
  return {
    gradientsLogit: `${n} input gradients, logit (the oracle alone)`,
    gradientsSoftmax: `${n} input gradients, SoftMax probability`,
    outerProducts: `d×d accumulation of ${(samples / 2).toLocaleString("en")} antithetic units (the kernel alone)`,
    smoothHessLogit: `SmoothHess, n = ${n}, logit (oracle + kernel + stein)`,
    smoothHessSoftmax: "the same for the SoftMax probability",
    softplusHessian: "SoftPlus Hessian d×d, logit",
    swishHessian: "Swish Hessian d×d, logit",
    softplusSoftmaxHessian: "SoftPlus Hessian d×d, SoftMax probability",
    ballValues: `P_MSE ball: ${ballPoints.toLocaleString("en")} points drawn and evaluated`,
    ballScore: "one second-order model scored on a ball",
    attackReducedSmoothHess: "reduced attack, all radii, SmoothHess Hessian",
    attackExactSmoothHess: "exact attack, all radii, SmoothHess Hessian",
    attackReducedSoftplus: "reduced attack, all radii, SoftPlus Hessian",
    attackExactSoftplus: "exact attack, all radii, SoftPlus Hessian",
  };
}

const gflops = (c: Cost) => c.flops / c.cpu / 1e9;
const hours = (s: number) => (s / 3600).toFixed(2);
const range = (low: number, high: number, f: (v: number) => string) => (f(low) === f(high) ? f(low) : `${f(low)}–${f(high)}`);

/** Print the report. */
export function printItemCostReport(r: ItemCostReport): void {
  const { measured, peak, peaks, counts, samples, shape, shardCounts } = r;
  const engines = [...measured.keys()];
  const LABELS = labels(samples, r.ballPoints);
  const peakRate = "best" in peak ? peak.best : Number.NaN;
  const fraction = (rate: number) => (Number.isFinite(peakRate) ? (rate / peakRate).toFixed(3) : "—");

  console.log(`\nsamples ${samples}, the authors' ${r.model} MLP ${shape.widths.join("-")}; load after the timings: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if ("best" in peak) {
    console.log(`peak (numpy/OpenBLAS float32 GEMM, 1 thread, best of a run before and after the timings): ${peak.best.toFixed(1)} GFLOP per CPU-second`);
    console.log(`  by order n: ${[...peak.rates].map(([n, v]) => `${n}: ${v.toFixed(1)}`).join(", ")}; each measurement: ${peaks.map((p) => ("best" in p ? p.best.toFixed(1) : p.skipped)).join(" / ")}`);
  } else {
    console.log(`peak: ${peak.skipped}`);
  }
  for (const [name, m] of measured) {
    console.log(`\n## ${name}: operations\n`);
    printTable([
      ["operation", "GFLOP", "CPU-s", "GFLOP per CPU-s", "of peak"],
      ...OPERATION_NAMES.map((op) => {
        const c = m.operations[op];
        return [LABELS[op], c.flops / 1e9, c.cpu, gflops(c), fraction(gflops(c))];
      }),
    ]);
  }
  const first = measured.values().next().value!;
  console.log("\nFLOP formulas (d = input width, Σwₗwₗ₊₁ = the layers' multiply-adds per point, here " + layerMacs(shape).toLocaleString("en") + "):\n");
  for (const name of measured.keys()) {
    const m = measured.get(name)!;
    for (const op of OPERATION_NAMES) {
      if (name !== engines[0] && m.formulas[op].formula === first.formulas[op].formula) continue;
      console.log(`- ${name === engines[0] ? "" : `${name}: `}${LABELS[op]}: ${m.formulas[op].formula} — ${m.formulas[op].source}`);
    }
  }
  if (measured.size === 2) {
    const [a, b] = [...measured.keys()];
    console.log(`\n## CPU seconds, ${a} ÷ ${b}\n`);
    printTable([["operation", a, b, "ratio"], ...OPERATION_NAMES.map((op) => [LABELS[op], measured.get(a)!.operations[op].cpu, measured.get(b)!.operations[op].cpu, measured.get(a)!.operations[op].cpu / measured.get(b)!.operations[op].cpu])]);
  }

  for (const [name, m] of measured) {
    const items = itemTallies(m.operations, counts);
    const cpuOf = (t: Map<unknown, Cost>) => tallyTotal(t as never).cpu;
    console.log(`\n## ${name}: items (CPU-s)\n`);
    console.log(
      `pmse validation point ${cpuOf(items.pmseValidation).toFixed(1)}, test point ${range(cpuOf(items.pmseTest.low), cpuOf(items.pmseTest.high), (v) => v.toFixed(1))}; ` +
        `attack validation point ${cpuOf(items.attackValidation).toFixed(1)}, test point ${range(cpuOf(items.attackTest.low), cpuOf(items.attackTest.high), (v) => v.toFixed(1))}`,
    );
    const runs = fullRunTallies(items, counts);
    const stage = (which: "low" | "high", experiment: "pmse" | "attack" | "both", s: (typeof STAGES)[number]): Cost => {
      const of = (e: "pmse" | "attack") => runs[e][which].get(s) ?? { cpu: 0, flops: 0 };
      if (experiment !== "both") return of(experiment);
      return { cpu: of("pmse").cpu + of("attack").cpu, flops: of("pmse").flops + of("attack").flops };
    };
    const total = (which: "low" | "high", experiment: "pmse" | "attack" | "both"): Cost =>
      STAGES.map((s) => stage(which, experiment, s)).reduce((acc, c) => ({ cpu: acc.cpu + c.cpu, flops: acc.flops + c.flops }), { cpu: 0, flops: 0 });
    console.log(`\n## ${name}: pmse --full + attack --full, MNIST and FMNIST, per stage (low–high: distinct chosen σ, σ², β per test point)\n`);
    const row = (label: string, c: (which: "low" | "high", e: "pmse" | "attack" | "both") => Cost) => {
      const both = [c("low", "both"), c("high", "both")];
      const rate = both.map(gflops);
      return [
        label,
        range(both[0].flops / 1e15, both[1].flops / 1e15, (v) => v.toFixed(3)),
        range(c("low", "pmse").cpu, c("high", "pmse").cpu, hours),
        range(c("low", "attack").cpu, c("high", "attack").cpu, hours),
        range(both[0].cpu, both[1].cpu, hours),
        range(both[0].cpu / total("low", "both").cpu, both[1].cpu / total("high", "both").cpu, (v) => `${(100 * v).toFixed(0)} %`),
        both[0].flops > 0 ? range(rate[0], rate[1], (v) => v.toFixed(1)) : "—",
        both[0].flops > 0 ? range(rate[0], rate[1], fraction) : "—",
      ];
    };
    printTable([
      ["stage", "PFLOP", "pmse CPU-h", "attack CPU-h", "both CPU-h", "share of CPU", "GFLOP per CPU-s", "of peak"],
      ...STAGES.map((s) => row(s, (which, e) => stage(which, e, s))),
      row("all", total),
    ]);
    const arithmetic = [total("low", "both").flops, total("high", "both").flops];
    if (Number.isFinite(peakRate)) {
      console.log(
        `\narithmetic at the peak: ${range(arithmetic[0] / peakRate / 1e9, arithmetic[1] / peakRate / 1e9, hours)} core-hours ` +
          `(${range(arithmetic[0] / peakRate / 1e9 / 2, arithmetic[1] / peakRate / 1e9 / 2, hours)} h on 2 cores); measured CPU time ÷ that: ` +
          range(total("low", "both").cpu / (arithmetic[0] / peakRate / 1e9), total("high", "both").cpu / (arithmetic[1] / peakRate / 1e9), (v) => v.toFixed(2)),
      );
    }
    console.log("");
    printTable([
      ["shards (one per core)", "ideal h (total ÷ N)", "largest shard h (round-robin, 2 rounds per experiment)", "imbalance"],
      ...shardCounts.map((n) => {
        const [low, high] = [shardedWall(items, counts, n, "low"), shardedWall(items, counts, n, "high")];
        return [String(n), range(low.ideal, high.ideal, hours), range(low.largest, high.largest, hours), range(low.largest / low.ideal, high.largest / high.ideal, (v) => `${v.toFixed(3)}×`)];
      }),
    ]);
  }
}
