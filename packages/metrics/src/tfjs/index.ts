export { PerturbationBall, hessianTensor } from "./perturbation-ball.js";
export type { HessianTensor, PerturbationBallOptions } from "./perturbation-ball.js";
export { penultimateNeuron } from "./penultimate-neuron.js";
export type { LabelledExamples, PenultimateNeuron } from "./penultimate-neuron.js";
export { tfjsQuadraticFormKernel } from "./tfjs-quadratic-form-kernel.js";
