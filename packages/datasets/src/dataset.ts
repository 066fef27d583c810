import { DimensionMismatchError, InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";

/** Labels of a {@link Dataset}: class indices (`Int32Array`) or regression targets (`Float32Array`). */
export type Labels = Float32Array | Int32Array;

/**
 * The one layout every dataset in this package uses, whether generated, embedded or loaded from files, and
 * whatever a split returns.
 *
 * - `x` holds `n` examples of `d` features each, row-major: feature `j` of example `i` is `x[i * d + j]`.
 *   Images are flattened in the order given by `shape` (height, width, channels), so a 28×28 greyscale image
 *   is `shape = [28, 28, 1]` and pixel `(r, c)` is feature `r * 28 + c`.
 * - `y[i]` is the label of example `i`: a class index in `[0, classes.length)` stored as `Int32Array` when
 *   `classes` is present, otherwise a regression target stored as `Float32Array`.
 * - `index`, present on subsets and splits, gives for each row the row of the original (unsplit) dataset it
 *   came from, so per-example metadata kept beside a dataset can be looked up after splitting.
 */
export interface Dataset {
  /** Features, `n×d` row-major, Float32. */
  readonly x: Float32Array;
  /** Labels, length `n`: class indices (Int32) or regression targets (Float32). */
  readonly y: Labels;
  /** Number of examples. */
  readonly n: number;
  /** Number of features per example; the product of `shape`. */
  readonly d: number;
  /** Shape of one example, e.g. `[28, 28, 1]`, `[32, 32, 3]`, `[300, 1]`, `[2]`. */
  readonly shape: readonly number[];
  /** Class names, indexed by label, for classification datasets; absent for regression. */
  readonly classes?: readonly string[];
  /** For subsets and splits: the row of the original dataset each row was taken from. */
  readonly index?: Int32Array;
}

/** A dataset cut into disjoint training, validation and test parts (each may have zero rows). */
export interface DatasetSplits {
  /** Examples to fit a model on. */
  readonly train: Dataset;
  /** Examples to choose hyper-parameters (σ, β, …) on. */
  readonly validation: Dataset;
  /** Examples to report results on. */
  readonly test: Dataset;
}

/** The fields of a {@link Dataset}; `n` and `d` are derived from `y` and `shape`. */
export interface DatasetFields {
  /** Features, `n×d` row-major. */
  x: Float32Array;
  /** Labels, length `n`. */
  y: Labels;
  /** Shape of one example; its product is `d`. */
  shape: readonly number[];
  /** Class names for classification; requires `y` to be an `Int32Array` of indices into it. */
  classes?: readonly string[];
  /** Rows of an original dataset, see {@link Dataset.index}. */
  index?: Int32Array;
}

/**
 * Build a {@link Dataset} from its fields after checking that they agree: `shape` is made of positive
 * integers, `x.length = n·d`, every feature is finite, class labels are integers in `[0, classes.length)`,
 * regression targets are finite, `index` (if given) has one entry per row.
 *
 * @param fields - the arrays; they are used as they are, not copied.
 * @returns the dataset, with `n = y.length` and `d = product(shape)`.
 * @throws {@link InvalidArgumentError} or {@link DimensionMismatchError} naming the field at fault.
 *
 * @example
 * ```ts
 * const ds = createDataset({ x: new Float32Array([0, 1, 1, 0]), y: new Int32Array([1, 0]), shape: [2], classes: ["a", "b"] });
 * ds.n; // 2
 * ```
 */
export function createDataset(fields: DatasetFields): Dataset {
  const { x, y, shape, classes, index } = fields;
  if (!(x instanceof Float32Array)) throw new InvalidArgumentError("dataset.x", "a Float32Array", x);
  if (!(y instanceof Float32Array) && !(y instanceof Int32Array)) {
    throw new InvalidArgumentError("dataset.y", "a Float32Array or an Int32Array", y);
  }
  if (!Array.isArray(shape) || shape.length === 0) {
    throw new InvalidArgumentError("dataset.shape", "a non-empty array of positive integers", shape);
  }
  let d = 1;
  shape.forEach((s, k) => {
    d *= checkInteger(`dataset.shape[${k}]`, s, 1);
  });
  const n = y.length;
  if (x.length !== n * d) {
    throw new DimensionMismatchError(
      "dataset.x",
      `length n·d = ${n}·${d} = ${n * d} (n from dataset.y, d from dataset.shape)`,
      described(`length ${x.length}`),
    );
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new InvalidArgumentError(
        "dataset.x",
        "a finite number at every index",
        described(`${x[i]} at index ${i} (example ${Math.floor(i / d)}, feature ${i % d})`),
      );
    }
  }
  if (classes !== undefined) {
    if (!Array.isArray(classes) || classes.length === 0 || classes.some((c) => typeof c !== "string")) {
      throw new InvalidArgumentError("dataset.classes", "a non-empty array of class names", classes);
    }
    if (!(y instanceof Int32Array)) {
      throw new InvalidArgumentError("dataset.y", "an Int32Array of class indices when classes are given", y);
    }
    for (let i = 0; i < n; i++) {
      if (y[i] < 0 || y[i] >= classes.length) {
        throw new InvalidArgumentError(
          "dataset.y",
          `class indices in [0, ${classes.length - 1}]`,
          described(`${y[i]} at index ${i}`),
        );
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) {
        throw new InvalidArgumentError("dataset.y", "a finite number at every index", described(`${y[i]} at index ${i}`));
      }
    }
  }
  if (index !== undefined) {
    if (!(index instanceof Int32Array)) throw new InvalidArgumentError("dataset.index", "an Int32Array", index);
    if (index.length !== n) {
      throw new DimensionMismatchError("dataset.index", `length n = ${n}`, described(`length ${index.length}`));
    }
  }
  const dataset: { -readonly [K in keyof Dataset]: Dataset[K] } = { x, y, n, d, shape: [...shape] };
  if (classes !== undefined) dataset.classes = [...classes];
  if (index !== undefined) dataset.index = index;
  return dataset;
}

/**
 * The rows `rows` of `dataset`, copied into a new {@link Dataset} in that order (rows may repeat).
 * The result's `index` maps each row back to the original dataset (composing with `dataset.index`).
 *
 * @param dataset - the dataset to take rows from.
 * @param rows - row numbers in `[0, dataset.n)`.
 * @throws {@link InvalidArgumentError} naming `rows` for a row out of range or not an integer.
 */
export function subsetDataset(dataset: Dataset, rows: ArrayLike<number>): Dataset {
  const { d } = dataset;
  const m = rows.length;
  const x = new Float32Array(m * d);
  const y = dataset.y instanceof Int32Array ? new Int32Array(m) : new Float32Array(m);
  const index = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= dataset.n) {
      throw new InvalidArgumentError("rows", `row numbers in [0, ${dataset.n - 1}]`, described(`${r} at index ${i}`));
    }
    x.set(dataset.x.subarray(r * d, (r + 1) * d), i * d);
    y[i] = dataset.y[r];
    index[i] = dataset.index ? dataset.index[r] : r;
  }
  const out: { -readonly [K in keyof Dataset]: Dataset[K] } = { x, y, n: m, d, shape: [...dataset.shape], index };
  if (dataset.classes) out.classes = [...dataset.classes];
  return out;
}

/**
 * How many examples of each class `dataset` holds: `counts[c]` = number of rows with label `c`.
 *
 * @throws {@link InvalidArgumentError} when `dataset` has no `classes` (a regression dataset).
 */
export function classCounts(dataset: Dataset): Int32Array {
  if (!dataset.classes) throw new InvalidArgumentError("dataset.classes", "class names (a classification dataset)", undefined);
  const counts = new Int32Array(dataset.classes.length);
  for (let i = 0; i < dataset.n; i++) counts[dataset.y[i]]++;
  return counts;
}

/**
 * Example `i` of `dataset` as a view into `dataset.x` (no copy): `d` features.
 *
 * @throws {@link InvalidArgumentError} naming `i` when it is not a row of the dataset.
 */
export function exampleAt(dataset: Dataset, i: number): Float32Array {
  checkInteger("i", i, 0, dataset.n - 1);
  return dataset.x.subarray(i * dataset.d, (i + 1) * dataset.d);
}
