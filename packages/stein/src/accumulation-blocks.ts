/**
 * Points per accumulation block of every Stein estimator: the Monte-Carlo units are summed in blocks of
 * `ACCUMULATION_POINTS / pointsPerUnit` units (512 antithetic pairs, or 1,024 single samples), whatever the oracle
 * batch size. Floating-point addition is not associative, and the `out += AᵀB` kernels sum a block's rows as dot
 * products before adding them to the accumulator, so blocks whose boundaries moved with `batchSize` changed the
 * last bits of the result. Fixed boundaries make the estimate a function of the seed alone. 1,024 is the default
 * batch size, so runs at the default batch size sum exactly as they did before the blocks were fixed.
 */
export const ACCUMULATION_POINTS = 1024;

/** A run of Monte-Carlo units with per-unit rows: field `k` holds `units × width[k]` entries. */
export interface UnitRows<K extends string> {
  /** Units in this run. */
  readonly units: number;
  /** Per-unit rows of every field, row-major. */
  readonly rows: Readonly<Record<K, Float64Array>>;
}

/**
 * Re-cut a stream of unit runs of any sizes (one per oracle batch) into runs of exactly `blockUnits` units (the
 * last one shorter), so that everything downstream sees the same block boundaries for any oracle batch size.
 * A source run that already covers a whole aligned block is passed through without copying; otherwise rows are
 * copied into reused buffers. Each yielded run is valid until the consumer asks for the next one.
 *
 * @param source - the runs, in unit order.
 * @param blockUnits - units per yielded run (≥ 1).
 * @param totalUnits - units the source yields in all (sizes the buffers; at most `blockUnits` are allocated).
 * @param widths - entries per unit of every field.
 */
export async function* fixedUnitBlocks<K extends string>(
  source: AsyncIterable<UnitRows<K>>,
  blockUnits: number,
  totalUnits: number,
  widths: Readonly<Record<K, number>>,
): AsyncGenerator<UnitRows<K>> {
  const keys = Object.keys(widths) as K[];
  const capacity = Math.max(1, Math.min(blockUnits, totalUnits));
  const buffers = {} as Record<K, Float64Array>;
  for (const k of keys) buffers[k] = new Float64Array(capacity * widths[k]);
  const slice = (rows: Readonly<Record<K, Float64Array>>, from: number, to: number): Record<K, Float64Array> => {
    const out = {} as Record<K, Float64Array>;
    for (const k of keys) out[k] = rows[k].subarray(from * widths[k], to * widths[k]);
    return out;
  };
  let filled = 0;
  for await (const run of source) {
    let taken = 0;
    while (taken < run.units) {
      const n = Math.min(blockUnits - filled, run.units - taken);
      if (filled === 0 && n === blockUnits) {
        yield { units: n, rows: slice(run.rows, taken, taken + n) };
      } else {
        for (const k of keys) buffers[k].set(run.rows[k].subarray(taken * widths[k], (taken + n) * widths[k]), filled * widths[k]);
        filled += n;
        if (filled === blockUnits) {
          yield { units: filled, rows: slice(buffers, 0, filled) };
          filled = 0;
        }
      }
      taken += n;
    }
  }
  if (filled > 0) yield { units: filled, rows: slice(buffers, 0, filled) };
}
