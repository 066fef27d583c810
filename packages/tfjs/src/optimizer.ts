import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError, checkNumberInRange, checkPositive } from "@smoothhess/errors";

/**
 * An optimizer with PyTorch's update rules (the paper's models were trained with PyTorch):
 *
 * - `sgd`: `b ← μ·b + g` (with `g += weightDecay·p`), `p ← p − lr·b` (`b = g` when `momentum` is 0).
 * - `rmsprop`: `v ← α·v + (1−α)·g²`, `p ← p − lr·g / (√v + ε)` (momentum applied to that ratio when set).
 *
 * Written here rather than using `tf.train.*` because the learning rate changes every step (schedules), PyTorch's
 * RMSProp puts ε outside the square root (tfjs puts it inside), and the state must be checkpointed by name.
 */
export type OptimizerSpec =
  | { readonly kind: "sgd"; readonly learningRate: number; readonly momentum?: number; readonly weightDecay?: number }
  | {
      readonly kind: "rmsprop";
      readonly learningRate: number;
      /** Smoothing constant α. Default 0.99 (PyTorch). */
      readonly alpha?: number;
      /** Default 1e-8 (PyTorch). */
      readonly epsilon?: number;
      readonly momentum?: number;
      readonly weightDecay?: number;
    };

/** @internal Validated optimizer with defaults filled in. */
export interface CheckedOptimizer {
  kind: "sgd" | "rmsprop";
  learningRate: number;
  momentum: number;
  weightDecay: number;
  alpha: number;
  epsilon: number;
}

/** @internal */
export function checkOptimizer(argument: string, spec: unknown): CheckedOptimizer {
  const s = spec as Record<string, unknown> | undefined;
  if (s?.kind !== "sgd" && s?.kind !== "rmsprop") {
    throw new InvalidArgumentError(argument, '{ kind: "sgd" | "rmsprop", learningRate, … }', spec);
  }
  return {
    kind: s.kind,
    learningRate: checkPositive(`${argument}.learningRate`, s.learningRate),
    momentum: checkNumberInRange(`${argument}.momentum`, s.momentum ?? 0, 0, 1, { max: true }),
    weightDecay: checkNumberInRange(`${argument}.weightDecay`, s.weightDecay ?? 0, 0, Infinity),
    alpha: checkNumberInRange(`${argument}.alpha`, s.alpha ?? 0.99, 0, 1, { max: true }),
    epsilon: checkPositive(`${argument}.epsilon`, s.epsilon ?? 1e-8),
  };
}

/** @internal Optimizer state: slot variables by `optimizer/<weight>/<slot>`. */
export class OptimizerState {
  readonly slots = new Map<string, tf.Variable>();

  constructor(
    private readonly spec: CheckedOptimizer,
    weights: ReadonlyMap<string, tf.Variable>,
    given?: ReadonlyMap<string, tf.Tensor>,
  ) {
    const names: string[] = [];
    if (spec.kind === "rmsprop") names.push("square");
    if (spec.momentum > 0) names.push("momentum");
    for (const [name, w] of weights) {
      for (const slot of names) {
        const key = `optimizer/${name}/${slot}`;
        const init = given?.get(key);
        this.slots.set(key, tf.variable(init ? init : tf.zerosLike(w), false));
      }
    }
  }

  /** Apply one update with learning rate `lr` to every weight that has a gradient. */
  apply(weights: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number): void {
    const { kind, momentum, weightDecay, alpha, epsilon } = this.spec;
    tf.tidy(() => {
      for (const [name, p] of weights) {
        let g = grads[p.name];
        if (!g) continue;
        if (weightDecay > 0) g = tf.add(g, tf.mul(p, weightDecay));
        let step: tf.Tensor = g;
        if (kind === "rmsprop") {
          const v = this.slots.get(`optimizer/${name}/square`) as tf.Variable;
          v.assign(tf.add(tf.mul(v, alpha), tf.mul(tf.square(g), 1 - alpha)));
          step = tf.div(g, tf.add(tf.sqrt(v), epsilon));
        }
        if (momentum > 0) {
          const b = this.slots.get(`optimizer/${name}/momentum`) as tf.Variable;
          b.assign(tf.add(tf.mul(b, momentum), step));
          step = b;
        }
        p.assign(tf.sub(p, tf.mul(step, lr)));
      }
    });
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
  }
}
