import type { LearningRateSchedule } from "./learning-rate-schedule.js";
import type { OptimizerSpec } from "./optimizer.js";

/** Optimizer, schedule and batch size of one of the paper's training runs (App. E). */
export interface TrainingRecipe {
  readonly optimizer: OptimizerSpec;
  readonly schedule: LearningRateSchedule;
  readonly batchSize: number;
  /** Epochs (or the epoch count that gives the paper's number of iterations). */
  readonly epochs: number;
}

/**
 * Four Quadrant (App. E): RMSProp, learning rate 1e-3 decayed by 0.1 at iterations 5,000, 10,000 and 20,000,
 * batch 128, 40,000 iterations (`epochs` is computed from the data-set size `n`).
 */
export function fourQuadrantRecipe(n: number): TrainingRecipe {
  const stepsPerEpoch = Math.ceil(n / 128);
  return {
    optimizer: { kind: "rmsprop", learningRate: 1e-3 },
    schedule: { kind: "step", milestones: [5000, 10000, 20000], factor: 0.1 },
    batchSize: 128,
    epochs: Math.ceil(40000 / stepsPerEpoch),
  };
}

/** MNIST / FMNIST (App. E): SGD, 1e-2 decayed by 0.1 at iterations 4,000 and 8,000, batch 128, 30 epochs. */
export function mnistRecipe(): TrainingRecipe {
  return {
    optimizer: { kind: "sgd", learningRate: 1e-2 },
    schedule: { kind: "step", milestones: [4000, 8000], factor: 0.1 },
    batchSize: 128,
    epochs: 30,
  };
}

/**
 * CIFAR-10 (App. E): 55 epochs of batch 128; 5 warm-up epochs from 1e-2 to 0.5, then cosine decay to 1e-5 by the
 * last epoch. The paper does not name the optimizer; SGD with momentum 0.9 and weight decay 5e-4 (the usual
 * ResNet-18 recipe) is this package's choice. `n` is the training-set size (40,000 in the paper).
 */
export function cifar10Recipe(n = 40000): TrainingRecipe {
  const stepsPerEpoch = Math.ceil(n / 128);
  return {
    optimizer: { kind: "sgd", learningRate: 0.5, momentum: 0.9, weightDecay: 5e-4 },
    schedule: { kind: "warmup-cosine", warmupSteps: 5 * stepsPerEpoch, warmupStart: 1e-2, totalSteps: 55 * stepsPerEpoch, final: 1e-5 },
    batchSize: 128,
    epochs: 55,
  };
}
