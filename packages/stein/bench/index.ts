/**
 * Benchmarks of @smoothhess/stein. Run with `pnpm --filter @smoothhess/stein bench` (all), or
 * `pnpm --filter @smoothhess/stein bench overhead` / `... bench own` / `... bench variance` for one.
 */
import { machineLine } from "@smoothhess/bench-tools";
import { benchOverhead } from "./overhead.js";
import { benchOwnJavaScript } from "./own-javascript.js";
import { benchVarianceReduction } from "./variance-reduction.js";

const which = process.argv[2] ?? "all";
console.log(`# @smoothhess/stein benchmarks\n${machineLine()}\n`);
if (which === "all" || which === "overhead") await benchOverhead();
if (which === "all" || which === "own") await benchOwnJavaScript();
if (which === "all" || which === "variance") await benchVarianceReduction();
