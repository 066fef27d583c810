import { cnn1d, tfjsOracle, useBackend } from "@smoothhess/tfjs";
import { syntheticSpirometry } from "@smoothhess/datasets";
import { smoothHess } from "@smoothhess/stein";
await useBackend("wasm");
const { dataset } = syntheticSpirometry({ n: 4, seed: 0 });
for (const kernel of [5, 31, 200]) {
  const net = cnn1d({ seed: 0, kernel });
  const oracle = tfjsOracle(net, { output: 0 });
  const x0 = dataset.x.subarray(0, 300);
  await smoothHess(oracle, x0, { covariance: { variance: 1e-3 }, samples: 256, seed: 1 });
  const t = performance.now();
  const n = kernel === 200 ? 1024 : 4096;
  await smoothHess(oracle, x0, { covariance: { variance: 1e-3 }, samples: n, seed: 1 });
  const s = (performance.now() - t) / 1000;
  console.log(`kernel ${kernel}: ${n} samples ${s.toFixed(2)} s → ${(n / s).toFixed(0)} gradients/s (maxBatch ${oracle.maxBatchSize})`);
  await oracle.dispose();
}
