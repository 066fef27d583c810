import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import type { AttackResults } from "./experiments/attack/compute.js";
import { configureAttack, SECOND_ORDER_METHODS, type AttackConfig } from "./experiments/attack/config.js";
import type { AttackTestPoint } from "./experiments/attack/results.js";
import type { PmseResults } from "./experiments/pmse/compute.js";
import { configurePmse, type PmseConfig } from "./experiments/pmse/config.js";
import type { PmseTestPoint } from "./experiments/pmse/results.js";
import type { ModelName } from "./model-runs.js";
import { ATTACK_METHODS, PMSE_METHODS, type AttackMethod, type PmseMethod } from "./paper-numbers/paper-layout.js";
import { sha256 } from "./sealed-json.js";

/**
 * Synthetic runs for the report tests: results.json documents of pmse and attack in the runner's layout, with
 * per-point values the tests choose, so that every number a report shows can be computed by hand.
 */

const quickOptions = { preset: "quick" as const, seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true };

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: readonly number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));

/** A pmse configuration of MNIST, the logit, ε = 0.25 and one sampling law, with `points` test points. */
export function pmseFixtureConfig(points: number): PmseConfig {
  return { ...configurePmse(quickOptions), datasets: ["mnist"], targets: ["logit"], radii: [0.25], samplings: ["uniform-ball"], testPoints: points };
}

/** pmse results whose P_MSE of each method at the test points is `values[method]` (all the same length). */
export function pmseFixtureResults(values: Readonly<Record<PmseMethod, readonly number[]>>): PmseResults {
  const n = values["SH+SG"].length;
  const points: PmseTestPoint[] = Array.from({ length: n }, (_, i) => ({
    row: i,
    predictedClass: 3,
    value: 1,
    pmse: { "uniform-ball": Object.fromEntries(PMSE_METHODS.map((m) => [m, [values[m][i]]])) as Record<PmseMethod, number[]> },
    noise: { "uniform-ball": { "SH+SG": [1e-9], SG: [1e-9] } },
  }));
  const curve = [1, 2, 3].map((value) => ({ value, mean: 1 / value, standardError: 0.01 }));
  const selection = { radius: 0.25, chosen: 2, candidates: [1, 2, 3], curve };
  return {
    datasets: [
      {
        dataset: "mnist",
        model: { trainingSteps: 10, trainExamples: 100, finalTrainingLoss: 0.1, accuracy: { train: 0.9, validation: 0.9, test: 0.9 } },
        neuron: { layer: 2, unit: 7, classIndex: 3, meanActivation: 1.5, examples: 10, className: "3" },
        targets: [
          {
            target: "logit",
            validationRows: [0, 1],
            testRows: points.map((p) => p.row),
            selection: Object.fromEntries(PMSE_METHODS.filter((m) => m !== "G").map((m) => [m, [selection]])) as unknown as PmseResults["datasets"][0]["targets"][0]["selection"],
            summary: { "uniform-ball": Object.fromEntries(PMSE_METHODS.map((m) => [m, { mean: [mean(values[m])], std: [std(values[m])] }])) as Record<PmseMethod, { mean: number[]; std: number[] }> },
            noise: { "uniform-ball": { "SH+SG": [1e-9], SG: [1e-9] } },
            points,
          },
        ],
      },
    ],
  };
}

/** An attack configuration of MNIST at ε = 0.25 and 1.25, with `points` test points. */
export function attackFixtureConfig(points: number): AttackConfig {
  return { ...configureAttack(quickOptions), datasets: ["mnist"], radii: [0.25, 1.25], testPoints: points };
}

/** attack results where the class survived (1) or not (0) under each method's attack: `unchanged[method][point][radius]`. */
export function attackFixtureResults(unchanged: Readonly<Record<AttackMethod, readonly (readonly number[])[]>>): AttackResults {
  const n = unchanged["SH+SG"].length;
  const methods = [...ATTACK_METHODS, ...SECOND_ORDER_METHODS.map((m) => `${m} (exact)`)];
  const outcome = (m: string, i: number) => {
    const u = unchanged[(m.replace(" (exact)", "") as AttackMethod)][i];
    return { unchanged: [...u], probability: u.map((k) => (k ? 0.9 : 0.2)) };
  };
  const points: AttackTestPoint[] = Array.from({ length: n }, (_, i) => ({
    row: i,
    predictedClass: 1,
    probability: 0.95,
    outcomes: Object.fromEntries(methods.map((m) => [m, outcome(m, i)])),
    ranks: { "SH+SG": [3, 3], "SP (H+G)": [4, 4], "H+G": [5, 5] },
  }));
  const accuracy = Object.fromEntries(
    methods.map((m) => {
      const value = [0, 1].map((e) => mean(points.map((p) => p.outcomes[m].unchanged[e])));
      return [m, { value, standardError: value.map((p) => Math.sqrt((p * (1 - p)) / n)) }];
    }),
  );
  const selection = [0.25, 1.25].map((radius) => ({ radius, chosen: 0.01, curve: [{ value: 0.01, accuracy: 0.5, meanProbability: 0.5 }] }));
  return {
    datasets: [
      {
        dataset: "mnist",
        model: { trainingSteps: 10, trainExamples: 100, finalTrainingLoss: 0.1, accuracy: { train: 0.9, validation: 0.9, test: 0.9 } },
        validationRows: [0, 1],
        testRows: points.map((p) => p.row),
        selection: { "SH+SG": selection, SG: selection, "SP (H+G)": selection, "SP G": selection },
        accuracy,
        points,
      },
    ],
  };
}

/**
 * Write `<out>/<folder>/results.json` and SHA256SUMS as the runner does; `model` undefined writes no `model` field
 * (a results.json from before `--model`). @returns the folder.
 */
export async function writeFixtureRun(
  out: string,
  experiment: string,
  model: ModelName | undefined,
  config: PmseConfig | AttackConfig,
  results: unknown,
): Promise<string> {
  const directory = join(out, model === "authors" ? `${experiment}-authors` : experiment);
  const document = {
    experiment,
    config,
    seed: config.seed,
    backend: config.backend,
    ...(model ? { model, engine: "onnx" } : {}),
    packageVersions: {},
    timings: { wallSeconds: 12.5, finishedAt: "2026-01-01T00:00:00.000Z" },
    results,
  };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  await writeFileAtomic(join(directory, "results.json"), text);
  await writeFileAtomic(join(directory, "report.md"), "old report\n");
  await writeFileAtomic(join(directory, "SHA256SUMS"), `${sha256(text)}  results.json\n${sha256("old report\n")}  report.md\n${"0".repeat(64)}  figure.png\n`);
  return directory;
}
