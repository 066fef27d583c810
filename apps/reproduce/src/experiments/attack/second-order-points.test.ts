import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { hessianEigen, secondOrderAttack, type HessianInput } from "@smoothhess/metrics";
import { smoothHess } from "@smoothhess/stein";
import { referenceSurrogates, softmaxHessian } from "@smoothhess/surrogates";
import { referenceFromTfjsMlp, useBackend } from "@smoothhess/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorsFixturesDirectory, loadAuthorsModel, type AuthorsModel } from "../../authors-model.js";
import { openEngine, type Engine } from "../../engine.js";
import type { RunOptions } from "../../experiment.js";
import { attackExperiment } from "./experiment.js";
import { secondOrderPoints } from "./outcomes.js";

const options: RunOptions = { preset: "full", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true };
const config = attackExperiment.configure(options); // the paper's radii 0.25 … 1.75 and T = 0.98

let authors: AuthorsModel;
let engine: Engine;
let x0: Float64Array;
beforeAll(async () => {
  await useBackend("wasm");
  authors = await loadAuthorsModel("mnist");
  engine = await openEngine("onnx", { network: authors.network, onnx: authors.onnx });
  const reference = JSON.parse(await readFile(join(authorsFixturesDirectory(), "authors-mnist-mlp.reference.json"), "utf8")) as { inputs: number[] };
  x0 = Float64Array.from(reference.inputs.slice(0, 784));
});
afterAll(async () => {
  await engine.dispose();
  authors.network.dispose();
});

/** Today's path before the change: one full eigendecomposition, then the attack per radius on its pairs. */
function eigenPath(gradient: ArrayLike<number>, hessian: HessianInput, method: "reduced" | "exact") {
  const eigen = hessianEigen(hessian, 784);
  const results = config.radii.map((radius) =>
    method === "reduced" ? secondOrderAttack({ x0, gradient, eigen, radius, method, energy: config.energy }) : secondOrderAttack({ x0, gradient, eigen, radius, method }),
  );
  return { points: results.map((r) => r.point), ranks: results.map((r) => r.rank) };
}

// Measured: the reduced points are bit-identical (the same k(T) pairs), the exact ones (Krylov subspace vs all pairs)
// within 8.3e-10·ε; 1e-6·ε is far below a pixel's float32 resolution and far above solver round-off.
describe("attack: secondOrderAttacks on the Hessian == the full-eigendecomposition path", () => {
  it.each(["SH+SG", "SP (H+G)", "H+G"] as const)(
    "%s on the authors' MNIST MLP: same ranks k(T), attacked points within 1e-6·ε, reduced and exact",
    async (method) => {
      const k = 0;
      let gradient: ArrayLike<number>;
      let hessian: HessianInput;
      if (method === "SH+SG") {
        const estimate = await smoothHess(await engine.oracle({ softmax: k }), x0, { covariance: { variance: 0.05 }, samples: 2000, seed: 1, kernel: engine.kernel });
        [gradient, hessian] = [estimate.gradient, estimate.hessian];
      } else if (method === "SP (H+G)") {
        ({ gradient, hessian } = await engine.surrogateHessian({ name: "softplus", beta: 10 }, x0, { softmax: k }));
      } else {
        ({ gradient, hessian } = softmaxHessian(referenceSurrogates(referenceFromTfjsMlp(authors.network)).original, x0, k));
      }
      for (const kind of ["reduced", "exact"] as const) {
        const before = eigenPath(gradient, hessian, kind);
        const after = secondOrderPoints(x0, gradient, hessian, config, kind);
        if (kind === "reduced") expect(after.ranks).toEqual(before.ranks);
        config.radii.forEach((radius, e) => {
          let distance = 0;
          for (let j = 0; j < 784; j++) distance += (after.points[e][j] - before.points[e][j]) ** 2;
          expect(Math.sqrt(distance)).toBeLessThan(1e-6 * radius);
        });
      }
    },
    120_000,
  );
});
