/**
 * WebAssembly text of linalg's SIMD kernels (f64x2), generated so that the register tiles are unrolled by a loop
 * here rather than by hand. `build-wasm.mjs` assembles it with wabt and embeds the bytes in
 * `src/kernels/kernels-binary.ts`; `src/kernels/wasm-kernels.test.ts` checks that the embedded bytes match this text.
 *
 * Exports (all pointers are byte offsets into the exported memory, leading dimensions in elements, row-major):
 * - `gemm_nn(c, ldc, a, lda, b, ldb, m, n, k, alpha)`: C[m×n] += alpha·A[m×k]·B[k×n] for the even columns
 *   `0..n − n mod 2` (the caller does an odd last one);
 * - `symv_lower(a, lda, x, y, n)`: y = A·x for the symmetric A whose lower triangle (j ≤ i) is stored;
 * - `gemv_n(y, a, lda, x, m, k, alpha)`: y[m] += alpha·A[m×k]·x (contiguous x and y).
 */

/** One register tile of `rows` rows × `pairs` f64x2 columns (or one scalar column when `pairs` is 0). */
function tile(rows, pairs) {
  const scalar = pairs === 0;
  const cols = scalar ? 1 : pairs;
  const acc = (r, q) => `$acc${r}_${q}`;
  const zero = scalar ? "(f64.const 0)" : "(v128.const i64x2 0 0)";
  const lines = [];
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) lines.push(`(local.set ${acc(r, q)} ${zero})`);
  lines.push("(local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))");
  lines.push("(local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))");
  lines.push("(local.set $p (i32.const 0))");
  const body = [];
  for (let q = 0; q < cols; q++) {
    body.push(scalar ? `(local.set $s${q} (f64.load (local.get $pb)))` : `(local.set $b${q} (v128.load offset=${16 * q} align=8 (local.get $pb)))`);
  }
  for (let r = 0; r < rows; r++) {
    const addr = r === 0 ? "(local.get $pa)" : `(i32.add (local.get $pa) (local.get $lda8x${r}))`;
    if (scalar) {
      body.push(`(local.set $sa (f64.load ${addr}))`);
      body.push(`(local.set ${acc(r, 0)} (f64.add (local.get ${acc(r, 0)}) (f64.mul (local.get $sa) (local.get $s0))))`);
    } else {
      body.push(`(local.set $t (f64x2.splat (f64.load ${addr})))`);
      for (let q = 0; q < cols; q++) {
        body.push(`(local.set ${acc(r, q)} (f64x2.add (local.get ${acc(r, q)}) (f64x2.mul (local.get $t) (local.get $b${q}))))`);
      }
    }
  }
  body.push("(local.set $pa (i32.add (local.get $pa) (i32.const 8)))");
  body.push("(local.set $pb (i32.add (local.get $pb) (local.get $ldb8)))");
  body.push("(local.set $p (i32.add (local.get $p) (i32.const 1)))");
  lines.push(`(block $pdone (loop $ploop
    (br_if $pdone (i32.ge_s (local.get $p) (local.get $k)))
    ${body.join("\n    ")}
    (br $ploop)))`);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const addr = `(i32.add (i32.add (local.get $c) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $ldc8))) (i32.add (i32.shl (local.get $j) (i32.const 3)) (i32.const ${16 * q})))`;
      if (scalar) {
        lines.push(`(local.set $addr ${addr})`);
        lines.push(`(f64.store (local.get $addr) (f64.add (f64.load (local.get $addr)) (f64.mul (local.get ${acc(r, q)}) (local.get $alpha))))`);
      } else {
        lines.push(`(local.set $addr ${addr})`);
        lines.push(`(v128.store align=8 (local.get $addr) (f64x2.add (v128.load align=8 (local.get $addr)) (f64x2.mul (local.get ${acc(r, q)}) (local.get $alphav))))`);
      }
    }
  }
  return lines.join("\n      ");
}

/** Loop over row tiles of `rows` (then single rows) for a column strip of `pairs` f64x2 (0: one scalar column). */
function rowLoops(pairs) {
  return `(local.set $i (i32.const 0))
    (block $i4done (loop $i4loop
      (br_if $i4done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      ${tile(4, pairs)}
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $i4loop)))
    (block $i1done (loop $i1loop
      (br_if $i1done (i32.ge_s (local.get $i) (local.get $m)))
      ${tile(1, pairs)}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $i1loop)))`;
}

/**
 * f64x2 accumulators per row of the main GEMM tile: 4 rows × 3 pairs = 12 accumulators, plus 3 B values and one
 * broadcast, fit the 16 SIMD registers of x86-64 (4 rows × 4 pairs spill).
 */
const WIDE = 3;
function gemmNN() {
  const locals = ["$i i32", "$j i32", "$p i32", "$pa i32", "$pb i32", "$addr i32", "$lda8 i32", "$ldb8 i32", "$ldc8 i32"];
  locals.push("$lda8x1 i32", "$lda8x2 i32", "$lda8x3 i32", "$t v128", "$alphav v128", "$sa f64", "$s0 f64");
  for (let q = 0; q < 4; q++) locals.push(`$b${q} v128`);
  for (let r = 0; r < 4; r++) for (let q = 0; q < 4; q++) locals.push(`$acc${r}_${q} ${q === 0 ? "v128" : "v128"}`);
  // scalar accumulators reuse names $accR_0 as f64 in the scalar tile: declare separate f64 ones
  const scalarLocals = [];
  for (let r = 0; r < 4; r++) scalarLocals.push(`$acc${r}_0s f64`);
  return `(func (export "gemm_nn") (param $c i32) (param $ldc i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $m i32) (param $n i32) (param $k i32) (param $alpha f64)
    ${locals.map((l) => `(local ${l})`).join(" ")}
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $ldb8 (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldc8 (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $lda8x1 (local.get $lda8))
    (local.set $lda8x2 (i32.shl (local.get $lda8) (i32.const 1)))
    (local.set $lda8x3 (i32.mul (local.get $lda8) (i32.const 3)))
    (local.set $alphav (f64x2.splat (local.get $alpha)))
    (local.set $j (i32.const 0))
    (block $j8done (loop $j8loop
      (br_if $j8done (i32.gt_s (i32.add (local.get $j) (i32.const ${2 * WIDE})) (local.get $n)))
      ${rowLoops(WIDE)}
      (local.set $j (i32.add (local.get $j) (i32.const ${2 * WIDE})))
      (br $j8loop)))
    (block $j2done (loop $j2loop
      (br_if $j2done (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
      ${rowLoops(1)}
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $j2loop)))
    ;; an odd last column is left to the caller (the JavaScript kernel): it keeps the module under 4 KiB
    )`;
}

/**
 * y = A·x, A symmetric with its lower triangle stored row-major. `R` rows per pass: each pair of x entries is
 * loaded once for `R` rows and y is read and written once per pass (the reduction is bound by reading A, so more
 * independent row streams help); the R×R diagonal block is done in scalar code; leftover rows one at a time.
 */
function symvLower(R = 4) {
  const rows = Array.from({ length: R }, (_, r) => r);
  const decl = [
    "$i i32", "$j i32", "$lda8 i32", "$j8 i32", "$yp i32", "$xv v128", "$yv v128", "$s f64", "$fx f64", "$f0 f64",
    ...rows.flatMap((r) => [`$r${r} i32`, `$acc${r} v128`, `$xi${r} v128`, `$fx${r} f64`, `$a${r} v128`]),
  ];
  const pairBody = [
    "(local.set $j8 (i32.shl (local.get $j) (i32.const 3)))",
    "(local.set $xv (v128.load align=8 (i32.add (local.get $x) (local.get $j8))))",
    "(local.set $yp (i32.add (local.get $y) (local.get $j8)))",
    "(local.set $yv (v128.load align=8 (local.get $yp)))",
    ...rows.flatMap((r) => [
      `(local.set $a${r} (v128.load align=8 (i32.add (local.get $r${r}) (local.get $j8))))`,
      `(local.set $acc${r} (f64x2.add (local.get $acc${r}) (f64x2.mul (local.get $a${r}) (local.get $xv))))`,
      `(local.set $yv (f64x2.add (local.get $yv) (f64x2.mul (local.get $a${r}) (local.get $xi${r}))))`,
    ]),
    "(v128.store align=8 (local.get $yp) (local.get $yv))",
    "(local.set $j (i32.add (local.get $j) (i32.const 2)))",
  ];
  // y[i+r] += Σ acc_r; then the R×R diagonal block by the scalar triangle loop shared with the leftover rows
  const diagonal = [];
  for (let r = 0; r < R; r++) {
    diagonal.push(`(local.set $yp (i32.add (local.get $y) (i32.shl (i32.add (local.get $i) (i32.const ${r})) (i32.const 3))))`);
    diagonal.push(`(f64.store (local.get $yp) (f64.add (f64.load (local.get $yp)) (f64.add (f64x2.extract_lane 0 (local.get $acc${r})) (f64x2.extract_lane 1 (local.get $acc${r})))))`);
  }
  diagonal.push(`(call $symv_rows (local.get $a) (local.get $lda8) (local.get $x) (local.get $y) (local.get $i) (i32.add (local.get $i) (i32.const ${R})) (local.get $i))`);
  return `(func (export "symv_lower") (param $a i32) (param $lda i32) (param $x i32) (param $y i32) (param $n i32)
    ${decl.map((l) => `(local ${l})`).join(" ")}
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (memory.fill (local.get $y) (i32.const 0) (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.gt_s (i32.add (local.get $i) (i32.const ${R})) (local.get $n)))
      ${rows
        .flatMap((r) => [
          `(local.set $r${r} (i32.add (local.get $a) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $lda8))))`,
          `(local.set $fx${r} (f64.load offset=${8 * r} (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))`,
          `(local.set $xi${r} (f64x2.splat (local.get $fx${r})))`,
          `(local.set $acc${r} (v128.const i64x2 0 0))`,
        ])
        .join("\n      ")}
      (local.set $j (i32.const 0))
      ;; i is a multiple of ${R} (even): the columns left of the block come in pairs
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_s (local.get $j) (local.get $i)))
        ${pairBody.join("\n        ")}
        (br $jloop)))
      ${diagonal.join("\n      ")}
      (local.set $i (i32.add (local.get $i) (i32.const ${R})))
      (br $iloop)))
    ;; leftover rows, one at a time
    (call $symv_rows (local.get $a) (local.get $lda8) (local.get $x) (local.get $y) (local.get $i) (local.get $n) (i32.const 0)))`;
}

/** Rows `from..to` of the lower-stored symmetric product over columns `j0..i` of row `i`, one row at a time (scalar). */
function symvRows() {
  return `(func $symv_rows (param $a i32) (param $lda8 i32) (param $x i32) (param $y i32) (param $from i32) (param $to i32) (param $j0 i32)
    (local $i i32) (local $j i32) (local $r0 i32) (local $j8 i32) (local $yp i32) (local $s f64) (local $fx f64) (local $f0 f64)
    (local.set $i (local.get $from))
    (block $odone (loop $oloop
      (br_if $odone (i32.ge_s (local.get $i) (local.get $to)))
      (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
      (local.set $fx (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $s (f64.const 0))
      (local.set $j (local.get $j0))
      (block $tdone (loop $tloop
        (br_if $tdone (i32.ge_s (local.get $j) (local.get $i)))
        (local.set $j8 (i32.shl (local.get $j) (i32.const 3)))
        (local.set $f0 (f64.load (i32.add (local.get $r0) (local.get $j8))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $f0) (f64.load (i32.add (local.get $x) (local.get $j8))))))
        (local.set $yp (i32.add (local.get $y) (local.get $j8)))
        (f64.store (local.get $yp) (f64.add (f64.load (local.get $yp)) (f64.mul (local.get $f0) (local.get $fx))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tloop)))
      (local.set $j8 (i32.shl (local.get $i) (i32.const 3)))
      (local.set $yp (i32.add (local.get $y) (local.get $j8)))
      (f64.store (local.get $yp) (f64.add (f64.load (local.get $yp))
        (f64.add (local.get $s) (f64.mul (f64.load (i32.add (local.get $r0) (local.get $j8))) (local.get $fx)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $oloop))))`;
}

/** y += alpha·A·x: one SIMD dot product per row, two rows per pass over x. */
function gemvN() {
  return `(func (export "gemv_n") (param $y i32) (param $a i32) (param $lda i32) (param $x i32) (param $m i32) (param $k i32) (param $alpha f64)
    (local $i i32) (local $p i32) (local $lda8 i32) (local $r0 i32) (local $r1 i32) (local $p8 i32)
    (local $acc0 v128) (local $acc1 v128) (local $xv v128) (local $s0 f64) (local $s1 f64) (local $xs f64) (local $yp i32)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
      ;; the second row of the pair: the same row again when i is the last (its result is discarded)
      (local.set $r1 (select (i32.add (local.get $r0) (local.get $lda8)) (local.get $r0)
        (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $m))))
      (local.set $acc0 (v128.const i64x2 0 0))
      (local.set $acc1 (v128.const i64x2 0 0))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.gt_s (i32.add (local.get $p) (i32.const 2)) (local.get $k)))
        (local.set $p8 (i32.shl (local.get $p) (i32.const 3)))
        (local.set $xv (v128.load align=8 (i32.add (local.get $x) (local.get $p8))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (v128.load align=8 (i32.add (local.get $r0) (local.get $p8))) (local.get $xv))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (v128.load align=8 (i32.add (local.get $r1) (local.get $p8))) (local.get $xv))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $ploop)))
      (local.set $s0 (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0))))
      (local.set $s1 (f64.add (f64x2.extract_lane 0 (local.get $acc1)) (f64x2.extract_lane 1 (local.get $acc1))))
      (if (i32.lt_s (local.get $p) (local.get $k)) (then
        (local.set $p8 (i32.shl (local.get $p) (i32.const 3)))
        (local.set $xs (f64.load (i32.add (local.get $x) (local.get $p8))))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (i32.add (local.get $r0) (local.get $p8))) (local.get $xs))))
        (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (i32.add (local.get $r1) (local.get $p8))) (local.get $xs))))))
      (local.set $yp (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
      (f64.store (local.get $yp) (f64.add (f64.load (local.get $yp)) (f64.mul (local.get $alpha) (local.get $s0))))
      (if (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $m)) (then
        (f64.store offset=8 (local.get $yp) (f64.add (f64.load offset=8 (local.get $yp)) (f64.mul (local.get $alpha) (local.get $s1))))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $iloop))))`;
}

export function kernelsWat() {
  return `(module
  (memory (export "memory") 1 65536)
  ${gemmNN()}
  ${symvLower()}
  ${symvRows()}
  ${gemvN()})
`;
}
