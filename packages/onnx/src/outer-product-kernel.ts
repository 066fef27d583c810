import type { Tensor } from "onnxruntime-common";
import { DimensionMismatchError, DisposedError, InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";
import { OnnxGraphWriter } from "./onnx-graph-writer.js";
import { createSession, defaultRuntime, machineCores, type OnnxRuntime, type SessionSettings } from "./runtime.js";
import { checkWorkerRuntime, createWorkerSession, type WorkerRun, type WorkerSession } from "./worker-session.js";

/** Options of {@link onnxOuterProductKernel}. */
export interface OnnxOuterProductKernelOptions extends SessionSettings {
  /**
   * Most rows multiplied in one float32 GEMM; longer inputs are split and each block's product is added to the
   * float64 accumulator separately, which bounds the float32 rounding by that of a `blockRows`-term sum. Default
   * 1024.
   */
  readonly blockRows?: number;
  /** The ONNX Runtime binding: default `onnxruntime-node`; pass `onnxruntime-web` in a browser. */
  readonly runtime?: OnnxRuntime;
  /**
   * Multiply on a worker thread of its own (Node with the default `onnxruntime-node` runtime only; default
   * `false`), so that the GEMM does not block the caller's thread: with `onnxOracle(…, { workerThread: true })`
   * the oracle's next batch, this product and the estimator's own JavaScript run at the same time. Same numbers.
   */
  readonly workerThread?: boolean;
}

/**
 * An `out += Aᵀ B` kernel on ONNX Runtime, with the shape of `@smoothhess/stein`'s `OuterProductKernel` (matched
 * structurally, so this package does not depend on stein), plus `dispose()`.
 */
export interface OnnxOuterProductKernel {
  /** `onnx-<provider>-float32` (`…-worker` on a worker thread), for logs and benchmark tables. */
  readonly name: string;
  /**
   * `true` on a worker thread: `addTransposedProduct` has copied `a` and `b` when it returns, so `smoothHess`
   * draws and folds its next batch while the product is computed (see `OuterProductKernel` of `@smoothhess/stein`).
   */
  readonly copiesOperandsOnCall?: boolean;
  /**
   * `out += Aᵀ B` with `a` m×p and `b` m×q row-major (extra trailing entries are ignored) and `out` p×q float64.
   * Each block of at most `blockRows` rows is multiplied in float32 by ONNX Runtime and added to `out` in
   * float64. Keeps no reference to `a` or `b` after it resolves.
   * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for sizes that do not fit,
   *   {@link DisposedError} after `dispose()`.
   */
  addTransposedProduct(out: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, m: number, p: number, q: number): Promise<void>;
  /** Release the ONNX Runtime session; later calls throw {@link DisposedError}. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * The kernel was used after `dispose()`: a {@link DisposedError} (code `"disposed"`), like every other object of the
 * library used after `dispose()`, so `error instanceof DisposedError` covers it.
 *
 * @deprecated Catch `DisposedError` of `@smoothhess/errors`; this subclass stays exported so that existing
 * `instanceof KernelDisposedError` checks keep working.
 */
export class KernelDisposedError extends DisposedError {
  constructor() {
    super("this outer-product kernel", "create a new one with onnxOuterProductKernel()");
  }
}

const DEFAULT_BLOCK_ROWS = 1024;

/**
 * The d×d accumulation of the dense Stein estimators (`smoothHess(oracle, x0, { kernel })`) on ONNX Runtime: a
 * one-node graph `Aᵀ B` (MatMul of the transposed A; every dimension symbolic, so one session serves any m, p, q)
 * runs in **float32** on ONNX Runtime's GEMM, and each block's p×q product is added to the caller's **float64**
 * accumulator. Per block the rounding is that of a float32 sum of at most `blockRows` products (relative
 * ~1e-7·√blockRows of the block's scale); nothing accumulates across blocks in float32, so 10⁵ samples lose no
 * more than one block does — the precision contract of `@smoothhess/stein`'s README. Entries beyond float32's
 * range (~3.4e38) overflow.
 *
 * @param options - `threads` (ONNX Runtime intra-op threads; default the machine's cores), `blockRows`,
 *   `executionProviders`, `runtime`, `spinning` (default off; see {@link SessionSettings.spinning}).
 * @throws {@link InvalidArgumentError} for `threads` or `blockRows` that are not integers ≥ 1.
 * @example
 * ```ts
 * const kernel = await onnxOuterProductKernel();
 * try {
 *   const { hessian } = await smoothHess(oracle, x0, { covariance: { sigma: 0.05 }, samples: 100_000, kernel });
 * } finally {
 *   await kernel.dispose();
 * }
 * ```
 */
export async function onnxOuterProductKernel(options: OnnxOuterProductKernelOptions = {}): Promise<OnnxOuterProductKernel> {
  const threads = checkInteger("options.threads", options.threads ?? (await machineCores()), 1);
  const blockRows = checkInteger("options.blockRows", options.blockRows ?? DEFAULT_BLOCK_ROWS, 1);
  const ort = options.runtime ?? (await defaultRuntime());
  const settings = { threads, executionProviders: options.executionProviders, spinning: options.spinning };
  if (options.workerThread) {
    await checkWorkerRuntime(ort);
    return workerKernel(await createWorkerSession(transposedProductModel(), settings), blockRows, firstProvider(options.executionProviders));
  }
  const owned = await createSession(ort, transposedProductModel(), settings);
  const session = owned.session;
  const provider = firstProvider(options.executionProviders);
  let bufferA = new Float32Array(0);
  let bufferB = new Float32Array(0);
  let output: Tensor | undefined;
  let disposed = false;

  return {
    name: `onnx-${provider}-float32`,
    async addTransposedProduct(out, a, b, m, p, q) {
      if (disposed) throw new KernelDisposedError();
      checkOperands(out, a, b, m, p, q);
      if (m === 0) return;
      const rows = Math.min(m, blockRows);
      if (bufferA.length < rows * p) bufferA = new Float32Array(rows * p);
      if (bufferB.length < rows * q) bufferB = new Float32Array(rows * q);
      for (let start = 0; start < m; start += blockRows) {
        const count = Math.min(blockRows, m - start);
        const blockA = bufferA.subarray(0, count * p);
        const blockB = bufferB.subarray(0, count * q);
        copyRows(blockA, a, start * p);
        copyRows(blockB, b, start * q);
        const feeds = { a: new ort.Tensor("float32", blockA, [count, p]), b: new ort.Tensor("float32", blockB, [count, q]) };
        // A pre-allocated output saves ONNX Runtime a p×q allocation per block.
        if (output === undefined || output.dims[0] !== p || output.dims[1] !== q) output = new ort.Tensor("float32", new Float32Array(p * q), [p, q]);
        const result = await session.run(feeds, { product: output });
        const product = result.product;
        addInto(out, product.data as Float32Array, p * q);
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      bufferA = bufferB = new Float32Array(0);
      output = undefined;
      await owned.release();
    },
  };
}

/**
 * The kernel on a {@link WorkerSession}: each block's operands are copied into float32 buffers that move to the
 * worker, and the product is written into a buffer sent along; all three come back and are reused. Every block is
 * copied before the call returns (`copiesOperandsOnCall`), so the caller may reuse `a` and `b` at once.
 */
function workerKernel(session: WorkerSession, blockRows: number, provider: string): OnnxOuterProductKernel {
  let disposed = false;
  const spares: Float32Array[] = [];
  const take = (length: number): Float32Array => {
    const i = spares.findIndex((buffer) => buffer.length === length);
    return i >= 0 ? spares.splice(i, 1)[0] : new Float32Array(length);
  };
  const giveBack = (...buffers: Float32Array[]) => {
    for (const buffer of buffers) if (spares.length < 6) spares.push(buffer);
  };
  return {
    name: `onnx-${provider}-float32-worker`,
    copiesOperandsOnCall: true,
    addTransposedProduct(out, a, b, m, p, q) {
      try {
        if (disposed) throw new KernelDisposedError();
        checkOperands(out, a, b, m, p, q);
      } catch (error) {
        return Promise.reject(error);
      }
      // Synchronously, before the first await: every block's operands, posted to the worker in order.
      const runs: Promise<WorkerRun>[] = [];
      for (let start = 0; start < m; start += blockRows) {
        const count = Math.min(blockRows, m - start);
        const blockA = take(count * p);
        const blockB = take(count * q);
        copyRows(blockA, a, start * p);
        copyRows(blockB, b, start * q);
        const feeds = { a: { type: "float32", data: blockA, dims: [count, p] }, b: { type: "float32", data: blockB, dims: [count, q] } } as const;
        runs.push(session.run(feeds, { product: { type: "float32", data: take(p * q), dims: [p, q] } }));
      }
      return (async () => {
        for (const run of runs) {
          const { outputs, inputs } = await run;
          const product = outputs.product.data as Float32Array;
          addInto(out, product, p * q);
          giveBack(inputs.a.data as Float32Array, inputs.b.data as Float32Array, product);
        }
      })();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      spares.length = 0;
      await session.release();
    },
  };
}

/** The argument checks of `addTransposedProduct`. */
function checkOperands(out: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, m: number, p: number, q: number): void {
  checkInteger("m", m, 0);
  checkInteger("p", p, 1);
  checkInteger("q", q, 1);
  if (!(out instanceof Float64Array)) throw new InvalidArgumentError("out", "a Float64Array (the float64 accumulator)", out);
  if (out.length !== p * q) throw new DimensionMismatchError("out", `p·q = ${p}·${q} = ${p * q} entries`, described(`${out.length} entries`));
  if (!(a?.length >= m * p)) throw new DimensionMismatchError("a", `at least m·p = ${m}·${p} = ${m * p} entries`, described(`${a?.length} entries`));
  if (!(b?.length >= m * q)) throw new DimensionMismatchError("b", `at least m·q = ${m}·${q} = ${m * q} entries`, described(`${b?.length} entries`));
}

function addInto(out: Float64Array, values: Float32Array, length: number): void {
  for (let k = 0; k < length; k++) out[k] += values[k];
}

function copyRows(target: Float32Array, source: ArrayLike<number>, offset: number): void {
  if (source instanceof Float32Array || source instanceof Float64Array) {
    target.set(source.subarray(offset, offset + target.length));
  } else {
    for (let k = 0; k < target.length; k++) target[k] = source[offset + k];
  }
}

function firstProvider(providers: SessionSettings["executionProviders"]): string {
  const first = providers?.[0];
  if (first === undefined) return "cpu";
  return typeof first === "string" ? first : first.name;
}

/** `product = Transpose(a) · b` with a: [m, p], b: [m, q] (all symbolic). ORT fuses the pair into one GEMM. */
function transposedProductModel(): Uint8Array {
  const graph = new OnnxGraphWriter("transposed-product");
  const a = graph.input("a", ["m", "p"]);
  const b = graph.input("b", ["m", "q"]);
  const at = graph.op("Transpose", [a], "a_transposed", { perm: { ints: [1, 0] } });
  graph.node("MatMul", [at, b], ["product"]);
  graph.output("product", ["p", "q"]);
  return graph.encode("@smoothhess/onnx outer-product kernel");
}
