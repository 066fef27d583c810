import type { Tensor } from "onnxruntime-common";
import { DimensionMismatchError, DisposedError, checkInteger, described } from "@smoothhess/errors";
import { OnnxGraphWriter } from "./onnx-graph-writer.js";
import { createSession, defaultRuntime, machineCores, type OnnxRuntime, type SessionSettings } from "./runtime.js";

/** Options of {@link onnxQuadraticFormKernel}. */
export interface OnnxQuadraticFormKernelOptions extends SessionSettings {
  /** The ONNX Runtime binding: default `onnxruntime-node`; pass `onnxruntime-web` in a browser. */
  readonly runtime?: OnnxRuntime;
}

/**
 * The rows `U` bound to an {@link OnnxQuadraticFormKernel}: `U` lives in one float32 ORT tensor, fed to every run.
 * The shape of `@smoothhess/metrics`' `BoundQuadraticForms`.
 */
export interface OnnxBoundQuadraticForms {
  /** Rows of `U`. */
  readonly rows: number;
  /** Their length `d`. */
  readonly dim: number;
  /**
   * `uᵢᵀ H uᵢ` for every row of `U`, as float64 (computed in float32 by one ONNX Runtime run). `H` is row-major
   * `d×d` (symmetry not required); it is copied to float32 per call and not kept.
   * @throws {@link DimensionMismatchError} for an `H` without `d·d` entries, {@link DisposedError} after this
   *   binding's or the kernel's `dispose()`.
   */
  evaluate(hessian: ArrayLike<number>): Promise<Float64Array>;
  /** Drop the tensor of `U`. Idempotent. */
  dispose(): void;
}

/**
 * A quadratic-form kernel on ONNX Runtime, with the shape of `@smoothhess/metrics`' `QuadraticFormKernel` (matched
 * structurally, so this package does not depend on metrics), plus `dispose()`.
 */
export interface OnnxQuadraticFormKernel {
  /** `onnx-<provider>-float32`, for logs and benchmark tables. */
  readonly name: string;
  /**
   * Upload the rows `U` (row-major `rows×dim`, the first `rows·dim` entries of `displacements`) once as a float32
   * tensor for later `evaluate(H)` calls. Any number of bindings share the kernel's one session.
   * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for bad sizes, {@link DisposedError} after
   *   `dispose()`.
   */
  bind(displacements: ArrayLike<number>, rows: number, dim: number): Promise<OnnxBoundQuadraticForms>;
  /** Release the ONNX Runtime session; every binding refuses work afterwards ({@link DisposedError}). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * The P_MSE quadratic forms on ONNX Runtime: `uᵢᵀ H uᵢ` for all rows of a fixed `U` as `ReduceSum((U H) ⊙ U, 1)`,
 * a three-node float32 graph (MatMul, Mul, ReduceSum; every dimension symbolic, so one session serves any ball)
 * built once per kernel. `U` is uploaded once per `bind`; each `evaluate(H)` sends `H` and runs one
 * `n×d · d×d` GEMM on ONNX Runtime's CPU kernels (MLAS), with `threads` intra-op threads (default: the machine's
 * cores). The forms come back as float64; everything the caller does with them (the Taylor model, the squared
 * errors) stays float64.
 *
 * Use it as `perturbationBalls(oracle, x0, { balls, kernel })` of `@smoothhess/metrics`. Float32 products and sums
 * over `d` terms: relative rounding ~1e-7·√d of `Σ|uᵢ Hᵢⱼ uⱼ|`; P_MSE agrees with the float64 kernel to ≤ 1e-4
 * relative (tested). Entries beyond float32's range (~3.4e38) overflow.
 *
 * @param options - `threads` (default the machine's cores), `executionProviders`, `runtime`, `spinning` (default
 *   off; see {@link SessionSettings.spinning}).
 * @throws {@link InvalidArgumentError} for `threads` that is not an integer ≥ 1.
 * @example
 * ```ts
 * const kernel = await onnxQuadraticFormKernel();
 * try {
 *   const balls = await perturbationBalls(oracle, x0, { balls: [{ radius: 0.5, seed: 1 }], kernel });
 *   const scores = await balls.scoreMany(models);
 *   await balls.dispose();
 * } finally {
 *   await kernel.dispose();
 * }
 * ```
 */
export async function onnxQuadraticFormKernel(options: OnnxQuadraticFormKernelOptions = {}): Promise<OnnxQuadraticFormKernel> {
  const threads = checkInteger("options.threads", options.threads ?? (await machineCores()), 1);
  const ort = options.runtime ?? (await defaultRuntime());
  const owned = await createSession(ort, quadraticFormModel(), { threads, executionProviders: options.executionProviders, spinning: options.spinning });
  const session = owned.session;
  const name = `onnx-${firstProvider(options.executionProviders)}-float32`;
  let disposed = false;
  const refuse = (what: string) => new DisposedError(what, "create a new kernel with onnxQuadraticFormKernel()");

  return {
    name,
    async bind(displacements, rows, dim) {
      if (disposed) throw refuse("this ONNX quadratic-form kernel");
      checkInteger("rows", rows, 1);
      checkInteger("dim", dim, 1);
      if (!(displacements?.length >= rows * dim)) {
        throw new DimensionMismatchError("displacements", `a row-major ${rows}×${dim} matrix (${rows * dim} entries)`, described(`${displacements?.length} entries`));
      }
      const data = new Float32Array(rows * dim);
      if (displacements instanceof Float64Array || displacements instanceof Float32Array) data.set(displacements.subarray(0, rows * dim));
      else for (let k = 0; k < rows * dim; k++) data[k] = displacements[k];
      let u: Tensor | null = new ort.Tensor("float32", data, [rows, dim]);
      const hessianBuffer = new Float32Array(dim * dim);
      // Runs of one binding are chained: they share `hessianBuffer`, which a concurrent call would overwrite.
      let queue: Promise<unknown> = Promise.resolve();
      const run = async (hessian: ArrayLike<number>): Promise<Float64Array> => {
        if (disposed) throw refuse("this ONNX quadratic-form kernel");
        if (u === null) throw refuse("this bound ONNX quadratic form");
        // TypedArray.set converting float64 to float32 is slower in V8 than this plain loop; same-type set is a copy
        if (hessian instanceof Float32Array) hessianBuffer.set(hessian);
        else for (let k = 0; k < dim * dim; k++) hessianBuffer[k] = hessian[k];
        const feeds = { u, h: new ort.Tensor("float32", hessianBuffer, [dim, dim]) };
        const result = await session.run(feeds);
        return Float64Array.from(result.forms.data as Float32Array);
      };
      return {
        rows,
        dim,
        evaluate(hessian) {
          if (disposed) return Promise.reject(refuse("this ONNX quadratic-form kernel"));
          if (u === null) return Promise.reject(refuse("this bound ONNX quadratic form"));
          if (hessian?.length !== dim * dim) {
            return Promise.reject(new DimensionMismatchError("hessian", `a row-major ${dim}×${dim} matrix (${dim * dim} entries)`, described(`${hessian?.length} entries`)));
          }
          const result = queue.then(() => run(hessian));
          queue = result.catch(() => undefined);
          return result;
        },
        dispose() {
          u?.dispose?.();
          u = null;
        },
      };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await owned.release();
    },
  };
}

function firstProvider(providers: SessionSettings["executionProviders"]): string {
  const first = providers?.[0];
  if (first === undefined) return "cpu";
  return typeof first === "string" ? first : first.name;
}

/** `forms[i] = Σⱼ (u h)[i, j] · u[i, j]` with u: [n, d], h: [d, d] (all symbolic), in float32. */
function quadraticFormModel(): Uint8Array {
  const graph = new OnnxGraphWriter("quadratic-forms");
  const u = graph.input("u", ["n", "d"]);
  const h = graph.input("h", ["d", "d"]);
  const uh = graph.op("MatMul", [u, h], "u_h");
  const products = graph.op("Mul", [uh, u], "products");
  const axes = graph.int64Constant("axes", [1]);
  graph.reserve("forms");
  graph.nodeWithOutputs("ReduceSum", [products, axes], ["forms"], { keepdims: { int: 0 } });
  graph.output("forms", ["n"]);
  return graph.encode("@smoothhess/onnx quadratic-form kernel");
}
