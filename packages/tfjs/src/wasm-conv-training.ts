import * as tf from "@tensorflow/tfjs-core";
import { SmoothHessError } from "@smoothhess/errors";
import { BackendUnavailableError } from "./backend-errors.js";
import { useBackend } from "./backend.js";
import "./register-gradients.js";

/**
 * Name of the training backend registered by {@link useWasmConvTraining}: the wasm backend (the same instance,
 * so tensors never move) plus the two convolution-gradient kernels that tfjs-backend-wasm 4.22 lacks or runs
 * slowly.
 */
export const WASM_CONV_TRAINING_BACKEND = "wasm-conv-training";

/**
 * Activate {@link WASM_CONV_TRAINING_BACKEND}, registering it on first use: every kernel of the wasm backend under a
 * second name, plus the two convolution-gradient kernels that tfjs-backend-wasm 4.22 lacks (`Conv2DBackpropFilter`)
 * or runs as a scalar loop (`Conv2DBackpropInput`), both written as *forward* convolutions, which wasm runs through
 * XNNPACK:
 * - input gradient: the output gradient convolved with the spatially flipped filter (in/out channels swapped),
 *   padded by `filter − 1 − pad`;
 * - filter gradient: the padded input with batch and channels swapped (`[C_in, H, W, N]`) convolved with the
 *   output gradient as a filter (`[H_out, W_out, N, C_out]`); the `[C_in, f_h, f_w, C_out]` result transposed.
 *
 * The backend is the wasm backend's own instance, so tensors created on `"wasm"` are used in place. `trainNetwork`
 * switches to it by itself for a convolutional network on `"wasm"`; oracles keep using `"wasm"`, whose own kernels
 * stay untouched. Stride 1 and dilation 1 only (1-D CNNs and ResNet blocks of stride 1); other convolutions throw.
 * Both kernels are tested against the cpu backend's gradients. Call `useBackend("wasm")` afterwards to go back.
 *
 * @throws {@link BackendUnavailableError} when the wasm backend cannot be initialised.
 */
export async function useWasmConvTraining(): Promise<void> {
  await useBackend("wasm");
  if (!tf.engine().registryFactory[WASM_CONV_TRAINING_BACKEND]) {
    const wasm = tf.findBackend("wasm");
    if (!wasm) throw new BackendUnavailableError("wasm", ["@tensorflow/tfjs-backend-wasm"], "it did not initialise");
    tf.registerBackend(WASM_CONV_TRAINING_BACKEND, () => wasm, -1);
    for (const config of tf.getKernelsForBackend("wasm")) {
      if (config.kernelName === tf.Conv2DBackpropInput) continue;
      tf.registerKernel({ ...config, backendName: WASM_CONV_TRAINING_BACKEND });
    }
    tf.registerKernel({ kernelName: tf.Conv2DBackpropInput, backendName: WASM_CONV_TRAINING_BACKEND, kernelFunc: conv2dBackpropInput as tf.KernelFunc });
    tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: WASM_CONV_TRAINING_BACKEND, kernelFunc: conv2dBackpropFilter as tf.KernelFunc });
  }
  if (!(await tf.setBackend(WASM_CONV_TRAINING_BACKEND))) {
    throw new BackendUnavailableError(WASM_CONV_TRAINING_BACKEND, ["@tensorflow/tfjs-backend-wasm"], "it did not initialise");
  }
}

/**
 * A convolution that the kernels of {@link WASM_CONV_TRAINING_BACKEND} do not cover (a stride or dilation other than 1,
 * or a layout other than NHWC); code `"unsupported-convolution"`. Train such a network on `"cpu"` or `"tensorflow"`.
 */
export class UnsupportedConvolutionError extends SmoothHessError {
  constructor(detail: string) {
    super("unsupported-convolution", `${WASM_CONV_TRAINING_BACKEND}: ${detail}`);
  }
}

/** The internals of the wasm backend that its own kernels use. */
interface WasmBackend extends tf.KernelBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

type Info = tf.TensorInfo;
type Pad = "valid" | "same" | number | [[number, number], [number, number], [number, number], [number, number]] | tf.backend_util.ExplicitPadding;

function wasmKernel(name: string, inputs: Record<string, Info>, backend: WasmBackend, attrs: Record<string, unknown>): Info {
  const kernel = tf.getKernel(name, "wasm");
  if (!kernel) throw new BackendUnavailableError("wasm", ["@tensorflow/tfjs-backend-wasm"], `it has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as Info;
}

function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: { strides: number | [number, number]; pad: Pad; dataFormat: "NHWC" | "NCHW"; dimRoundingMode?: "floor" | "round" | "ceil" },
  kernel: string,
) {
  if (attrs.dataFormat !== "NHWC") throw new UnsupportedConvolutionError(`${kernel} supports NHWC only, got ${attrs.dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad as "valid",
    attrs.dimRoundingMode,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) {
    throw new UnsupportedConvolutionError(`${kernel} supports stride 1 only, got ${info.strideHeight}×${info.strideWidth}`);
  }
  return info;
}

/** dx = dy ⋆ flip(W)ᵀ: a forward convolution with the flipped filter, channels swapped. */
function conv2dBackpropInput(args: {
  inputs: { dy: Info; filter: Info };
  backend: WasmBackend;
  attrs: { strides: number | [number, number]; pad: Pad; dataFormat: "NHWC" | "NCHW"; dimRoundingMode?: "floor" | "round" | "ceil"; inputShape: [number, number, number, number] };
}): Info {
  const { inputs, backend, attrs } = args;
  const info = convInfo(attrs.inputShape, inputs.filter.shape, attrs, "Conv2DBackpropInput");
  const { filterHeight: fh, filterWidth: fw, inHeight, inWidth, outHeight, outWidth } = info;
  const top = fh - 1 - info.padInfo.top;
  const left = fw - 1 - info.padInfo.left;
  const bottom = inHeight - outHeight - top + fh - 1;
  const right = inWidth - outWidth - left + fw - 1;
  const flipped = wasmKernel(tf.Reverse, { x: inputs.filter }, backend, { dims: [0, 1] });
  const swapped = wasmKernel(tf.Transpose, { x: flipped }, backend, { perm: [0, 1, 3, 2] });
  backend.disposeData(flipped.dataId);
  const dx = wasmKernel(tf.Conv2D, { x: inputs.dy, filter: swapped }, backend, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: "NHWC",
    dilations: [1, 1],
  });
  backend.disposeData(swapped.dataId);
  return dx;
}

/** dW[i, j, c, o] = Σ_{n, h, w} x_pad[n, h + i, w + j, c]·dy[n, h, w, o], as one forward convolution. */
function conv2dBackpropFilter(args: {
  inputs: { x: Info; dy: Info };
  backend: WasmBackend;
  attrs: { strides: number | [number, number]; pad: Pad; dataFormat: "NHWC" | "NCHW"; dimRoundingMode?: "floor" | "round" | "ceil"; filterShape: [number, number, number, number] };
}): Info {
  const { inputs, backend, attrs } = args;
  const info = convInfo(inputs.x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  const { top, bottom, left, right } = info.padInfo;
  const xT = wasmKernel(tf.Transpose, { x: inputs.x }, backend, { perm: [3, 1, 2, 0] }); // [C_in, H, W, N]
  const dyT = wasmKernel(tf.Transpose, { x: inputs.dy }, backend, { perm: [1, 2, 0, 3] }); // [H_out, W_out, N, C_out]
  const product = wasmKernel(tf.Conv2D, { x: xT, filter: dyT }, backend, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: "NHWC",
    dilations: [1, 1],
  }); // [C_in, f_h, f_w, C_out]
  backend.disposeData(xT.dataId);
  backend.disposeData(dyT.dataId);
  const dw = wasmKernel(tf.Transpose, { x: product }, backend, { perm: [1, 2, 0, 3] });
  backend.disposeData(product.dataId);
  return dw;
}
