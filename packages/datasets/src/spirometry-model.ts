import { InvalidArgumentError, checkFiniteArray, checkInteger, checkNumberInRange, checkPositive, described } from "@smoothhess/errors";

/** Sampling interval of the paper's spirometry curves, in seconds (10 ms recordings downsampled to 50 ms). */
export const SPIROMETRY_INTERVAL = 0.05;

/** Length of the paper's spirometry curves, in seconds: 15 s at 50 ms gives 300 features. */
export const SPIROMETRY_DURATION = 15;

/**
 * A cough during a forced exhalation: the flow stops for `duration` seconds from `start` (a plateau of the
 * volume-time curve), and the volume may dip by up to `dip` litres in the middle of the pause (a
 * `dip·sin²` bump that is recovered before exhalation resumes). Times are on the curve's own clock.
 */
export interface SpirometryCough {
  /** Time the pause starts, in seconds from the start of the exhalation (≥ 0). */
  readonly start: number;
  /** Length of the pause, in seconds (> 0). */
  readonly duration: number;
  /** Depth of the volume dip at the middle of the pause, in litres (default 0: a flat plateau). */
  readonly dip?: number;
}

/**
 * The parameters of one synthetic forced exhalation. Without coughs, the exhaled volume `s` seconds after
 * the start is
 *
 * `V(s) = FVC · (1 − (τ·e^{−s/τ} − ρ·e^{−s/ρ}) / (τ − ρ))`,
 *
 * the response of two first-order stages: flow starts at 0, peaks at `s* = τρ·ln(τ/ρ)/(τ − ρ)` (≈ 0.1 s for
 * the defaults of the generator, like a good effort) and then decays with time constant `τ`, so the curve
 * rises fast and plateaus at the forced vital capacity `FVC`. A small `τ` gives a healthy FEV₁/FVC ratio
 * (≈ 0.8 at τ ≈ 0.6 s), a large one an obstructed curve.
 */
export interface ForcedExhalation {
  /** Forced vital capacity: the volume the curve plateaus at, in litres (> 0). */
  readonly fvc: number;
  /** Emptying time constant `τ`, in seconds (> `rise`). */
  readonly tau: number;
  /** Rise time constant `ρ` of the flow at the start, in seconds (> 0, < `tau`). */
  readonly rise: number;
  /** Pauses of the flow, in time order, not overlapping (default none). */
  readonly coughs?: readonly SpirometryCough[];
}

/** Sampling of a curve: `samples` volumes at `t_i = i · interval`, `i = 0 … samples − 1`. */
export interface CurveSampling {
  /** Seconds between samples (default {@link SPIROMETRY_INTERVAL} = 0.05). */
  interval?: number;
  /** Length of the curve in seconds (default {@link SPIROMETRY_DURATION} = 15); `duration / interval` samples. */
  duration?: number;
}

/**
 * Exhaled volume of the cough-free exhalation `params` at `s` seconds after its start (0 for `s ≤ 0`), in
 * litres: the closed form documented on {@link ForcedExhalation}. Coughs in `params` are ignored.
 */
export function forcedExhalationVolume(s: number, params: ForcedExhalation): number {
  if (s <= 0) return 0;
  const { fvc, tau, rise } = params;
  return fvc * (1 - (tau * Math.exp(-s / tau) - rise * Math.exp(-s / rise)) / (tau - rise));
}

/**
 * Exhaled volume at time `t` (seconds) of the exhalation `params` with its coughs: during a cough the
 * exhalation clock stops (a plateau) and the volume dips by `dip·sin²(π(t − start)/duration)`; afterwards
 * the exhalation resumes where it stopped. Without coughs this is {@link forcedExhalationVolume}.
 */
export function spirometryVolume(t: number, params: ForcedExhalation): number {
  let paused = 0;
  let dip = 0;
  for (const cough of params.coughs ?? []) {
    const into = t - cough.start;
    if (into <= 0) break;
    if (into < cough.duration) {
      paused += into;
      dip = (cough.dip ?? 0) * Math.sin((Math.PI * into) / cough.duration) ** 2;
      break;
    }
    paused += cough.duration;
  }
  return forcedExhalationVolume(t - paused, params) - dip;
}

/**
 * Sample the exhalation `params` (with its coughs, without noise) at `t_i = i · interval`: by default 300
 * volumes over 15 s at 50 ms, the paper's features.
 *
 * @throws {@link InvalidArgumentError} naming the parameter at fault: non-positive `fvc`/`rise`,
 *   `tau ≤ rise`, coughs that overlap, are out of order, start before 0, or dip below zero volume.
 */
export function spirometryCurve(params: ForcedExhalation, sampling: CurveSampling = {}): Float64Array {
  checkExhalation(params);
  const { interval, samples } = checkSampling(sampling);
  const curve = new Float64Array(samples);
  for (let i = 0; i < samples; i++) curve[i] = spirometryVolume(i * interval, params);
  return curve;
}

/**
 * The volume of a sampled curve at `time` seconds, by linear interpolation between the samples at
 * `t_i = i · interval`.
 *
 * @throws {@link InvalidArgumentError} when `time` lies outside the sampled span.
 */
export function volumeAt(curve: ArrayLike<number>, interval: number, time: number): number {
  checkFiniteArray("curve", curve);
  checkPositive("interval", interval);
  const last = (curve.length - 1) * interval;
  checkNumberInRange("time", time, 0, last);
  const position = time / interval;
  const i = Math.min(Math.floor(position + 1e-9), curve.length - 1);
  const frac = position - i;
  if (frac <= 1e-9 || i === curve.length - 1) return curve[i];
  return curve[i] + frac * (curve[i + 1] - curve[i]);
}

/**
 * FEV₁ of a sampled volume-time curve: the volume exhaled at 1 s, `volumeAt(curve, interval, 1)` — with the
 * paper's 50 ms sampling exactly sample 20. Time 0 is the first sample (the curves are assumed to start at
 * the start of the exhalation, as the generator's do).
 */
export function fev1FromCurve(curve: ArrayLike<number>, interval = SPIROMETRY_INTERVAL): number {
  return volumeAt(curve, interval, 1);
}

/** FVC of a sampled volume-time curve: the largest volume it reaches. */
export function fvcFromCurve(curve: ArrayLike<number>): number {
  checkFiniteArray("curve", curve);
  let max = -Infinity;
  for (let i = 0; i < curve.length; i++) if (curve[i] > max) max = curve[i];
  return max;
}

/** Validate a {@link CurveSampling}; returns the interval and the number of samples. */
export function checkSampling(sampling: CurveSampling): { interval: number; samples: number } {
  const interval = checkPositive("sampling.interval", sampling.interval ?? SPIROMETRY_INTERVAL);
  const duration = checkPositive("sampling.duration", sampling.duration ?? SPIROMETRY_DURATION);
  const samples = Math.round(duration / interval);
  if (Math.abs(samples * interval - duration) > 1e-9 * duration || samples < 2) {
    throw new InvalidArgumentError(
      "sampling.duration",
      `a whole number (≥ 2) of sampling intervals of ${interval} s`,
      described(`${duration} s (${duration / interval} intervals)`),
    );
  }
  checkInteger("sampling.samples", samples, 2, 1 << 24);
  return { interval, samples };
}

/** Validate a {@link ForcedExhalation} (see {@link spirometryCurve} for the rules). */
export function checkExhalation(params: ForcedExhalation): void {
  checkPositive("params.fvc", params?.fvc);
  checkPositive("params.rise", params.rise);
  checkPositive("params.tau", params.tau);
  if (params.tau <= params.rise) {
    throw new InvalidArgumentError("params.tau", `a time constant > params.rise = ${params.rise}`, params.tau);
  }
  let end = 0;
  (params.coughs ?? []).forEach((cough, k) => {
    const name = `params.coughs[${k}]`;
    const start = cough?.start;
    if (typeof start !== "number" || !Number.isFinite(start) || start < end) {
      const after = k === 0 ? "a time ≥ 0 s" : `a time ≥ ${end} s (the end of params.coughs[${k - 1}]; coughs are in order and do not overlap)`;
      throw new InvalidArgumentError(`${name}.start`, after, start);
    }
    checkPositive(`${name}.duration`, cough.duration);
    const dip = cough.dip ?? 0;
    if (typeof dip !== "number" || !Number.isFinite(dip) || dip < 0) {
      throw new InvalidArgumentError(`${name}.dip`, "a volume ≥ 0 L", dip);
    }
    const volume = spirometryVolume(cough.start, { ...params, coughs: params.coughs!.slice(0, k) });
    if (dip > volume) {
      throw new InvalidArgumentError(`${name}.dip`, `at most the ${volume.toFixed(4)} L exhaled when the cough starts`, dip);
    }
    end = cough.start + cough.duration;
  });
}
