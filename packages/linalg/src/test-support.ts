/**
 * Helpers shared by this package's tests (not exported from the package, not part of the build).
 * @internal
 */
import fc from "fast-check";
import { Matrix, QrDecomposition } from "ml-matrix";
import type { SymmetricEigen } from "./eigenpairs.js";
import { uniformGenerator } from "./random.js";

/** A seeded standard-normal generator (Box–Muller on {@link uniformGenerator}). */
export function normalGenerator(seed: number): () => number {
  const uniform = uniformGenerator(seed);
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** `n` standard normals from `seed`. */
export function normals(n: number, seed: number): Float64Array {
  const next = normalGenerator(seed);
  return Float64Array.from({ length: n }, () => next());
}

/**
 * A `d×d` orthogonal matrix (row-major, rows orthonormal) from the QR factorisation, by ml-matrix (an
 * implementation independent of this package's), of a seeded Gaussian matrix.
 */
export function randomOrthogonal(d: number, seed: number): Float64Array {
  const g = normals(d * d, seed);
  const rows = Array.from({ length: d }, (_, i) => Array.from(g.subarray(i * d, i * d + d)));
  const q = new QrDecomposition(new Matrix(rows)).orthogonalMatrix;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = q.get(j, i); // rows = columns of Q
  return out;
}

/** `H = Σⱼ values[j]·qⱼqⱼᵀ` with `qⱼ` the rows of `q` (`k×d`), dense row-major. */
export function fromEigen(values: ArrayLike<number>, q: ArrayLike<number>, d: number): Float64Array {
  const h = new Float64Array(d * d);
  for (let j = 0; j < values.length; j++) {
    for (let a = 0; a < d; a++) {
      const x = values[j] * q[j * d + a];
      if (x === 0) continue;
      for (let b = 0; b < d; b++) h[a * d + b] += x * q[j * d + b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) {
      const v = 0.5 * (h[a * d + b] + h[b * d + a]);
      h[a * d + b] = v;
      h[b * d + a] = v;
    }
  }
  return h;
}

/** Largest absolute entry. */
export function maxAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
}

/** Euclidean norm. */
export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** `max |Σⱼ λⱼ qⱼqⱼᵀ − A|` over entries. */
export function reconstructionError(eigen: SymmetricEigen, a: ArrayLike<number>): number {
  const h = fromEigen(eigen.values, eigen.vectors, eigen.d);
  let e = 0;
  for (let i = 0; i < h.length; i++) e = Math.max(e, Math.abs(h[i] - a[i]));
  return e;
}

/** `max |QQᵀ − I|` for the rows of `eigen.vectors`. */
export function orthonormalityError(eigen: SymmetricEigen): number {
  const { d, k, vectors } = eigen;
  let e = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += vectors[i * d + t] * vectors[j * d + t];
      e = Math.max(e, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return e;
}

/** `‖A qⱼ − λⱼ qⱼ‖` maximised over the pairs. */
export function residualError(eigen: SymmetricEigen, a: ArrayLike<number>): number {
  const { d, k, values, vectors } = eigen;
  let e = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let r = 0; r < d; r++) {
      let v = -values[j] * vectors[j * d + r];
      for (let c = 0; c < d; c++) v += a[r * d + c] * vectors[j * d + c];
      s += v * v;
    }
    e = Math.max(e, Math.sqrt(s));
  }
  return e;
}

/**
 * fast-check arbitrary of symmetric test matrices of order 1..maxD: plain random (indefinite), low rank
 * (`Σ ± uuᵀ` with fewer terms than `d`, so rank-deficient and indefinite), with repeated eigenvalues, and scaled
 * by a power of ten in `[1e-100, 1e100]`.
 */
export function symmetricMatrix(maxD = 12): fc.Arbitrary<{ d: number; a: Float64Array; kind: string }> {
  return fc
    .record({
      d: fc.integer({ min: 1, max: maxD }),
      kind: fc.constantFrom("random", "low-rank", "repeated", "random"),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      exponent: fc.constantFrom(0, 0, 0, -100, 100, -8, 8),
    })
    .map(({ d, kind, seed, exponent }) => {
      const scale = 10 ** exponent;
      const a = new Float64Array(d * d);
      if (kind === "random") {
        const g = normals(d * d, seed);
        for (let i = 0; i < d; i++) {
          for (let j = 0; j <= i; j++) {
            a[i * d + j] = g[i * d + j] * scale;
            a[j * d + i] = g[i * d + j] * scale;
          }
        }
        return { d, a, kind };
      }
      const q = randomOrthogonal(d, seed);
      const values = new Float64Array(d);
      const next = uniformGenerator(seed + 1);
      if (kind === "low-rank") {
        const rank = Math.floor(next() * d);
        for (let j = 0; j < rank; j++) values[j] = (next() < 0.5 ? -1 : 1) * (0.1 + next()) * scale;
      } else {
        const distinct = [(next() - 0.5) * scale, (next() - 0.5) * scale, 0];
        for (let j = 0; j < d; j++) values[j] = distinct[Math.floor(next() * 3)];
      }
      return { d, a: fromEigen(values, q, d), kind };
    });
}
