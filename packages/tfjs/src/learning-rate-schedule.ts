import { InvalidArgumentError, checkInteger, checkNumberInRange, checkPositive } from "@smoothhess/errors";

/**
 * How the learning rate changes with the optimisation step (0-based). `base` is the optimizer's `learningRate`.
 *
 * - `constant`: `base` throughout.
 * - `step`: `base · factor^k` after k of the `milestones` (steps, ascending) have passed — the paper's
 *   "decayed by 0.1 at iterations 5000, 10000 and 20000".
 * - `warmup-cosine`: linear from `warmupStart` to `base` over `warmupSteps`, then cosine decay from `base` to
 *   `final` at `totalSteps` — the paper's CIFAR-10 schedule (5 warm-up epochs from 1e-2 to 0.5, cosine to 1e-5).
 */
export type LearningRateSchedule =
  | { readonly kind: "constant" }
  | { readonly kind: "step"; readonly milestones: readonly number[]; readonly factor: number }
  | {
      readonly kind: "warmup-cosine";
      readonly warmupSteps: number;
      readonly warmupStart: number;
      readonly totalSteps: number;
      readonly final: number;
    };

/**
 * Validate a schedule.
 * @throws {@link InvalidArgumentError} naming the field at fault.
 */
export function checkSchedule(argument: string, schedule: unknown): LearningRateSchedule {
  const s = schedule as Record<string, unknown> | undefined;
  switch (s?.kind) {
    case "constant":
      return { kind: "constant" };
    case "step": {
      const milestones = s.milestones;
      if (!Array.isArray(milestones)) throw new InvalidArgumentError(`${argument}.milestones`, "an array of step numbers", milestones);
      milestones.forEach((m, i) => {
        checkInteger(`${argument}.milestones[${i}]`, m, i === 0 ? 0 : milestones[i - 1] + 1);
      });
      return { kind: "step", milestones: [...milestones], factor: checkPositive(`${argument}.factor`, s.factor) };
    }
    case "warmup-cosine": {
      const warmupSteps = checkInteger(`${argument}.warmupSteps`, s.warmupSteps, 0);
      const totalSteps = checkInteger(`${argument}.totalSteps`, s.totalSteps, warmupSteps + 1);
      return {
        kind: "warmup-cosine",
        warmupSteps,
        totalSteps,
        warmupStart: checkNumberInRange(`${argument}.warmupStart`, s.warmupStart, 0, Infinity),
        final: checkNumberInRange(`${argument}.final`, s.final, 0, Infinity),
      };
    }
    default:
      throw new InvalidArgumentError(argument, '{ kind: "constant" | "step" | "warmup-cosine", … }', schedule);
  }
}

/** The learning rate at optimisation step `step` (0-based) for base rate `base`. */
export function learningRateAt(base: number, schedule: LearningRateSchedule, step: number): number {
  switch (schedule.kind) {
    case "constant":
      return base;
    case "step": {
      let rate = base;
      for (const m of schedule.milestones) if (step >= m) rate *= schedule.factor;
      return rate;
    }
    case "warmup-cosine": {
      const { warmupSteps, warmupStart, totalSteps, final } = schedule;
      if (step < warmupSteps) return warmupStart + ((base - warmupStart) * step) / warmupSteps;
      const t = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
      return final + 0.5 * (base - final) * (1 + Math.cos(Math.PI * t));
    }
  }
}
