/**
 * `pmse --full` + `attack --full` composed from the measured operations: per stage (gradients, d×d products, …) the
 * arithmetic and the CPU time, from the experiments' own counts (their `--full` configs), and the wall time of N
 * shards (`--shard k/N` deals each stage's items round-robin; the validation stages run in round 1 and the test
 * stages in round 2, each round ending when its largest shard ends).
 *
 * Each test point uses only the σ, σ² and β its radii chose, which the bench cannot know: "low" is one distinct value
 * per method with SmoothGrad sharing SH+SG's, "high" one per radius with SmoothGrad's all different.
 */

/** The operations timed by `item-costs.ts`, each as the CPU seconds and FLOP of one call. */
export const OPERATION_NAMES = [
  "gradientsLogit",
  "gradientsSoftmax",
  "outerProducts",
  "smoothHessLogit",
  "smoothHessSoftmax",
  "softplusHessian",
  "swishHessian",
  "softplusSoftmaxHessian",
  "ballValues",
  "ballScore",
  "attackReducedSmoothHess",
  "attackExactSmoothHess",
  "attackReducedSoftplus",
  "attackExactSoftplus",
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** CPU seconds and floating-point operations of one call. */
export interface Cost {
  readonly cpu: number;
  readonly flops: number;
}
export type Operations = Readonly<Record<OperationName, Cost>>;

/** Where the time of a full run goes. */
export const STAGES = [
  "gradients (SmoothHess/SmoothGrad oracle)",
  "d×d products (SmoothHess kernel)",
  "stein's own work (draws, folds)",
  "surrogate Hessians",
  "ball values (1,000 points per ball)",
  "ball scoring (uᵀHu, gᵀu)",
  "attack eigensolves (reduced + exact)",
] as const;
export type Stage = (typeof STAGES)[number];

/** CPU seconds and FLOP per stage. */
export type Tally = Map<Stage, Cost>;

/** The counts that fix a full run (from the experiments' configs). */
export interface FullRunCounts {
  readonly pmse: { readonly datasets: number; readonly targets: number; readonly validationPoints: number; readonly testPoints: number; readonly radii: number; readonly sigmas: number; readonly betas: number; readonly samplings: number };
  readonly attack: { readonly datasets: number; readonly validationPoints: number; readonly testPoints: number; readonly radii: number; readonly variances: number; readonly betas: number };
}

/** Tallies of one item of each kind, low and high. */
export interface ItemTallies {
  readonly pmseValidation: Tally;
  readonly pmseTest: { readonly low: Tally; readonly high: Tally };
  readonly attackValidation: Tally;
  readonly attackTest: { readonly low: Tally; readonly high: Tally };
}

function add(tally: Tally, stage: Stage, cost: Cost, count: number): void {
  const t = tally.get(stage) ?? { cpu: 0, flops: 0 };
  tally.set(stage, { cpu: t.cpu + count * cost.cpu, flops: t.flops + count * cost.flops });
}

/** The part of a SmoothHess point outside its oracle and its kernel (stein's draws and folds), never below 0. */
function steinOwn(total: Cost, gradients: Cost, products: Cost): Cost {
  return { cpu: Math.max(0, total.cpu - gradients.cpu - products.cpu), flops: 0 };
}

/** `hessians` SmoothHess estimates and `gradientsOnly` SmoothGrad estimates of one target. */
function smoothEstimates(tally: Tally, op: Operations, target: "Logit" | "Softmax", hessians: number, gradientsOnly: number): void {
  const gradients = op[`gradients${target}`];
  const own = steinOwn(op[`smoothHess${target}`], gradients, op.outerProducts);
  add(tally, STAGES[0], gradients, hessians + gradientsOnly);
  add(tally, STAGES[1], op.outerProducts, hessians);
  add(tally, STAGES[2], own, hessians + gradientsOnly);
}

/** The tallies of one item of each kind. */
export function itemTallies(op: Operations, c: FullRunCounts): ItemTallies {
  const p = c.pmse;
  // pmse validation point (validation.ts): three items (SmoothHess at every σ; each surrogate over every β), each
  // drawing its own balls (one per radius), every Hessian scored on all of them.
  const pmseValidation: Tally = new Map();
  smoothEstimates(pmseValidation, op, "Logit", p.sigmas, 0);
  add(pmseValidation, STAGES[3], op.softplusHessian, p.betas);
  add(pmseValidation, STAGES[3], op.swishHessian, p.betas);
  add(pmseValidation, STAGES[4], op.ballValues, 3 * p.radii);
  add(pmseValidation, STAGES[5], op.ballScore, (p.sigmas + 2 * p.betas) * p.radii);
  // pmse test point (test-point.ts): SmoothHess at the distinct chosen σ (SmoothGrad alone at SG's others), each
  // surrogate at its distinct chosen β, balls per radius for each sampling law, each distinct Hessian on all of them.
  const pmseTest = (distinct: number, smoothGradOnly: number): Tally => {
    const t: Tally = new Map();
    smoothEstimates(t, op, "Logit", distinct, smoothGradOnly);
    add(t, STAGES[3], op.softplusHessian, distinct);
    add(t, STAGES[3], op.swishHessian, distinct);
    add(t, STAGES[4], op.ballValues, p.samplings * p.radii);
    add(t, STAGES[5], op.ballScore, p.samplings * p.radii * 3 * distinct);
    return t;
  };
  const a = c.attack;
  // attack validation point (validation.ts): every σ² (one SmoothHess of the SoftMax probability) and every β (one
  // SoftPlus Hessian), each attacked reduced at every radius.
  const attackValidation: Tally = new Map();
  smoothEstimates(attackValidation, op, "Softmax", a.variances, 0);
  add(attackValidation, STAGES[3], op.softplusSoftmaxHessian, a.betas);
  add(attackValidation, STAGES[6], op.attackReducedSmoothHess, a.variances);
  add(attackValidation, STAGES[6], op.attackReducedSoftplus, a.betas);
  // attack test point (test-point.ts): the distinct chosen σ² and β, each Hessian attacked reduced and exact; the
  // vanilla Hessian (rank ≤ classes, factored) and the first-order and random attacks are not counted.
  const attackTest = (distinct: number, smoothGradOnly: number): Tally => {
    const t: Tally = new Map();
    smoothEstimates(t, op, "Softmax", distinct, smoothGradOnly);
    add(t, STAGES[3], op.softplusSoftmaxHessian, distinct);
    for (const name of ["attackReducedSmoothHess", "attackExactSmoothHess", "attackReducedSoftplus", "attackExactSoftplus"] as const) add(t, STAGES[6], op[name], distinct);
    return t;
  };
  return {
    pmseValidation,
    pmseTest: { low: pmseTest(1, 0), high: pmseTest(Math.min(p.radii, p.sigmas), p.radii) },
    attackValidation,
    attackTest: { low: attackTest(1, 0), high: attackTest(Math.min(a.radii, a.variances), a.radii) },
  };
}

/** Σ over the stages. */
export function tallyTotal(t: Tally): Cost {
  let cpu = 0, flops = 0;
  for (const c of t.values()) {
    cpu += c.cpu;
    flops += c.flops;
  }
  return { cpu, flops };
}

function scaled(t: Tally, factor: number, into: Tally = new Map()): Tally {
  for (const [stage, c] of t) add(into, stage, c, factor);
  return into;
}

/** One experiment's stages: `stages` parallel stage pairs (validation in round 1, test in round 2). */
interface ExperimentShape {
  readonly stagePairs: number;
  readonly validationPoints: number;
  readonly testPoints: number;
}

function experimentShapes(c: FullRunCounts): { pmse: ExperimentShape; attack: ExperimentShape } {
  return {
    pmse: { stagePairs: c.pmse.datasets * c.pmse.targets, validationPoints: c.pmse.validationPoints, testPoints: c.pmse.testPoints },
    attack: { stagePairs: c.attack.datasets, validationPoints: c.attack.validationPoints, testPoints: c.attack.testPoints },
  };
}

/** The whole run per stage, per experiment, low and high. */
export function fullRunTallies(items: ItemTallies, c: FullRunCounts): Record<"pmse" | "attack", { low: Tally; high: Tally }> {
  const shapes = experimentShapes(c);
  const compose = (shape: ExperimentShape, validation: Tally, test: Tally) => {
    const t = scaled(validation, shape.stagePairs * shape.validationPoints);
    return scaled(test, shape.stagePairs * shape.testPoints, t);
  };
  return {
    pmse: { low: compose(shapes.pmse, items.pmseValidation, items.pmseTest.low), high: compose(shapes.pmse, items.pmseValidation, items.pmseTest.high) },
    attack: { low: compose(shapes.attack, items.attackValidation, items.attackTest.low), high: compose(shapes.attack, items.attackValidation, items.attackTest.high) },
  };
}

/**
 * CPU seconds until the last of `shards` shards ends, both experiments one after the other, two rounds each:
 * in a round every shard computes its items of every stage pair, and shard 0 holds ⌈items/N⌉ of each stage
 * (round-robin from item 0), so it is the largest. Start-up, graph building and merges are not included.
 */
export function shardedWall(items: ItemTallies, c: FullRunCounts, shards: number, which: "low" | "high"): { largest: number; ideal: number } {
  const shapes = experimentShapes(c);
  const cost = (t: Tally) => tallyTotal(t).cpu;
  let largest = 0, total = 0;
  for (const [shape, validation, test] of [
    [shapes.pmse, cost(items.pmseValidation), cost(items.pmseTest[which])],
    [shapes.attack, cost(items.attackValidation), cost(items.attackTest[which])],
  ] as const) {
    largest += shape.stagePairs * (Math.ceil(shape.validationPoints / shards) * validation + Math.ceil(shape.testPoints / shards) * test);
    total += shape.stagePairs * (shape.validationPoints * validation + shape.testPoints * test);
  }
  return { largest, ideal: total / shards };
}
