import { InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";
import { type Dataset, type DatasetSplits, subsetDataset } from "./dataset.js";
import { gaussianSampler, type GaussianSampler } from "@smoothhess/random";

/** How many examples go to each part of a split; parts left out get none. Their sum may be less than `n`. */
export interface SplitSizes {
  /** Number of training examples. */
  train: number;
  /** Number of validation examples (default 0). */
  validation?: number;
  /** Number of test examples (default 0). */
  test?: number;
}

/** Options of {@link splitDataset}. */
export interface SplitOptions {
  /** Seed of the shuffle, an integer in `[0, 2³² − 1]` (default 0). Same seed, same split. */
  seed?: number;
  /**
   * Keep class proportions in every part (default: `true` for classification datasets, `false` otherwise).
   * Each part then holds, for every class, its proportional share of examples to within one example.
   */
  stratify?: boolean;
}

/**
 * The split sizes the SmoothHess paper uses for MNIST and Fashion-MNIST (App. E): 50,000 training, 10,000
 * validation and 10,000 test images out of 70,000.
 */
export const PAPER_SPLIT_SIZES: Readonly<Required<SplitSizes>> = Object.freeze({ train: 50_000, validation: 10_000, test: 10_000 });

/**
 * The split sizes this package uses for the 10,000 embedded MNIST digits: 8,000 training, 1,000 validation
 * and 1,000 test, enough for the paper's evaluation (200 validation points, up to 400 test points) while
 * keeping most digits for training. See the README's MNIST card for why the paper's split is not possible.
 */
export const EMBEDDED_MNIST_SPLIT_SIZES: Readonly<Required<SplitSizes>> = Object.freeze({ train: 8_000, validation: 1_000, test: 1_000 });

/**
 * Cut `dataset` into disjoint training, validation and test parts, deterministically from a seed.
 *
 * Without stratification the rows are shuffled by a seeded Fisher–Yates permutation and cut into
 * consecutive blocks. With stratification (the default for classification), the parts are filled in the
 * order train, validation, test, each part of size `m` taking from every class `c` its proportional share
 * `q = m · n_c / n` rounded by largest remainders within what earlier parts left. The training part holds
 * ⌊q⌋ or ⌈q⌉ examples of every class; the later parts are rounded the same way but from what is left, which
 * can only push them further when rounding piles up (the property test checks within 2 of `q`; in 5,000
 * random cases none was 1 or more off). When the classes divide evenly every part is exactly balanced. The
 * examples of each class are drawn by a seeded shuffle, and each part is shuffled so that classes mix.
 *
 * Rows of each part keep their origin in `index`.
 *
 * @param dataset - the dataset to split.
 * @param sizes - number of examples per part; the sum must not exceed `dataset.n`.
 * @param options - seed and stratification.
 * @returns the three parts (absent sizes give empty parts).
 * @throws {@link InvalidArgumentError} naming `sizes.*`, `options.seed` or `options.stratify`.
 *
 * @example
 * ```ts
 * const fmnist = await loadEmbeddedFashionMnist();
 * const { train, validation, test } = splitDataset(fmnist, PAPER_SPLIT_SIZES, { seed: 0 });
 * ```
 */
export function splitDataset(dataset: Dataset, sizes: SplitSizes, options: SplitOptions = {}): DatasetSplits {
  const train = checkInteger("sizes.train", sizes?.train, 0);
  const validation = checkInteger("sizes.validation", sizes.validation ?? 0, 0);
  const test = checkInteger("sizes.test", sizes.test ?? 0, 0);
  if (train + validation + test > dataset.n) {
    throw new InvalidArgumentError(
      "sizes",
      `train + validation + test ≤ n = ${dataset.n}`,
      described(`${train} + ${validation} + ${test} = ${train + validation + test}`),
    );
  }
  const random = gaussianSampler(options.seed ?? 0, "options.seed");
  const stratify = options.stratify ?? dataset.classes !== undefined;
  if (typeof stratify !== "boolean") throw new InvalidArgumentError("options.stratify", "a boolean", stratify);
  if (stratify && !dataset.classes) {
    throw new InvalidArgumentError("options.stratify", "false for a dataset without classes (regression)", stratify);
  }
  const parts = stratify
    ? stratifiedParts(dataset, [train, validation, test], random)
    : consecutiveParts(random.shuffle(identity(dataset.n)), [train, validation, test]);
  return {
    train: subsetDataset(dataset, parts[0]),
    validation: subsetDataset(dataset, parts[1]),
    test: subsetDataset(dataset, parts[2]),
  };
}

function identity(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

function consecutiveParts(order: Int32Array, sizes: number[]): Int32Array[] {
  let start = 0;
  return sizes.map((m) => order.subarray(start, (start += m)));
}

/** Rows of each part, class by class: see {@link splitDataset}. */
function stratifiedParts(dataset: Dataset, sizes: number[], random: GaussianSampler): Int32Array[] {
  const k = dataset.classes!.length;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < dataset.n; i++) members[dataset.y[i]].push(i);
  for (const rows of members) random.shuffle(rows);
  const taken = new Array<number>(k).fill(0);
  return sizes.map((m) => {
    const counts = proportionalCounts(m, members, taken, dataset.n);
    const part = new Int32Array(m);
    let at = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < counts[c]; j++) part[at++] = members[c][taken[c] + j];
      taken[c] += counts[c];
    }
    return random.shuffle(part);
  });
}

/**
 * Split `m` among the classes in proportion to their sizes: ⌊q_c⌋ each (q_c = m·n_c/n, capped by what
 * earlier parts left of the class), then the remaining examples one at a time to the classes with the
 * largest remainders (ties: lower class first) that still have examples left, round after round. Earlier
 * parts left at least `m` examples in all, so every example finds a class.
 */
function proportionalCounts(m: number, members: number[][], taken: number[], n: number): number[] {
  const k = members.length;
  const room = members.map((rows, c) => rows.length - taken[c]);
  const counts = members.map((rows, c) => Math.min(Math.floor((m * rows.length) / n), room[c]));
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => {
    const ra = (m * members[a].length) % n, rb = (m * members[b].length) % n;
    return rb - ra || a - b;
  });
  let left = m - counts.reduce((s, v) => s + v, 0);
  while (left > 0) {
    for (const c of order) {
      if (left === 0) break;
      if (counts[c] < room[c]) {
        counts[c]++;
        left--;
      }
    }
  }
  return counts;
}
