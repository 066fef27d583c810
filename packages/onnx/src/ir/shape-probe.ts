import { OnnxModelError } from "../onnx-model-error.js";
import { createSession, type OnnxRuntime } from "../runtime.js";
import { DataType, type DataTypeCode, type IrGraph, type IrValueInfo } from "./graph.js";
import { encodeModel } from "./proto-codec.js";
import { inferDataTypes } from "./value-types.js";

/**
 * Static shapes of the tensors of a graph, with `-1` on every axis that follows the batch size (the batch axis
 * itself, or a flattened axis that includes it).
 */
export interface ShapeTable {
  /** The shape of tensor `name`. @throws {@link OnnxModelError} when the tensor is unknown. */
  shape(name: string): readonly number[];
  /** The element type of tensor `name`, or `undefined` when unknown. */
  dataType(name: string): DataTypeCode | undefined;
  /** Whether `name` is a tensor the table knows. */
  has(name: string): boolean;
}

const ORT_TYPE: Record<number, "float32" | "float64" | "int64" | "bool"> = {
  [DataType.FLOAT]: "float32",
  [DataType.DOUBLE]: "float64",
  [DataType.INT64]: "int64",
  [DataType.BOOL]: "bool",
};

/**
 * Learn every tensor's shape by running the graph itself: ONNX Runtime evaluates it at batch sizes 1 and 2 with
 * every intermediate tensor exposed as an output, and an axis whose length differs between the two runs follows
 * the batch. Running the graph, rather than re-implementing shape inference per operator, gives exactly the shapes
 * the runtime will see (PyTorch exports rarely record intermediate shapes). Needs one feed per graph input;
 * `inputShapes` gives each input's shape with `-1` on its batch axis.
 *
 * @throws {@link OnnxModelError} when ONNX Runtime cannot run the graph.
 */
export async function probeShapes(
  runtime: OnnxRuntime,
  graph: IrGraph,
  inputShapes: ReadonlyMap<string, readonly number[]>,
  where: string,
): Promise<ShapeTable> {
  const types = inferDataTypes(graph);
  const inputNames = new Set(graph.inputs.map((i) => i.name));
  const outputs: IrValueInfo[] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    for (const o of node.outputs) {
      const t = types.get(o);
      if (!o || seen.has(o) || inputNames.has(o) || t === undefined || !(t in ORT_TYPE)) continue;
      seen.add(o);
      outputs.push({ name: o, dataType: t });
    }
  }
  const probe = encodeModel({ ...graph, outputs });
  const batches = [...inputShapes.values()].some((s) => s.includes(-1)) ? [1, 2] : [1];
  const results: Map<string, readonly number[]>[] = [];
  let owned;
  try {
    owned = await createSession(runtime, probe, { threads: 1 });
  } catch (cause) {
    throw new OnnxModelError(where, `ONNX Runtime cannot load the graph (${(cause as Error).message})`, cause);
  }
  try {
    for (const batch of batches) {
      const feeds: Record<string, unknown> = {};
      for (const input of graph.inputs) {
        const shape = (inputShapes.get(input.name) ?? []).map((d) => (d === -1 ? batch : d));
        let size = 1;
        for (const d of shape) size *= d;
        const type = ORT_TYPE[input.dataType];
        if (!type) throw new OnnxModelError(where, `input "${input.name}" has element type ${input.dataType}; expected float or double`);
        const data = type === "float64" ? new Float64Array(size) : type === "int64" ? new BigInt64Array(size) : type === "bool" ? new Uint8Array(size) : new Float32Array(size);
        if (data instanceof Float32Array || data instanceof Float64Array) for (let i = 0; i < size; i++) data[i] = 0.25 + 0.5 * Math.sin(i + 1);
        feeds[input.name] = new runtime.Tensor(type, data, shape);
      }
      let out: Record<string, { dims: readonly number[] }>;
      try {
        out = (await owned.session.run(feeds as never)) as never;
      } catch (cause) {
        throw new OnnxModelError(where, `ONNX Runtime cannot run the graph at batch ${batch} (${(cause as Error).message})`, cause);
      }
      const shapes = new Map<string, readonly number[]>();
      for (const [name, tensor] of Object.entries(out)) {
        shapes.set(name, [...tensor.dims]);
        (tensor as { dispose?: () => void }).dispose?.();
      }
      results.push(shapes);
    }
  } finally {
    await owned.release();
  }
  const table = new Map<string, readonly number[]>();
  for (const [name, s] of inputShapes) table.set(name, s);
  for (const [name, t] of graph.initializers) table.set(name, t.dims);
  for (const [name, s1] of results[0]) {
    const s2 = results[1]?.get(name);
    table.set(name, s2 ? s1.map((d, i) => (s2[i] === d ? d : -1)) : s1);
  }
  return {
    shape(name) {
      const s = table.get(name);
      if (!s) throw new OnnxModelError(where, `no shape known for tensor "${name}"`);
      return s;
    },
    dataType: (name) => types.get(name),
    has: (name) => table.has(name),
  };
}
