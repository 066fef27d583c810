import * as tf from "@tensorflow/tfjs-core";
import type { VariableFactory } from "./network.js";
import { filled } from "./network.js";

/** @internal Batch-norm parameters of one layer (per channel, last axis). */
export interface BatchNormParams {
  readonly name: string;
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly mean: tf.Variable;
  readonly variance: tf.Variable;
}

/** PyTorch's defaults, which the paper's models were trained with. */
export const BN_EPSILON = 1e-5;
/** Weight of the new batch statistic in the running average (PyTorch `momentum = 0.1`). */
export const BN_MOMENTUM = 0.1;

/** @internal Create γ = 1, β = 0, running mean 0, running variance 1. */
export function batchNormParams(factory: VariableFactory, name: string, channels: number): BatchNormParams {
  return {
    name,
    gamma: factory.weight(`${name}/gamma`, [channels], filled(channels, 1)),
    beta: factory.weight(`${name}/beta`, [channels], filled(channels, 0)),
    mean: factory.buffer(`${name}/mean`, [channels], filled(channels, 0)),
    variance: factory.buffer(`${name}/variance`, [channels], filled(channels, 1)),
  };
}

/**
 * @internal Batch norm over every axis but the last, written with plain arithmetic ops (differentiable to second
 * order in tfjs). Inference: running statistics. Training: batch statistics (biased variance, as PyTorch), and the
 * running-statistic updates (unbiased variance) are pushed onto `updates`.
 */
export function batchNorm(
  x: tf.Tensor,
  p: BatchNormParams,
  training: boolean,
  updates: Array<readonly [string, tf.Tensor]>,
): tf.Tensor {
  let mean: tf.Tensor = p.mean;
  let variance: tf.Tensor = p.variance;
  if (training) {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const moments = tf.moments(x, axes);
    mean = moments.mean;
    variance = moments.variance;
    const count = x.size / (x.shape[x.shape.length - 1] as number);
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    updates.push([`${p.name}/mean`, tf.add(tf.mul(p.mean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM))]);
    updates.push([
      `${p.name}/variance`,
      tf.add(tf.mul(p.variance, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)),
    ]);
  }
  const scale = tf.mul(p.gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
  return tf.add(tf.mul(tf.sub(x, mean), scale), p.beta);
}
