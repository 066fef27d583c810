import * as tf from "@tensorflow/tfjs-core";
import { SmoothHessError } from "@smoothhess/errors";
import { afterAll, describe, expect, it } from "vitest";
import { useBackend } from "./backend.js";
import { mlpKernelParams } from "./kernel-params.js";
import { KernelWorkerPool, WorkerFailedError } from "./kernel-worker-pool.js";
import type { HostTensor } from "./kernel-worker-protocol.js";
import { mlp } from "./mlp.js";
import "./register-gradients.js";
import { randomPoints } from "./test-helpers.js";

await useBackend("cpu");
const net = mlp({ sizes: [5, 7, 3], seed: 2 });
const { spec, params } = mlpKernelParams(net);
const host: Record<string, HostTensor> = {};
for (const [name, t] of Object.entries(params)) host[name] = { data: t.dataSync() as Float32Array, shape: t.shape };

afterAll(() => {
  for (const t of Object.values(params)) t.dispose();
  net.dispose();
});

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("KernelWorkerPool: worker modules throw typed errors", () => {
  it("a kernel that throws in a worker rejects with WorkerFailedError whose cause keeps the class name and code", async () => {
    // the "head" target needs a function of the output, which cannot be sent to a thread: the kernel refuses it
    const pool = await KernelWorkerPool.create(1, "mlp", spec, host, { name: "relu" }, { kind: "head" }, "cpu");
    const error = await rejection(pool.evaluate(randomPoints(1, 4, 5), 4, 5));
    await pool.dispose();
    expect(error).toBeInstanceOf(WorkerFailedError);
    const cause = (error as WorkerFailedError).cause as SmoothHessError;
    expect(cause).toBeInstanceOf(SmoothHessError);
    expect(cause.code).toBe("invalid-argument");
    expect(cause.name).toBe("InvalidArgumentError");
    expect(cause.message).toMatch(/^head: expected a function of the output/);
    expect((error as Error).message).toContain("InvalidArgumentError: head: expected");
  });

  it("a worker that cannot start (unknown kernel) rejects create() with the worker's typed error as cause", async () => {
    const error = await rejection(
      KernelWorkerPool.create(1, "transformer" as never, spec, host, { name: "relu" }, { kind: "logit", classIndex: 0 }, "cpu"),
    );
    expect(error).toBeInstanceOf(WorkerFailedError);
    const cause = (error as WorkerFailedError).cause as SmoothHessError;
    expect(cause.code).toBe("invalid-argument");
    expect(cause.message).toBe('workerData.kernel: expected "mlp" or "convnet", received "transformer"');
  });

  it("answers batches with the kernel the calling thread runs (values and gradients of a logit)", async () => {
    const pool = await KernelWorkerPool.create(2, "mlp", spec, host, { name: "relu" }, { kind: "logit", classIndex: 1 }, "cpu");
    const n = 6;
    const x = randomPoints(3, n, 5);
    const { values, gradients } = await pool.evaluate(x, n, 5);
    await pool.dispose();
    const expected = tf.tidy(() => {
      const input = tf.tensor2d(x, [n, 5]);
      const logit = (xi: tf.Tensor) => tf.slice(net.forward(xi as tf.Tensor2D).output, [0, 1], [n, 1]);
      return [logit(input).dataSync(), tf.grad((xi: tf.Tensor) => tf.sum(logit(xi)))(input).dataSync()];
    });
    for (let i = 0; i < n; i++) expect(values[i]).toBeCloseTo(expected[0][i], 5);
    for (let i = 0; i < n * 5; i++) expect(gradients[i]).toBeCloseTo(expected[1][i], 5);
  });
});
