/**
 * @internal The targets the fast gradient kernels compute themselves (JSON, so they can be sent to worker threads);
 * `head` stands for a user function of the output, which runs in the calling thread only.
 */
export type KernelTarget =
  | { readonly kind: "logit" | "softmax" | "crossEntropy"; readonly classIndex: number }
  | { readonly kind: "neuron"; readonly layer: number; readonly unit: number }
  | { readonly kind: "head" };

/** @internal A user head: `[values (n), ∂values/∂output (n × outputs)]` of the output `z`. */
export type KernelHead = (z: import("@tensorflow/tfjs-core").Tensor2D) => [
  import("@tensorflow/tfjs-core").Tensor1D,
  import("@tensorflow/tfjs-core").Tensor2D,
];
