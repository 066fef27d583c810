import type { DenseKernels } from "./dense-kernels.js";
import { jsKernels } from "./js-kernels.js";
import { KERNELS_WASM_BASE64 } from "./kernels-binary.js";

/** The part of the WebAssembly JavaScript API used here (the package compiles without the DOM library). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface KernelExports {
  readonly memory: WasmMemory;
  gemm_nn(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, m: number, n: number, k: number, alpha: number): void;
  symv_lower(a: number, lda: number, x: number, y: number, n: number): void;
  gemv_n(y: number, a: number, lda: number, x: number, m: number, k: number, alpha: number): void;
}

/** Workspaces above this size are given back after use (wasm memory only grows; a new instance starts small). */
const KEEP_BYTES = 64 * 1024 * 1024;
/**
 * Cache blocks of the product: `K_BLOCK` terms, `M_BLOCK` rows and `N_BLOCK` columns of `C` per kernel call (a
 * `K_BLOCK×N_BLOCK` block of `B`, 384 KiB, stays in the second-level cache while the rows of `A` pass). `N_BLOCK` is
 * even, so only the last block can have the odd column the module leaves to JavaScript.
 */
const K_BLOCK = 128;
const M_BLOCK = 64;
const N_BLOCK = 384;

let compiled: object | null | undefined;

/** The compiled module, or `null` where WebAssembly (with SIMD) is not available. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      compiled = api ? new api.Module(decodeBase64(KERNELS_WASM_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * The dense kernels on the embedded WebAssembly SIMD module, or `null` where the runtime cannot compile it.
 * Arrays from {@link DenseKernels.workspace} live in the module's memory and are passed by address; any other
 * array makes that call run on the JavaScript kernels (same result to rounding), so callers never copy.
 * @internal
 */
export function createWasmKernels(): DenseKernels | null {
  const module = kernelModule();
  if (!module) return null;
  let exports: KernelExports | null = null;
  const instance = (): KernelExports => {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly as WasmApi;
    exports ??= new api.Instance(module, {}).exports as KernelExports;
    return exports;
  };
  const inMemory = (x: Float64Array): boolean => exports !== null && x.buffer === exports.memory.buffer;
  return {
    name: "wasm",
    workspace(lengths) {
      const memory = instance().memory;
      let bytes = 0;
      for (const n of lengths) bytes += Math.ceil((n * 8) / 16) * 16;
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
      const views: Float64Array[] = [];
      let at = 0;
      for (const n of lengths) {
        const view = new Float64Array(memory.buffer, at, n);
        view.fill(0);
        views.push(view);
        at += Math.ceil((n * 8) / 16) * 16;
      }
      return views;
    },
    release() {
      if (exports && exports.memory.buffer.byteLength > KEEP_BYTES) exports = null;
    },
    gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc) {
      if (m <= 0 || n <= 0 || k <= 0) return;
      if (!(inMemory(a) && inMemory(b) && inMemory(c))) {
        jsKernels.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        return;
      }
      const e = instance();
      const pa = a.byteOffset + aOff * 8;
      const pb = b.byteOffset + bOff * 8;
      const pc = c.byteOffset + cOff * 8;
      if (n === 1 && ldb === 1 && ldc === 1) {
        // one column with contiguous B and C: a matrix-vector product, one SIMD dot product per row
        e.gemv_n(pc, pa, lda, pb, m, k, alpha);
        return;
      }
      for (let j0 = 0; j0 < n; j0 += N_BLOCK) {
        const nb = Math.min(N_BLOCK, n - j0);
        for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
          const kb = Math.min(K_BLOCK, k - p0);
          for (let i0 = 0; i0 < m; i0 += M_BLOCK) {
            e.gemm_nn(pc + (i0 * ldc + j0) * 8, ldc, pa + (i0 * lda + p0) * 8, lda, pb + (p0 * ldb + j0) * 8, ldb, Math.min(M_BLOCK, m - i0), nb, kb, alpha);
          }
        }
      }
      // the module does pairs of columns; an odd last one here
      if (n % 2 === 1) jsKernels.gemm(m, 1, k, alpha, a, aOff, lda, b, bOff + n - 1, ldb, c, cOff + n - 1, ldc);
    },
    symvLower(n, a, aOff, lda, x, xOff, y, yOff) {
      if (!(inMemory(a) && inMemory(x) && inMemory(y))) {
        jsKernels.symvLower(n, a, aOff, lda, x, xOff, y, yOff);
        return;
      }
      instance().symv_lower(a.byteOffset + aOff * 8, lda, x.byteOffset + xOff * 8, y.byteOffset + yOff * 8, n);
    },
  };
}

/** Base64 to bytes without `Buffer` or `atob` (neither is everywhere). */
function decodeBase64(text: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const lookup = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    value = (value << 6) | lookup[clean.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
