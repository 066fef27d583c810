/**
 * Issue #14: the published `attack --full --model authors` run on MNIST finds every attack — the vanilla gradient's
 * (G) included — weaker than the paper's Table 2 / 8 at ε = 0.75 and 1.25 by similar amounts. G's attack has no
 * Monte-Carlo draw and no chosen parameter (x₀ − ε·∇p/‖∇p‖, p the SoftMax probability of the predicted class), so
 * its post-hoc accuracy depends only on the model and on which points are attacked. This script measures it on
 * every official MNIST test image, so that the point sets can be compared:
 *
 * - "published": the published run's 400 test rows (a seeded draw from the official test set; read from its
 *   results.json.gz, whose per-point G outcomes are also compared with the ones computed here);
 * - "first 400": official test images 0–399 in official order, the points of the authors' attack notebook
 *   (`AdvAttackExample.ipynb` of MaxTorop/SmoothHess: the first batch of an unshuffled test loader, `data[0:400]`);
 * - "all": the 10,000 test images, and the 25 consecutive blocks of 400 as a measure of how much the choice of 400
 *   points moves the figure.
 *
 * The vanilla Hessian's attack (H+G: the exact SoftMax Hessian of the ReLU network, float64, attacked in the paper's
 * reduced form with the run's T) has no draw or chosen parameter either; it is computed on the two sets of 400.
 *
 *   nice -n 10 pnpm --filter @smoothhess/reproduce exec tsx investigations/attack-points/attack-points.ts
 *
 * Writes results/attack-points.json beside this file (temp file + rename) and prints the tables of FINDINGS.md.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { loadPackagedMnist, officialPaperSplits } from "@smoothhess/datasets";
import { firstOrderAttack, secondOrderAttacks } from "@smoothhess/metrics";
import { loadOnnxModel, onnxOracle, runForward } from "@smoothhess/onnx";
import { referenceSurrogates, softmaxHessian } from "@smoothhess/surrogates";
import { referenceFromTfjsMlp, useBackend } from "@smoothhess/tfjs";
import { loadAuthorsModel } from "../../src/authors-model.js";

const here = dirname(fileURLToPath(import.meta.url));
const published = `${here}/../../published/attack/mnist/attack-authors/results.json.gz`;
const fixture = fileURLToPath(new URL("../../../../packages/onnx/fixtures/authors-mnist-mlp.onnx", import.meta.url));
/** Table 2 / 8, MNIST, the G and H+G rows (post-hoc accuracy in %), at the paper's radii. */
const PAPER_G = [93.3, 82.8, 56.0, 18.5, 8.8];
const PAPER_HG = [93.0, 81.8, 55.3, 19.0, 11.8];

interface PublishedRun {
  readonly radii: readonly number[];
  /** T of the reduced attack (App. D.1). */
  readonly energy: number;
  readonly testRows: readonly number[];
  /** The published G and H+G outcomes per test point and radius (1: class kept). */
  readonly gUnchanged: readonly (readonly number[])[];
  readonly hgUnchanged: readonly (readonly number[])[];
}

function readPublished(): PublishedRun {
  const results = JSON.parse(gunzipSync(readFileSync(published)).toString("utf8"));
  const d = results.results.datasets.find((x: { dataset: string }) => x.dataset === "mnist");
  if (!d) throw new Error(`${published}: no MNIST results`);
  return {
    radii: results.config.radii,
    energy: results.config.energy,
    testRows: d.testRows,
    gUnchanged: d.points.map((p: { outcomes: Record<string, { unchanged: number[] }> }) => p.outcomes.G.unchanged),
    hgUnchanged: d.points.map((p: { outcomes: Record<string, { unchanged: number[] }> }) => p.outcomes["H+G"].unchanged),
  };
}

const argmax = (v: ArrayLike<number>, from = 0, width = v.length) => {
  let k = 0;
  for (let j = 1; j < width; j++) if (v[from + j] > v[from + k]) k = j;
  return k;
};

const run = readPublished();
const { test } = officialPaperSplits(await loadPackagedMnist());
const model = await loadOnnxModel(fixture);
const d = model.dim;
const classes = model.outputSize;
const n = test.n;
const radii = run.radii;

// Predicted class of every test image, then the gradient of that class's SoftMax probability (one oracle per class,
// fed the images that predict it).
const images = Float64Array.from(test.x.subarray(0, n * d));
const logits = await runForward(model, images, n);
const predicted = Int32Array.from({ length: n }, (_, i) => argmax(logits, i * classes, classes));
const gradients = new Float64Array(n * d);
for (let k = 0; k < classes; k++) {
  const rows = predicted.reduce<number[]>((acc, c, i) => (c === k ? (acc.push(i), acc) : acc), []);
  if (rows.length === 0) continue;
  const batch = new Float64Array(rows.length * d);
  rows.forEach((row, i) => batch.set(images.subarray(row * d, (row + 1) * d), i * d));
  const oracle = await onnxOracle(model, { target: { softmax: k }, threads: 1 });
  try {
    const { gradients: g } = await oracle.evaluate(batch, rows.length);
    rows.forEach((row, i) => gradients.set(g.subarray(i * d, (i + 1) * d), row * d));
  } finally {
    await oracle.dispose();
  }
}

// G's attack at every radius (the package's firstOrderAttack, no clipping, as the published run and the paper), and
// whether the predicted class survives it.
const kept = radii.map(() => new Uint8Array(n));
for (const [e, radius] of radii.entries()) {
  const attacked = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const x0 = images.subarray(i * d, (i + 1) * d);
    attacked.set(firstOrderAttack({ x0, gradient: gradients.subarray(i * d, (i + 1) * d), radius }).point, i * d);
  }
  const after = await runForward(model, attacked, n);
  for (let i = 0; i < n; i++) kept[e][i] = argmax(after, i * classes, classes) === predicted[i] ? 1 : 0;
}

// H+G on the two sets of 400: the published run's path (softmaxHessian of the float64 reference network, reduced
// attack at every radius at once), classified by the ONNX forward pass as G's attacks are.
await useBackend("wasm");
const authors = await loadAuthorsModel("mnist");
const original = referenceSurrogates(referenceFromTfjsMlp(authors.network)).original;
const hgKept = new Map<number, number[]>();
async function hessianAttack(rows: readonly number[]): Promise<void> {
  const todo = rows.filter((row) => !hgKept.has(row));
  const attacked = new Float64Array(todo.length * radii.length * d);
  todo.forEach((row, i) => {
    const x0 = images.subarray(row * d, (row + 1) * d);
    const { gradient, hessian } = softmaxHessian(original, x0, predicted[row]);
    const results = secondOrderAttacks({ x0, gradient, hessian, radii, method: "reduced", energy: run.energy });
    results.forEach((r, e) => attacked.set(r.point, (i * radii.length + e) * d));
  });
  const after = await runForward(model, attacked, todo.length * radii.length);
  todo.forEach((row, i) => hgKept.set(row, radii.map((_, e) => (argmax(after, (i * radii.length + e) * classes, classes) === predicted[row] ? 1 : 0))));
}

const percent = (rows: readonly number[], e: number) => (100 * rows.reduce((a, r) => a + kept[e][r], 0)) / rows.length;
const standardError = (rows: readonly number[], e: number) => {
  const p = percent(rows, e) / 100;
  return (100 * Math.sqrt((p * (1 - p)) / (rows.length - 1)));
};
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: readonly number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const half = Math.floor(n / 2);
const sets: Record<string, readonly number[]> = {
  published: run.testRows,
  "first 400": range(0, 400),
  all: range(0, n),
  [`first ${half}`]: range(0, half),
  [`last ${n - half}`]: range(half, n - half),
};
await hessianAttack(sets.published);
await hessianAttack(sets["first 400"]);
const hgPercent = (rows: readonly number[], e: number) => (100 * rows.reduce((a, r) => a + hgKept.get(r)![e], 0)) / rows.length;
/** H+G − G per point (1 − 1, 1 − 0, …), its mean and standard error in percentage points. */
const pairedHgMinusG = (rows: readonly number[], e: number) => {
  const diffs = rows.map((r) => hgKept.get(r)![e] - kept[e][r]);
  const m = mean(diffs);
  return { mean: 100 * m, standardError: (100 * sd(diffs)) / Math.sqrt(rows.length) };
};
const blocks = range(0, Math.floor(n / 400)).map((b) => range(400 * b, 400));
const blockPercents = radii.map((_, e) => blocks.map((rows) => percent(rows, e)));

// The check: the published per-point G outcomes against this script's (float32 ORT gradient and forward here; the
// published run takes G in float64 and classifies with its tfjs network, so a point on a decision boundary may differ).
const agreement = radii.map((_, e) => run.testRows.reduce((a, row, j) => a + (run.gUnchanged[j][e] === kept[e][row] ? 1 : 0), 0));
const hgAgreement = radii.map((_, e) => run.testRows.reduce((a, row, j) => a + (run.hgUnchanged[j][e] === hgKept.get(row)![e] ? 1 : 0), 0));

const format = (x: number) => x.toFixed(1);
console.log(`G's post-hoc accuracy (%) on the authors' MNIST MLP, ε = ${radii.join(" / ")}:`);
console.log(`| points | n | ${radii.map((r) => `ε=${r}`).join(" | ")} |`);
console.log(`|---|---:|${radii.map(() => "---:").join("|")}|`);
console.log(`| paper (Table 2 / 8) | 400 | ${PAPER_G.map(format).join(" | ")} |`);
for (const [name, rows] of Object.entries(sets)) {
  console.log(`| ${name} | ${rows.length} | ${radii.map((_, e) => `${format(percent(rows, e))} ± ${format(standardError(rows, e))}`).join(" | ")} |`);
}
console.log(`| ${blocks.length} blocks of 400: mean (SD, min–max) | 400 | ${radii.map((_, e) => `${format(mean(blockPercents[e]))} (${format(sd(blockPercents[e]))}, ${format(Math.min(...blockPercents[e]))}–${format(Math.max(...blockPercents[e]))})`).join(" | ")} |`);
console.log(`published run's G outcomes reproduced on ${agreement.join(" / ")} of ${run.testRows.length} points`);
console.log("");
console.log("H+G's post-hoc accuracy (%), and H+G − G paired (percentage points ± SE; negative: H+G the stronger attack):");
console.log(`| points | ${radii.map((r) => `ε=${r}`).join(" | ")} |`);
console.log(`|---|${radii.map(() => "---:").join("|")}|`);
console.log(`| paper (Table 2 / 8) | ${PAPER_HG.map((v, e) => `${format(v)} (${format(v - PAPER_G[e])})`).join(" | ")} |`);
for (const name of ["published", "first 400"]) {
  const rows = sets[name];
  console.log(`| ${name} | ${radii.map((_, e) => { const p = pairedHgMinusG(rows, e); return `${format(hgPercent(rows, e))} (${format(p.mean)} ± ${format(p.standardError)})`; }).join(" | ")} |`);
}
console.log(`published run's H+G outcomes reproduced on ${hgAgreement.join(" / ")} of ${run.testRows.length} points`);
console.log(`test accuracy of the checkpoint: ${format((100 * predicted.reduce((a, c, i) => a + (c === test.y[i] ? 1 : 0), 0)) / n)} %`);

const out = `${here}/results/attack-points.json`;
await mkdir(dirname(out), { recursive: true });
const body = JSON.stringify(
  {
    radii,
    paperG: PAPER_G,
    paperHG: PAPER_HG,
    sets: Object.fromEntries(Object.entries(sets).map(([name, rows]) => [name, { n: rows.length, percent: radii.map((_, e) => percent(rows, e)), standardError: radii.map((_, e) => standardError(rows, e)) }])),
    blocksOf400: blockPercents,
    publishedAgreement: agreement,
    hessianAttack: Object.fromEntries(["published", "first 400"].map((name) => [name, { percent: radii.map((_, e) => hgPercent(sets[name], e)), minusG: radii.map((_, e) => pairedHgMinusG(sets[name], e)) }])),
    publishedHessianAgreement: hgAgreement,
    keptPerTestImage: kept.map((k) => Array.from(k).join("")),
    publishedResultsSha256: createHash("sha256").update(readFileSync(published)).digest("hex"),
  },
  null,
  1,
);
await writeFile(`${out}.partial`, body);
await rename(`${out}.partial`, out);
console.log("wrote results/attack-points.json");
