// Public API of @smoothhess/onnx: re-exported by name as the package grows.
export {};
