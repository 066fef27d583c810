export { gaussianSampler, deriveSeed, seededPermutation } from "./gaussian-sampler.js";
export type { GaussianSampler } from "./gaussian-sampler.js";
