// Test-only helpers for the exporters (not exported from index.ts).
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";

const { onnx } = onnxProto;

/** Also expose these intermediate tensors as graph outputs (to check their names and values). */
export function withExtraOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const decoded = onnx.ModelProto.decode(model);
  for (const name of names) (decoded.graph as onnxProto.onnx.GraphProto).output.push({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } });
  return onnx.ModelProto.encode(decoded).finish();
}

/** Run a model once on `x` (shape `dims`) with ONNX Runtime; returns every output as float64, session released. */
export async function runOnnx(model: Uint8Array, x: Float32Array, dims: readonly number[], inputName = "input"): Promise<Record<string, { data: Float64Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  try {
    const result = await session.run({ [inputName]: new ort.Tensor("float32", x, [...dims]) });
    const out: Record<string, { data: Float64Array; dims: readonly number[] }> = {};
    for (const [name, tensor] of Object.entries(result)) {
      out[name] = { data: Float64Array.from(tensor.data as Float32Array), dims: tensor.dims };
      tensor.dispose();
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Largest |a − b| over the largest |b| (1 when b is all zeros). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}

/** Fixed-seed uniform values in [lo, hi) (a 32-bit LCG: test data only). */
export function uniformValues(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  let state = (seed * 2654435761 + 12345) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * state) / 2 ** 32;
  }
  return out;
}
