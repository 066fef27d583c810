import * as tf from "@tensorflow/tfjs-core";
import { SmoothHessError } from "@smoothhess/errors";
import { afterAll, describe, expect, it } from "vitest";
import { BackendUnavailableError, UnknownBackendError } from "./backend-errors.js";
import type { BackendName } from "./backend.js";
import { defaultBackendName, useBackend } from "./backend.js";

afterAll(async () => {
  await useBackend("wasm");
});

describe("useBackend", () => {
  it("defaults to wasm in Node and can switch to cpu and back", async () => {
    expect(defaultBackendName()).toBe("wasm");
    expect(await useBackend()).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(await useBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(await useBackend("wasm")).toBe("wasm");
  });

  it("rejects an unknown backend name with UnknownBackendError", async () => {
    const error = await useBackend("cuda" as BackendName).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownBackendError);
    expect((error as UnknownBackendError).code).toBe("unknown-backend");
    expect((error as Error).message).toBe('name: expected one of "wasm", "cpu", "webgl", "webgpu", "tensorflow", received "cuda"');
  });

  it("names the packages to install when tfjs-node is absent (it cannot be installed on CI)", async () => {
    const error = await useBackend("tensorflow").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error).toBeInstanceOf(SmoothHessError);
    expect((error as BackendUnavailableError).packages).toEqual(["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]);
    expect((error as Error).message).toMatch(/Install `@tensorflow\/tfjs-node-gpu` or `@tensorflow\/tfjs-node`/);
    const only = await useBackend("tensorflow", { nodePackage: "@tensorflow/tfjs-node" }).catch((e: unknown) => e);
    expect((only as BackendUnavailableError).packages).toEqual(["@tensorflow/tfjs-node"]);
    expect(tf.getBackend()).toBe("wasm"); // unchanged
  });

  it("refuses browser backends in Node, or falls back to cpu when asked", async () => {
    await expect(useBackend("webgl")).rejects.toThrowError(/webgl needs a browser/);
    await expect(useBackend("webgpu")).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(await useBackend("webgl", { fallbackToCpu: true })).toBe("cpu");
  });
});
