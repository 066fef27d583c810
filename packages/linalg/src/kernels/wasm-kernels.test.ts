import { describe, expect, it } from "vitest";
import fc from "fast-check";
// @ts-expect-error -- the build script is plain JavaScript without types
import { assembleKernels } from "../../scripts/assemble.mjs";
import { jsKernels } from "./js-kernels.js";
import { KERNELS_WASM_BASE64 } from "./kernels-binary.js";
import { createWasmKernels } from "./wasm-kernels.js";
import { setKernelBackend } from "./kernel-backend.js";
import { InvalidArgumentError } from "@smoothhess/errors";

function filled(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed + 1;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    out[i] = s / 2147483647 - 0.5;
  }
  return out;
}

describe("dense kernels", () => {
  it("the embedded module is the assembly of scripts/kernels-wat.mjs (rebuild with `pnpm build:wasm`), under 4 KiB", async () => {
    const bytes: Uint8Array = await assembleKernels();
    expect(KERNELS_WASM_BASE64).toBe(Buffer.from(bytes).toString("base64"));
    // browsers compile modules up to 4 KiB synchronously on the main thread; the kernels are compiled that way
    expect(bytes.length).toBeLessThanOrEqual(4096);
  });

  it("wasm gemm and symvLower agree with the JavaScript kernels and a naive loop on every shape (property)", () => {
    const wasm = createWasmKernels();
    expect(wasm).not.toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 }), fc.nat(), (m, n, k, seed) => {
        const lda = k + (seed % 3);
        const ldb = n + (seed % 2);
        const ldc = n + (seed % 3 === 0 ? 0 : 1); // n = 1 with ldb = ldc = 1 takes the matrix-vector kernel
        const [a, b, c, x, y] = wasm!.workspace([m * lda + 1, k * ldb, m * ldc, k + 1, k + 1]);
        a.set(filled(a.length, seed));
        b.set(filled(b.length, seed + 1));
        c.set(filled(c.length, seed + 2));
        const cJs = Float64Array.from(c);
        const cNaive = Float64Array.from(c);
        wasm!.gemm(m, n, k, -0.75, a, 1, lda, b, 0, ldb, c, 0, ldc);
        jsKernels.gemm(m, n, k, -0.75, Float64Array.from(a), 1, lda, Float64Array.from(b), 0, ldb, cJs, 0, ldc);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[1 + i * lda + p] * b[p * ldb + j];
          cNaive[i * ldc + j] += -0.75 * s;
        }
        for (let i = 0; i < c.length; i++) {
          expect(Math.abs(c[i] - cNaive[i])).toBeLessThanOrEqual(1e-13 * k);
          expect(Math.abs(cJs[i] - cNaive[i])).toBeLessThanOrEqual(1e-13 * k);
        }
        // symv on the leading min(k, m·lda) block of a, lower triangle only
        const order = Math.min(k, Math.floor(a.length / lda));
        x.set(filled(x.length, seed + 3));
        wasm!.symvLower(order, a, 1, lda, x, 1, y, 0);
        for (let i = 0; i < order; i++) {
          let s = 0;
          for (let j = 0; j < order; j++) s += (j <= i ? a[1 + i * lda + j] : a[1 + j * lda + i]) * x[1 + j];
          expect(Math.abs(y[i] - s)).toBeLessThanOrEqual(1e-13 * order);
        }
        const yJs = new Float64Array(order);
        jsKernels.symvLower(order, Float64Array.from(a), 1, lda, Float64Array.from(x), 1, yJs, 0);
        for (let i = 0; i < order; i++) expect(Math.abs(y[i] - yJs[i])).toBeLessThanOrEqual(1e-13 * order);
      }),
      { numRuns: 60 },
    );
  });

  it("wasm kernels given arrays outside their memory compute the same (JavaScript fallback per call)", () => {
    const wasm = createWasmKernels()!;
    const a = filled(12, 1);
    const b = filled(12, 2);
    const c = new Float64Array(9);
    const expected = new Float64Array(9);
    wasm.gemm(3, 3, 4, 1, a, 0, 4, b, 0, 3, c, 0, 3);
    jsKernels.gemm(3, 3, 4, 1, a, 0, 4, b, 0, 3, expected, 0, 3);
    expect(Array.from(c)).toEqual(Array.from(expected));
  });

  it("setKernelBackend rejects unknown backends with a typed error", () => {
    expect(() => setKernelBackend("gpu" as never)).toThrow(InvalidArgumentError);
    expect(() => setKernelBackend("gpu" as never)).toThrow(/backend/);
  });
});
