import type { InferenceSession, Tensor } from "onnxruntime-common";
import { OnnxGraphWriter } from "./onnx-graph-writer.js";
import type { OnnxRuntime } from "./runtime.js";

const probed = new WeakMap<OnnxRuntime, Promise<boolean>>();

/**
 * Whether `runtime` writes its results into output tensors passed to `session.run(feeds, { name: tensor })`.
 * `onnxruntime-node` does; `onnxruntime-web` 1.30 returns a pre-allocated CPU tensor unchanged, all zeros
 * (microsoft/onnxruntime#25786). Learned once per binding by running a one-node `Neg` graph (created without
 * options, and not counted by `liveSessionCount`), so a binding that fixes it is used as it is again; a binding that
 * cannot run the probe counts as one that does not fill them (the copy is correct either way).
 */
export function fillsPreallocatedOutputs(runtime: OnnxRuntime): Promise<boolean> {
  let answer = probed.get(runtime);
  if (answer === undefined) {
    answer = probe(runtime).catch(() => false);
    probed.set(runtime, answer);
  }
  return answer;
}

async function probe(runtime: OnnxRuntime): Promise<boolean> {
  const graph = new OnnxGraphWriter("preallocated-output-probe");
  graph.node("Neg", [graph.input("x", [1])], ["y"]);
  graph.output("y", [1]);
  const session = await runtime.InferenceSession.create(graph.encode("@smoothhess/onnx probe"));
  try {
    const output = new runtime.Tensor("float32", new Float32Array(1), [1]);
    // onnxruntime-node answers with a new Tensor over the caller's buffer, so the buffer is what is checked
    await session.run({ x: new runtime.Tensor("float32", Float32Array.of(1), [1]) }, { y: output });
    return (output.data as Float32Array)[0] === -1;
  } finally {
    await session.release();
  }
}

/**
 * `session` whose `run(feeds, { name: tensor })` fills the given tensors itself: it asks ONNX Runtime for those
 * outputs by name and copies each result into the caller's tensor, for bindings whose own pre-allocated outputs stay
 * empty ({@link fillsPreallocatedOutputs}). Every other call goes to `session` unchanged.
 */
export function copyingPreallocatedOutputs(session: InferenceSession): InferenceSession {
  const run = async (feeds: InferenceSession.FeedsType, second?: InferenceSession.FetchesType | InferenceSession.RunOptions, third?: InferenceSession.RunOptions) => {
    const fetches = second !== undefined && !Array.isArray(second) && isTensorMap(second) ? second : undefined;
    if (fetches === undefined) return session.run(feeds, second as InferenceSession.FetchesType, third);
    const result: Record<string, InferenceSession.OnnxValueMapType[string]> = { ...(await session.run(feeds, Object.keys(fetches), third)) };
    for (const [name, target] of Object.entries(fetches)) {
      if (target === null) continue;
      const computed = result[name] as Tensor;
      if (computed.dims.length !== target.dims.length || computed.dims.some((d, i) => d !== target.dims[i])) {
        throw new RangeError(`output "${name}" has shape [${computed.dims.join(", ")}] but the tensor given for it [${target.dims.join(", ")}]`);
      }
      (target.data as Float32Array).set(computed.data as Float32Array);
      computed.dispose();
      result[name] = target;
    }
    return result;
  };
  return new Proxy(session, {
    get(target, key) {
      if (key === "run") return run;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A fetches map whose values are tensors (or null), as opposed to `RunOptions`. */
function isTensorMap(value: object): value is Record<string, Tensor | null> {
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((v) => v === null || (typeof v === "object" && "dims" in v && "data" in v));
}
