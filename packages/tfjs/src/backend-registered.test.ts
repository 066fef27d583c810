import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { useBackend } from "./backend.js";

describe("useBackend with a backend the app registered itself (as bundled apps do)", () => {
  it("activates it without importing its package — here a 'webgl' registered in Node, which useBackend would otherwise refuse", async () => {
    tf.registerBackend("webgl", () => new MathBackendCPU());
    expect(await useBackend("webgl")).toBe("webgl");
    expect(tf.getBackend()).toBe("webgl");
    tf.removeBackend("webgl");
    await expect(useBackend("webgl")).rejects.toThrow(/webgl needs a browser/);
  });
});
