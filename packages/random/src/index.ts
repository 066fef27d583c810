export { gaussianSampler, deriveSeed, seededPermutation } from "./gaussian-sampler.js";
export type { GaussianSampler } from "./gaussian-sampler.js";
export { zigguratSampler } from "./ziggurat-sampler.js";
