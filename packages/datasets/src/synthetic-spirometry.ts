import { InvalidArgumentError, checkInteger, checkNumberInRange, described } from "@smoothhess/errors";
import { type Dataset, createDataset } from "./dataset.js";
import { gaussianSampler, type GaussianSampler } from "@smoothhess/random";
import {
  type CurveSampling,
  type ForcedExhalation,
  type SpirometryCough,
  checkSampling,
  fev1FromCurve,
  forcedExhalationVolume,
  spirometryVolume,
} from "./spirometry-model.js";

/** A closed interval `[low, high]` that a parameter is drawn from uniformly. */
export type Range = readonly [number, number];

/** Options of {@link syntheticSpirometry}; every field has a documented default. */
export interface SyntheticSpirometryOptions extends CurveSampling {
  /** Number of curves (default 1000). */
  n?: number;
  /** Seed, an integer in `[0, 2³² − 1]` (default 0). Same options and seed, same curves. */
  seed?: number;
  /** Mean and standard deviation of the FVC in litres, truncated to `fvcRange` (default `[3.9, 0.9]`). */
  fvc?: readonly [number, number];
  /** Bounds of the FVC in litres (default `[1.5, 7]`). */
  fvcRange?: Range;
  /** Mean and standard deviation of the FEV₁/FVC ratio, truncated to `ratioRange` (default `[0.76, 0.08]`). */
  ratio?: readonly [number, number];
  /** Bounds of the FEV₁/FVC ratio (default `[0.4, 0.92]`: obstructed to very healthy). */
  ratioRange?: Range;
  /** Range of the rise time constant `ρ` in seconds (default `[0.03, 0.06]`: peak flow after ≈ 0.08–0.15 s). */
  rise?: Range;
  /** Probability that a curve has coughs (default 0.5). */
  coughProbability?: number;
  /** Largest number of coughs in a coughing curve; the count is uniform in `1 … maxCoughs` (default 2). */
  maxCoughs?: number;
  /** Window that cough starts are drawn from, in seconds (default `[0.2, 4]`: the paper's "first 4 seconds"). */
  coughWindow?: Range;
  /** Range of cough durations in seconds (default `[0.15, 0.6]`). */
  coughDuration?: Range;
  /** Range of the dip depth as a fraction of the volume at the cough's start (default `[0, 0.05]`; `[0, 0]` for flat plateaus). */
  coughDip?: Range;
  /** Minimum gap between two coughs, in seconds (default 0.1). */
  coughGap?: number;
  /** Standard deviation of independent Gaussian noise added to every observed sample, in litres (default 0.005). */
  noise?: number;
  /**
   * The label `y` (default `"fev1"`): `"fev1"` is the FEV₁ of the cough-free exhalation — what the subject
   * would have blown, so a model must see past the coughs, as in the paper's experiment; `"observed-fev1"`
   * is the observed curve's own volume at 1 s (sample 20 at 50 ms, noise included).
   */
  target?: "fev1" | "observed-fev1";
}

/** A cough with the samples it covers. */
export interface SpirometryCoughTruth extends Required<SpirometryCough> {
  /** First sample index `i` with `t_i ≥ start`. */
  readonly firstSample: number;
  /** Last sample index `i` with `t_i ≤ start + duration` (below `firstSample` when no sample falls inside). */
  readonly lastSample: number;
}

/** What generated one synthetic curve: its parameters, its coughs and the labels computed from it. */
export interface SpirometryTruth {
  /** FVC parameter: the volume the cough-free curve plateaus at (L). */
  readonly fvc: number;
  /** Emptying time constant τ (s). */
  readonly tau: number;
  /** Rise time constant ρ (s). */
  readonly rise: number;
  /** Coughs in time order (empty for a clean curve), with the samples they cover. */
  readonly coughs: readonly SpirometryCoughTruth[];
  /** FEV₁ of the cough-free curve, `V(1 s)` (L), float64. */
  readonly fev1: number;
  /** Observed volume at 1 s: the stored curve at 1 s (sample 20 at 50 ms), coughs and noise included (L). */
  readonly observedFev1: number;
  /** Largest observed volume over the curve (L), float64. */
  readonly observedFvc: number;
}

/** A synthetic spirometry dataset and the ground truth of every curve (`truth[i]` describes row `i`). */
export interface SyntheticSpirometry {
  /** `n` curves of `duration / interval` volumes (300 by default), `shape = [300, 1]`, labels per `target`. */
  readonly dataset: Dataset;
  /** Parameters, coughs and FEV₁/FVC of each curve; after a split, look rows up with `dataset.index`. */
  readonly truth: readonly SpirometryTruth[];
}

/**
 * Seeded synthetic spirometry: volume-time curves of forced exhalations standing in for the UK Biobank
 * curves of the paper (access-controlled), with coughs at known times so that interactions have a ground
 * truth.
 *
 * Each curve follows {@link ForcedExhalation}: FVC ~ N(3.9, 0.9²) L truncated to [1.5, 7]; the FEV₁/FVC
 * ratio ~ N(0.76, 0.08²) truncated to [0.4, 0.92], from which τ is solved exactly (bisection); ρ ~ U[0.03,
 * 0.06] s. With probability ½ a curve has 1–2 coughs (flow pauses of 0.15–0.6 s starting in [0.2, 4] s, at
 * least 0.1 s apart, each dipping by up to 5 % of the volume). Curves are sampled at `t_i = 0.05 i` s,
 * `i = 0 … 299`, Gaussian noise of 5 mL is added, and the result is stored as float32. The label is the
 * cough-free FEV₁ (see `target`). Truncated normals are drawn by rejection.
 *
 * @param options - sizes, seed and the distributions above.
 * @returns the dataset and per-curve ground truth.
 * @throws {@link InvalidArgumentError} naming the option at fault.
 *
 * @example
 * ```ts
 * const { dataset, truth } = syntheticSpirometry({ n: 2000, seed: 1 });
 * const { train, test } = splitDataset(dataset, { train: 1600, test: 400 }, { seed: 1 });
 * const coughsOfFirstTest = truth[test.index![0]].coughs;
 * ```
 */
export function syntheticSpirometry(options: SyntheticSpirometryOptions = {}): SyntheticSpirometry {
  const o = checkOptions(options);
  const { interval, samples } = checkSampling(options);
  if ((samples - 1) * interval < 1) {
    throw new InvalidArgumentError("options.duration", "curves that reach 1 s (FEV₁ is the volume at 1 s)", options.duration);
  }
  const random = gaussianSampler(options.seed ?? 0, "options.seed");
  const x = new Float32Array(o.n * samples);
  const y = new Float32Array(o.n);
  const truth: SpirometryTruth[] = [];
  for (let r = 0; r < o.n; r++) {
    const fvc = truncatedNormal(random, o.fvc, o.fvcRange);
    const ratio = truncatedNormal(random, o.ratio, o.ratioRange);
    const rise = random.between(o.rise[0], o.rise[1]);
    const tau = solveTau(ratio, rise);
    const clean: ForcedExhalation = { fvc, tau, rise };
    const coughs = random.uniform() < o.coughProbability ? drawCoughs(random, o, clean) : [];
    const params: ForcedExhalation = { fvc, tau, rise, coughs };
    let observedFvc = -Infinity;
    for (let i = 0; i < samples; i++) {
      const v = spirometryVolume(i * interval, params) + (o.noise > 0 ? o.noise * random.normal() : 0);
      x[r * samples + i] = v;
      observedFvc = Math.max(observedFvc, v);
    }
    const fev1 = forcedExhalationVolume(1, clean);
    const observedFev1 = fev1FromCurve(x.subarray(r * samples, (r + 1) * samples), interval);
    y[r] = o.target === "fev1" ? fev1 : observedFev1;
    truth.push({
      fvc,
      tau,
      rise,
      coughs: coughs.map((c) => ({
        start: c.start,
        duration: c.duration,
        dip: c.dip ?? 0,
        firstSample: Math.ceil(c.start / interval - 1e-9),
        lastSample: Math.min(samples - 1, Math.floor((c.start + c.duration) / interval + 1e-9)),
      })),
      fev1,
      observedFev1,
      observedFvc,
    });
  }
  return { dataset: createDataset({ x, y, shape: [samples, 1] }), truth };
}

type CheckedOptions = Required<
  Omit<SyntheticSpirometryOptions, "seed" | "interval" | "duration">
>;

function checkOptions(options: SyntheticSpirometryOptions): CheckedOptions {
  const o: CheckedOptions = {
    n: checkInteger("options.n", options.n ?? 1000, 0),
    fvc: checkMeanSd("options.fvc", options.fvc ?? [3.9, 0.9]),
    fvcRange: checkRange("options.fvcRange", options.fvcRange ?? [1.5, 7], 0, Infinity, true),
    ratio: checkMeanSd("options.ratio", options.ratio ?? [0.76, 0.08]),
    ratioRange: checkRange("options.ratioRange", options.ratioRange ?? [0.4, 0.92], 0, 1, true),
    rise: checkRange("options.rise", options.rise ?? [0.03, 0.06], 0, 0.2, true),
    coughProbability: checkNumberInRange("options.coughProbability", options.coughProbability ?? 0.5, 0, 1),
    maxCoughs: checkInteger("options.maxCoughs", options.maxCoughs ?? 2, 1, 20),
    coughWindow: checkRange("options.coughWindow", options.coughWindow ?? [0.2, 4], 0, Infinity),
    coughDuration: checkRange("options.coughDuration", options.coughDuration ?? [0.15, 0.6], 0, Infinity, true),
    coughDip: checkRange("options.coughDip", options.coughDip ?? [0, 0.05], 0, 1),
    coughGap: checkNumberInRange("options.coughGap", options.coughGap ?? 0.1, 0, Infinity),
    noise: checkNumberInRange("options.noise", options.noise ?? 0.005, 0, Infinity),
    target: options.target ?? "fev1",
  };
  if (o.target !== "fev1" && o.target !== "observed-fev1") {
    throw new InvalidArgumentError("options.target", '"fev1" or "observed-fev1"', o.target);
  }
  const windowLength = o.coughWindow[1] - o.coughWindow[0];
  if (o.coughProbability > 0 && (o.maxCoughs - 1) * (o.coughDuration[1] + o.coughGap) > windowLength) {
    throw new InvalidArgumentError(
      "options.maxCoughs",
      `few enough coughs to fit in options.coughWindow: (maxCoughs − 1)·(longest cough + gap) ≤ ${windowLength} s`,
      o.maxCoughs,
    );
  }
  return o;
}

function checkRange(argument: string, range: unknown, min: number, max: number, positive = false): Range {
  const r = range as Range;
  const ok =
    Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === "number" && Number.isFinite(v)) &&
    r[0] <= r[1] && r[0] >= min && r[1] <= max && (!positive || r[0] > 0);
  if (!ok) {
    const lower = positive ? `> ${min}` : `≥ ${min}`;
    throw new InvalidArgumentError(argument, `[low, high] with ${lower} low ≤ high ≤ ${max}`, range);
  }
  return r;
}

function checkMeanSd(argument: string, value: unknown): readonly [number, number] {
  const v = value as readonly [number, number];
  if (!Array.isArray(v) || v.length !== 2 || !v.every(Number.isFinite) || v[1] < 0) {
    throw new InvalidArgumentError(argument, "[mean, standard deviation] with a standard deviation ≥ 0", value);
  }
  return v;
}

/** Draw from N(mean, sd²) restricted to `range`, by rejection (the mean must make acceptance likely). */
function truncatedNormal(random: GaussianSampler, [mean, sd]: readonly [number, number], [lo, hi]: Range): number {
  for (let tries = 0; tries < 10_000; tries++) {
    const v = mean + sd * random.normal();
    if (v >= lo && v <= hi) return v;
  }
  throw new InvalidArgumentError(
    "options",
    "a mean and standard deviation that put a usable share of the mass inside the range",
    described(`mean ${mean}, sd ${sd}, range [${lo}, ${hi}]`),
  );
}

/**
 * The τ for which the cough-free curve has FEV₁/FVC = `ratio` at rise constant `rise`: the ratio
 * `1 − (τe^{−1/τ} − ρe^{−1/ρ})/(τ − ρ)` falls monotonically as τ grows, so bisect on τ ∈ (ρ, 100] s.
 */
export function solveTau(ratio: number, rise: number): number {
  const ratioAt = (tau: number) => forcedExhalationVolume(1, { fvc: 1, tau, rise });
  let lo = rise * (1 + 1e-6);
  let hi = 100;
  if (ratio >= ratioAt(lo) || ratio <= ratioAt(hi)) {
    throw new InvalidArgumentError("ratio", `an FEV₁/FVC ratio reachable with rise ${rise} s`, ratio);
  }
  for (let k = 0; k < 200 && hi - lo > 1e-12 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (ratioAt(mid) > ratio) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** 1 … maxCoughs non-overlapping coughs in the window, by rejection; dips relative to the volume at their start. */
function drawCoughs(random: GaussianSampler, o: CheckedOptions, clean: ForcedExhalation): SpirometryCough[] {
  const count = random.int(1, o.maxCoughs);
  for (let tries = 0; tries < 100_000; tries++) {
    const drawn = Array.from({ length: count }, () => ({
      start: random.between(o.coughWindow[0], o.coughWindow[1]),
      duration: random.between(o.coughDuration[0], o.coughDuration[1]),
      dipFraction: random.between(o.coughDip[0], o.coughDip[1]),
    })).sort((a, b) => a.start - b.start);
    if (drawn.every((c, k) => k === 0 || c.start >= drawn[k - 1].start + drawn[k - 1].duration + o.coughGap)) {
      const coughs: SpirometryCough[] = [];
      for (const c of drawn) {
        const volume = spirometryVolume(c.start, { ...clean, coughs });
        coughs.push({ start: c.start, duration: c.duration, dip: c.dipFraction * volume });
      }
      return coughs;
    }
  }
  throw new InvalidArgumentError(
    "options.coughWindow",
    `a window wide enough to place ${count} coughs ${o.coughGap} s apart`,
    o.coughWindow,
  );
}
