/**
 * The SmoothHess paper's two metrics on a small float64 ReLU network, end to end:
 * P_MSE of SH + SG against SG (Eq. 11) and the post-hoc accuracy of first-order, second-order and random attacks.
 *
 * Run: `pnpm --filter @smoothhess/metrics exec tsx examples/demo.ts` (after `pnpm turbo run build --filter=@smoothhess/metrics...`).
 */
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { deriveSeed, gaussianSampler } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
import {
  firstOrderAttack,
  hessianEigen,
  networkClassifier,
  perturbationMSE,
  postHocAccuracy,
  randomAttack,
  secondOrderAttack,
  selectHyperparameter,
  taylorModel,
  threeSigmaRule,
} from "../src/index.js";

const d = 20;
const net = randomDenseNetwork([d, 64, 64, 5], { seed: 7 });
const rng = gaussianSampler(1);
const points = Array.from({ length: 30 }, () => rng.fillNormal(new Float64Array(d)));
const classify = networkClassifier(net);
const classes = await classify(Float64Array.from(points.flatMap((p) => [...p])), points.length);

// --- P_MSE of the class logit at ε = 1, σ chosen among the three-σ rule on 5 validation points --------------
const epsilon = 1;
const pmse = async (x0: Float64Array, k: number, sigma: number) => {
  const logit = networkOracle(net, { output: k });
  const { hessian, gradient } = await smoothHess(logit, x0, { covariance: { sigma }, samples: 4000, seed: 1 });
  const value = logit.evaluate(x0, 1).values[0]; // the network's own f(x0) anchors every Taylor model (Eq. 10)
  const [shsg, sg] = await perturbationMSE(
    logit,
    [taylorModel({ value, gradient, hessian, x0 }), taylorModel({ value, gradient, x0 })],
    { radius: epsilon, samples: 1000, seed: 2 },
  );
  return { shsg, sg };
};
const validation = points.slice(0, 5).map((x0, i) => ({ x0, k: classes[i] }));
const { best: sigma, curve } = await selectHyperparameter({
  candidates: threeSigmaRule(epsilon, d),
  validation,
  score: async (s, { x0, k }) => (await pmse(x0, k, s)).shsg.mean,
});
console.log("validation curve (σ → mean P_MSE of SH+SG):", curve.map((p) => `${p.value.toFixed(4)} → ${p.mean.toExponential(2)}`).join(", "));
let sumSHSG = 0, sumSG = 0;
for (let i = 5; i < 15; i++) {
  const { shsg, sg } = await pmse(points[i], classes[i], sigma);
  sumSHSG += shsg.mean;
  sumSG += sg.mean;
}
console.log(`P_MSE at ε = ${epsilon}, σ = ${sigma.toFixed(4)}: SH+SG ${(sumSHSG / 10).toExponential(2)}, SG ${(sumSG / 10).toExponential(2)}`);

// --- attacks on the predicted-class SoftMax probability at ε = 1.5 ---------------------------------------------
const radius = 1.5;
const attacked = { first: [] as Float64Array[], second: [] as Float64Array[], reduced: [] as Float64Array[], random: [] as Float64Array[] };
for (let i = 0; i < points.length; i++) {
  const x0 = points[i];
  const probability = networkOracle(net, { softmax: classes[i] });
  const { hessian, gradient } = await smoothHess(probability, x0, { covariance: { variance: 0.05 }, samples: 4000, seed: i });
  const eigen = hessianEigen(hessian, d); // once per point, shared by both second-order variants
  attacked.first.push(firstOrderAttack({ x0, gradient, radius }).point);
  attacked.second.push(secondOrderAttack({ x0, gradient, eigen, radius }).point);
  attacked.reduced.push(secondOrderAttack({ x0, gradient, eigen, radius, energy: 0.98 }).point);
  attacked.random.push(randomAttack({ x0, radius, seed: deriveSeed(3, i) }).point);
}
for (const [name, list] of Object.entries(attacked)) {
  const { accuracy, standardError } = await postHocAccuracy(classify, points, list);
  console.log(`post-hoc accuracy, ${name.padEnd(7)} attack at ε = ${radius}: ${(100 * accuracy).toFixed(1)}% ± ${(100 * standardError).toFixed(1)}`);
}
