import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import { it } from "vitest";
it("exp", async () => {
await tf.setBackend("cpu");
const x = tf.tensor1d([0.3, -0.2]);
const f1 = (z: tf.Tensor) => tf.sum(tf.mul(z, tf.sigmoid(tf.mul(z, 2))));
try { const h = tf.grad((z: tf.Tensor) => tf.sum(tf.grad(f1)(z)))(x); h.print(); } catch (e) { console.log("swish 2nd:", (e as Error).message.slice(0, 200)); }
const f2 = (z: tf.Tensor) => tf.sum(tf.softplus(z));
tf.grad((z: tf.Tensor) => tf.sum(tf.grad(f2)(z)))(x).print();
const f3 = (z: tf.Tensor) => tf.sum(tf.log(tf.add(1, tf.exp(z))));
try { tf.grad((z: tf.Tensor) => tf.sum(tf.grad(f3)(z)))(x).print(); } catch (e) { console.log("log1pexp 2nd:", (e as Error).message.slice(0, 200)); }
const s = [0.3, -0.2].map((v) => 1 / (1 + Math.exp(-v)));
console.log("expected", s.map((v) => v * (1 - v)));
const W = tf.tensor2d([[1, 2], [3, 4]]);
const g = tf.grads((xx: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.relu(tf.matMul(xx as tf.Tensor2D, W)), p), tf.tensor2d([[1, -1]]))));
const [gx, gp] = g([tf.tensor2d([[0.5, 0.1]]), tf.zeros([1, 2])]);
gx.print(); gp.print();
});
